package io.tern.testkit.auth;

import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A config reload applies to open connections: new permissions (subscriptions they deny are
 * removed), removed users disconnected without a message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadIT {

  private static final String BEFORE = """
      authorization { users [
        {user: a, password: a}
        {user: gone, password: gone}
      ] }
      """;
  private static final String AFTER = """
      authorization { users [
        {user: a, password: a, permissions: {publish: {deny: "secret"}, subscribe: {deny: "private.>"}}}
      ] }
      """;

  @Test
  void permissionsChangeAndRemovedUsersAreDisconnected() {
    try (Broker broker = Brokers.start(BEFORE);
         RawClient a = AuthClients.raw(broker, "\"user\":\"a\",\"pass\":\"a\"");
         RawClient gone = AuthClients.raw(broker, "\"user\":\"gone\",\"pass\":\"gone\"")) {
      a.send("SUB private.x 1\r\nSUB open 2\r\nPUB secret 0\r\n\r\nPING\r\n").expectLine("PONG");
      broker.reload(AFTER);
      gone.timeout(Duration.ofSeconds(5)).expectClosed();
      a.expectErr("Permissions Violation for Subscription to \"private.x\" (sid \"1\")");
      a.send("PUB secret 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"secret\"");
      a.send("PUB open 1\r\nx\r\n").expectMsg("open", "2", null, "x");
      a.send("SUB private.y 3\r\n").expectErr("Permissions Violation for Subscription to \"private.y\"");
      a.ping();
    }
  }
}
