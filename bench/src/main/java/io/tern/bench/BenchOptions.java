package io.tern.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link Bench}. */
final class BenchOptions {

    static final long FULL_MESSAGES = 3_000_000;
    static final long QUICK_MESSAGES = 200_000;
    /**
     * A warm-up this long leaves a JIT-compiled server compiling little while it is measured: after
     * 100k messages per scenario Tern's C2 compiler still took 30-60% of a core during the measured
     * runs, and Tern's CPU per message fell to under half over the first few million messages.
     */
    static final long FULL_WARMUP = 1_000_000;
    static final long QUICK_WARMUP = 100_000;

    String url = "nats://127.0.0.1:4222";
    long messages = FULL_MESSAGES;
    int requests = 20_000;
    long warmupMessages = FULL_WARMUP;
    List<Integer> sizes = List.of(16, 128);
    List<String> only = List.of();
    Duration timeout = Duration.ofSeconds(120);
    Duration idleTimeout = Duration.ofSeconds(5);
    String serverLabel = "server";
    int round = 1;
    long[] serverPids = {};
    int clockTicks = 100;
    Duration pause = Duration.ofMillis(500);

    static final String USAGE = String.join("\n",
            "usage: java -jar tern-bench.jar [options]",
            "  --url URL[,URL...]   server to test (default nats://127.0.0.1:4222); with several (the gateways",
            "                       of a distributed Tern) connections are spread over them in turn",
            "  --messages N         messages per streaming scenario (default 3000000; the JetStream and MQTT",
            "                       scenarios take at most 1000000)",
            "  --quick              200000 messages per streaming scenario and a 100000 warm-up",
            "  --requests N         sequential requests per request/reply scenario (default 20000)",
            "  --warmup N           messages per untimed warm-up scenario, 0 for none (default 1000000; the",
            "                       JetStream and MQTT scenarios take at most 100000)",
            "  --sizes 16,128       payload sizes in bytes (>= 8)",
            "  --only a,b           run only scenarios whose name or id is listed",
            "  --timeout-s S        per-scenario timeout (default 120)",
            "  --idle-s S           receiver silence after publishing that ends a scenario (default 5)",
            "  --server-pid PID[,PID...]  server process(es) to read CPU and RSS of from /proc (summed)",
            "  --server-label NAME  label written into every output line",
            "  --round N            round number written into every output line",
            "  --clk-tck N          clock ticks per second for /proc/PID/stat (default 100)",
            "  --list               print the scenario ids and exit",
            "  --jetstream          also run the JetStream publish and Key-Value put/get scenarios",
            "  --mqtt HOST:PORT     also run the MQTT QoS 0 / QoS 1 scenarios against this listener",
            "  --mqtt-only          run only the MQTT scenarios (a broker without NATS, e.g. mosquitto)",
            "  --client-version     print the jnats version and exit");

    boolean list;
    /** Also run the JetStream scenarios (the servers need JetStream enabled). */
    boolean jetStream;
    /** The MQTT listener ({@code host:port}) for the MQTT scenarios; null: no MQTT scenarios. */
    String mqtt;
    /** Only the MQTT scenarios. */
    boolean mqttOnly;

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        Long explicitMessages = null;
        Long explicitWarmup = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--url" -> o.url = value(args, ++i, arg);
                case "--messages" -> explicitMessages = Long.parseLong(value(args, ++i, arg));
                case "--quick" -> {
                    o.messages = QUICK_MESSAGES;
                    o.warmupMessages = QUICK_WARMUP;
                }
                case "--requests" -> o.requests = Integer.parseInt(value(args, ++i, arg));
                case "--warmup" -> explicitWarmup = Long.parseLong(value(args, ++i, arg));
                case "--sizes" -> o.sizes = parseSizes(value(args, ++i, arg));
                case "--only" -> o.only = List.of(value(args, ++i, arg).split(","));
                case "--timeout-s" -> o.timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                case "--idle-s" -> o.idleTimeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
                case "--server-pid" -> o.serverPids = java.util.Arrays.stream(value(args, ++i, arg).split(","))
                        .mapToLong(Long::parseLong).toArray();
                case "--server-label" -> o.serverLabel = value(args, ++i, arg);
                case "--round" -> o.round = Integer.parseInt(value(args, ++i, arg));
                case "--clk-tck" -> o.clockTicks = Integer.parseInt(value(args, ++i, arg));
                case "--list" -> o.list = true;
                case "--jetstream" -> o.jetStream = true;
                case "--mqtt" -> o.mqtt = value(args, ++i, arg);
                case "--mqtt-only" -> o.mqttOnly = true;
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        if (o.mqttOnly && o.mqtt == null) {
            throw new IllegalArgumentException("--mqtt-only needs --mqtt HOST:PORT\n" + USAGE);
        }
        if (explicitMessages != null) {
            o.messages = explicitMessages;
        }
        if (explicitWarmup != null) {
            o.warmupMessages = explicitWarmup;
        }
        if (o.messages <= 0 || o.requests <= 0 || o.warmupMessages < 0) {
            throw new IllegalArgumentException("counts must be positive\n" + USAGE);
        }
        return o;
    }

    private static List<Integer> parseSizes(String csv) {
        List<Integer> sizes = new ArrayList<>();
        for (String s : csv.split(",")) {
            int size = Integer.parseInt(s.trim());
            if (size < SequencePayload.MIN_SIZE) {
                throw new IllegalArgumentException("payload size must be >= " + SequencePayload.MIN_SIZE);
            }
            sizes.add(size);
        }
        return sizes;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
