package io.tern.testkit.jetstream;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.nio.file.Path;
import java.time.Duration;

/** The chosen broker (Tern or nats-server) with JetStream on a test's store directory. */
final class JsBroker {
  private JsBroker() {
  }

  /** NATS config text enabling JetStream with its store in {@code dir}. */
  static String config(Path dir) {
    return "jetstream { store_dir: \"" + dir.toAbsolutePath() + "\" }\n";
  }

  static Broker start(Path dir) {
    return Brokers.start(config(dir));
  }

  static Connection connect(Broker broker) throws Exception {
    return Nats.connect(new Options.Builder().server(broker.url()).noReconnect()
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }
}
