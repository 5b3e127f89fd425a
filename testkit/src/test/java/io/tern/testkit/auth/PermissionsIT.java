package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publish/subscribe permissions with nats-server's exact texts; the connection always stays open. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PermissionsIT {

  private static final String CONFIG = """
      authorization {
        default_permissions { publish: "def.>" }
        users [
          {user: c, password: c, permissions: {
            publish: {deny: "x.>"},
            subscribe: {allow: ["foo.>", "q.> g1"], deny: ["foo.bar"]}}}
          {user: list, password: list, permissions: {publish: ["a", "b.*"], subscribe: "in.>"}}
          {user: d, password: d}
          {user: qd, password: qd, permissions: {subscribe: {deny: ["work.* bad"]}}}
          {user: svc, password: svc, permissions: {subscribe: "req", allow_responses: {max: 2}}}
          {user: any, password: any, permissions: {}}
        ]
      }
      """;

  @Test
  void denyListsAllowListsAndQueueEntries() {
    try (Broker broker = Brokers.start(CONFIG); RawClient c = AuthClients.raw(broker, "\"user\":\"c\",\"pass\":\"c\"")) {
      c.send("PUB x.y 1\r\nx\r\n").expectErr("Permissions Violation for Publish to \"x.y\"");
      c.send("SUB foo.bar 1\r\n").expectErr("Permissions Violation for Subscription to \"foo.bar\"");
      c.send("SUB q.x 3\r\n").expectErr("Permissions Violation for Subscription to \"q.x\"");
      c.send("SUB q.x g2 5\r\n").expectErr("Permissions Violation for Subscription to \"q.x\" using queue \"g2\"");
      c.send("SUB bar 9\r\n").expectErr("Permissions Violation for Subscription to \"bar\"");
      // Allowed: a wildcard under foo.>, the listed queue, any queue on a plain allow entry.
      c.send("SUB foo.* 2\r\nSUB q.x g1 4\r\nSUB foo.baz g7 6\r\nPING\r\n").expectLine("PONG");
      c.send("PUB q.x 2\r\nhi\r\n").expectMsg("q.x", "4", null, "hi");
      c.send("PUB ok 1\r\nk\r\nPING\r\n").expectLine("PONG");
    }
  }

  @Test
  void deniedSubjectsNeverArriveThroughAnOverlappingWildcardOrQueue() {
    try (Broker broker = Brokers.start(CONFIG);
         RawClient c = AuthClients.raw(broker, "\"user\":\"c\",\"pass\":\"c\"");
         RawClient pub = AuthClients.raw(broker, "\"user\":\"any\",\"pass\":\"any\"")) {
      c.send("SUB foo.* 1\r\nSUB foo.> g 2\r\nPING\r\n").expectLine("PONG");
      pub.send("PUB foo.bar 6\r\nsecret\r\nPUB foo.baz 2\r\nok\r\nPING\r\n").expectLine("PONG");
      assertThat(c.readMsg().payloadText()).isEqualTo("ok");
      assertThat(c.readMsg().payloadText()).isEqualTo("ok");
      c.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void queueSpecificDenyAndListForms() {
    try (Broker broker = Brokers.start(CONFIG)) {
      try (RawClient q = AuthClients.raw(broker, "\"user\":\"qd\",\"pass\":\"qd\"")) {
        q.send("SUB work.a bad 1\r\n").expectErr("Permissions Violation for Subscription to \"work.a\" using queue \"bad\"");
        q.send("SUB work.a good 2\r\nSUB work.a 3\r\nPING\r\n").expectLine("PONG");
      }
      try (RawClient l = AuthClients.raw(broker, "\"user\":\"list\",\"pass\":\"list\"")) {
        l.send("PUB b.c 0\r\n\r\nPUB a 0\r\n\r\nPUB c 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"c\"");
        l.send("PUB b.c.d 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"b.c.d\"");
        l.send("SUB in.> 1\r\nSUB >  2\r\n").expectErr("Permissions Violation for Subscription to \">\"");
        l.ping();
      }
    }
  }

  @Test
  void defaultPermissionsApplyToUsersWithoutTheirOwn() {
    try (Broker broker = Brokers.start(CONFIG); RawClient d = AuthClients.raw(broker, "\"user\":\"d\",\"pass\":\"d\"")) {
      d.send("PUB def.x 0\r\n\r\nPUB other 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"other\"");
      d.ping();
    }
  }

  @Test
  void allowResponsesMakesReplySubjectsPublishableUpToMax() {
    try (Broker broker = Brokers.start(CONFIG);
         RawClient svc = AuthClients.raw(broker, "\"user\":\"svc\",\"pass\":\"svc\"");
         RawClient client = AuthClients.raw(broker, "\"user\":\"any\",\"pass\":\"any\"")) {
      svc.send("PUB elsewhere 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"elsewhere\"");
      svc.send("SUB req 1\r\nPING\r\n").expectLine("PONG");
      client.send("SUB inbox.1 9\r\nPUB req inbox.1 1\r\n?\r\nPING\r\n").expectLine("PONG");
      svc.expectMsg("req", "1", "inbox.1", "?");
      svc.send("PUB inbox.1 1\r\n1\r\nPUB inbox.1 1\r\n2\r\nPUB inbox.1 1\r\n3\r\n")
          .expectErr("Permissions Violation for Publish to \"inbox.1\"");
      svc.ping();
      client.expectMsg("inbox.1", "9", null, "1");
      client.expectMsg("inbox.1", "9", null, "2");
      client.send("PING\r\n").expectLine("PONG");
      client.expectNothing(Duration.ofMillis(200));
    }
  }
}
