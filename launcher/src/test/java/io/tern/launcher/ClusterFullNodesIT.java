package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three full Tern processes (every service in each), each given a nats-server style
 * {@code cluster} block that lists all three as routes, form one system.
 */
class ClusterFullNodesIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(150)
  void threeFullProcessesWithClusterBlocksFormOneSystem() throws Exception {
    int[] client = {TernProcess.freePort(), TernProcess.freePort(), TernProcess.freePort()};
    int[] route = {TernProcess.freePort(), TernProcess.freePort(), TernProcess.freePort()};
    StringBuilder routes = new StringBuilder();
    for (int r : route) {
      routes.append("    nats-route://127.0.0.1:").append(r).append('\n');
    }
    try (ClusterProcesses cluster = new ClusterProcesses(dir)) {
      ClusterProcesses.Node[] nodes = new ClusterProcesses.Node[3];
      for (int i = 0; i < 3; i++) {
        Path conf = dir.resolve("n" + i + ".conf");
        Files.writeString(conf, """
            host: 127.0.0.1
            port: %d
            http_port: 0
            server_name: n%d
            cluster {
              name: full-%d
              listen: 127.0.0.1:%d
              routes: [
            %s  ]
            }
            """.formatted(client[i], i, route[0], route[i], routes));
        nodes[i] = cluster.start("n" + i, client[i], route[i], "-c", conf.toString());
        if (i == 0) {
          // The seed alone first, so that the others join it rather than forming clusters of their own.
          cluster.awaitReady(90);
        }
      }
      cluster.awaitReady(90);
      ClusterIT.awaitFlowing(nodes[0], nodes[2], 60);
      ClusterIT.awaitFlowing(nodes[2], nodes[1], 60);
      try (Connection a = ClusterIT.connect(nodes[0].url()); Connection b = ClusterIT.connect(nodes[1].url());
          Connection c = ClusterIT.connect(nodes[2].url())) {
        // Request/reply over three processes: requester on n0, responder on n1, observer on n2.
        b.createDispatcher(m -> b.publish(m.getReplyTo(), ("re:" + new String(m.getData(), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8))).subscribe("svc.echo", "echoers");
        Subscription observer = c.subscribe("svc.>");
        b.flush(Duration.ofSeconds(10));
        c.flush(Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
          Message reply = a.request("svc.echo", ("r" + i).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
          assertThat(reply).as("reply %d", i).isNotNull();
          assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("re:r" + i);
          Message seen = observer.nextMessage(Duration.ofSeconds(5));
          assertThat(seen).isNotNull();
          assertThat(seen.getSubject()).isEqualTo("svc.echo");
        }
        assertThat(a.getServers()).contains(nodes[1].url(), nodes[2].url());
      }
      assertThat(nodes[0].log()).contains("Cluster members: 3");
    }
  }
}
