package io.tern.testkit;

/**
 * Starts the broker a test runs against. The system property {@code tern.broker} picks it:
 * {@code tern} (the default: Tern embedded in this JVM) or {@code nats-server} (Debian's reference
 * server), so every integration test can be checked against the reference too.
 */
public final class Brokers {
  private Brokers() {
  }

  /** The broker kind chosen for this run. */
  public static String kind() {
    return System.getProperty("tern.broker", "tern");
  }

  /** Starts the chosen broker with NATS-format config text (may be empty). */
  public static Broker start(String config) {
    return switch (kind()) {
      case "nats-server" -> ReferenceServer.start(config);
      case "tern" -> EmbeddedTern.start(config);
      default -> throw new IllegalArgumentException("tern.broker must be tern or nats-server: " + kind());
    };
  }

  /** As {@link #start(String)}, with monitoring on a free loopback port ({@link Broker#httpPort()}). */
  public static Broker startWithMonitoring(String config) {
    return switch (kind()) {
      case "nats-server" -> ReferenceServer.startWithMonitoring(config);
      case "tern" -> EmbeddedTern.start(config);
      default -> throw new IllegalArgumentException("tern.broker must be tern or nats-server: " + kind());
    };
  }

  /** Starts the chosen broker with default settings. */
  public static Broker start() {
    return start("");
  }
}
