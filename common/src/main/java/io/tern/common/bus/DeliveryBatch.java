package io.tern.common.bus;

import java.util.Arrays;

/**
 * What one router partition sends to one node after routing one {@link RouteBatch}: the messages
 * for that node's subscriptions, and acknowledgements of flush barriers.
 *
 * <p>Delivery records are fixed-width int records over a byte array. In embedded mode that array is
 * the {@link RouteBatch}'s own, so routing copies no message bytes at all.
 */
public final class DeliveryBatch {

  /** Delivery flag: instead of a message, tell the subscriber "503 no responders". */
  public static final int FLAG_NO_RESPONDERS = 1;
  /** Delivery flag: the subject is in {@link #extra()}, not {@link #data()} (a mapped or imported subject). */
  public static final int FLAG_SUBJECT_EXTRA = 2;
  /** Delivery flag: the reply is in {@link #extra()} (a reply rewritten for a service import). */
  public static final int FLAG_REPLY_EXTRA = 4;
  /**
   * Not a delivery: a publish of connection {@code subId} (the cid here) on the subject reached
   * nobody while the interest generation was {@code headerLength}. Embedded mode only.
   */
  public static final int FLAG_NO_INTEREST = 8;

  static final int WIDTH = 9;
  // [subId, flags, subjOff, subjLen, replyOff, replyLen, hdrLen, msgOff, totalLen]

  private final byte[] data;
  private byte[] extra;
  private int[] recs;
  private int count;
  private int[] barrierCids = new int[0];
  private int[] barrierTokens = new int[0];
  private int barrierCount;
  private RouteBatch source;

  /** A batch whose deliveries refer into {@code data}. */
  public DeliveryBatch(byte[] data) {
    this(data, new int[16 * WIDTH], 0);
  }

  /** A batch whose deliveries refer into {@code source}'s bytes, holding them until {@link #done()}. */
  public DeliveryBatch(RouteBatch source, int expectedDeliveries) {
    this(source.data(), new int[Math.max(4, Math.min(expectedDeliveries, 8192)) * WIDTH], 0);
    this.source = source;
    source.retain();
  }

  /** The receiver has written every delivery; the source batch's bytes may go. */
  public void done() {
    RouteBatch s = source;
    if (s != null) {
      source = null;
      s.release();
    }
  }

  DeliveryBatch(byte[] data, int[] recs, int count) {
    this.data = data;
    this.recs = recs;
    this.count = count;
  }

  public byte[] data() { return data; }

  /** Subjects and replies the router made up (mappings, imports); null when there are none. */
  public byte[] extra() { return extra; }
  public void extra(byte[] extra) { this.extra = extra; }
  public int size() { return count; }
  public int barrierCount() { return barrierCount; }
  public boolean isEmpty() { return count == 0 && barrierCount == 0; }

  public int subId(int i) { return recs[i * WIDTH]; }
  public int flags(int i) { return recs[i * WIDTH + 1]; }
  public int subjectOffset(int i) { return recs[i * WIDTH + 2]; }
  public int subjectLength(int i) { return recs[i * WIDTH + 3]; }
  public int replyOffset(int i) { return recs[i * WIDTH + 4]; }
  public int replyLength(int i) { return recs[i * WIDTH + 5]; }
  public int headerLength(int i) { return recs[i * WIDTH + 6]; }
  public int messageOffset(int i) { return recs[i * WIDTH + 7]; }
  public int messageLength(int i) { return recs[i * WIDTH + 8]; }

  public int barrierCid(int i) { return barrierCids[i]; }
  public int barrierToken(int i) { return barrierTokens[i]; }

  /** Adds a delivery of the message at the given ranges of {@link #data()}. */
  public void add(int subId, int flags, int subjOff, int subjLen, int replyOff, int replyLen,
                  int hdrLen, int msgOff, int totalLen) {
    int r = count * WIDTH;
    if (r + WIDTH > recs.length) {
      recs = Arrays.copyOf(recs, recs.length * 2);
    }
    recs[r] = subId;
    recs[r + 1] = flags;
    recs[r + 2] = subjOff;
    recs[r + 3] = subjLen;
    recs[r + 4] = replyOff;
    recs[r + 5] = replyLen;
    recs[r + 6] = hdrLen;
    recs[r + 7] = msgOff;
    recs[r + 8] = totalLen;
    count++;
  }

  /** Acknowledges barrier {@code token} of connection {@code cid}. */
  public void addBarrierAck(int cid, int token) {
    if (barrierCount == barrierCids.length) {
      int n = Math.max(4, barrierCount * 2);
      barrierCids = Arrays.copyOf(barrierCids, n);
      barrierTokens = Arrays.copyOf(barrierTokens, n);
    }
    barrierCids[barrierCount] = cid;
    barrierTokens[barrierCount] = token;
    barrierCount++;
  }
}
