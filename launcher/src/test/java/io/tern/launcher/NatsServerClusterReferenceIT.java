package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference for {@link ClusterIT}'s lame duck test: two clustered nats-server 2.9.10 nodes, and
 * the INFO lines their clients get when one enters lame duck mode. The same assertions hold for Tern
 * gateways.
 */
class NatsServerClusterReferenceIT {
  private static final Path NATS_SERVER = Path.of("/usr/sbin/nats-server");

  @TempDir
  Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int[] node(String name, int routeTo) throws Exception {
    int client = TernProcess.freePort();
    int cluster = TernProcess.freePort();
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, "port: " + client + "\nclient_advertise: \"127.0.0.1:" + client + "\"\n"
        + "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n"
        + "cluster { name: ref, listen: \"127.0.0.1:" + cluster + "\""
        + (routeTo > 0 ? ", routes: [\"nats-route://127.0.0.1:" + routeTo + "\"]" : "") + " }\n");
    Process p = new ProcessBuilder(NATS_SERVER.toString(), "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.readString(dir.resolve(name + ".log")).contains("Server is ready")) {
      assertThat(System.nanoTime()).as(name + " ready").isLessThan(deadline);
      Thread.sleep(100);
    }
    return new int[] {client, cluster};
  }

  @Test
  @Timeout(90)
  void lameDuckInfoListsTheOthersAndTheOthersDropTheLeavingServer() throws Exception {
    assumeTrue(Files.isExecutable(NATS_SERVER), "Debian's nats-server is not installed");
    int[] a = node("A", 0);
    int[] b = node("B", a[1]);
    String urlA = "127.0.0.1:" + a[0];
    String urlB = "127.0.0.1:" + b[0];
    try (InfoReader onA = new InfoReader(a[0]); InfoReader onB = new InfoReader(b[0])) {
      onA.awaitInfo(urls -> urls.contains(urlB), 30);
      onB.awaitInfo(urls -> urls.contains(urlA), 30);
      Process signal = new ProcessBuilder(NATS_SERVER.toString(), "--signal", "ldm=" + started.get(0).pid())
          .inheritIO().start();
      assertThat(signal.waitFor(10, TimeUnit.SECONDS)).isTrue();
      JsonObject ldm = onA.awaitInfo(urls -> !urls.contains(urlA), 20);
      assertThat(ldm.getJsonArray("connect_urls").getList()).containsExactly(urlB);
      assertThat(ldm.getBoolean("ldm")).isTrue();
      JsonObject other = onB.awaitInfo(urls -> !urls.contains(urlA), 20);
      assertThat(other.getJsonArray("connect_urls").getList()).containsExactly(urlB);
      assertThat(other.containsKey("ldm")).isFalse();
    }
  }
}
