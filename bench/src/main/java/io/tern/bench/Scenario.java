package io.tern.bench;

/**
 * One measurable workload against a NATS-compatible server. Core NATS scenarios and, later, JetStream
 * scenarios implement this so the same {@link Bench} runner, JSON output and report handle all of them.
 *
 * <p>An implementation opens its own connections through {@link ScenarioContext#connect(String)},
 * must finish (or give up) before {@link ScenarioContext#deadlineNanos()}, and must close everything
 * it opened before returning.
 */
public interface Scenario {

    /** Short stable name such as {@code fanout-1to4}; together with the payload size it identifies a row. */
    String name();

    /** Payload size in bytes (at least {@link SequencePayload#MIN_SIZE}). */
    int payloadSize();

    /** Row identifier used in the output and the report, e.g. {@code fanout-1to4/16B}. */
    default String id() {
        return name() + "/" + payloadSize() + "B";
    }

    /**
     * Runs the workload once with the sizes in {@code context}.
     *
     * @return what was sent, what arrived and how long it took; never null
     */
    ScenarioResult run(ScenarioContext context) throws Exception;
}
