package io.tern.common.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Binary codec of {@link DeliveryBatch}. On the wire only the bytes the deliveries refer to travel
 * (subject, reply, message of each), not the whole source array; locally the object is passed on.
 */
public final class DeliveryBatchCodec extends TernCodec<DeliveryBatch> {

  public static final String NAME = "tern.DeliveryBatch";

  public DeliveryBatchCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, DeliveryBatch b) {
    int n = b.size();
    buffer.appendInt(n);
    byte[] data = b.data();
    byte[] extra = b.extra();
    int extraFlags = DeliveryBatch.FLAG_SUBJECT_EXTRA | DeliveryBatch.FLAG_REPLY_EXTRA;
    for (int i = 0; i < n; i++) {
      int flags = b.flags(i);
      // On the wire every range is inline, so the "in extra" flags do not travel.
      buffer.appendInt(b.subId(i)).appendInt(flags & ~extraFlags).appendInt(b.headerLength(i));
      appendRange(buffer, (flags & DeliveryBatch.FLAG_SUBJECT_EXTRA) != 0 ? extra : data,
          b.subjectOffset(i), b.subjectLength(i));
      appendRange(buffer, (flags & DeliveryBatch.FLAG_REPLY_EXTRA) != 0 ? extra : data,
          b.replyOffset(i), b.replyLength(i));
      appendRange(buffer, data, b.messageOffset(i), b.messageLength(i));
    }
    buffer.appendInt(b.barrierCount());
    for (int i = 0; i < b.barrierCount(); i++) {
      buffer.appendInt(b.barrierCid(i)).appendInt(b.barrierToken(i));
    }
    b.done();
  }

  private static void appendRange(Buffer buffer, byte[] data, int off, int len) {
    buffer.appendInt(len);
    if (len > 0) {
      buffer.appendBytes(data, off, len);
    }
  }

  @Override
  public DeliveryBatch decodeFromWire(int pos, Buffer buffer) {
    int n = buffer.getInt(pos);
    // The message bytes are laid out once, back to back, in the order they were written.
    int scan = pos + 4;
    int total = 0;
    for (int i = 0; i < n; i++) {
      scan += 12;
      for (int k = 0; k < 3; k++) {
        int len = buffer.getInt(scan);
        total += len;
        scan += 4 + len;
      }
    }
    byte[] data = new byte[total];
    int[] recs = new int[Math.max(1, n) * DeliveryBatch.WIDTH];
    int at = 0;
    pos += 4;
    for (int i = 0; i < n; i++) {
      int r = i * DeliveryBatch.WIDTH;
      recs[r] = buffer.getInt(pos);
      recs[r + 1] = buffer.getInt(pos + 4);
      recs[r + 6] = buffer.getInt(pos + 8);
      pos += 12;
      for (int k = 0; k < 3; k++) {
        int len = buffer.getInt(pos);
        pos += 4;
        buffer.getBytes(pos, pos + len, data, at);
        int slot = k == 0 ? 2 : k == 1 ? 4 : 7;
        recs[r + slot] = at;
        recs[r + slot + 1] = len;
        at += len;
        pos += len;
      }
    }
    DeliveryBatch batch = new DeliveryBatch(data, recs, n);
    int barriers = buffer.getInt(pos);
    pos += 4;
    for (int i = 0; i < barriers; i++, pos += 8) {
      batch.addBarrierAck(buffer.getInt(pos), buffer.getInt(pos + 4));
    }
    return batch;
  }
}
