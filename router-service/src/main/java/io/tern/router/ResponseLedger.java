package io.tern.router;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which singleton service-import replies have already been answered. A reply token is
 * self-describing, so a response is routed back by whichever partition the responder publishes to;
 * only "answered once already" needs shared state. All partitions of one process share a ledger
 * (in embedded mode, every partition), so a second response is dropped wherever it is published.
 * Entries live until their token expires.
 */
final class ResponseLedger {
  private static final Map<Vertx, ResponseLedger> SHARED = new WeakHashMap<>();
  /** Expired entries are swept after this many new ones. */
  private static final int SWEEP_EVERY = 1024;

  private final Map<String, Long> answered = new ConcurrentHashMap<>();
  private final AtomicInteger sinceSweep = new AtomicInteger();

  /** The ledger of every router partition of {@code vertx}'s process. */
  static synchronized ResponseLedger shared(Vertx vertx) {
    return SHARED.computeIfAbsent(vertx, v -> new ResponseLedger());
  }

  /**
   * Records the response to {@code token}; true for the first one, false for any later one while
   * the token is valid (until {@code expiresAtMillis}).
   */
  boolean firstResponse(String token, long expiresAtMillis, long nowMillis) {
    if (answered.putIfAbsent(token, expiresAtMillis) != null) {
      return false;
    }
    if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) {
      sinceSweep.set(0);
      answered.values().removeIf(expires -> expires < nowMillis);
    }
    return true;
  }

  /** Tokens remembered (answered and not yet swept). */
  int size() {
    return answered.size();
  }
}
