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
  void aThousandConnectionsThatNeverSendConnectAreClosedAtTheAuthTimeout() {
    try (Broker broker = Brokers.start("authorization { user: u, password: p, timeout: 1 }")) {
      RawClient[] idle = new RawClient[1000];
      try {
        for (int i = 0; i < idle.length; i++) {
          idle[i] = RawClient.open("127.0.0.1", broker.port());
        }
        for (RawClient c : idle) {
          c.timeout(Duration.ofSeconds(10));
          c.readInfo();
          c.expectErr("Authentication Timeout").expectClosed();
        }
      } finally {
        for (RawClient c : idle) {
          if (c != null) {
            c.close();
          }
        }
      }
    }
  }
}
