package io.tern.bench;

import org.HdrHistogram.Histogram;

/**
 * The outcome of one scenario run. Throughput is {@code published / elapsed}, where elapsed runs from
 * the first publish to the last message received by every subscriber (or to the publisher's flush when
 * nothing subscribes). Latency fields are set only by scenarios that measure latency.
 */
public final class ScenarioResult {

    long published;
    long expected;
    long received;
    long lost;
    long duplicates;
    long outOfOrder;
    long clientDropped;
    long elapsedNanos;
    boolean timedOut;
    String error;
    Histogram latencyNanos;

    /** A result with every count zero; scenarios fill in what they measured. */
    public ScenarioResult() {
    }

    double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    double msgsPerSecond() {
        return elapsedNanos <= 0 ? 0 : published / elapsedSeconds();
    }

    double deliveredPerSecond() {
        return elapsedNanos <= 0 ? 0 : received / elapsedSeconds();
    }

    /** Writes the measured fields into {@code line}. */
    void writeTo(JsonLine line) {
        line.put("published", published)
                .put("expected", expected)
                .put("received", received)
                .put("lost", lost)
                .put("dup", duplicates)
                .put("ooo", outOfOrder)
                .put("clientDropped", clientDropped)
                .put("elapsedMs", elapsedNanos / 1e6)
                .put("msgsPerSec", msgsPerSecond())
                .put("deliveredPerSec", deliveredPerSecond());
        if (latencyNanos != null && latencyNanos.getTotalCount() > 0) {
            line.put("p50Us", micros(50)).put("p90Us", micros(90)).put("p99Us", micros(99))
                    .put("p999Us", micros(99.9)).put("maxUs", latencyNanos.getMaxValue() / 1e3)
                    .put("meanUs", latencyNanos.getMean() / 1e3);
        }
        line.put("timedOut", timedOut).put("error", error);
    }

    private double micros(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1e3;
    }
}
