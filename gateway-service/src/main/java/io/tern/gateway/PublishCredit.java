package io.tern.gateway;

import java.util.ArrayDeque;

/**
 * Distributed mode: a publishing connection's window of bytes sent towards its router partition
 * but not yet confirmed routed. Every {@link #CREDIT_BYTES} read, the connection sends a barrier
 * on its partition; with more than {@link #WINDOW} barriers unacknowledged the connection is not
 * read until half of them are. The barriers travel in the batch stream like a flush's, so a moved
 * partition gets them again in the interest replay and a dead one stops the publisher instead of
 * letting the gateway→router connection's buffer grow (the event bus has no window of its own).
 */
final class PublishCredit {
  static final long CREDIT_BYTES = 1L << 20;
  static final int WINDOW = 4;

  private final ArrayDeque<Integer> tokens = new ArrayDeque<>();
  private long sinceLast;

  /** Counts {@code n} bytes read; true when a barrier should be sent now. */
  boolean charge(int n) {
    sinceLast += n;
    return sinceLast >= CREDIT_BYTES;
  }

  /** A barrier with {@code token} was sent. */
  void issued(int token) {
    sinceLast = 0;
    tokens.add(token);
  }

  /** Whether the connection should stop being read. */
  boolean overWindow() {
    return tokens.size() > WINDOW;
  }

  /** Whether a paused connection may be read again. */
  boolean underLowMark() {
    return tokens.size() <= WINDOW / 2;
  }

  /** Takes {@code token} off the window; false if it is not one of this window's barriers. */
  boolean acked(int token) {
    return tokens.remove(token);
  }

  /** The barriers still unacknowledged, for a replay to a new partition instance. */
  int[] pending() {
    return tokens.stream().mapToInt(Integer::intValue).toArray();
  }
}
