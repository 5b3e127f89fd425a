package io.tern.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A distributed-mode topology for tests: each service a separate {@code java -jar tern.jar}
 * process on loopback, started the way the containers start them, stopped by PID.
 */
final class ClusterProcesses implements AutoCloseable {

  /** One process of the topology. */
  record Node(String name, Process process, Path output, int clientPort, int clusterPort) {
    String url() {
      return "nats://" + hostPort();
    }

    String hostPort() {
      return "127.0.0.1:" + clientPort;
    }

    String log() {
      try {
        return Files.readString(output);
      } catch (IOException e) {
        return "";
      }
    }
  }

  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();

  ClusterProcesses(Path dir) {
    this.dir = dir;
  }

  /** Starts a process with {@code args} (no wait); its output goes to {@code <name>.log}. */
  Node start(String name, int clientPort, int clusterPort, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-jar", TernProcess.JAR.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".log");
    // Each process in its own directory: a stream service keeps its default store (data/jetstream) there.
    Path work = java.nio.file.Files.createDirectories(dir.resolve(name));
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    Node n = new Node(name, p, out, clientPort, clusterPort);
    nodes.add(n);
    return n;
  }

  /** Waits (bounded) until every started process logged "Server is ready". */
  void awaitReady(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Node n : nodes) {
      awaitReadyUntil(n, deadline);
    }
  }

  /** Waits (bounded) until {@code n} logged "Server is ready". */
  void awaitReady(Node n, long seconds) throws InterruptedException {
    awaitReadyUntil(n, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
  }

  private static void awaitReadyUntil(Node n, long deadline) throws InterruptedException {
    while (!n.log().contains("Server is ready")) {
      if (!n.process().isAlive()) {
        throw new AssertionError(n.name() + " exited: " + n.log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(n.name() + " never became ready: " + n.log());
      }
      Thread.sleep(100);
    }
  }

  /** kill -9. */
  void kill(Node n) throws InterruptedException {
    n.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  List<Node> nodes() {
    return nodes;
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      n.process().destroy();
    }
    for (Node n : nodes) {
      try {
        if (!n.process().waitFor(10, TimeUnit.SECONDS)) {
          n.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
