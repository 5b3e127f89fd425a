package io.tern.testkit.jetstream;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Tern's launcher as a child JVM on the test's class path, for tests that kill -9 the broker. */
final class ChildTern {
  private ChildTern() {
  }

  /** Starts Tern with JetStream on {@code store}, its output in {@code log}; returns once it is ready. */
  static Process start(Path store, int port, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.tern.launcher.Main", "-a", "127.0.0.1", "-p", Integer.toString(port), "-m", "0",
        "-js", "-sd", store.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("Server is ready")) {
        return p;
      }
      if (!p.isAlive()) {
        throw new IOException("tern exited: " + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException(e);
      }
    }
    p.destroyForcibly();
    throw new IOException("tern did not start: " + Files.readString(log));
  }

  /** A jnats connection that does not reconnect: the test sees the kill. */
  static Connection connect(int port) throws Exception {
    return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).noReconnect()
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }
}
