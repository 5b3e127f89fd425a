package io.tern.common.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Binary codec of {@link RouteBatch}. Locally the batch object itself is passed on; on the wire
 * it is the source id, the used part of the data array and the op records.
 */
public final class RouteBatchCodec extends TernCodec<RouteBatch> {

  public static final String NAME = "tern.RouteBatch";

  public RouteBatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, RouteBatch b) {
    byte[] src = b.source().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    buffer.appendInt(src.length).appendBytes(src);
    buffer.appendInt(b.dataLength()).appendBytes(b.data(), 0, b.dataLength());
    int n = b.size() * RouteBatch.WIDTH;
    buffer.appendInt(b.size());
    int[] ops = b.opsArray();
    for (int i = 0; i < n; i++) {
      buffer.appendInt(ops[i]);
    }
    // The bytes left this JVM: the sender's back-pressure no longer waits for them.
    b.release();
  }

  @Override
  public RouteBatch decodeFromWire(int pos, Buffer buffer) {
    int srcLen = buffer.getInt(pos);
    pos += 4;
    String source = buffer.getString(pos, pos + srcLen, "UTF-8");
    pos += srcLen;
    int dataLen = buffer.getInt(pos);
    pos += 4;
    byte[] data = buffer.getBytes(pos, pos + dataLen);
    pos += dataLen;
    int count = buffer.getInt(pos);
    pos += 4;
    int[] ops = new int[Math.max(1, count) * RouteBatch.WIDTH];
    for (int i = 0; i < count * RouteBatch.WIDTH; i++, pos += 4) {
      ops[i] = buffer.getInt(pos);
    }
    return new RouteBatch(source, data, dataLen, ops, count);
  }
}
