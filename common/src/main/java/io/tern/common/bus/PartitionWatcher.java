package io.tern.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * A node's side of {@link InterestSync} in distributed mode: follows the router partitions'
 * announcements and asks the node to replay its interest to every partition instance it is not in
 * sync with. Until the partition acknowledges the replay's marker the replay is repeated (at the
 * next announcement at least {@link #RETRY_NANOS} later), because the first one may have gone to
 * a process that had not yet registered the partition. Use from the owning verticle's context only.
 */
public final class PartitionWatcher {

  /** Replays the node's whole interest to one partition, led by the marker, and sends it. */
  @FunctionalInterface
  public interface Replayer {
    void replay(int partition, int incarnation);
  }

  static final long RETRY_NANOS = 2_000_000_000L;

  private final Vertx vertx;
  private final Replayer replayer;
  private final int[] synced;
  private final int[] pending;
  private final long[] pendingSince;
  private final boolean[] isSynced;
  private final boolean[] isPending;
  private MessageConsumer<JsonObject> consumer;
  private long replays;

  public PartitionWatcher(Vertx vertx, int partitions, Replayer replayer) {
    this.vertx = vertx;
    this.replayer = replayer;
    this.synced = new int[partitions];
    this.pending = new int[partitions];
    this.pendingSince = new long[partitions];
    this.isSynced = new boolean[partitions];
    this.isPending = new boolean[partitions];
  }

  /** Listens for announcements, then asks every partition to announce itself at once. */
  public Future<Void> start() {
    EventBus bus = vertx.eventBus();
    consumer = bus.consumer(Addresses.PARTITIONS);
    consumer.handler(msg -> onAnnouncement(msg.body()));
    return consumer.completion().onSuccess(v -> bus.publish(Addresses.PARTITIONS_QUERY, new JsonObject()));
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void onAnnouncement(JsonObject announcement) {
    Integer p = announcement.getInteger("partition");
    Integer incarnation = announcement.getInteger("incarnation");
    if (p == null || incarnation == null || p < 0 || p >= synced.length) {
      return; // a process configured with another partition count; its partitions are not ours
    }
    if (isSynced[p] && synced[p] == incarnation) {
      return;
    }
    long now = System.nanoTime();
    if (isPending[p] && pending[p] == incarnation && now - pendingSince[p] < RETRY_NANOS) {
      return;
    }
    isPending[p] = true;
    pending[p] = incarnation;
    pendingSince[p] = now;
    replays++;
    replayer.replay(p, incarnation);
  }

  /** A marker's acknowledgement (a barrier ack with {@link InterestSync#MARKER_CID}) arrived. */
  public void markerAcked(int incarnation) {
    for (int p = 0; p < pending.length; p++) {
      if (isPending[p] && pending[p] == incarnation) {
        isPending[p] = false;
        isSynced[p] = true;
        synced[p] = incarnation;
      }
    }
  }

  /** Whether partition {@code p}'s current instance has acknowledged this node's replay. */
  public boolean inSync(int p) {
    return isSynced[p] && !isPending[p];
  }

  /** Replays started so far (for logs and tests). */
  public long replays() {
    return replays;
  }
}
