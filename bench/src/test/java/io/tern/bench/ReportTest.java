package io.tern.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    @Test
    void comparesMediansAndDrawsAChart(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                result("tern", 1, "pubsub-1to1/16B", 200_000, 0),
                result("tern", 2, "pubsub-1to1/16B", 100_000, 3),
                result("tern", 3, "pubsub-1to1/16B", 300_000, 0),
                result("nats-server", 1, "pubsub-1to1/16B", 100_000, 0),
                result("nats-server", 2, "pubsub-1to1/16B", 100_000, 0),
                "{\"type\":\"result\",\"server\":\"tern\",\"round\":1,\"id\":\"reqrep/16B\",\"msgsPerSec\":10.0,"
                        + "\"lost\":0,\"dup\":0,\"ooo\":0,\"p50Us\":100.0,\"p90Us\":150.0,\"p99Us\":300.0,\"p999Us\":900.0}",
                "{\"type\":\"result\",\"server\":\"nats-server\",\"round\":1,\"id\":\"reqrep/16B\",\"msgsPerSec\":20.0,"
                        + "\"lost\":0,\"dup\":0,\"ooo\":0,\"p50Us\":50.0,\"p90Us\":75.0,\"p99Us\":100.0,\"p999Us\":300.0}",
                "{\"type\":\"server\",\"server\":\"tern\",\"round\":1,\"idleRssKb\":20480,\"cpuS\":1.5,\"benchExit\":1}"));
        Path markdown = dir.resolve("RESULTS.md");
        Path png = dir.resolve("results.png");

        Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
                "--png", png.toString(), "--note", "PIPELINE CHECK", "--meta", "nproc=2"});

        String md = Files.readString(markdown);
        assertThat(md).contains("> **PIPELINE CHECK**", "- nproc: 2")
                .contains("| pubsub-1to1/16B | 200,000 (100,000–300,000) | 100,000 (100,000–100,000) | 2.00 | 3/0/0 | 0/0/0 |")
                .contains("| reqrep/16B | p50 | 100 (100–100) | 50.00 (50.00–50.00) | 2.00 |")
                .contains("| tern | 1 | 20.0 (20.0–20.0) |")
                .contains("tern round 1: bench exited with 1");
        byte[] image = Files.readAllBytes(png);
        assertThat(image).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void listsAThirdServerWithoutARatio(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                result("tern", 1, "mqtt-qos0/16B", 300_000, 0),
                result("nats-server", 1, "mqtt-qos0/16B", 600_000, 0),
                result("mosquitto", 1, "mqtt-qos0/16B", 380_000, 2)));
        Path markdown = dir.resolve("RESULTS.md");
        Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
                "--png", dir.resolve("results.png").toString()});
        assertThat(Files.readString(markdown))
                .contains("| mqtt-qos0/16B | 300,000 (300,000–300,000) | 600,000 (600,000–600,000) | 0.50 |")
                .contains("| mqtt-qos0/16B | mosquitto | 380,000 (380,000–380,000) | 2/0/0 |");
    }

    @Test
    void showsTheFirstPassApartFromTheMeasuredOne(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                result("tern", 1, "pub-only/16B", 2_000_000, 0),
                result("nats-server", 1, "pub-only/16B", 1_000_000, 0),
                warmup("tern", 1, "pub-only/16B", 500_000, 1.5),
                warmup("tern", 2, "pub-only/16B", 700_000, 0.9),
                warmup("tern", 3, "pub-only/16B", 600_000, 1.2),
                warmup("nats-server", 1, "pub-only/16B", 1_200_000, 0.4)));
        Path markdown = dir.resolve("RESULTS.md");
        Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
                "--png", dir.resolve("results.png").toString()});
        assertThat(Files.readString(markdown))
                .contains("| pub-only/16B | 2,000,000 (2,000,000–2,000,000) | 1,000,000 (1,000,000–1,000,000) | 2.00 |")
                .contains("## First pass after start")
                .contains("| pub-only/16B | 1,000,000 | 600,000 (500,000–700,000) | 1,200,000 (1,200,000–1,200,000) | 0.50 "
                        + "| 1.20 (0.90–1.50) | 0.40 (0.40–0.40) | 3.00 |");
    }

    @Test
    void saysWhichTargetsAreMet(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                result("tern", 1, "pub-only/16B", 900_000, 0),
                result("nats-server", 1, "pub-only/16B", 1_000_000, 0),
                result("tern", 1, "queue-4/128B", 1_500_000, 0),
                result("nats-server", 1, "queue-4/128B", 1_000_000, 0),
                "{\"type\":\"result\",\"server\":\"tern\",\"round\":1,\"id\":\"reqrep/16B\",\"msgsPerSec\":10.0,"
                        + "\"lost\":0,\"dup\":2,\"ooo\":0,\"p50Us\":110.0,\"p90Us\":150.0,\"p99Us\":300.0,\"p999Us\":900.0}",
                "{\"type\":\"result\",\"server\":\"nats-server\",\"round\":1,\"id\":\"reqrep/16B\",\"msgsPerSec\":20.0,"
                        + "\"lost\":0,\"dup\":0,\"ooo\":0,\"p50Us\":100.0,\"p90Us\":75.0,\"p99Us\":100.0,\"p999Us\":300.0}",
                "{\"type\":\"server\",\"server\":\"tern\",\"round\":1,\"idleRssKb\":140000,\"cpuS\":1.5,\"benchExit\":0}",
                "{\"type\":\"server\",\"server\":\"tern\",\"round\":2,\"idleRssKb\":300000,\"cpuS\":1.5,\"benchExit\":0}"));
        Path markdown = dir.resolve("RESULTS.md");
        Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
                "--png", dir.resolve("results.png").toString(), "--targets"});
        assertThat(Files.readString(markdown))
                .contains("## Targets")
                .contains("| pub-only/16B throughput ratio | 0.90 | ≥ 1.00 | **no** |")
                .contains("| queue-4/128B throughput ratio | 1.50 | ≥ 1.00 | yes |")
                .contains("| fanout-1to4/16B throughput ratio | not measured | ≥ 1.00 | not measured |")
                .contains("| reqrep/16B p50 latency ratio | 1.10 | ≤ 1.20 | yes |")
                .contains("| reqrep/16B p99 latency ratio | 3.00 | ≤ 1.50 | **no** |")
                .contains("| lost + duplicated + reordered (Tern) | 2 | 0 | **no** |")
                .contains("| idle RSS after startup (Tern, highest round) | 293.0 MiB | < 256 MiB | **no** |")
                .contains("| peak RSS under load (Tern, highest round) | 10.0 MiB | < 512 MiB | yes |");
    }

    @Test
    void leavesTargetsOutUnlessAsked(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(result("tern", 1, "pub-only/16B", 900_000, 0)));
        Path markdown = dir.resolve("RESULTS.md");
        Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
                "--png", dir.resolve("results.png").toString()});
        assertThat(Files.readString(markdown)).doesNotContain("## Targets");
    }

    private static String warmup(String server, int round, String id, double msgsPerSec, double cpu) {
        return new JsonLine().put("type", "warmup").put("server", server).put("round", round).put("id", id)
                .put("messages", 1_000_000).put("msgsPerSec", msgsPerSec).put("serverCpuS", cpu).toString();
    }

    private static String result(String server, int round, String id, double msgsPerSec, long lost) {
        return new JsonLine().put("type", "result").put("server", server).put("round", round).put("id", id)
                .put("msgsPerSec", msgsPerSec).put("lost", lost).put("dup", 0).put("ooo", 0)
                .put("serverCpuS", 0.5).put("serverPeakRssKb", 10240).toString();
    }
}
