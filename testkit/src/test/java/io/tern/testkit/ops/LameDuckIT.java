package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tern.common.config.TernOptions;
import io.tern.testkit.EmbeddedTern;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lame duck mode: INFO with ldm to every client, no new clients, every client closed within the duration. */
@SuppressWarnings("try")
class LameDuckIT {

  @Test
  @Timeout(60)
  void clientsHearLameDuckNewOnesAreRefusedAndAllAreClosed() throws Exception {
    TernOptions options = new TernOptions().setHost("127.0.0.1").setPort(0).setHttpPort(-1)
        .setLameDuckGracePeriod(Duration.ofMillis(300)).setLameDuckDuration(Duration.ofSeconds(3));
    try (EmbeddedTern tern = EmbeddedTern.start(options)) {
      CountDownLatch lameDuck = new CountDownLatch(2);
      CountDownLatch closed = new CountDownLatch(2);
      ConnectionListener listener = (conn, event) -> {
        if (event == ConnectionListener.Events.LAME_DUCK) {
          lameDuck.countDown();
        } else if (event == ConnectionListener.Events.CLOSED) {
          closed.countDown();
        }
      };
      Options.Builder opts = new Options.Builder().server(tern.url()).connectionListener(listener)
          .connectionTimeout(Duration.ofSeconds(10)).noReconnect();
      try (Connection one = Nats.connect(opts.build()); Connection two = Nats.connect(opts.build());
           Socket raw = new Socket()) {
        raw.connect(new InetSocketAddress("127.0.0.1", tern.port()), 5000);
        raw.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = raw.getOutputStream();
        assertThat(in.readLine()).startsWith("INFO ").doesNotContain("\"ldm\"");
        out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo("PONG");

        var done = tern.server().lameDuck();

        String info = in.readLine();
        assertThat(info).startsWith("INFO ").contains("\"ldm\":true");
        assertThat(lameDuck.await(10, TimeUnit.SECONDS)).as("jnats saw LAME_DUCK").isTrue();
        assertThat(tern.server().state().lameDuck()).isTrue();
        assertThat(Http.json(tern.httpPort(), "/varz").getJsonObject("tern").getBoolean("lame_duck_mode")).isTrue();
        assertThat(refusesConnections(tern.port())).as("new connections refused").isTrue();

        assertThat(closed.await(10, TimeUnit.SECONDS)).as("both jnats connections closed").isTrue();
        // The server's first PING (at most 2s after connect, as nats-server's) may come before the close.
        String last = in.readLine();
        for (int i = 0; i < 5 && "PING".equals(last); i++) {
          last = in.readLine();
        }
        assertThat(last).as("the raw connection is closed too").isNull();
        done.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(one.getStatus()).isEqualTo(Connection.Status.CLOSED);
        assertThat(two.getStatus()).isEqualTo(Connection.Status.CLOSED);
        var reasons = Http.json(tern.httpPort(), "/connz?state=closed").getJsonArray("connections");
        assertThat(reasons).hasSize(3);
        assertThat(reasons.getJsonObject(0).getString("reason")).isEqualTo("Server Shutdown");
      }
    }
  }

  /** Whether a connect is refused; the listener closes asynchronously, so a few tries are allowed. */
  private static boolean refusesConnections(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Socket late = new Socket()) {
        late.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      } catch (ConnectException refused) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }
}
