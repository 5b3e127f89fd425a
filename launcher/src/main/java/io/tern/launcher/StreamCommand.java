package io.tern.launcher;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tern stream backup|restore}: stream backups taken and restored as a NATS client. */
@Command(name = "stream", description = "Back up and restore JetStream streams (as a client of a running broker).",
    subcommands = {StreamCommand.Backup.class, StreamCommand.Restore.class})
public final class StreamCommand {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this message")
  boolean help;

  /** How to reach the broker. */
  static final class Connect {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this message")
    boolean help;
    @Option(names = {"-s", "--server"}, paramLabel = "<url>", defaultValue = "nats://127.0.0.1:4222",
        description = "Broker URL (default: ${DEFAULT-VALUE})")
    String server;
    @Option(names = "--user", paramLabel = "<user>", description = "User name")
    String user;
    @Option(names = "--password", paramLabel = "<password>", description = "Password")
    String password;

    Connection connect() throws Exception {
      Options.Builder b = new Options.Builder().server(server).noReconnect()
          .connectionTimeout(Duration.ofSeconds(10)).maxControlLine(4096)
          // failures are reported once, by the command, not logged by jnats as well
          .errorListener(new io.nats.client.ErrorListener() { });
      if (user != null) {
        b.userInfo(user, password == null ? "" : password);
      }
      return Nats.connect(b.build());
    }
  }

  /** {@code tern stream backup <stream> <dir>} */
  @Command(name = "backup", description = "Write a backup of <stream> into <dir> and verify it.")
  static final class Backup implements Callable<Integer> {
    @Mixin
    Connect connect = new Connect();
    @Parameters(index = "0", paramLabel = "<stream>")
    String stream;
    @Parameters(index = "1", paramLabel = "<dir>")
    Path dir;

    @Override
    public Integer call() {
      try (Connection nc = connect.connect()) {
        Progress progress = Progress.forTerminal("backup " + stream, 0);
        JsonObject d = new StreamBackupClient(nc).backup(stream, dir, progress);
        progress.done();
        System.out.printf("Backed up stream %s: %d messages, %d archive bytes, to %s (verified)%n", stream,
            d.getJsonObject("state").getLong("messages", 0L), d.getLong("archive_bytes"), dir);
        return 0;
      } catch (Exception e) {
        System.err.println("tern: backup failed: " + e.getMessage());
        return 1;
      }
    }
  }

  /** {@code tern stream restore <dir>} */
  @Command(name = "restore", description = "Restore the stream backed up in <dir>; refuses a name that exists.")
  static final class Restore implements Callable<Integer> {
    @Mixin
    Connect connect = new Connect();
    @Parameters(index = "0", paramLabel = "<dir>")
    Path dir;

    @Override
    public Integer call() {
      try (Connection nc = connect.connect()) {
        Progress progress = Progress.forTerminal("restore",
            Files.exists(dir.resolve(StreamBackupClient.ARCHIVE)) ? Files.size(dir.resolve(StreamBackupClient.ARCHIVE)) : 0);
        JsonObject info = new StreamBackupClient(nc).restore(dir, progress);
        progress.done();
        System.out.printf("Restored stream %s: %d messages, sequences %d..%d (verified)%n",
            info.getJsonObject("config").getString("name"), info.getJsonObject("state").getLong("messages", 0L),
            info.getJsonObject("state").getLong("first_seq", 0L), info.getJsonObject("state").getLong("last_seq", 0L));
        return 0;
      } catch (Exception e) {
        System.err.println("tern: restore failed: " + e.getMessage());
        return 1;
      }
    }
  }

  /** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
  static final class Progress implements LongConsumer {
    private final String label;
    private final PrintStream out;
    private final long total;
    private long lastDrawn = -1;

    private Progress(String label, PrintStream out, long total) {
      this.label = label;
      this.out = out;
      this.total = total;
    }

    /** @param total the bytes expected, 0 when unknown (the bar then shows only the count) */
    static Progress forTerminal(String label, long total) {
      return new Progress(label, System.console() != null ? System.err : null, total);
    }

    @Override
    public void accept(long bytes) {
      if (out == null || bytes - lastDrawn < 64 * 1024 && lastDrawn >= 0) {
        return;
      }
      lastDrawn = bytes;
      String bar = "";
      if (total > 0) {
        int ticks = (int) Math.min(30, bytes * 30 / total);
        bar = " [" + "#".repeat(ticks) + " ".repeat(30 - ticks) + "] " + Math.min(100, bytes * 100 / total) + "%";
      }
      out.print("\r" + label + bar + " " + human(bytes) + "  ");
      out.flush();
    }

    void done() {
      if (out != null && lastDrawn >= 0) {
        out.println();
      }
    }

    private static String human(long bytes) {
      return bytes < 1024 * 1024 ? (bytes / 1024) + " KiB" : String.format("%.1f MiB", bytes / 1048576.0);
    }
  }

  private StreamCommand() {
  }
}
