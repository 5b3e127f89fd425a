package io.tern.testkit.auth;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Helpers for the auth ITs: bounded jnats connections and raw clients that log in. */
final class AuthClients {
  static final Duration WAIT = Duration.ofSeconds(10);

  private AuthClients() {
  }

  static Connection connect(Broker broker, UnaryOperator<Options.Builder> customize)
      throws IOException, InterruptedException {
    Options.Builder b = new Options.Builder().server(broker.url()).connectionTimeout(WAIT).noReconnect()
        .errorListener(new io.nats.client.ErrorListener() { });
    return Nats.connect(customize.apply(b).build());
  }

  static Connection connect(Broker broker, String user, String pass) throws IOException, InterruptedException {
    return connect(broker, b -> b.userInfo(user, pass));
  }

  /** A raw client that has sent CONNECT (non-verbose) with {@code fields} and seen the PONG. */
  static RawClient raw(Broker broker, String fields) {
    RawClient c = RawClient.connect(broker);
    c.send("CONNECT {\"verbose\":false,\"pedantic\":false" + (fields.isEmpty() ? "" : "," + fields) + "}\r\nPING\r\n");
    c.expectLine("PONG");
    return c;
  }

  static String text(Message m) {
    return new String(m.getData(), StandardCharsets.UTF_8);
  }

  static Message next(Subscription sub) throws InterruptedException {
    Message m = sub.nextMessage(WAIT);
    if (m == null) {
      throw new AssertionError("no message on " + sub.getSubject());
    }
    return m;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
