package io.tern.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A service's own attachment to the routers, for nodes that are not client gateways (the stream
 * service, later MQTT sessions): it subscribes and publishes like one NATS connection, and receives
 * the messages routed to its subscriptions. Use it from one Vert.x context only (the owning
 * verticle's); operations are batched and sent at the end of the current event-loop task.
 */
public final class RouterLink {

  /** A message routed to one of this link's subscriptions. Arrays are the link's own copies. */
  public record Message(int subId, String subject, String reply, byte[] headers, byte[] payload) {
  }

  /** Receives the messages of one subscription. */
  @FunctionalInterface
  public interface MessageHandler {
    void onMessage(Message message);
  }

  private static final int CID = 1;
  private static final long INTEREST_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final String nodeId;
  private final boolean localOnly;
  private final RouteBatch[] batches;
  private final DeliveryOptions delivery;
  private final Map<Integer, MessageHandler> handlers = new HashMap<>();
  /** Subject and queue of each live subscription, for replays in distributed mode. */
  private final Map<Integer, String[]> interest = new HashMap<>();
  private PartitionWatcher watcher;
  private final Map<Integer, Promise<Void>> barriers = new HashMap<>();
  private final Map<Integer, Integer> barrierAcks = new HashMap<>();
  private MessageConsumer<DeliveryBatch> consumer;
  private boolean flushScheduled;
  private int nextSubId;
  private int nextToken;
  private int publishFlags;
  private java.util.function.Consumer<String> bounceHandler;
  /** The account this link's subscriptions and publishes belong to; null for {@code $G}. */
  private byte[] account;

  /**
   * @param nodeId     this node's id, unique in the cluster (its address is {@code tern.node.<id>})
   * @param partitions how many router partitions there are
   * @param localOnly  true in embedded mode
   */
  public RouterLink(Vertx vertx, String nodeId, int partitions, boolean localOnly) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.localOnly = localOnly;
    this.batches = new RouteBatch[partitions];
    this.delivery = new DeliveryOptions().setLocalOnly(localOnly);
  }

  /** Starts receiving deliveries; completes once the node address is registered. */
  public Future<Void> start() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    String address = Addresses.node(nodeId);
    consumer = localOnly ? bus.localConsumer(address) : bus.consumer(address);
    consumer.handler(msg -> onDeliveries(msg.body()));
    if (localOnly) {
      return consumer.completion();
    }
    watcher = new PartitionWatcher(vertx, batches.length, this::replay);
    return consumer.completion().compose(v -> watcher.start());
  }

  /**
   * Distributed mode: sends partition {@code partition}'s new instance this link's whole interest
   * (see {@link InterestSync}), and the barriers still waiting for it.
   */
  public void replay(int partition, int incarnation) {
    RouteBatch b = batch(partition);
    InterestSync.addMarker(b, incarnation);
    if (account != null) {
      b.addBind(CID, account);
    }
    interest.forEach((subId, sq) -> b.addSub(CID, subId, sq[0].getBytes(StandardCharsets.UTF_8),
        sq[1] == null ? null : sq[1].getBytes(StandardCharsets.UTF_8)));
    for (Integer token : barrierAcks.keySet()) {
      b.addBarrier(CID, token);
    }
    flush();
  }

  /**
   * Distributed mode: removes, at every router partition, the subscriptions of link {@code nodeId}
   * whose process died (its own {@link #stop()} never ran). Sent in the dead link's name, so a
   * partition that applied its subscriptions applies this too; one that never synced it drops it.
   */
  public static void closeDeparted(Vertx vertx, String nodeId, int partitions) {
    EventBus bus = vertx.eventBus();
    for (int p = 0; p < partitions; p++) {
      RouteBatch b = new RouteBatch(nodeId);
      b.addClose(CID);
      bus.send(Addresses.router(p), b);
    }
  }

  /** Stops receiving; subscriptions are removed at the routers. */
  public Future<Void> stop() {
    for (int p = 0; p < batches.length; p++) {
      batch(p).addClose(CID);
    }
    flush();
    if (watcher != null) {
      watcher.stop();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Puts this link in {@code name}'s account (the system account, for services that answer
   * {@code $SYS} requests); call before subscribing or publishing.
   */
  public RouterLink bindAccount(String name) {
    account = name.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < batches.length; p++) {
      batch(p).addBind(CID, account);
    }
    scheduleFlush();
    return this;
  }

  /** Whether this link's own publishes should not come back to its own subscriptions. */
  public RouterLink noEcho(boolean noEcho) {
    publishFlags = noEcho ? RouteBatch.FLAG_NO_ECHO : 0;
    return this;
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Whether any subscription in this link's account matches the literal {@code subject}: true if
   * any router partition says so (each holds every subscription); fails if none answers.
   */
  public Future<Boolean> hasInterest(String subject) {
    InterestQuery q = new InterestQuery(account == null ? "$G" : new String(account, StandardCharsets.UTF_8),
        subject);
    EventBus bus = vertx.eventBus();
    java.util.List<Future<Boolean>> answers = new java.util.ArrayList<>(batches.length);
    DeliveryOptions quick = new DeliveryOptions(delivery).setSendTimeout(INTEREST_TIMEOUT_MS);
    for (int p = 0; p < batches.length; p++) {
      answers.add(bus.<Boolean>request(Addresses.routerInterest(p), q, quick).map(m -> m.body()));
    }
    // Wait for all: a partition that just restarted may not have every subscription replayed yet.
    return Future.join(answers).transform(done -> {
      boolean answered = false;
      for (Future<Boolean> f : answers) {
        if (f.succeeded()) {
          answered = true;
          if (Boolean.TRUE.equals(f.result())) {
            return Future.succeededFuture(true);
          }
        }
      }
      return answered ? Future.succeededFuture(false) : Future.failedFuture(done.cause());
    });
  }

  /** Subscribes {@code subject} (with an optional queue group); returns the subscription id. */
  public int subscribe(String subject, String queue, MessageHandler handler) {
    int subId = ++nextSubId;
    handlers.put(subId, handler);
    interest.put(subId, new String[] {subject, queue});
    byte[] subj = subject.getBytes(StandardCharsets.UTF_8);
    byte[] q = queue == null ? null : queue.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < batches.length; p++) {
      batch(p).addSub(CID, subId, subj, q);
    }
    scheduleFlush();
    return subId;
  }

  public void unsubscribe(int subId) {
    interest.remove(subId);
    if (handlers.remove(subId) != null) {
      for (int p = 0; p < batches.length; p++) {
        batch(p).addUnsub(CID, subId);
      }
      scheduleFlush();
    }
  }

  /**
   * Receives the reply subject of every {@link #publishReportingBounce} that reached nobody. The
   * reply must match one of this link's own subscriptions (that is where the router reports it).
   */
  public void onBounce(java.util.function.Consumer<String> handler) {
    this.bounceHandler = handler;
  }

  /**
   * Publishes a message to {@code subject} that subscribers receive as {@code shownSubject}; if
   * nobody receives it, the bounce handler gets {@code reply}.
   */
  public void publishReportingBounce(String subject, String shownSubject, String reply, byte[] headers,
                                     byte[] payload) {
    publish(subject, shownSubject, reply, headers, payload, publishFlags | RouteBatch.FLAG_NO_RESPONDERS
        | (shownSubject == null ? 0 : RouteBatch.FLAG_SHOWN_SUBJECT));
  }

  /** Publishes a message; {@code headers} is a complete NATS header block or null. */
  public void publish(String subject, String reply, byte[] headers, byte[] payload) {
    publish(subject, null, reply, headers, payload, publishFlags);
  }

  /**
   * Publishes to a subject used once, a reply inbox (see {@link RouteBatch#FLAG_SUBJECT_ONCE}): the
   * routers do not cache its match.
   */
  public void publishReply(String subject, byte[] headers, byte[] payload) {
    publish(subject, null, null, headers, payload, publishFlags | RouteBatch.FLAG_SUBJECT_ONCE);
  }

  private void publish(String subject, String shownSubject, String reply, byte[] headers, byte[] payload,
                       int flags) {
    byte[] subj = subject.getBytes(StandardCharsets.UTF_8);
    if (shownSubject != null) {
      subj = (subject + ' ' + shownSubject).getBytes(StandardCharsets.UTF_8); // see FLAG_SHOWN_SUBJECT
    }
    publishBytes(subj, reply, headers, payload, flags);
  }

  private void publishBytes(byte[] subj, String reply, byte[] headers, byte[] payload, int flags) {
    byte[] rep = reply == null ? new byte[0] : reply.getBytes(StandardCharsets.UTF_8);
    int hdrLen = headers == null ? -1 : headers.length;
    byte[] body = payload == null ? new byte[0] : payload;
    byte[] msg;
    if (headers == null) {
      msg = body;
    } else {
      msg = new byte[headers.length + body.length];
      System.arraycopy(headers, 0, msg, 0, headers.length);
      System.arraycopy(body, 0, msg, headers.length, body.length);
    }
    // All publishes of the link go through one partition, so they keep their order.
    batch(0).addPub(CID, flags, concat(subj, rep, msg), 0, subj.length, subj.length, rep.length, hdrLen,
        subj.length + rep.length, msg.length);
    scheduleFlush();
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] out = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }

  /**
   * Completes once every router partition has applied everything this link sent before: after it,
   * this link's subscriptions are in effect for every publisher.
   */
  public Future<Void> barrier() {
    int token = ++nextToken;
    Promise<Void> promise = Promise.promise();
    barriers.put(token, promise);
    barrierAcks.put(token, batches.length);
    for (int p = 0; p < batches.length; p++) {
      batch(p).addBarrier(CID, token);
    }
    scheduleFlush();
    return promise.future();
  }

  /** Sends the batched operations now. */
  public void flush() {
    flushScheduled = false;
    EventBus bus = vertx.eventBus();
    for (int p = 0; p < batches.length; p++) {
      RouteBatch b = batches[p];
      if (b != null && !b.isEmpty()) {
        batches[p] = null;
        bus.send(Addresses.router(p), b, delivery);
      }
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.getOrCreateContext().runOnContext(v -> flush());
    }
  }

  private RouteBatch batch(int partition) {
    RouteBatch b = batches[partition];
    if (b == null) {
      b = new RouteBatch(nodeId);
      batches[partition] = b;
    }
    return b;
  }

  private void onDeliveries(DeliveryBatch d) {
    byte[] data = d.data();
    for (int i = 0, n = d.size(); i < n; i++) {
      MessageHandler h = handlers.get(d.subId(i));
      if (h == null || (d.flags(i) & (DeliveryBatch.FLAG_NO_RESPONDERS | DeliveryBatch.FLAG_NO_INTEREST)) != 0) {
        if (h != null && bounceHandler != null && (d.flags(i) & DeliveryBatch.FLAG_NO_RESPONDERS) != 0) {
          bounceHandler.accept(new String(data, d.subjectOffset(i), d.subjectLength(i), StandardCharsets.UTF_8));
        }
        continue;
      }
      // A mapped or imported subject, or a reply rewritten for a service import, is in the extra bytes.
      int flags = d.flags(i);
      byte[] subjectBytes = (flags & DeliveryBatch.FLAG_SUBJECT_EXTRA) != 0 ? d.extra() : data;
      byte[] replyBytes = (flags & DeliveryBatch.FLAG_REPLY_EXTRA) != 0 ? d.extra() : data;
      String subject = new String(subjectBytes, d.subjectOffset(i), d.subjectLength(i), StandardCharsets.UTF_8);
      String reply = d.replyLength(i) == 0 ? null
          : new String(replyBytes, d.replyOffset(i), d.replyLength(i), StandardCharsets.UTF_8);
      int hdrLen = d.headerLength(i);
      int msgOff = d.messageOffset(i);
      int total = d.messageLength(i);
      byte[] headers = null;
      byte[] payload;
      if (hdrLen >= 0) {
        headers = java.util.Arrays.copyOfRange(data, msgOff, msgOff + hdrLen);
        payload = java.util.Arrays.copyOfRange(data, msgOff + hdrLen, msgOff + total);
      } else {
        payload = java.util.Arrays.copyOfRange(data, msgOff, msgOff + total);
      }
      h.onMessage(new Message(d.subId(i), subject, reply, headers, payload));
    }
    d.done();
    for (int i = 0, n = d.barrierCount(); i < n; i++) {
      int token = d.barrierToken(i);
      if (d.barrierCid(i) == InterestSync.MARKER_CID) {
        if (watcher != null) {
          watcher.markerAcked(token);
        }
        continue;
      }
      Integer left = barrierAcks.get(token);
      if (left != null) {
        if (left <= 1) {
          barrierAcks.remove(token);
          barriers.remove(token).complete();
        } else {
          barrierAcks.put(token, left - 1);
        }
      }
    }
    flush();
  }
}
