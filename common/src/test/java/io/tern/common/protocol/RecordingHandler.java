package io.tern.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Records every callback as a string, copying the ranges at once (they are only valid during the
 * call), and remembers which array each callback's ranges pointed into.
 */
final class RecordingHandler implements NatsProtocolHandler {

  /** Payloads longer than this are recorded as length + CRC to keep records small. */
  private static final int INLINE_PAYLOAD = 256;

  final List<String> records = new ArrayList<>();
  final List<byte[]> arrays = new ArrayList<>();
  /** When set, the handler stops the parser after this many records. */
  NatsParser stopAfterParser;
  int stopAfter = -1;

  @Override
  public void onConnect(byte[] buf, int off, int len) {
    add(buf, "CONNECT " + text(buf, off, len));
  }

  @Override
  public void onPub(byte[] buf, int subjOff, int subjLen, int replyOff, int replyLen, int hdrLen,
      int msgOff, int totalLen) {
    String reply = replyLen == 0 ? "-" : text(buf, replyOff, replyLen);
    String msg;
    if (totalLen > INLINE_PAYLOAD) {
      CRC32 crc = new CRC32();
      crc.update(buf, msgOff, totalLen);
      msg = "len=" + totalLen + ",crc=" + Long.toHexString(crc.getValue());
    } else {
      msg = text(buf, msgOff, totalLen);
    }
    add(buf, "PUB " + text(buf, subjOff, subjLen) + " " + reply + " hdr=" + hdrLen + " msg=" + msg);
  }

  @Override
  public void onSub(byte[] buf, int subjOff, int subjLen, int queueOff, int queueLen, int sidOff,
      int sidLen) {
    String queue = queueLen == 0 ? "-" : text(buf, queueOff, queueLen);
    add(buf, "SUB " + text(buf, subjOff, subjLen) + " " + queue + " " + text(buf, sidOff, sidLen));
  }

  @Override
  public void onUnsub(byte[] buf, int sidOff, int sidLen, long max) {
    add(buf, "UNSUB " + text(buf, sidOff, sidLen) + " " + max);
  }

  @Override
  public void onPing() {
    add(null, "PING");
  }

  @Override
  public void onPong() {
    add(null, "PONG");
  }

  @Override
  public void onOkOrErr() {
    add(null, "OK");
  }

  @Override
  public void onInfo(byte[] buf, int off, int len) {
    add(buf, "INFO " + text(buf, off, len));
  }

  @Override
  public void onError(NatsParseError error) {
    add(null, "ERROR " + error);
  }

  private void add(byte[] array, String record) {
    records.add(record);
    arrays.add(array);
    if (records.size() == stopAfter) {
      stopAfterParser.stop();
    }
  }

  /** The bytes as text, with CR, LF, tab and non-ASCII bytes escaped so records stay one line. */
  static String text(byte[] buf, int off, int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = off; i < off + len; i++) {
      int b = buf[i] & 0xff;
      switch (b) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (b < 0x20 || b >= 0x7f) {
            sb.append(String.format("\\x%02x", b));
          } else {
            sb.append((char) b);
          }
        }
      }
    }
    return sb.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
