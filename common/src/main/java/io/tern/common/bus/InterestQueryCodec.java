package io.tern.common.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Binary codec of {@link InterestQuery}: two length-prefixed UTF-8 strings. */
public final class InterestQueryCodec extends TernCodec<InterestQuery> {

  public static final String NAME = "tern.InterestQuery";

  public InterestQueryCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, InterestQuery q) {
    append(buffer, q.account());
    append(buffer, q.subject());
  }

  private static void append(Buffer buffer, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(b.length).appendBytes(b);
  }

  @Override
  public InterestQuery decodeFromWire(int pos, Buffer buffer) {
    int alen = buffer.getInt(pos);
    String account = buffer.getString(pos + 4, pos + 4 + alen, "UTF-8");
    int at = pos + 4 + alen;
    int slen = buffer.getInt(at);
    String subject = buffer.getString(at + 4, at + 4 + slen, "UTF-8");
    return new InterestQuery(account, subject);
  }
}
