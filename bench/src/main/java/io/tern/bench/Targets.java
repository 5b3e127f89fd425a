package io.tern.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The performance targets of the benchmark issue, checked against one report's medians: Tern at
 * least as fast as nats-server in every core throughput row, request/reply p50 within 1.2x and p99
 * within 1.5x of nats-server's, nothing lost, duplicated or reordered, idle RSS under 256 MiB and
 * RSS under the pub/sub load under 512 MiB. Rows a run did not measure are listed as not measured.
 */
final class Targets {

    static final double IDLE_RSS_MIB = 256;
    static final double LOAD_RSS_MIB = 512;

    private static final String[] THROUGHPUT = {"pub-only", "pubsub-1to1", "fanout-1to4", "queue-4"};
    /** The throughput scenarios and request/reply: nothing may be lost in any of them. */
    private static final String[] EVERY_CORE_SCENARIO = java.util.stream.Stream
            .concat(java.util.Arrays.stream(THROUGHPUT), java.util.stream.Stream.of("reqrep")).toArray(String[]::new);
    private static final int[] SIZES = {16, 128};

    /** One checked target: what, the measured figure, the bound and whether it holds. */
    record Row(String target, String measured, String bound, Boolean met) {
    }

    private final BiFunction<String, String, Double> ratio;
    private final Function<String, long[]> integrity;
    private final Samples idleRssKb;
    private final Samples peakRssKb;

    /**
     * @param ratio     (scenario id, metric) to the Tern / nats-server ratio of the medians, NaN if not measured
     * @param integrity scenario id to Tern's {lost, duplicated, out of order} totals, null if not measured
     * @param idleRssKb Tern's idle RSS per round
     * @param peakRssKb Tern's peak RSS over the measured scenarios per round
     */
    Targets(BiFunction<String, String, Double> ratio, Function<String, long[]> integrity, Samples idleRssKb,
            Samples peakRssKb) {
        this.ratio = ratio;
        this.integrity = integrity;
        this.idleRssKb = idleRssKb;
        this.peakRssKb = peakRssKb;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String name : THROUGHPUT) {
            for (int size : SIZES) {
                String id = name + "/" + size + "B";
                rows.add(atLeast(id + " throughput ratio", ratio.apply(id, "msgsPerSec"), 1.0));
            }
        }
        for (int size : SIZES) {
            String id = "reqrep/" + size + "B";
            rows.add(atMost(id + " p50 latency ratio", ratio.apply(id, "p50Us"), 1.2));
            rows.add(atMost(id + " p99 latency ratio", ratio.apply(id, "p99Us"), 1.5));
        }
        long faults = 0;
        int measured = 0;
        for (String name : EVERY_CORE_SCENARIO) {
            for (int size : SIZES) {
                long[] counts = integrity.apply(name + "/" + size + "B");
                if (counts != null) {
                    measured++;
                    faults += counts[0] + counts[1] + counts[2];
                }
            }
        }
        rows.add(measured == 0 ? new Row("lost + duplicated + reordered (Tern)", "not measured", "0", null)
                : new Row("lost + duplicated + reordered (Tern)", Long.toString(faults), "0", faults == 0));
        rows.add(mibBelow("idle RSS after startup (Tern, highest round)", idleRssKb, IDLE_RSS_MIB));
        rows.add(mibBelow("peak RSS under load (Tern, highest round)", peakRssKb, LOAD_RSS_MIB));
        return rows;
    }

    /** The rows as a Markdown section. */
    String markdown() {
        StringBuilder md = new StringBuilder("\n## Targets\n\n| target | measured | bound | met |\n|---|---:|---:|---|\n");
        for (Row row : rows()) {
            md.append("| ").append(row.target()).append(" | ").append(row.measured()).append(" | ")
                    .append(row.bound()).append(" | ")
                    .append(row.met() == null ? "not measured" : row.met() ? "yes" : "**no**").append(" |\n");
        }
        return md.toString();
    }

    private static Row atLeast(String target, double value, double bound) {
        return figure(target, value, "≥ " + two(bound), Double.isFinite(value) ? value >= bound : null);
    }

    private static Row atMost(String target, double value, double bound) {
        return figure(target, value, "≤ " + two(bound), Double.isFinite(value) ? value <= bound : null);
    }

    private static Row figure(String target, double value, String bound, Boolean met) {
        return new Row(target, Double.isFinite(value) ? two(value) : "not measured", bound, met);
    }

    private static Row mibBelow(String target, Samples kb, double boundMib) {
        if (kb == null || kb.isEmpty()) {
            return new Row(target, "not measured", "< " + (int) boundMib + " MiB", null);
        }
        double mib = kb.max() / 1024;
        return new Row(target, String.format(Locale.ROOT, "%.1f MiB", mib), "< " + (int) boundMib + " MiB",
                mib < boundMib);
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
