package io.tern.testkit.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.tern.testkit.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JetStream test's fixture: the chosen broker (Tern or nats-server) with JetStream on a fresh
 * store per test, and one jnats connection with its JetStream contexts.
 */
abstract class JetStreamClientTest {

  @TempDir
  Path store;
  Broker broker;
  Connection nc;
  JetStreamManagement jsm;
  JetStream js;

  @BeforeEach
  void start() throws Exception {
    broker = JsBroker.start(store);
    nc = JsBroker.connect(broker);
    jsm = nc.jetStreamManagement();
    js = nc.jetStream();
  }

  @AfterEach
  void stop() throws Exception {
    if (nc != null) {
      nc.close();
    }
    broker.close();
  }

  /** The JetStream API error code of a failed call. */
  static int apiError(Throwable t) {
    return ((JetStreamApiException) t).getApiErrorCode();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
