package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.RawClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Known classes of broker security bugs, checked against Tern (monitoring and deviations are Tern's). */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityRegressionIT {

  @Test
  void aPlainDenyEntryAlsoDeniesQueueSubscriptionsWhateverQueueEntriesSay() {
    // nats-server 2.9.10 admits "SUB foo q0" here (the queue entry overrides the plain one); Tern does not.
    assumeTrue(Brokers.kind().equals("tern"));
    try (Broker broker = Brokers.start("authorization { users [{user: c, password: c, permissions: "
        + "{subscribe: {deny: [\">\", \"> q1\"]}}}] }");
         RawClient c = AuthClients.raw(broker, "\"user\":\"c\",\"pass\":\"c\"")) {
      c.send("SUB foo q0 1\r\n").expectErr("Permissions Violation for Subscription to \"foo\" using queue \"q0\"");
      c.send("SUB foo q1 2\r\n").expectErr("Permissions Violation for Subscription to \"foo\" using queue \"q1\"");
      c.send("SUB foo 3\r\n").expectErr("Permissions Violation for Subscription to \"foo\"");
      c.ping();
    }
  }

  @Test
  void credentialsNeverAppearInMonitoring() throws Exception {
    assumeTrue(Brokers.kind().equals("tern"));
    try (EmbeddedTern tern = EmbeddedTern.start("authorization { users [{user: alice, password: topsecret-pw}] }");
         Connection c = AuthClients.connect(tern, "alice", "topsecret-pw")) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (String path : new String[] {"/varz", "/connz"}) {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tern.httpPort() + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).doesNotContain("topsecret");
      }
      assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }
  }

  @Test
  void perAccountCountersCountEachAccountsTraffic() throws Exception {
    assumeTrue(Brokers.kind().equals("tern"));
    try (EmbeddedTern tern = EmbeddedTern.start("accounts { A { users [{user: a, password: a}] }, "
        + "B { users [{user: b, password: b}] } }");
         Connection a = AuthClients.connect(tern, "a", "a");
         Connection b = AuthClients.connect(tern, "b", "b")) {
      a.subscribe("x");
      a.flush(AuthClients.WAIT);
      for (int i = 0; i < 5; i++) {
        a.publish("x", new byte[10]);
      }
      b.publish("x", new byte[3]);
      a.flush(AuthClients.WAIT);
      b.flush(AuthClients.WAIT);
      var stats = tern.server().state().accountStatistics();
      assertThat(stats.get("A").connections()).isEqualTo(1);
      assertThat(stats.get("A").inMsgs()).isEqualTo(5);
      assertThat(stats.get("A").inBytes()).isEqualTo(50);
      assertThat(stats.get("A").subscriptions()).isEqualTo(1);
      assertThat(stats.get("B").inMsgs()).isEqualTo(1);
      assertThat(stats.get("B").outMsgs()).isZero();
      var counted = tern.server().auth().connectionsByAccount().toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      assertThat(counted).containsEntry("A", 1).containsEntry("B", 1);
    }
  }

  @Test
  void aThousandConnectionsThatNeverSendConnectAreClosedAtTheAuthTimeout() throws Exception {
    try (Broker broker = Brokers.start("authorization { user: u, password: p, timeout: 1 }")) {
      // Plain sockets, not RawClient (64 KiB of buffer each): embedded, the broker shares this JVM,
      // and its heap and direct memory should show what the idle connections cost the broker.
      java.net.Socket[] idle = new java.net.Socket[1000];
      try {
        boolean sameJvm = broker instanceof EmbeddedTern;
        long before = sameJvm ? usedMemoryAfterGc() : 0;
        for (int i = 0; i < idle.length; i++) {
          idle[i] = new java.net.Socket("127.0.0.1", broker.port());
          idle[i].setSoTimeout(10_000);
        }
        for (java.net.Socket s : idle) {
          assertThat(readLine(s)).startsWith("INFO {");
        }
        if (sameJvm) {
          long perConnection = (usedMemoryAfterGc() - before) / idle.length;
          System.out.printf("1000 connections awaiting CONNECT: about %d bytes of heap and direct memory each%n",
              perConnection);
          // about 10 KiB measured; an idle connection holds no read or write buffer of its own
          assertThat(perConnection).isLessThan(32 * 1024);
        }
        for (java.net.Socket s : idle) {
          assertThat(readLine(s)).isEqualTo("-ERR 'Authentication Timeout'");
          assertThat(s.getInputStream().read()).as("closed after the error").isEqualTo(-1);
        }
      } finally {
        for (java.net.Socket s : idle) {
          if (s != null) {
            s.close();
          }
        }
      }
    }
  }

  /** One protocol line, without its CRLF, read a byte at a time (no buffer kept per socket). */
  private static String readLine(java.net.Socket s) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    var in = s.getInputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new java.io.EOFException("closed after: " + line);
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** Heap plus direct buffer memory in use after a collection. */
  private static long usedMemoryAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (var pool : java.lang.management.ManagementFactory.getPlatformMXBeans(
        java.lang.management.BufferPoolMXBean.class)) {
      direct += pool.getMemoryUsed();
    }
    return heap + direct + Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
  }
}
