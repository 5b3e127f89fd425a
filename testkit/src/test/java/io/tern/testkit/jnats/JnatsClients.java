package io.tern.testkit.jnats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Small helpers shared by the jnats integration tests: bounded connections and message reading. */
final class JnatsClients {

  /** Upper bound for any single wait on the broker; generous, only hit when something is broken. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private JnatsClients() {
  }

  /** A jnats connection to {@code broker} with bounded timeouts and no reconnects. */
  static Connection connect(Broker broker) throws IOException, InterruptedException {
    return connect(broker, UnaryOperator.identity());
  }

  /** As {@link #connect(Broker)}, with extra options applied by {@code customize}. */
  static Connection connect(Broker broker, UnaryOperator<Options.Builder> customize)
      throws IOException, InterruptedException {
    Options.Builder builder = new Options.Builder()
        .server(broker.url())
        .connectionTimeout(WAIT)
        // A test must see a broken connection, not a silent reconnect that hides it.
        .noReconnect();
    return Nats.connect(customize.apply(builder).build());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(Message message) {
    return new String(message.getData(), StandardCharsets.UTF_8);
  }

  /** The next message, failing the test instead of returning null when none arrives in time. */
  static Message next(Subscription sub) throws InterruptedException {
    Message message = sub.nextMessage(WAIT);
    if (message == null) {
      throw new AssertionError("no message on " + sub.getSubject() + " within " + WAIT);
    }
    return message;
  }

  /**
   * Subjects of the messages on {@code sub} up to (excluding) the first one on {@code fence}. A
   * fence published last by the same connection arrives after everything that connection published
   * earlier, so what was collected is everything that subscription was given.
   */
  static List<String> subjectsUntil(Subscription sub, String fence) throws InterruptedException {
    List<String> subjects = new ArrayList<>();
    for (int guard = 0; guard < 10_000; guard++) {
      Message message = next(sub);
      if (message.getSubject().equals(fence)) {
        return subjects;
      }
      subjects.add(message.getSubject());
    }
    throw new AssertionError("fence " + fence + " never arrived on " + sub.getSubject());
  }
}
