package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bytes waiting to go to one client, coalesced until the end of the event-loop turn so that a
 * batch of deliveries becomes one socket write. Formats MSG/HMSG lines without creating strings.
 */
final class OutboundBuffer {
  private static final byte[] MSG = "MSG ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_RESPONDERS = "NATS/1.0 503\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf = new byte[256];
  private int len;

  boolean isEmpty() {
    return len == 0;
  }

  int length() {
    return len;
  }

  /** Hands the bytes over as a buffer the socket may keep, and starts afresh. */
  Buffer take() {
    Buffer out = BufferInternal.buffer(Unpooled.wrappedBuffer(buf, 0, len));
    buf = new byte[256];
    len = 0;
    return out;
  }

  /**
   * As {@link #take()}, as a pooled direct Netty buffer for writing straight to the channel (which
   * releases it). The heap array stays for the next turn, so steady traffic allocates nothing here.
   */
  ByteBuf takeByteBuf() {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(len, len);
    out.writeBytes(buf, 0, len);
    if (buf.length > 1 << 20) {
      buf = new byte[4096];
    }
    len = 0;
    return out;
  }

  void append(byte[] b) {
    append(b, 0, b.length);
  }

  void append(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  void appendAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /**
   * {@code MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n}, or HMSG when {@code hdrLen >= 0}.
   */
  void appendMsg(byte[] data, int subjOff, int subjLen, byte[] sid, int replyOff, int replyLen,
                 int hdrLen, int msgOff, int totalLen) {
    appendMsg(data, subjOff, subjLen, sid, data, replyOff, replyLen, data, hdrLen, msgOff, totalLen);
  }

  /**
   * As {@link #appendMsg(byte[], int, int, byte[], int, int, int, int, int)} with the subject and
   * reply taken from their own arrays (a subject or reply the router rewrote).
   */
  void appendMsg(byte[] subjData, int subjOff, int subjLen, byte[] sid, byte[] replyData, int replyOff, int replyLen,
                 byte[] data, int hdrLen, int msgOff, int totalLen) {
    ensure(subjLen + sid.length + replyLen + totalLen + 48);
    byte[] b = buf;
    int p = len;
    byte[] op = hdrLen >= 0 ? HMSG : MSG;
    System.arraycopy(op, 0, b, p, op.length);
    p += op.length;
    System.arraycopy(subjData, subjOff, b, p, subjLen);
    p += subjLen;
    b[p++] = ' ';
    System.arraycopy(sid, 0, b, p, sid.length);
    p += sid.length;
    b[p++] = ' ';
    if (replyLen > 0) {
      System.arraycopy(replyData, replyOff, b, p, replyLen);
      p += replyLen;
      b[p++] = ' ';
    }
    if (hdrLen >= 0) {
      p = writeInt(b, p, hdrLen);
      b[p++] = ' ';
    }
    p = writeInt(b, p, totalLen);
    b[p++] = '\r';
    b[p++] = '\n';
    System.arraycopy(data, msgOff, b, p, totalLen);
    p += totalLen;
    b[p++] = '\r';
    b[p++] = '\n';
    len = p;
  }

  /** The 503 "no responders" status message on {@code reply}, as nats-server sends it. */
  void appendNoResponders(byte[] data, int replyOff, int replyLen, byte[] sid) {
    ensure(replyLen + sid.length + NO_RESPONDERS.length + 32);
    System.arraycopy(HMSG, 0, buf, len, HMSG.length);
    len += HMSG.length;
    System.arraycopy(data, replyOff, buf, len, replyLen);
    len += replyLen;
    buf[len++] = ' ';
    System.arraycopy(sid, 0, buf, len, sid.length);
    len += sid.length;
    buf[len++] = ' ';
    len = writeInt(buf, len, NO_RESPONDERS.length);
    buf[len++] = ' ';
    len = writeInt(buf, len, NO_RESPONDERS.length);
    buf[len++] = '\r';
    buf[len++] = '\n';
    System.arraycopy(NO_RESPONDERS, 0, buf, len, NO_RESPONDERS.length);
    len += NO_RESPONDERS.length;
    buf[len++] = '\r';
    buf[len++] = '\n';
  }

  private static int writeInt(byte[] b, int p, int v) {
    if (v == 0) {
      b[p++] = '0';
      return p;
    }
    int digits = 0;
    for (int t = v; t > 0; t /= 10) {
      digits++;
    }
    int end = p + digits;
    for (int i = end - 1; i >= p; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return end;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }
}
