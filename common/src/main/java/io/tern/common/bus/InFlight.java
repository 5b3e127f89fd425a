package io.tern.common.bus;

import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Back-pressure for one sender of {@link RouteBatch}es in this JVM: the bytes it has sent that are
 * not yet delivered everywhere. Above the high-water mark the sender stops reading from its clients;
 * when the bytes fall under the low-water mark, {@code onDrained} runs on the sender's context.
 *
 * <p>A batch counts until the router has routed it and every gateway has written the deliveries
 * made from it (they share its bytes). Batches that leave the JVM are released when encoded.
 */
public final class InFlight {

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger drainRequested = new AtomicInteger();
  private final long high;
  private final long low;
  private final Context owner;
  private final Runnable onDrained;

  public InFlight(long high, long low, Context owner, Runnable onDrained) {
    this.high = high;
    this.low = low;
    this.owner = owner;
    this.onDrained = onDrained;
  }

  /** Counts a batch about to be sent; returns true if the sender should now pause. */
  public boolean add(RouteBatch batch) {
    int n = batch.dataLength() + 64;
    batch.track(this, n);
    return bytes.addAndGet(n) > high;
  }

  /** Asks for {@code onDrained} once the bytes fall under the low-water mark. */
  public void requestDrainSignal() {
    drainRequested.set(1);
    if (bytes.get() < low && drainRequested.compareAndSet(1, 0)) {
      owner.runOnContext(v -> onDrained.run());
    }
  }

  void release(long n) {
    long now = bytes.addAndGet(-n);
    if (now < low && drainRequested.get() == 1 && drainRequested.compareAndSet(1, 0)) {
      owner.runOnContext(v -> onDrained.run());
    }
  }

  /** Bytes currently in flight. */
  public long bytes() {
    return bytes.get();
  }
}
