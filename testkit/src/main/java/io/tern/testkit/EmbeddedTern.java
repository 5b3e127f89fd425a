package io.tern.testkit;

import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.tern.launcher.TernServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Tern with every service in this JVM, on free loopback ports, configured from NATS config text. */
public final class EmbeddedTern implements Broker {
  private final TernServer server;
  private final Path tempStore;

  private EmbeddedTern(TernServer server, Path tempStore) {
    this.server = server;
    this.tempStore = tempStore;
  }

  /** Starts Tern with {@code config} (NATS config text); the ports are chosen here. */
  public static EmbeddedTern start(String config) {
    TernOptions options = new TernOptions();
    if (config != null && !config.isBlank()) {
      ConfigLoader.apply(ConfigParser.parse(config, Path.of(".")), options);
    }
    return start(options.setHost("127.0.0.1").setPort(0).setHttpPort(-1));
  }

  /**
   * Starts Tern with {@code options} as they are, except that JetStream without a store directory
   * gets a fresh temporary one (removed on close), so tests never share or leave a store behind.
   */
  public static EmbeddedTern start(TernOptions options) {
    Path temp = null;
    if (options.getJetStream().isEnabled() && options.getJetStream().getStoreDir() == null) {
      try {
        temp = Files.createTempDirectory("tern-js");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      options.getJetStream().setStoreDir(temp);
    }
    try {
      return new EmbeddedTern(TernServer.start(options), temp);
    } catch (RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }

  /** Re-reads {@code config} as a fresh set of options and hands the auth service its accounts part. */
  @Override
  public void reload(String config) {
    TernOptions options = new TernOptions();
    if (config != null && !config.isBlank()) {
      ConfigLoader.apply(ConfigParser.parse(config, Path.of(".")), options);
    }
    // What start() chose stays, like command-line flags over a reloaded file.
    TernOptions running = server.state().options();
    options.setHost(running.getHost()).setPort(running.getPort()).setHttpPort(running.getHttpPort());
    if (options.getJetStream().getStoreDir() == null) {
      options.getJetStream().setStoreDir(running.getJetStream().getStoreDir());
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

  /** The WebSocket port, or 0 when the config has no {@code websocket} block. */
  public int webSocketPort() {
    return server.webSocketPort();
  }

  /** The monitoring port. */
  @Override
  public int httpPort() {
    return server.httpPort();
  }

  @Override
  public void close() {
    server.close();
    deleteTree(tempStore);
  }
}
