package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference for {@link StreamClusterIT}'s dead-node test: three clustered nats-server 2.9.10
 * nodes with JetStream, R1 streams, and what the API says once the server holding some is killed.
 * Tern agrees on NAMES (offline streams still listed), LIST ({@code missing}) and INFO (counts
 * them); it differs on purpose for STREAM.INFO, where nats-server does not
 * answer at all and Tern answers 503/10008 at once.
 */
class NatsServerStreamClusterReferenceIT {
  private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");

  @TempDir
  Path dir;
  private final Map<String, Process> started = new HashMap<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : started.values()) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(120)
  void offlineStreamsAreStillNamedListedAsMissingAndTheirInfoGetsNoAnswer() throws Exception {
    assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
    int[] client = new int[3];
    int[] cluster = new int[3];
    for (int i = 0; i < 3; i++) {
      client[i] = TernProcess.freePort();
      cluster[i] = TernProcess.freePort();
    }
    StringBuilder routes = new StringBuilder();
    for (int c : cluster) {
      routes.append(routes.length() == 0 ? "" : ", ").append("\"nats-route://127.0.0.1:").append(c).append('"');
    }
    for (int i = 0; i < 3; i++) {
      String name = "n" + i;
      Path conf = dir.resolve(name + ".conf");
      Files.writeString(conf, "server_name: " + name + "\nport: " + client[i] + "\n"
          + "jetstream { store_dir: \"" + dir.resolve("store-" + name) + "\" }\n"
          + "cluster { name: ref, listen: \"127.0.0.1:" + cluster[i] + "\", routes: [" + routes + "] }\n");
      started.put(name, new ProcessBuilder(NATS_SERVER.toString(), "-c", conf.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }
    long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int i = 0; i < 3; i++) {
      Path log = dir.resolve("n" + i + ".log");
      while (!Files.exists(log) || !Files.readString(log).contains("Server is ready")) {
        assertThat(System.nanoTime()).as("n" + i + " ready").isLessThan(ready);
        Thread.sleep(50);
      }
    }
    Map<String, String> leaders = new HashMap<>();
    try (Connection c = ClusterIT.connect("nats://127.0.0.1:" + client[0], "nats://127.0.0.1:" + client[1],
        "nats://127.0.0.1:" + client[2])) {
      JetStreamManagement jsm = c.jetStreamManagement();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < 4; i++) {
        while (true) {
          try {
            var info = jsm.addStream(StreamConfiguration.builder().name("S" + i).subjects("t" + i + ".>").build());
            leaders.put("S" + i, info.getClusterInfo().getLeader());
            break;
          } catch (Exception metaLeaderNotYetElected) {
            assertThat(System.nanoTime()).as("JetStream cluster up").isLessThan(deadline);
            Thread.sleep(500);
          }
        }
      }
    }
    String victim = leaders.get("S0");
    Set<String> down = new TreeSet<>();
    leaders.forEach((s, l) -> {
      if (l.equals(victim)) {
        down.add(s);
      }
    });
    started.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    int survivor = victim.equals("n0") ? client[1] : client[0];
    try (Connection c = ClusterIT.connect("nats://127.0.0.1:" + survivor)) {
      JetStreamManagement jsm = c.jetStreamManagement();
      // The killed server may have been the meta leader: the API answers after a new one is elected.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      List<String> names = null;
      while (names == null) {
        try {
          names = jsm.getStreamNames();
        } catch (java.io.IOException noMetaLeaderYet) {
          assertThat(System.nanoTime()).as("a new meta leader").isLessThan(deadline);
        }
      }
      assertThat(new TreeSet<>(names)).containsExactly("S0", "S1", "S2", "S3");
      JsonObject list = request(c, "$JS.API.STREAM.LIST", "{}");
      assertThat(list.getInteger("total")).isEqualTo(4);
      assertThat(list.getJsonArray("streams")).hasSize(4 - down.size());
      assertThat(new TreeSet<>(list.getJsonArray("missing").getList())).isEqualTo(down);
      assertThat(request(c, "$JS.API.INFO", "").getInteger("streams")).isEqualTo(4);
      Message info = c.request("$JS.API.STREAM.INFO.S0", new byte[0], Duration.ofSeconds(5));
      assertThat(info).as("nats-server answers STREAM.INFO of an offline R1 stream").isNull();
    }
    assertThat(List.copyOf(down)).isNotEmpty();
  }

  private static JsonObject request(Connection c, String subject, String body) throws Exception {
    Message m = c.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    assertThat(m).as("answer to %s", subject).isNotNull();
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }
}
