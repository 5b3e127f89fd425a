package io.tern.launcher;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.stream.StreamArchive;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Backs a stream up to a directory and restores it, as a NATS client of any broker that speaks
 * JetStream's {@code STREAM.SNAPSHOT} and {@code STREAM.RESTORE} (Tern or nats-server). The
 * directory holds {@code backup.json} (configuration, state, archive size and SHA-256) and {@code
 * stream.tar} (the broker's archive, as received).
 */
public final class StreamBackupClient {

  /** The archive file in a backup directory. */
  public static final String ARCHIVE = "stream.tar";
  /** The description file in a backup directory. */
  public static final String DESCRIPTION = "backup.json";
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(30);
  private static final int RESTORE_CHUNK = 128 * 1024;

  /** A failed backup, restore or verification, with a message for the user. */
  public static final class BackupException extends Exception {
    public BackupException(String message) {
      super(message);
    }
  }

  private final Connection nc;

  public StreamBackupClient(Connection nc) {
    this.nc = nc;
  }

  /**
   * Writes a backup of {@code stream} into {@code dir} (created if needed) and verifies it.
   *
   * @param progress receives the number of archive bytes received so far
   * @return the contents of {@code backup.json}
   */
  public JsonObject backup(String stream, Path dir, LongConsumer progress) throws BackupException, IOException,
      InterruptedException {
    Files.createDirectories(dir);
    String inbox = nc.createInbox();
    Subscription sub = nc.subscribe(inbox);
    try {
      try {
        nc.flush(API_TIMEOUT);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new BackupException("the broker did not answer a PING within " + API_TIMEOUT.toSeconds() + "s");
      }
      JsonObject response = api("$JS.API.STREAM.SNAPSHOT." + stream,
          new JsonObject().put("deliver_subject", inbox).put("chunk_size", 128 * 1024));
      MessageDigest sha = sha256();
      long received = 0;
      Path archive = dir.resolve(ARCHIVE);
      try (OutputStream out = Files.newOutputStream(archive)) {
        while (true) {
          Message m = sub.nextMessage(CHUNK_TIMEOUT);
          if (m == null) {
            throw new BackupException("snapshot of " + stream + " stalled: no data for " + CHUNK_TIMEOUT.toSeconds() + "s");
          }
          if (m.isStatusMessage() || m.hasHeaders() && m.getHeaders().get("Status") != null) {
            throw new BackupException("snapshot of " + stream + " failed: " + m.getStatus());
          }
          byte[] data = m.getData() == null ? new byte[0] : m.getData();
          if (data.length == 0) {
            break;
          }
          out.write(data);
          sha.update(data);
          received += data.length;
          progress.accept(received);
          if (m.getReplyTo() != null) {
            nc.publish(m.getReplyTo(), new byte[0]);
          }
        }
      }
      JsonObject description = new JsonObject()
          .put("stream", stream)
          .put("config", response.getJsonObject("config"))
          .put("state", response.getJsonObject("state"))
          .put("archive_bytes", received)
          .put("archive_sha256", HexFormat.of().formatHex(sha.digest()));
      Files.writeString(dir.resolve(DESCRIPTION), description.encodePrettily());
      verifyBackup(dir);
      return description;
    } finally {
      sub.unsubscribe();
    }
  }

  /**
   * Checks a backup directory: the archive's size and digest against {@code backup.json}, and for
   * a Tern archive its own checksums and that it holds the messages the state promised.
   */
  public static JsonObject verifyBackup(Path dir) throws BackupException, IOException {
    JsonObject description = new JsonObject(Files.readString(dir.resolve(DESCRIPTION)));
    byte[] archive = Files.readAllBytes(dir.resolve(ARCHIVE));
    if (archive.length != description.getLong("archive_bytes", -1L)
        || !HexFormat.of().formatHex(sha256().digest(archive)).equals(description.getString("archive_sha256"))) {
      throw new BackupException("the archive in " + dir + " does not match " + DESCRIPTION + " (damaged or replaced)");
    }
    if (isTar(archive)) {
      StreamArchive parsed;
      try {
        parsed = StreamArchive.read(archive);
      } catch (IllegalArgumentException e) {
        throw new BackupException("the archive in " + dir + " is invalid: " + e.getMessage());
      }
      long expected = description.getJsonObject("state", new JsonObject()).getLong("messages", 0L);
      if (parsed.messages().size() < expected) {
        throw new BackupException("the archive holds " + parsed.messages().size() + " messages, the stream had " + expected);
      }
    }
    return description;
  }

  /**
   * Restores the backup in {@code dir} under its stream's name and checks the restored stream.
   *
   * @return the restored stream's info
   */
  public JsonObject restore(Path dir, LongConsumer progress) throws BackupException, IOException, InterruptedException {
    JsonObject description = verifyBackup(dir);
    byte[] archive = Files.readAllBytes(dir.resolve(ARCHIVE));
    JsonObject info = restoreArchive(description.getJsonObject("config"), description.getJsonObject("state"),
        archive, progress);
    JsonObject state = info.getJsonObject("state", new JsonObject());
    JsonObject expected = description.getJsonObject("state", new JsonObject());
    for (String field : new String[] {"messages", "first_seq", "last_seq"}) {
      if (state.getLong(field, 0L).longValue() != expected.getLong(field, 0L).longValue()) {
        throw new BackupException("restored stream differs from the backup: " + field + " is "
            + state.getLong(field, 0L) + ", the backup has " + expected.getLong(field, 0L));
      }
    }
    return info;
  }

  /** Sends {@code archive} through {@code STREAM.RESTORE}; returns the broker's stream info. */
  public JsonObject restoreArchive(JsonObject config, JsonObject state, byte[] archive, LongConsumer progress)
      throws BackupException, InterruptedException {
    String name = config.getString("name");
    JsonObject response = api("$JS.API.STREAM.RESTORE." + name,
        new JsonObject().put("config", config).put("state", state == null ? new JsonObject() : state));
    String deliver = response.getString("deliver_subject");
    for (int off = 0; off < archive.length; off += RESTORE_CHUNK) {
      int len = Math.min(RESTORE_CHUNK, archive.length - off);
      byte[] chunk = java.util.Arrays.copyOfRange(archive, off, off + len);
      Message ack = request(deliver, chunk);
      if (ack == null) {
        throw new BackupException("restore of " + name + " stalled: chunk not acknowledged");
      }
      if (ack.getData() != null && ack.getData().length > 0) {
        // the broker gave up early (Tern: archive too large) and answered a chunk with the outcome
        throw new BackupException("restore of " + name + " refused: " + new String(ack.getData(), StandardCharsets.UTF_8));
      }
      progress.accept(off + len);
    }
    Message done = request(deliver, new byte[0]);
    if (done == null) {
      throw new BackupException("restore of " + name + " got no answer");
    }
    JsonObject result = new JsonObject(new String(done.getData(), StandardCharsets.UTF_8));
    JsonObject error = result.getJsonObject("error");
    if (error != null) {
      throw new BackupException(error.getString("description") + " (" + error.getInteger("err_code") + ")");
    }
    return result;
  }

  private Message request(String subject, byte[] body) throws InterruptedException {
    try {
      return nc.request(subject, body, API_TIMEOUT);
    } catch (RuntimeException e) {
      // jnats reports no responders and cancelled requests as exceptions; to us they are no answer
      return null;
    }
  }

  private JsonObject api(String subject, JsonObject body) throws BackupException, InterruptedException {
    Message m = request(subject, body.encode().getBytes(StandardCharsets.UTF_8));
    if (m == null || m.isStatusMessage()) {
      throw new BackupException("no answer to " + subject + (m == null ? "" : " (" + m.getStatus() + ")"));
    }
    JsonObject r = new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
    JsonObject error = r.getJsonObject("error");
    if (error != null) {
      throw new BackupException(error.getString("description") + " (" + error.getInteger("err_code") + ")");
    }
    return r;
  }

  private static boolean isTar(byte[] archive) {
    return archive.length >= 512 && new String(archive, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
