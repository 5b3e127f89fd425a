package io.tern.common.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary codec of {@link ForwardedApiRequest}: account, subject and reply as length-prefixed UTF-8
 * (length -1 for a null reply), then headers (length -1 for none) and payload as length-prefixed bytes.
 */
public final class ForwardedApiRequestCodec extends TernCodec<ForwardedApiRequest> {

  public static final String NAME = "tern.ForwardedApiRequest";

  public ForwardedApiRequestCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, ForwardedApiRequest r) {
    appendString(buffer, r.account());
    appendString(buffer, r.subject());
    appendString(buffer, r.reply());
    appendBytes(buffer, r.headers());
    appendBytes(buffer, r.payload() == null ? new byte[0] : r.payload());
  }

  private static void appendString(Buffer buffer, String s) {
    appendBytes(buffer, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void appendBytes(Buffer buffer, byte[] b) {
    if (b == null) {
      buffer.appendInt(-1);
    } else {
      buffer.appendInt(b.length).appendBytes(b);
    }
  }

  @Override
  public ForwardedApiRequest decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    String account = readString(buffer, at);
    String subject = readString(buffer, at);
    String reply = readString(buffer, at);
    byte[] headers = readBytes(buffer, at);
    byte[] payload = readBytes(buffer, at);
    return new ForwardedApiRequest(account, subject, reply, headers, payload);
  }

  private static String readString(Buffer buffer, int[] at) {
    byte[] b = readBytes(buffer, at);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Buffer buffer, int[] at) {
    int len = buffer.getInt(at[0]);
    at[0] += 4;
    if (len < 0) {
      return null;
    }
    byte[] b = buffer.getBytes(at[0], at[0] + len);
    at[0] += len;
    return b;
  }
}
