package io.tern.testkit.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Node scripts under {@code src/test/node}: checks that node and npm are installed
 * (skipping the test otherwise), installs the pinned npm packages with {@code npm ci} once per test
 * JVM, and starts scripts as child processes whose output lines can be awaited.
 */
public final class NodeScripts {

  /** The scripts and their package.json / package-lock.json, relative to the testkit module. */
  static final Path DIR = Path.of("src/test/node").toAbsolutePath();
  private static final Path NPM_LOG = Path.of("target/npm-ci.log").toAbsolutePath();
  private static final long NPM_CI_MINUTES = 5;
  private static boolean installed;

  private NodeScripts() {
  }

  /** Skips the calling test unless node and npm run; then makes sure the packages are installed. */
  public static synchronized void assumeNodeAndInstall() throws IOException, InterruptedException {
    Assumptions.assumeTrue(runs("node", "--version"), "node is not installed");
    Assumptions.assumeTrue(runs("npm", "--version"), "npm is not installed");
    if (installed) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
        .directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(NPM_LOG.toFile()).start();
    boolean done = npm.waitFor(NPM_CI_MINUTES, TimeUnit.MINUTES);
    if (!done) {
      npm.destroyForcibly();
    }
    assertThat(done && npm.exitValue() == 0)
        .as("npm ci in %s (log: %s)", DIR, NPM_LOG)
        .isTrue();
    installed = true;
  }

  private static boolean runs(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A running script: its output lines (stdout and stderr) as they come. */
  public static final class Run implements AutoCloseable {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Thread reader;

    Run(Process process) {
      this.process = process;
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
            synchronized (all) {
              all.add(line);
            }
          }
        } catch (IOException e) {
          lines.add("(output read failed: " + e + ")");
        }
      }, "node-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line starting with {@code prefix}; fails with the output so far if none comes. */
    public String awaitLine(String prefix, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (long left = seconds; left > 0; left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())) {
        String line = lines.poll(left, TimeUnit.SECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
        if (line == null && !process.isAlive()) {
          break;
        }
      }
      throw new AssertionError("no line starting with " + prefix + " from node; output:\n" + output());
    }

    /** Waits for the script to end, killing it after {@code seconds}; returns its exit code. */
    public int exitCode(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("node did not finish within " + seconds + "s; output:\n" + output());
      }
      // the process can end before its last lines are read: wait for the reader to reach the end
      reader.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    }

    public String output() {
      synchronized (all) {
        return String.join("\n", all);
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  /** Starts {@code node <script> <args...>} in the scripts' directory. */
  public static Run start(String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return new Run(new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start());
  }

  /** The file of an installed npm package, e.g. {@code nats.ws/esm/nats.js}. */
  static Path nodeModule(String relative) {
    Path p = DIR.resolve("node_modules").resolve(relative);
    assertThat(Files.exists(p)).as(p.toString()).isTrue();
    return p;
  }
}
