package io.tern.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code nats-server} (2.9.10) as a child process on a free loopback port: the oracle for
 * differential tests. It is given the same NATS-format config text Tern is given.
 */
public final class ReferenceServer implements Broker {

  /** Where Debian's package installs the binary. */
  public static final Path BINARY = Path.of("/usr/sbin/nats-server");

  private final Process process;
  private final int port;
  private final Path dir;
  private int httpPort;

  private ReferenceServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Whether the reference server is installed on this machine. */
  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts nats-server with {@code config} (NATS config text, may be empty). The client port and
   * the listen address are chosen here and override any in the config.
   */
  public static ReferenceServer start(String config) {
    return start(config, 0);
  }

  /** As {@link #start(String)}, with the monitoring HTTP port on a free loopback port too. */
  public static ReferenceServer startWithMonitoring(String config) {
    return start(config, FreePort.find());
  }

  private static ReferenceServer start(String config, int httpPort) {
    try {
      Path dir = Files.createTempDirectory("nats-ref");
      Path conf = dir.resolve("nats.conf");
      Files.writeString(conf, config == null ? "" : config);
      int port = FreePort.find();
      List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-c", conf.toString(),
          "-a", "127.0.0.1", "-p", Integer.toString(port)));
      if (httpPort > 0) {
        cmd.addAll(List.of("-m", Integer.toString(httpPort)));
      }
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("nats.log").toFile())
          .start();
      ReferenceServer server = new ReferenceServer(p, port, dir);
      server.httpPort = httpPort;
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for nats-server to log that it is ready. This deliberately does not probe the port: a
   * probe connection can still occupy a slot when a test with {@code max_connections: 1} connects.
   */
  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String log = log();
      if (log.contains("Server is ready")) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException("nats-server exited: " + log);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    String log = log();
    close();
    throw new IOException("nats-server did not become ready on " + port + ": " + log);
  }

  /** The monitoring port, or 0 when started without monitoring. */
  @Override
  public int httpPort() {
    return httpPort;
  }

  /** Rewrites the config file and signals nats-server to reload it; waits for its log line. */
  @Override
  public void reload(String config) {
    try {
      int before = log().split("Reloaded server configuration", -1).length;
      Files.writeString(dir.resolve("nats.conf"), config == null ? "" : config);
      Process signal = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
      signal.waitFor(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log().split("Reloaded server configuration", -1).length == before) {
        if (System.nanoTime() > deadline) {
          throw new IOException("nats-server did not reload: " + log());
        }
        Thread.sleep(10);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "nats-server";
  }

  @Override
  public int port() {
    return port;
  }

  /** The server's log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("nats.log"));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteDir();
  }

  /** Removes the config and log; every scenario starts a server, so they would pile up in /tmp. */
  private void deleteDir() {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // leftover temp files are harmless
    }
  }
}
