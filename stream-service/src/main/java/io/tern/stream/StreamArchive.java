package io.tern.stream;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tern's stream backup format: a tar archive (see {@link TarFormat}) of
 * <ul>
 *   <li>{@code stream.json}: format version, the stream's persisted JSON (configuration, creation
 *       time) and its last sequence and time, which outlive the messages;</li>
 *   <li>{@code messages.bin}: every message in sequence order, each as sequence (8 bytes), time in
 *       nanoseconds (8), subject length (2) and subject, header length (4, -1 for none) and headers,
 *       payload length (4) and payload, all big-endian;</li>
 *   <li>{@code consumers/<name>.json}: consumer state, when there is any;</li>
 *   <li>{@code SHA256SUMS} last: {@code <hex digest>  <name>} for every other entry.</li>
 * </ul>
 * Reading verifies every digest and that every entry is listed, so a damaged archive is refused.
 */
public final class StreamArchive {

  /** The format this class writes. */
  public static final int FORMAT = 1;
  private static final String STREAM = "stream.json";
  private static final String MESSAGES = "messages.bin";
  private static final String SUMS = "SHA256SUMS";

  private final JsonObject stream;
  private final List<StoredMessage> messages;
  private final Map<String, JsonObject> consumers;

  /**
   * @param stream the stream's persisted JSON with {@code last_seq} and {@code last_ts} added
   */
  public StreamArchive(JsonObject stream, List<StoredMessage> messages, Map<String, JsonObject> consumers) {
    this.stream = stream;
    this.messages = messages;
    this.consumers = consumers;
  }

  public JsonObject stream() {
    return stream;
  }

  public List<StoredMessage> messages() {
    return messages;
  }

  public Map<String, JsonObject> consumers() {
    return consumers;
  }

  public long lastSeq() {
    return stream.getLong("last_seq", 0L);
  }

  public long lastTimestamp() {
    return stream.getLong("last_ts", 0L);
  }

  /** The archive's bytes. */
  public byte[] toBytes() {
    List<TarFormat.Entry> entries = new ArrayList<>();
    entries.add(new TarFormat.Entry(STREAM, stream.copy().put("format", FORMAT).encode().getBytes(StandardCharsets.UTF_8)));
    entries.add(new TarFormat.Entry(MESSAGES, encodeMessages(messages)));
    consumers.forEach((name, state) -> entries.add(
        new TarFormat.Entry("consumers/" + name + ".json", state.encode().getBytes(StandardCharsets.UTF_8))));
    StringBuilder sums = new StringBuilder();
    for (TarFormat.Entry e : entries) {
      sums.append(sha256(e.data())).append("  ").append(e.name()).append('\n');
    }
    entries.add(new TarFormat.Entry(SUMS, sums.toString().getBytes(StandardCharsets.UTF_8)));
    return TarFormat.write(entries);
  }

  /**
   * Reads and verifies an archive.
   *
   * @throws IllegalArgumentException naming what is wrong (bad entry, checksum, format)
   */
  public static StreamArchive read(byte[] archive) {
    List<TarFormat.Entry> entries = TarFormat.read(archive);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (TarFormat.Entry e : entries) {
      if (files.put(e.name(), e.data()) != null) {
        throw new IllegalArgumentException("archive holds " + e.name() + " twice");
      }
    }
    byte[] sums = files.remove(SUMS);
    if (sums == null) {
      throw new IllegalArgumentException("archive has no " + SUMS);
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        int sep = line.indexOf("  ");
        if (sep < 0) {
          throw new IllegalArgumentException("archive has a malformed " + SUMS);
        }
        expected.put(line.substring(sep + 2), line.substring(0, sep));
      }
    }
    if (!expected.keySet().equals(files.keySet())) {
      throw new IllegalArgumentException("archive entries do not match its " + SUMS);
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      if (!sha256(f.getValue()).equals(expected.get(f.getKey()))) {
        throw new IllegalArgumentException("archive checksum mismatch in " + f.getKey());
      }
    }
    byte[] streamJson = files.get(STREAM);
    byte[] messageBytes = files.get(MESSAGES);
    if (streamJson == null || messageBytes == null) {
      throw new IllegalArgumentException("archive lacks " + STREAM + " or " + MESSAGES);
    }
    JsonObject stream = new JsonObject(new String(streamJson, StandardCharsets.UTF_8));
    if (stream.getInteger("format", 0) != FORMAT) {
      throw new IllegalArgumentException("archive format " + stream.getValue("format") + " is not supported");
    }
    Map<String, JsonObject> consumers = new LinkedHashMap<>();
    files.forEach((name, data) -> {
      if (name.startsWith("consumers/") && name.endsWith(".json")) {
        consumers.put(name.substring("consumers/".length(), name.length() - 5),
            new JsonObject(new String(data, StandardCharsets.UTF_8)));
      }
    });
    return new StreamArchive(stream, decodeMessages(messageBytes), consumers);
  }

  private static byte[] encodeMessages(List<StoredMessage> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StoredMessage m : messages) {
      byte[] subject = m.subject().getBytes(StandardCharsets.UTF_8);
      int hdr = m.headers() == null ? 0 : m.headers().length;
      ByteBuffer b = ByteBuffer.allocate(8 + 8 + 2 + subject.length + 4 + hdr + 4 + m.payload().length);
      b.putLong(m.seq()).putLong(m.timestamp()).putShort((short) subject.length).put(subject);
      b.putInt(m.headers() == null ? -1 : hdr);
      if (m.headers() != null) {
        b.put(m.headers());
      }
      b.putInt(m.payload().length).put(m.payload());
      out.writeBytes(b.array());
    }
    return out.toByteArray();
  }

  private static List<StoredMessage> decodeMessages(byte[] bytes) {
    List<StoredMessage> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long prev = 0;
    try {
      while (b.hasRemaining()) {
        long seq = b.getLong();
        long ts = b.getLong();
        byte[] subject = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(subject);
        int hdrLen = b.getInt();
        byte[] headers = null;
        if (hdrLen >= 0) {
          headers = new byte[hdrLen];
          b.get(headers);
        }
        byte[] payload = new byte[b.getInt()];
        b.get(payload);
        if (seq <= prev) {
          throw new IllegalArgumentException("archive messages are out of order at sequence " + seq);
        }
        prev = seq;
        out.add(new StoredMessage(seq, new String(subject, StandardCharsets.UTF_8), headers, payload, ts));
      }
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("archive messages are truncated");
    }
    return out;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
