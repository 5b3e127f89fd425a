package io.tern.testkit;

/**
 * A broker under test on loopback: Tern in this JVM, or Debian's nats-server as a child process.
 * Differential tests run one scenario against both.
 */
public interface Broker extends AutoCloseable {

  /** Which server this is, for test names and messages. */
  String name();

  /** The client port on 127.0.0.1. */
  int port();

  /** {@code nats://127.0.0.1:<port>}. */
  default String url() {
    return "nats://127.0.0.1:" + port();
  }

  /** The monitoring HTTP port on 127.0.0.1, or 0 when this broker runs without monitoring. */
  default int httpPort() {
    return 0;
  }

  /**
   * Applies new NATS config text without restarting (nats-server: config reload), keeping the
   * port and connections. Returns once the broker has taken it in.
   */
  default void reload(String config) {
    throw new UnsupportedOperationException(name() + " cannot reload");
  }

  @Override
  void close();
}
