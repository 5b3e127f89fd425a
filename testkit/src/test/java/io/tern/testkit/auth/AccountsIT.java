package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Accounts: isolated subject spaces, stream and service imports/exports, limits, cycles refused. */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountsIT {

  private static final String CONFIG = """
      accounts {
        A {
          users [{user: a, password: a}]
          exports [{stream: "public.>"}, {service: "svc.>"}, {stream: "private.>", accounts: [C]}]
        }
        B {
          users [{user: b, password: b}]
          imports [
            {stream: {account: A, subject: "public.>"}, prefix: "from_a"}
            {service: {account: A, subject: "svc.time"}, to: "time"}
          ]
        }
        C {
          users [{user: c, password: c}]
          imports [{stream: {account: A, subject: "private.>"}}, {service: {account: A, subject: "svc.>"}}]
        }
        L {
          users [{user: l, password: l}]
          limits {max_connections: 1, max_payload: 10}
        }
      }
      """;

  @Test
  void aSubjectPublishedInOneAccountIsNeverSeenInAnother() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b");
         Connection b2 = AuthClients.connect(broker, o -> o.userInfo("b", "b").connectionName("x"))) {
      Subscription inA = a.subscribe("x.>");
      Subscription inB = b.subscribe("x.>");
      a.flush(AuthClients.WAIT);
      b.flush(AuthClients.WAIT);
      b2.publish("x.1", AuthClients.utf8("b"));
      a.publish("x.1", AuthClients.utf8("a"));
      a.flush(AuthClients.WAIT);
      b2.flush(AuthClients.WAIT);
      assertThat(AuthClients.text(AuthClients.next(inA))).isEqualTo("a");
      assertThat(AuthClients.text(AuthClients.next(inB))).isEqualTo("b");
      assertThat(inA.nextMessage(Duration.ofMillis(300))).isNull();
      assertThat(inB.nextMessage(Duration.ofMillis(100))).isNull();
    }
  }

  @Test
  void streamImportsCopyMessagesUnderThePrefix() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b");
         Connection c = AuthClients.connect(broker, "c", "c")) {
      Subscription inB = b.subscribe(">");
      Subscription inC = c.subscribe("private.*");
      b.flush(AuthClients.WAIT);
      c.flush(AuthClients.WAIT);
      a.publish("public.news", AuthClients.utf8("n"));
      a.publish("private.x", AuthClients.utf8("p"));
      a.flush(AuthClients.WAIT);
      Message m = AuthClients.next(inB);
      assertThat(m.getSubject()).isEqualTo("from_a.public.news");
      assertThat(AuthClients.text(m)).isEqualTo("n");
      assertThat(AuthClients.next(inC).getSubject()).isEqualTo("private.x");
      assertThat(inB.nextMessage(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  void serviceImportsCarryRequestsAndTheirRepliesAcrossAccounts() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b");
         Connection c = AuthClients.connect(broker, "c", "c")) {
      Dispatcher d = a.createDispatcher(msg -> a.publish(msg.getReplyTo(),
          AuthClients.utf8(msg.getSubject() + ":" + AuthClients.text(msg))));
      d.subscribe("svc.>");
      a.flush(AuthClients.WAIT);
      Message fromB = b.request("time", AuthClients.utf8("q1"), AuthClients.WAIT);
      assertThat(AuthClients.text(fromB)).isEqualTo("svc.time:q1");
      Message fromC = c.request("svc.echo", AuthClients.utf8("q2"), AuthClients.WAIT);
      assertThat(AuthClients.text(fromC)).isEqualTo("svc.echo:q2");
      // B imported only svc.time: other service subjects stay in B's own space.
      try (RawClient raw = AuthClients.raw(broker, "\"user\":\"b\",\"pass\":\"b\",\"headers\":true,\"no_responders\":true")) {
        raw.send("SUB inbox 1\r\nPUB svc.echo inbox 1\r\nx\r\n");
        assertThat(raw.readMsg().headersText()).startsWith("NATS/1.0 503");
      }
    }
  }

  @Test
  void accountLimitsUseNatsServersTexts() {
    try (Broker broker = Brokers.start(CONFIG); RawClient first = AuthClients.raw(broker, "\"user\":\"l\",\"pass\":\"l\"")) {
      try (RawClient second = RawClient.connect(broker)) {
        second.send("CONNECT {\"user\":\"l\",\"pass\":\"l\"}\r\n")
            .expectErr("maximum account active connections exceeded").expectClosed();
      }
      first.send("PUB big 11\r\n01234567890\r\n").expectErr("Maximum Payload Violation").expectClosed();
    }
  }

  @Test
  void aConnectCannotPickAnAccountItIsNotGiven() {
    try (Broker broker = Brokers.start(CONFIG); RawClient b = RawClient.connect(broker)) {
      b.send("CONNECT {\"user\":\"b\",\"pass\":\"b\",\"account\":\"A\"}\r\n")
          .expectErr("Authorization Violation").expectClosed();
    }
  }

  @Test
  void importCyclesAreRefusedWhenTheConfigLoads() {
    String services = """
        accounts {
          A { exports [{service: "q"}], imports [{service: {account: B, subject: "q"}}] }
          B { exports [{service: "q"}], imports [{service: {account: A, subject: "q"}}] }
        }
        """;
    assertThatThrownBy(() -> Brokers.start(services).close()).hasMessageContaining("import forms a cycle");
    String streams = """
        accounts {
          A { exports [{stream: "s.>"}], imports [{stream: {account: B, subject: "s.>"}}] }
          B { exports [{stream: "s.>"}], imports [{stream: {account: A, subject: "s.>"}}] }
        }
        """;
    assertThatThrownBy(() -> Brokers.start(streams).close()).hasMessageContaining("import forms a cycle");
  }
}
