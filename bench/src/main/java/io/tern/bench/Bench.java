package io.tern.bench;

import io.nats.client.Nats;

import java.io.PrintStream;
import java.util.List;

/**
 * Load generator for NATS-compatible servers. Runs each selected {@link Scenario} once against one
 * server and prints one JSON line per scenario on standard output (progress goes to standard error).
 *
 * <p>Before the measured runs, every scenario runs once untimed with {@code --warmup} messages so that
 * both the client JVM and a JIT-compiled server are warm when measuring starts. That first pass is
 * reported too ({@code type=warmup} lines): it is what a freshly started server does.
 *
 * <p>The JetStream and MQTT scenarios write to disk or wait for acknowledgements, so they take at most
 * {@value #OTHER_MESSAGES} messages and a warm-up of {@value #OTHER_WARMUP}.
 */
public final class Bench {

    static final long OTHER_MESSAGES = 1_000_000;
    static final long OTHER_WARMUP = 100_000;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--client-version")) {
            System.out.println(jnatsVersion());
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<Scenario> catalogue = new java.util.ArrayList<>();
        List<Scenario> core = Scenarios.core(options.sizes);
        if (!options.mqttOnly) {
            catalogue.addAll(core);
            if (options.jetStream) {
                catalogue.addAll(Scenarios.jetStream());
                catalogue.addAll(Scenarios.keyValue());
            }
        }
        if (options.mqtt != null) {
            catalogue.addAll(Scenarios.mqtt(options.sizes));
        }
        List<Scenario> scenarios = Scenarios.select(catalogue, options.only);
        if (options.list) {
            scenarios.forEach(s -> System.out.println(s.id()));
            return;
        }
        ServerProcess server = options.serverPids.length > 0 ? new ServerProcess(options.serverPids, options.clockTicks) : null;
        PrintStream out = System.out;
        int failures = 0;

        if (options.warmupMessages > 0) {
            for (Scenario scenario : scenarios) {
                long warmup = core.contains(scenario) ? options.warmupMessages
                        : Math.min(options.warmupMessages, OTHER_WARMUP);
                int warmupRequests = (int) Math.max(1, Math.min(options.requests, warmup / 10));
                ScenarioContext context = new ScenarioContext(options.url, warmup,
                        warmupRequests, options.timeout, options.idleTimeout).mqttAddress(mqttAddress(options));
                double cpuBefore = cpuSeconds(server);
                ScenarioResult result = runGuarded(scenario, context);
                double cpuAfter = cpuSeconds(server);
                JsonLine line = line("warmup", options, scenario)
                        .put("messages", warmup)
                        .put("requests", warmupRequests)
                        .put("msgsPerSec", result.msgsPerSecond())
                        .put("serverCpuS", cpuAfter - cpuBefore);
                out.println(line);
                out.flush();
                System.err.printf("[bench] warm-up %s: %.0f msgs/s lost=%d%n",
                        scenario.id(), result.msgsPerSecond(), result.lost);
                settle(options);
            }
        }

        for (Scenario scenario : scenarios) {
            long messages = core.contains(scenario) ? options.messages : Math.min(options.messages, OTHER_MESSAGES);
            ScenarioContext context = new ScenarioContext(options.url, messages, options.requests,
                    options.timeout, options.idleTimeout).mqttAddress(mqttAddress(options));
            boolean peakReset = server != null && server.resetPeak();
            double cpuBefore = cpuSeconds(server);
            ScenarioResult result = runGuarded(scenario, context);
            double cpuAfter = cpuSeconds(server);

            JsonLine line = line("result", options, scenario)
                    .put("scenario", scenario.name())
                    .put("payload", scenario.payloadSize());
            result.writeTo(line);
            line.put("clientErrors", context.clientErrors())
                    .put("clientSlowConsumer", context.slowConsumerEvents())
                    .put("serverCpuS", cpuAfter - cpuBefore)
                    .put("serverPeakRssKb", server != null ? server.peakRssKb() : null)
                    .put("serverPeakIsPerScenario", peakReset);
            out.println(line);
            out.flush();
            System.err.printf("[bench] %s %s: %.0f msgs/s elapsed=%.0fms lost=%d dup=%d ooo=%d%n",
                    options.serverLabel, scenario.id(), result.msgsPerSecond(), result.elapsedNanos / 1e6,
                    result.lost, result.duplicates, result.outOfOrder);
            if (result.error != null || result.timedOut) {
                failures++;
            }
            settle(options);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * The jnats version the build used: shading drops jnats' own manifest, which is where
     * {@link Nats#CLIENT_VERSION} comes from, so the build writes it into {@code versions.properties}.
     */
    private static String jnatsVersion() throws java.io.IOException {
        try (java.io.InputStream in = Bench.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                java.util.Properties properties = new java.util.Properties();
                properties.load(in);
                return properties.getProperty("jnats", Nats.CLIENT_VERSION);
            }
        }
        return Nats.CLIENT_VERSION;
    }

    /** The start of every output line: its type, the server's label, the round and the scenario. */
    private static JsonLine line(String type, BenchOptions options, Scenario scenario) {
        return new JsonLine().put("type", type).put("server", options.serverLabel).put("round", options.round)
                .put("id", scenario.id());
    }

    private static double cpuSeconds(ServerProcess server) {
        return server != null ? server.cpuSeconds() : Double.NaN;
    }

    private static String mqttAddress(BenchOptions options) {
        return options.mqtt == null ? "127.0.0.1:1883" : options.mqtt;
    }

    /** Runs a scenario, turning an exception into a result with an error so one failure does not end the run. */
    private static ScenarioResult runGuarded(Scenario scenario, ScenarioContext context) {
        try {
            return scenario.run(context);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ScenarioResult failed = new ScenarioResult();
            failed.error = e.toString();
            System.err.println("[bench] " + scenario.id() + " failed: " + e);
            return failed;
        }
    }

    /** Lets the server and the client's garbage settle so one scenario's backlog does not bill the next. */
    private static void settle(BenchOptions options) throws InterruptedException {
        System.gc();
        Thread.sleep(options.pause.toMillis());
    }
}
