package io.tern.common.bus;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which router partitions of this JVM run on which event-loop thread. A gateway pins each
 * connection to a partition on its own event loop when there is one: the hop to the router is
 * then a task on the same thread instead of a wake-up of another, which is most of a
 * request/reply's latency on a small machine.
 */
public final class LocalPartitions {
  private static final Map<Vertx, Map<Integer, Thread>> REGISTRY = new WeakHashMap<>();
  private static final Map<Vertx, java.util.concurrent.atomic.AtomicLong> GENERATIONS = new WeakHashMap<>();

  private LocalPartitions() {
  }

  /** Called by a router partition from its own event loop. */
  public static synchronized void register(Vertx vertx, int partition) {
    REGISTRY.computeIfAbsent(vertx, v -> new java.util.HashMap<>()).put(partition, Thread.currentThread());
  }

  public static synchronized void unregister(Vertx vertx, int partition) {
    Map<Integer, Thread> m = REGISTRY.get(vertx);
    if (m != null) {
      m.remove(partition);
    }
  }

  /**
   * The interest generation of this JVM's routers: every partition bumps it when it adds interest
   * or its account rules change. A gateway may drop a publish its router reported as heard by
   * nobody only while the generation is the one of that report.
   */
  public static synchronized java.util.concurrent.atomic.AtomicLong interestGeneration(Vertx vertx) {
    return GENERATIONS.computeIfAbsent(vertx, v -> new java.util.concurrent.atomic.AtomicLong());
  }

  /** The partitions running on the calling thread, in ascending order (empty if none). */
  public static synchronized int[] onCurrentThread(Vertx vertx) {
    Map<Integer, Thread> m = REGISTRY.get(vertx);
    if (m == null) {
      return new int[0];
    }
    List<Integer> found = new ArrayList<>();
    Thread me = Thread.currentThread();
    m.forEach((p, t) -> {
      if (t == me) {
        found.add(p);
      }
    });
    return found.stream().sorted().mapToInt(Integer::intValue).toArray();
  }
}
