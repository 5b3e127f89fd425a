package io.tern.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker for all tests of a class, started before the first and closed after the last:
 * {@code @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();}.
 * Which broker is {@link Brokers#kind()}'s choice.
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final String config;
  private Broker broker;

  /** A broker with default settings. */
  public BrokerExtension() {
    this("");
  }

  /** A broker started with NATS config text. */
  public BrokerExtension(String config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = Brokers.start(config);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** The running broker. */
  public Broker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker runs only while the test class runs");
    }
    return broker;
  }
}
