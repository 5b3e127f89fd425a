package io.tern.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resource use of the server under test, read from Linux {@code /proc}: CPU seconds (utime + stime) and
 * resident memory. The peak (VmHWM) can be reset between scenarios through {@code clear_refs}, so each
 * scenario reports its own peak rather than the process's lifetime peak. A distributed Tern is several
 * processes: their figures are added up (the peak as the sum of each process's peak).
 */
final class ServerProcess {

    private final List<Path> procs = new ArrayList<>();
    private final int clockTicksPerSecond;

    ServerProcess(long[] pids, int clockTicksPerSecond) {
        for (long pid : pids) {
            procs.add(Path.of("/proc", Long.toString(pid)));
        }
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** utime + stime of the processes (all their threads), in seconds; NaN if one is unreadable. */
    double cpuSeconds() {
        double sum = 0;
        for (Path proc : procs) {
            sum += cpuSeconds(proc);
        }
        return sum;
    }

    private double cpuSeconds(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            // The command name may contain spaces and parentheses; the fields after the last ')' are fixed.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // After the name, field 14 (utime) and 15 (stime) of proc(5) are at offsets 11 and 12.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return (double) ticks / clockTicksPerSecond;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmHWM in KiB, or -1 if unreadable. */
    long peakRssKb() {
        return statusKb("VmHWM:");
    }

    /** VmRSS in KiB, or -1 if unreadable. */
    long rssKb() {
        return statusKb("VmRSS:");
    }

    /** Resets VmHWM to the current RSS (clear_refs value 5); returns false if not permitted. */
    boolean resetPeak() {
        boolean all = true;
        for (Path proc : procs) {
            try {
                Files.writeString(proc.resolve("clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                all = false;
            }
        }
        return all;
    }

    private long statusKb(String key) {
        long sum = 0;
        for (Path proc : procs) {
            long kb = statusKb(proc, key);
            if (kb < 0) {
                return -1;
            }
            sum += kb;
        }
        return sum;
    }

    private static long statusKb(Path proc, String key) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
