package io.tern.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the JSON lines of several {@link Bench} runs against two servers into a Markdown comparison
 * (median, min and max per server, Tern / nats-server ratio, resource use) and a PNG ratio chart.
 *
 * <p>Reads {@code type=result} and {@code type=warmup} lines from Bench and {@code type=server} lines
 * that {@code run.sh} writes per server start (idle RSS, CPU and peak RSS over the whole round, exit
 * code).
 */
public final class Report {

    private static final String[] PERCENTILES = {"p50Us", "p90Us", "p99Us", "p999Us"};

    private final String tern;
    private final String other;
    /** id -> server -> metric -> samples, ids in first-seen order. */
    private final Map<String, Map<String, Map<String, Samples>>> results = new LinkedHashMap<>();
    /** The same for the first, untimed pass of each scenario after a server started. */
    private final Map<String, Map<String, Map<String, Samples>>> warmups = new LinkedHashMap<>();
    private final Map<String, Map<String, Samples>> servers = new LinkedHashMap<>();
    private final Set<String> reqrepIds = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    /** server -> round -> highest per-scenario peak RSS, i.e. the peak over the measured part of a round. */
    private final Map<String, Map<Object, Double>> roundPeaks = new LinkedHashMap<>();

    private Report(String tern, String other) {
        this.tern = tern;
        this.other = other;
    }

    /**
     * Options: {@code --results FILE --markdown FILE --png FILE [--tern LABEL] [--other LABEL]
     * [--title TEXT] [--note TEXT]... [--meta KEY=VALUE]... [--targets]}; {@code --targets} adds the
     * {@link Targets} check (for Tern against nats-server).
     */
    public static void main(String[] args) throws IOException {
        Path results = null;
        Path markdown = null;
        Path png = null;
        String tern = "tern";
        String other = "nats-server";
        String title = "Tern vs nats-server";
        List<String> notes = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        boolean targets = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--targets")) {
                targets = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--results" -> results = Path.of(value);
                case "--markdown" -> markdown = Path.of(value);
                case "--png" -> png = Path.of(value);
                case "--tern" -> tern = value;
                case "--other" -> other = value;
                case "--title" -> title = value;
                case "--note" -> notes.add(value);
                case "--meta" -> {
                    int eq = value.indexOf('=');
                    meta.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (results == null || markdown == null || png == null) {
            throw new IllegalArgumentException("--results, --markdown and --png are required");
        }
        Report report = new Report(tern, other);
        report.read(results);
        String text = report.markdown(title, notes, meta, targets);
        Files.writeString(markdown, text, StandardCharsets.UTF_8);
        RatioChart.write(report.bars(), tern + " / " + other + ", median of rounds", notes, png);
        System.out.print(text);
    }

    private void read(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || !line.trim().startsWith("{")) {
                continue;
            }
            Map<String, Object> record = JsonLine.parse(line);
            String server = String.valueOf(record.get("server"));
            if ("result".equals(record.get("type"))) {
                String id = String.valueOf(record.get("id"));
                Map<String, Samples> metrics = results.computeIfAbsent(id, k -> new LinkedHashMap<>())
                        .computeIfAbsent(server, k -> new LinkedHashMap<>());
                record.forEach((k, v) -> metrics.computeIfAbsent(k, x -> new Samples()).add(v));
                if (record.get("serverPeakRssKb") instanceof Number peak && peak.doubleValue() >= 0) {
                    roundPeaks.computeIfAbsent(server, k -> new LinkedHashMap<>())
                            .merge(record.get("round"), peak.doubleValue(), Math::max);
                }
                if (record.containsKey("p50Us")) {
                    reqrepIds.add(id);
                }
                if (record.get("error") != null || Boolean.TRUE.equals(record.get("timedOut"))) {
                    problems.add(server + " round " + record.get("round") + " " + id + ": "
                            + (record.get("error") != null ? record.get("error") : "timed out"));
                }
            } else if ("warmup".equals(record.get("type"))) {
                Map<String, Samples> metrics = warmups.computeIfAbsent(String.valueOf(record.get("id")),
                        k -> new LinkedHashMap<>()).computeIfAbsent(server, k -> new LinkedHashMap<>());
                record.forEach((k, v) -> metrics.computeIfAbsent(k, x -> new Samples()).add(v));
            } else if ("server".equals(record.get("type"))) {
                Map<String, Samples> metrics = servers.computeIfAbsent(server, k -> new LinkedHashMap<>());
                record.forEach((k, v) -> metrics.computeIfAbsent(k, x -> new Samples()).add(v));
                Object exit = record.get("benchExit");
                if (exit instanceof Number n && n.intValue() != 0) {
                    problems.add(server + " round " + record.get("round") + ": bench exited with " + n);
                }
            }
        }
        roundPeaks.forEach((server, peaks) -> {
            Samples samples = servers.computeIfAbsent(server, k -> new LinkedHashMap<>())
                    .computeIfAbsent("peakRssKb", k -> new Samples());
            peaks.values().forEach(samples::add);
        });
    }

    private String markdown(String title, List<String> notes, Map<String, String> meta, boolean withTargets) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        for (String note : notes) {
            md.append("> **").append(note).append("**\n\n");
        }
        meta.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v.replace("\n", "; ")).append('\n'));
        md.append("\nMedian over rounds, with (min–max). Ratio = ").append(tern).append(" median / ")
                .append(other).append(" median: above 1 means ").append(tern)
                .append(" has higher throughput; for latency, above 1 means ").append(tern).append(" is slower.\n");
        md.append("Throughput = messages published / time from first publish to last message received by all "
                + "subscribers (publish-only: to the end of the publisher's flush). Lost/dup/ooo are totals over "
                + "all rounds. CPU = server utime+stime during the scenario; peak RSS = server VmHWM during the "
                + "scenario (reset before each scenario).\n");
        if (withTargets) {
            md.append(targets().markdown());
        }
        md.append('\n');

        md.append("## Throughput (msgs/s)\n\n");
        md.append("| scenario | ").append(tern).append(" | ").append(other).append(" | ratio | ")
                .append(tern).append(" lost/dup/ooo | ").append(other).append(" lost/dup/ooo |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String id : results.keySet()) {
            md.append("| ").append(id)
                    .append(" | ").append(spread(id, tern, "msgsPerSec", Report::count))
                    .append(" | ").append(spread(id, other, "msgsPerSec", Report::count))
                    .append(" | ").append(ratioText(id, "msgsPerSec"))
                    .append(" | ").append(integrity(id, tern))
                    .append(" | ").append(integrity(id, other)).append(" |\n");
        }

        otherServers(md);
        firstPass(md);

        if (!reqrepIds.isEmpty()) {
            md.append("\n## Request/reply latency (µs)\n\n");
            md.append("| scenario | percentile | ").append(tern).append(" | ").append(other).append(" | ratio |\n");
            md.append("|---|---|---:|---:|---:|\n");
            for (String id : reqrepIds) {
                for (String p : PERCENTILES) {
                    md.append("| ").append(id).append(" | ").append(p.replace("Us", "").replace("p999", "p99.9"))
                            .append(" | ").append(spread(id, tern, p, Report::decimal))
                            .append(" | ").append(spread(id, other, p, Report::decimal))
                            .append(" | ").append(ratioText(id, p)).append(" |\n");
                }
            }
        }

        md.append("\n## Server resources per scenario\n\n");
        md.append("CPU ratio = ").append(tern).append(" / ").append(other)
                .append(" server CPU seconds for the same work: less sensitive to other load on the machine than "
                        + "wall-clock throughput; above 1 means ").append(tern).append(" needs more CPU.\n\n");
        md.append("| scenario | ").append(tern).append(" CPU s | ").append(other).append(" CPU s | CPU ratio | ")
                .append(tern).append(" peak RSS MiB | ").append(other).append(" peak RSS MiB |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String id : results.keySet()) {
            md.append("| ").append(id)
                    .append(" | ").append(spread(id, tern, "serverCpuS", Report::decimal))
                    .append(" | ").append(spread(id, other, "serverCpuS", Report::decimal))
                    .append(" | ").append(ratioText(id, "serverCpuS"))
                    .append(" | ").append(spread(id, tern, "serverPeakRssKb", Report::mib))
                    .append(" | ").append(spread(id, other, "serverPeakRssKb", Report::mib)).append(" |\n");
        }

        md.append("\n## Server processes per round\n\n");
        md.append("| server | rounds | idle RSS MiB after startup | CPU s per round (incl. warm-up) "
                + "| peak RSS MiB per round (measured scenarios) |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (String server : List.of(tern, other)) {
            Map<String, Samples> m = servers.getOrDefault(server, Map.of());
            md.append("| ").append(server)
                    .append(" | ").append(m.containsKey("round") ? m.get("round").size() : 0)
                    .append(" | ").append(spread(m.get("idleRssKb"), Report::mib))
                    .append(" | ").append(spread(m.get("cpuS"), Report::decimal))
                    .append(" | ").append(spread(m.get("peakRssKb"), Report::mib)).append(" |\n");
        }

        if (!problems.isEmpty()) {
            md.append("\n## Problems\n\n");
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        return md.toString();
    }

    private List<RatioChart.Bar> bars() {
        List<RatioChart.Bar> bars = new ArrayList<>();
        for (String id : results.keySet()) {
            bars.add(new RatioChart.Bar(id, ratio(id, "msgsPerSec"), true));
        }
        for (String id : reqrepIds) {
            bars.add(new RatioChart.Bar(id + " p50", ratio(id, "p50Us"), false));
            bars.add(new RatioChart.Bar(id + " p99", ratio(id, "p99Us"), false));
        }
        return bars;
    }

    private Targets targets() {
        Map<String, Samples> ternServer = servers.getOrDefault(tern, Map.of());
        return new Targets(this::ratio, id -> {
            Samples lost = samples(id, tern, "lost");
            if (lost == null || lost.isEmpty()) {
                return null;
            }
            return new long[] {(long) lost.sum(), (long) samples(id, tern, "dup").sum(),
                (long) samples(id, tern, "ooo").sum()};
        }, ternServer.get("idleRssKb"), ternServer.get("peakRssKb"));
    }

    /**
     * The untimed warm-up pass: what each server does in the first messages after it started, before a
     * JIT (Tern's) has compiled its hot paths. Not the figures the targets are about, shown so that
     * nobody mistakes the measured ones for a cold server's.
     */
    private void firstPass(StringBuilder md) {
        if (warmups.isEmpty()) {
            return;
        }
        md.append("\n## First pass after start (the untimed warm-up)\n\n");
        md.append("Each scenario's first run after the server started, with the warm-up's message count "
                + "(request/reply: requests): a JIT-compiled server is still compiling here.\n\n");
        md.append("| scenario | messages | ").append(tern).append(" msgs/s | ").append(other)
                .append(" msgs/s | ratio | ").append(tern).append(" CPU s | ").append(other)
                .append(" CPU s | CPU ratio |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String id : warmups.keySet()) {
            Samples messages = warmupSamples(id, tern, reqrepIds.contains(id) ? "requests" : "messages");
            md.append("| ").append(id)
                    .append(" | ").append(messages == null || messages.isEmpty() ? "n/a" : count(messages.median()))
                    .append(" | ").append(spread(warmupSamples(id, tern, "msgsPerSec"), Report::count))
                    .append(" | ").append(spread(warmupSamples(id, other, "msgsPerSec"), Report::count))
                    .append(" | ").append(ratioText(warmups, id, "msgsPerSec"))
                    .append(" | ").append(spread(warmupSamples(id, tern, "serverCpuS"), Report::decimal))
                    .append(" | ").append(spread(warmupSamples(id, other, "serverCpuS"), Report::decimal))
                    .append(" | ").append(ratioText(warmups, id, "serverCpuS")).append(" |\n");
        }
    }

    private Samples warmupSamples(String id, String server, String metric) {
        return samples(warmups, id, server, metric);
    }

    private Samples samples(String id, String server, String metric) {
        return samples(results, id, server, metric);
    }

    private static Samples samples(Map<String, Map<String, Map<String, Samples>>> table, String id, String server,
                                   String metric) {
        return table.getOrDefault(id, Map.of()).getOrDefault(server, Map.of()).get(metric);
    }

    private double ratio(String id, String metric) {
        return ratio(results, id, metric);
    }

    private double ratio(Map<String, Map<String, Map<String, Samples>>> table, String id, String metric) {
        Samples a = samples(table, id, tern, metric);
        Samples b = samples(table, id, other, metric);
        if (a == null || b == null || a.isEmpty() || b.isEmpty() || b.median() == 0) {
            return Double.NaN;
        }
        return a.median() / b.median();
    }

    private String ratioText(String id, String metric) {
        return ratioText(results, id, metric);
    }

    private String ratioText(Map<String, Map<String, Map<String, Samples>>> table, String id, String metric) {
        double r = ratio(table, id, metric);
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2f", r) : "n/a";
    }

    /** Servers besides the two compared (mosquitto in the MQTT scenarios): their figures, no ratio. */
    private void otherServers(StringBuilder md) {
        boolean header = false;
        for (Map.Entry<String, Map<String, Map<String, Samples>>> row : results.entrySet()) {
            for (String server : row.getValue().keySet()) {
                if (server.equals(tern) || server.equals(other)) {
                    continue;
                }
                if (!header) {
                    md.append("\n### Other servers (msgs/s)\n\n| scenario | server | msgs/s | lost/dup/ooo |\n"
                            + "|---|---|---:|---:|\n");
                    header = true;
                }
                md.append("| ").append(row.getKey()).append(" | ").append(server)
                        .append(" | ").append(spread(row.getKey(), server, "msgsPerSec", Report::count))
                        .append(" | ").append(integrity(row.getKey(), server)).append(" |\n");
            }
        }
    }

    private String spread(String id, String server, String metric, Function<Double, String> format) {
        return spread(samples(id, server, metric), format);
    }

    private static String spread(Samples s, Function<Double, String> format) {
        if (s == null || s.isEmpty()) {
            return "n/a";
        }
        return format.apply(s.median()) + " (" + format.apply(s.min()) + "–" + format.apply(s.max()) + ")";
    }

    private String integrity(String id, String server) {
        Samples lost = samples(id, server, "lost");
        if (lost == null) {
            return "n/a";
        }
        return count(lost.sum()) + "/" + count(samples(id, server, "dup").sum()) + "/"
                + count(samples(id, server, "ooo").sum());
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String mib(double kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", kb / 1024);
    }
}
