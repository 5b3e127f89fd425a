package io.tern.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/tern.jar ...} as a child process, its output in a file. */
final class TernProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("tern.jar", "target/tern.jar")).toAbsolutePath();

  private final Process process;
  private final Path output;

  private TernProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Runs tern with {@code args} to completion and returns exit code and output. */
  static Result run(Path dir, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "tern-run", ".log");
    // In the test's directory: a default JetStream store (data/jetstream) must not land in the module.
    Process p = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tern " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  record Result(int exitCode, String output) {}

  /** Starts tern with {@code args} and waits for "Server is ready" in its output (or in {@code logFile}). */
  static TernProcess start(Path dir, Path logFile, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "tern", ".out");
    Process p = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    TernProcess t = new TernProcess(p, out);
    Path watched = logFile == null ? out : logFile;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(watched) && Files.readString(watched).contains("Server is ready")) {
        return t;
      }
      if (!p.isAlive()) {
        throw new AssertionError("tern exited with " + p.exitValue() + ": " + Files.readString(out));
      }
      Thread.sleep(50);
    }
    t.close();
    throw new AssertionError("tern never became ready: " + Files.readString(out));
  }

  private static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  Process process() {
    return process;
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /** Waits for the process to exit; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("tern did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /**
   * A free loopback port below Linux's ephemeral range (32768 and up). A port the OS hands out for
   * port 0 is an ephemeral one, and the processes of a cluster test open many outbound connections
   * (Hazelcast, event bus) before they listen: one of those could take the chosen port first
   * ("Address already in use", seen in full builds).
   */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
