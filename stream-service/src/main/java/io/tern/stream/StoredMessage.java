package io.tern.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One message in a stream. {@code headers} is the raw NATS header block or null.
 *
 * @param timestamp nanoseconds since the epoch when the stream stored it
 */
public record StoredMessage(long seq, String subject, byte[] headers, byte[] payload, long timestamp) {

  /** Size as nats-server's file store counts it (record framing included), for {@code max_bytes}. */
  public long fileSize() {
    int hdr = headers == null ? 0 : headers.length;
    int subj = subject.getBytes(StandardCharsets.UTF_8).length;
    return hdr == 0 ? 22L + subj + payload.length + 8 : 22L + subj + 4 + hdr + payload.length + 8;
  }

  /** Size as nats-server's memory store counts it. */
  public long memorySize() {
    int hdr = headers == null ? 0 : headers.length;
    return subject.getBytes(StandardCharsets.UTF_8).length + hdr + payload.length + 16L;
  }

  /** Value bytes in the store: timestamp, subject, headers (length -1 when none), payload. */
  public byte[] encode() {
    byte[] subj = subject.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(encodedSize(subj));
    encodeTo(subj, b);
    return b.array();
  }

  /** Length of {@link #encode()}'s result, given the subject's UTF-8 bytes. */
  int encodedSize(byte[] subj) {
    return 8 + 2 + subj.length + 4 + (headers == null ? 0 : headers.length) + payload.length;
  }

  /** Writes {@link #encode()}'s bytes into {@code b}, which has {@link #encodedSize} bytes left. */
  void encodeTo(byte[] subj, ByteBuffer b) {
    b.putLong(timestamp).putShort((short) subj.length).put(subj);
    b.putInt(headers == null ? -1 : headers.length);
    if (headers != null) {
      b.put(headers);
    }
    b.put(payload);
  }

  /** Reverses {@link #encode()}. */
  public static StoredMessage decode(long seq, byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    long ts = b.getLong();
    int subjLen = Short.toUnsignedInt(b.getShort());
    String subject = new String(value, b.position(), subjLen, StandardCharsets.UTF_8);
    b.position(b.position() + subjLen);
    int hdrLen = b.getInt();
    byte[] headers = null;
    if (hdrLen >= 0) {
      headers = new byte[hdrLen];
      b.get(headers);
    }
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new StoredMessage(seq, subject, headers, payload, ts);
  }
}
