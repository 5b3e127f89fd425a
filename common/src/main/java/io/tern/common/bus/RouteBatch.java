package io.tern.common.bus;

import java.util.Arrays;

/**
 * What one node (a gateway or stream-service instance) sends to one router partition in one
 * event-bus message: its connections' interest changes and publishes, in the order they happened.
 *
 * <p>Operations are fixed-width int records over one byte array that holds every subject, queue,
 * reply and message body, so a batch of thousands of publishes is two arrays and one object.
 * Once sent, a batch is never written again (in embedded mode the router reads the same arrays).
 */
public final class RouteBatch {

  /** A publish: cid, flags, subject, reply, header length (-1 = none), message. */
  public static final int PUB = 1;
  /** A subscription: cid, subscription id, subject, queue. */
  public static final int SUB = 2;
  /** A subscription removed: cid, subscription id. */
  public static final int UNSUB = 3;
  /** A connection closed: remove all its subscriptions. */
  public static final int CLOSE = 4;
  /** Acknowledge {@code token} once everything before it is in effect. */
  public static final int BARRIER = 5;
  /** The connection belongs to an account (its name in the subject slot); the default is {@code $G}. */
  public static final int BIND = 6;

  /** Publish flag: the publisher does not want its own messages. */
  public static final int FLAG_NO_ECHO = 1;
  /** Publish flag: the publisher wants a 503 status when nobody is subscribed. */
  public static final int FLAG_NO_RESPONDERS = 2;
  /**
   * Publish flag: the subject slot holds "routed shown", two subjects and a space: the publish is
   * routed by the first, subscribers see the second (JetStream deliveries go to the deliver subject
   * but show the stored message's subject).
   */
  public static final int FLAG_SHOWN_SUBJECT = 4;
  /**
   * Publish flag: the subject is used once (a reply inbox, such as a JetStream PubAck's): the router
   * matches it without putting it in its match cache, where it would only push out useful entries.
   */
  public static final int FLAG_SUBJECT_ONCE = 8;

  static final int WIDTH = 10;
  // Record layout: [type, cid, a, b, c, d, e, f, g, h]
  //   PUB:     a=flags b=subjOff c=subjLen d=replyOff e=replyLen f=hdrLen g=msgOff h=totalLen
  //   SUB:     a=subId b=subjOff c=subjLen d=queueOff e=queueLen
  //   UNSUB:   a=subId
  //   BARRIER: a=token
  //   BIND:    b=accountOff c=accountLen

  private final String source;
  private byte[] data;
  private int dataLen;
  private int[] ops;
  private int opCount;
  // Local back-pressure accounting; never encoded.
  private InFlight inFlight;
  private int inFlightBytes;
  private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger(1);

  /** An empty batch from node {@code source} (the node id, not the address). */
  public RouteBatch(String source) {
    this(source, 4096, 64);
  }

  public RouteBatch(String source, int dataCapacity, int opCapacity) {
    this.source = source;
    this.data = new byte[Math.max(16, dataCapacity)];
    this.ops = new int[Math.max(1, opCapacity) * WIDTH];
  }

  /**
   * A batch whose bytes start with {@code read[0, readLen)}, a client's read taken over as it is:
   * publishes lying in it are recorded in place ({@link #addPubInPlace}), anything else is appended
   * after it. The caller gives up {@code read}; it must have room after {@code readLen} or it grows.
   */
  public RouteBatch(String source, byte[] read, int readLen, int opCapacity) {
    this(source, read, readLen, new int[Math.max(1, opCapacity) * WIDTH], 0);
  }

  RouteBatch(String source, byte[] data, int dataLen, int[] ops, int opCount) {
    this.source = source;
    this.data = data;
    this.dataLen = dataLen;
    this.ops = ops;
    this.opCount = opCount;
  }

  public String source() { return source; }
  public byte[] data() { return data; }
  public int dataLength() { return dataLen; }
  public int size() { return opCount; }
  public boolean isEmpty() { return opCount == 0; }

  public int type(int i) { return ops[i * WIDTH]; }
  public int cid(int i) { return ops[i * WIDTH + 1]; }
  public int flags(int i) { return ops[i * WIDTH + 2]; }
  public int subId(int i) { return ops[i * WIDTH + 2]; }
  public int token(int i) { return ops[i * WIDTH + 2]; }
  public int subjectOffset(int i) { return ops[i * WIDTH + 3]; }
  public int subjectLength(int i) { return ops[i * WIDTH + 4]; }
  public int replyOffset(int i) { return ops[i * WIDTH + 5]; }
  public int replyLength(int i) { return ops[i * WIDTH + 6]; }
  public int queueOffset(int i) { return ops[i * WIDTH + 5]; }
  public int queueLength(int i) { return ops[i * WIDTH + 6]; }
  public int headerLength(int i) { return ops[i * WIDTH + 7]; }
  public int messageOffset(int i) { return ops[i * WIDTH + 8]; }
  public int messageLength(int i) { return ops[i * WIDTH + 9]; }

  public void addPub(int cid, int flags, byte[] buf, int subjOff, int subjLen, int replyOff, int replyLen,
                     int hdrLen, int msgOff, int totalLen) {
    int r = newRecord(PUB, cid);
    ops[r + 2] = flags;
    ops[r + 3] = append(buf, subjOff, subjLen);
    ops[r + 4] = subjLen;
    ops[r + 5] = append(buf, replyOff, replyLen);
    ops[r + 6] = replyLen;
    ops[r + 7] = hdrLen;
    ops[r + 8] = append(buf, msgOff, totalLen);
    ops[r + 9] = totalLen;
  }

  /** As {@link #addPub}, for a message whose ranges already lie in this batch's own bytes. */
  public void addPubInPlace(int cid, int flags, int subjOff, int subjLen, int replyOff, int replyLen,
                            int hdrLen, int msgOff, int totalLen) {
    int r = newRecord(PUB, cid);
    ops[r + 2] = flags;
    ops[r + 3] = subjOff;
    ops[r + 4] = subjLen;
    ops[r + 5] = replyOff;
    ops[r + 6] = replyLen;
    ops[r + 7] = hdrLen;
    ops[r + 8] = msgOff;
    ops[r + 9] = totalLen;
  }

  public void addSub(int cid, int subId, byte[] subject, byte[] queue) {
    int r = newRecord(SUB, cid);
    ops[r + 2] = subId;
    ops[r + 3] = append(subject, 0, subject.length);
    ops[r + 4] = subject.length;
    int qLen = queue == null ? 0 : queue.length;
    ops[r + 5] = qLen == 0 ? 0 : append(queue, 0, qLen);
    ops[r + 6] = qLen;
  }

  public void addBind(int cid, byte[] account) {
    int r = newRecord(BIND, cid);
    ops[r + 3] = append(account, 0, account.length);
    ops[r + 4] = account.length;
  }

  public void addUnsub(int cid, int subId) {
    int r = newRecord(UNSUB, cid);
    ops[r + 2] = subId;
  }

  public void addClose(int cid) {
    newRecord(CLOSE, cid);
  }

  public void addBarrier(int cid, int token) {
    int r = newRecord(BARRIER, cid);
    ops[r + 2] = token;
  }

  private int newRecord(int type, int cid) {
    int r = opCount * WIDTH;
    if (r + WIDTH > ops.length) {
      ops = Arrays.copyOf(ops, ops.length * 2);
    }
    for (int k = r + 2; k < r + WIDTH; k++) {
      ops[k] = 0;
    }
    ops[r] = type;
    ops[r + 1] = cid;
    opCount++;
    return r;
  }

  private int append(byte[] buf, int off, int len) {
    int at = dataLen;
    if (len == 0) {
      return at;
    }
    if (at + len > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, at + len));
    }
    System.arraycopy(buf, off, data, at, len);
    dataLen = at + len;
    return at;
  }

  int[] opsArray() { return ops; }

  void track(InFlight inFlight, int bytes) {
    this.inFlight = inFlight;
    this.inFlightBytes = bytes;
  }

  /** One more holder of this batch's bytes (a delivery batch made from it). */
  public void retain() {
    holders.incrementAndGet();
  }

  /** A holder is done with this batch's bytes; the last one ends its back-pressure accounting. */
  public void release() {
    if (holders.decrementAndGet() == 0 && inFlight != null) {
      inFlight.release(inFlightBytes);
      inFlight = null;
    }
  }
}
