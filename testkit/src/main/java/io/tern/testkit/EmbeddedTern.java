package io.tern.testkit;

import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.tern.launcher.TernServer;
import java.nio.file.Path;

/** Tern with every service in this JVM, on free loopback ports, configured from NATS config text. */
public final class EmbeddedTern implements Broker {
  private final TernServer server;

  private EmbeddedTern(TernServer server) {
    this.server = server;
  }

  /** Starts Tern with {@code config} (NATS config text); the ports are chosen here. */
  public static EmbeddedTern start(String config) {
    TernOptions options = new TernOptions();
    if (config != null && !config.isBlank()) {
      ConfigLoader.apply(ConfigParser.parse(config, Path.of(".")), options);
    }
    return start(options.setHost("127.0.0.1").setPort(0).setHttpPort(-1));
  }

  /** Starts Tern with {@code options} as they are. */
  public static EmbeddedTern start(TernOptions options) {
    return new EmbeddedTern(TernServer.start(options));
  }

  /** Re-reads {@code config} as a fresh set of options and hands the auth service its accounts part. */
  @Override
  public void reload(String config) {
    TernOptions options = new TernOptions();
    if (config != null && !config.isBlank()) {
      ConfigLoader.apply(ConfigParser.parse(config, Path.of(".")), options);
    }
    server.reload(options);
  }

  public TernServer server() {
    return server;
  }

  @Override
  public String name() {
    return "tern";
  }

  @Override
  public int port() {
    return server.clientPort();
  }

  /** The monitoring port. */
  public int httpPort() {
    return server.httpPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
