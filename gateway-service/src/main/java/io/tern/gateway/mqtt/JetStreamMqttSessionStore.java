package io.tern.gateway.mqtt;

import io.tern.common.bus.RouterLink;
import io.tern.gateway.mqtt.MqttRecords.SessionRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttSessionStore} in the stream service, reached through the JetStream API as an internal
 * client (see {@link MqttRecords} for the streams): persistent sessions, their QoS 1 queues and
 * retained messages survive a restart, and a device may reconnect to another gateway. Clean
 * sessions, which end with their connection, stay in this process's memory.
 *
 * <p>Every gateway keeps, from the streams and from watching their subjects on the routers, the
 * index of persistent sessions with their subscriptions and the retained messages: a QoS 1 publish
 * is stored into the queue of each persistent session that subscribes to it before the publisher
 * is acknowledged, and a subscribe finds the retained messages here. A session's queue is read by
 * sequence (STREAM.MSG.GET next_by_subj) and each message deleted (STREAM.MSG.DELETE) once the
 * client acknowledges it; the highest sequence handed out is recorded, so that after a reconnect
 * the messages up to it are sent again with DUP.
 *
 * <p>Runs on its own context; callers' futures complete on the caller's context.
 */
public final class JetStreamMqttSessionStore extends VerticleBase implements MqttSessionStore {

  private static final Logger LOG = LoggerFactory.getLogger(JetStreamMqttSessionStore.class);
  private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  private static final long RETRY_MILLIS = 500;

  /** A message of a session's queue handed to the client: its stream sequence and contents. */
  private record Queued(long seq, StoredMessage message) {}

  /** A persistent session attached to a connection of this gateway. */
  private static final class Attached {
    final String clientId;
    final SessionListener listener;
    final LinkedHashMap<Integer, Queued> inFlight = new LinkedHashMap<>();
    /** Every queued message up to this sequence has been handed out (save, when synced, late notices). */
    long cursor;
    boolean fetching;
    boolean fetchAgain;
    /**
     * Set once a read of the queue found nothing past the cursor: from then on every message stored
     * for the session is announced with its contents ({@link #known}), so it is handed out without
     * reading the stream. Messages at or below {@link #syncedAt} were read from the stream.
     */
    boolean synced;
    long syncedAt;
    /** Announced messages not yet handed out, by sequence. */
    final TreeMap<Long, StoredMessage> known = new TreeMap<>();
    long markWrittenNanos;
    long markWritten;

    Attached(String clientId, SessionListener listener) {
      this.clientId = clientId;
      this.listener = listener;
    }
  }

  private final boolean localOnly;
  private final int partitions;
  private final InMemoryMqttSessionStore clean = new InMemoryMqttSessionStore();
  /** Client ids of clean sessions; read on the callers' threads, which serve those in memory. */
  private final Set<String> cleanIds = ConcurrentHashMap.newKeySet();
  private volatile boolean loaded;
  private final MqttStateIndex index = new MqttStateIndex();
  private final Map<String, Attached> attached = new HashMap<>();
  /** The listener of every session open on this gateway, clean or persistent, by client-id hash. */
  private final Map<String, SessionListener> open = new HashMap<>();
  private final Promise<Void> ready = Promise.promise();
  private RouterLink link;
  private MqttJetStream js;

  /**
   * @param partitions how many router partitions there are
   * @param localOnly  true in embedded mode
   */
  public JetStreamMqttSessionStore(int partitions, boolean localOnly) {
    this.partitions = partitions;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    link = new RouterLink(vertx, "mqtt-store-" + UUID.randomUUID().toString().substring(0, 8), partitions,
        localOnly);
    // Own records come back through the routers otherwise, possibly behind a newer local change.
    link.noEcho(true);
    js = new MqttJetStream(vertx, link, REQUEST_TIMEOUT_MILLIS);
    // Started does not wait for the streams: in distributed mode the routers and the stream
    // service may come later; connections wait for ready() instead.
    return link.start().onSuccess(v -> {
      js.start();
      link.subscribe(MqttRecords.SESSION_PREFIX + "*", null, this::onSessionRecord);
      link.subscribe(MqttRecords.RETAINED_PREFIX + ">", null, this::onRetainedRecord);
      link.subscribe(MqttRecords.NOTIFY_PREFIX + "*", null, this::onNotify);
      link.subscribe(MqttRecords.TAKEOVER_PREFIX + "*", null, this::onTakeover);
      link.barrier().onComplete(x -> initialise());
    });
  }

  @Override
  public Future<?> stop() {
    return link.stop();
  }

  /** Completes once the streams exist and sessions and retained messages are loaded. */
  public Future<Void> ready() {
    return ready.future();
  }

  private void initialise() {
    Future<Void> streams = Future.succeededFuture();
    for (JsonObject cfg : MqttRecords.streamConfigs()) {
      streams = streams.compose(v -> js.ensureStream(cfg));
    }
    streams.compose(v -> loadSessions(1)).compose(v -> loadRetained(1)).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.debug("mqtt: {} persistent sessions and {} retained messages loaded", index.sessionCount(),
            index.retainedCount());
        loaded = true;
        ready.complete();
      } else {
        // The stream service may still be starting (or, distributed, not reachable yet).
        LOG.info("mqtt: waiting for JetStream to hold MQTT state: {}", ar.cause().getMessage());
        vertx.setTimer(RETRY_MILLIS, id -> initialise());
      }
    });
  }

  private Future<Void> loadSessions(long from) {
    return js.next(MqttRecords.SESSIONS, MqttRecords.SESSION_PREFIX + "*", from).compose(m -> {
      if (m == null) {
        return Future.succeededFuture();
      }
      String h = m.subject().substring(MqttRecords.SESSION_PREFIX.length());
      SessionRecord rec = MqttRecords.decodeSession(m.payload());
      if (rec != null && !index.hasSession(h)) {
        index.putSession(h, rec);
      }
      return loadSessions(m.seq() + 1);
    });
  }

  private Future<Void> loadRetained(long from) {
    return js.next(MqttRecords.RETAINED, MqttRecords.RETAINED_PREFIX + ">", from).compose(m -> {
      if (m == null) {
        return Future.succeededFuture();
      }
      String subject = m.subject().substring(MqttRecords.RETAINED_PREFIX.length());
      RetainedMessage r = MqttRecords.decodeRetained(subject, m.payload());
      if (r != null) {
        index.retainIfAbsent(subject, r);
      }
      return loadRetained(m.seq() + 1);
    });
  }

  // ---- what other gateways change ----

  private void onSessionRecord(RouterLink.Message m) {
    String h = m.subject().substring(MqttRecords.SESSION_PREFIX.length());
    SessionRecord rec = MqttRecords.decodeSession(m.payload());
    if (rec == null) {
      index.removeSession(h);
    } else {
      index.putSession(h, rec);
    }
  }

  private void onRetainedRecord(RouterLink.Message m) {
    String subject = m.subject().substring(MqttRecords.RETAINED_PREFIX.length());
    RetainedMessage r = MqttRecords.decodeRetained(subject, m.payload());
    index.retain(subject, r);
  }

  private void onNotify(RouterLink.Message m) {
    Attached a = attached.get(m.subject().substring(MqttRecords.NOTIFY_PREFIX.length()));
    byte[] p = m.payload();
    if (a != null && p != null && p.length > 8) {
      long seq = ByteBuffer.wrap(p, 0, 8).getLong();
      announced(a, seq, MqttRecords.decodeQueued(Arrays.copyOfRange(p, 8, p.length)));
    }
  }

  /** A message stored in an attached session's queue at {@code seq}: remembered, and the session told. */
  private void announced(Attached a, long seq, StoredMessage message) {
    if (a.synced ? seq > a.syncedAt : seq > a.cursor) {
      a.known.put(seq, message);
    }
    a.listener.messagesAvailable();
  }

  /** Another gateway opened a session of this client id: the connection here gives way. */
  private void onTakeover(RouterLink.Message m) {
    SessionListener l = open.remove(m.subject().substring(MqttRecords.TAKEOVER_PREFIX.length()));
    if (l != null) {
      l.takenOver();
    }
  }

  // ---- calls from the connections' contexts ----

  /** Runs {@code op} on this store's context once it is ready; completes on the caller's context. */
  private <T> Future<T> call(Supplier<Future<T>> op) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> ready.future().compose(x -> {
      try {
        return op.get();
      } catch (RuntimeException e) {
        return Future.<T>failedFuture(e);
      }
    }).onComplete(ar -> {
      if (caller == null || caller == context) {
        result.handle(ar);
      } else {
        caller.runOnContext(x -> result.handle(ar));
      }
    }));
    return result.future();
  }

  @Override
  public Future<SessionState> open(String clientId, boolean cleanSession, SessionListener listener) {
    return call(() -> {
      String h = MqttRecords.hash(clientId);
      // Within this process MqttBroker has closed any earlier connection of the id; other gateways
      // close theirs on hearing this (this link does not hear its own publishes).
      open.put(h, listener);
      link.publish(MqttRecords.TAKEOVER_PREFIX + h, null, null, new byte[0]);
      if (cleanSession) {
        Future<Void> discarded = index.hasSession(h) ? discard(h) : Future.succeededFuture();
        return discarded.compose(v -> {
          cleanIds.add(clientId);
          return clean.open(clientId, true, listener);
        });
      }
      if (cleanIds.remove(clientId)) {
        clean.remove(clientId);
      }
      Attached a = new Attached(clientId, listener);
      attached.put(h, a);
      return storedSession(h).compose(existing -> {
        Future<SessionRecord> rec = existing != null ? Future.succeededFuture(existing)
            : saveSession(h, new SessionRecord(clientId, new LinkedHashMap<>()));
        return rec.compose(r -> loadDelivered(h, a).map(v -> new SessionState(existing != null,
            new LinkedHashMap<>(r.subscriptions()))));
      });
    });
  }

  /**
   * The session record of {@code h}: from the index, or else read from the stream, since a device
   * that just left another gateway may arrive here before that gateway's last change does.
   */
  private Future<SessionRecord> storedSession(String h) {
    SessionRecord known = index.session(h);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return js.last(MqttRecords.SESSIONS, MqttRecords.SESSION_PREFIX + h).map(m -> {
      SessionRecord rec = m == null ? null : MqttRecords.decodeSession(m.payload());
      if (rec != null) {
        index.putSession(h, rec);
      }
      return rec;
    });
  }

  /** Removes a persistent session with its queue (a clean session took its client id). */
  private Future<Void> discard(String h) {
    index.removeSession(h);
    return js.store(MqttRecords.SESSION_PREFIX + h, new byte[0])
        .compose(s -> js.purge(MqttRecords.MESSAGES, MqttRecords.MESSAGE_PREFIX + h))
        .compose(v -> js.purge(MqttRecords.SESSIONS, MqttRecords.SESSION_PREFIX + h + ".dlv"));
  }

  private Future<SessionRecord> saveSession(String h, SessionRecord rec) {
    index.putSession(h, rec);
    return js.store(MqttRecords.SESSION_PREFIX + h, MqttRecords.encodeSession(rec.clientId(), rec.subscriptions()))
        .map(seq -> rec);
  }

  /**
   * Puts the queued messages a previous connection was handed and did not acknowledge back in
   * flight, to be sent again with DUP, and moves the cursor past them.
   */
  private Future<Void> loadDelivered(String h, Attached a) {
    return js.last(MqttRecords.SESSIONS, MqttRecords.SESSION_PREFIX + h + ".dlv").compose(mark -> {
      long delivered = mark == null ? 0 : Long.parseLong(new String(mark.payload(), StandardCharsets.US_ASCII));
      return loadInFlight(h, a, 1, delivered);
    });
  }

  private Future<Void> loadInFlight(String h, Attached a, long from, long upTo) {
    if (from > upTo) {
      a.cursor = upTo;
      return Future.succeededFuture();
    }
    return js.next(MqttRecords.MESSAGES, MqttRecords.MESSAGE_PREFIX + h, from).compose(m -> {
      if (m == null || m.seq() > upTo) {
        a.cursor = upTo;
        return Future.succeededFuture();
      }
      a.inFlight.put(packetId(m.seq()), new Queued(m.seq(), MqttRecords.decodeQueued(m.payload())));
      return loadInFlight(h, a, m.seq() + 1, upTo);
    });
  }

  /** The packet identifier of a queued message: from its sequence, so a resend keeps it. */
  static int packetId(long seq) {
    return (int) ((seq - 1) % 65535) + 1;
  }

  @Override
  public Future<Void> close(String clientId, SessionListener listener, boolean discard) {
    return call(() -> {
      open.remove(MqttRecords.hash(clientId), listener);
      if (cleanIds.contains(clientId)) {
        return clean.close(clientId, listener, discard).onSuccess(v -> {
          if (!clean.has(clientId)) {
            cleanIds.remove(clientId);
          }
        });
      }
      String h = MqttRecords.hash(clientId);
      Attached a = attached.get(h);
      if (a != null && a.listener == listener) {
        attached.remove(h);
        writeMark(h, a, true);
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> subscribe(String clientId, Map<String, Integer> filters) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.subscribe(clientId, filters);
    }
    return changeSubscriptions(clientId, subs -> subs.putAll(filters));
  }

  @Override
  public Future<Void> unsubscribe(String clientId, List<String> filters) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.unsubscribe(clientId, filters);
    }
    return changeSubscriptions(clientId, subs -> filters.forEach(subs::remove));
  }

  /** Saves a persistent session's record with its subscriptions changed by {@code change}. */
  private Future<Void> changeSubscriptions(String clientId,
                                          java.util.function.Consumer<Map<String, Integer>> change) {
    return call(() -> {
      String h = MqttRecords.hash(clientId);
      SessionRecord rec = index.session(h);
      if (rec == null) {
        return Future.succeededFuture();
      }
      Map<String, Integer> subs = new LinkedHashMap<>(rec.subscriptions());
      change.accept(subs);
      return saveSession(h, new SessionRecord(clientId, subs)).mapEmpty();
    });
  }

  @Override
  public Future<Void> storeMessage(StoredMessage message) {
    if (loaded && !index.anyQos1()) {
      return Future.succeededFuture();
    }
    return call(() -> {
      List<String> targets = index.qos1Targets(message.subject());
      if (targets.isEmpty()) {
        return Future.succeededFuture();
      }
      byte[] record = MqttRecords.encodeQueued(message);
      List<Future<Long>> stored = new ArrayList<>();
      for (String h : targets) {
        stored.add(js.store(MqttRecords.MESSAGE_PREFIX + h, record).onSuccess(seq -> notifyQueued(h, seq, message, record)));
      }
      return Future.all(stored).mapEmpty();
    });
  }

  /**
   * Tells the session's connection, wherever it is, that {@code message} is in its queue at
   * {@code seq}; the notice carries the message, so a session that is synced need not read it.
   */
  private void notifyQueued(String h, long seq, StoredMessage message, byte[] record) {
    Attached a = attached.get(h);
    if (a != null) {
      announced(a, seq, message);
    }
    // Other gateways hear it through the routers (this link does not hear its own publishes).
    byte[] notice = new byte[8 + record.length];
    ByteBuffer.wrap(notice).putLong(seq).put(record);
    link.publish(MqttRecords.NOTIFY_PREFIX + h, null, null, notice);
  }

  @Override
  public Future<Void> enqueue(String clientId, StoredMessage message) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.enqueue(clientId, message);
    }
    return call(() -> {
      String h = MqttRecords.hash(clientId);
      if (!index.hasSession(h)) {
        return Future.succeededFuture();
      }
      byte[] record = MqttRecords.encodeQueued(message);
      return js.store(MqttRecords.MESSAGE_PREFIX + h, record)
          .onSuccess(seq -> notifyQueued(h, seq, message, record)).mapEmpty();
    });
  }

  @Override
  public Future<List<Delivery>> unacknowledged(String clientId) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.unacknowledged(clientId);
    }
    return call(() -> {
      Attached a = attached.get(MqttRecords.hash(clientId));
      List<Delivery> list = new ArrayList<>();
      if (a != null) {
        a.inFlight.forEach((id, q) -> list.add(new Delivery(id, q.message())));
      }
      return Future.succeededFuture(list);
    });
  }

  @Override
  public Future<List<Delivery>> take(String clientId, int maxInFlight) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.take(clientId, maxInFlight);
    }
    return call(() -> {
      String h = MqttRecords.hash(clientId);
      Attached a = attached.get(h);
      if (a == null) {
        return Future.succeededFuture(List.of());
      }
      if (a.fetching) {
        a.fetchAgain = true;
        return Future.succeededFuture(List.of());
      }
      List<Delivery> list = new ArrayList<>();
      if (a.synced) {
        handOutKnown(a, maxInFlight, list);
        writeMark(h, a, false);
        return Future.succeededFuture(list);
      }
      a.fetching = true;
      return fetch(h, a, maxInFlight, list).map(v -> {
        a.fetching = false;
        if (a.synced) {
          handOutKnown(a, maxInFlight, list);
        }
        writeMark(h, a, false);
        if (a.fetchAgain) {
          a.fetchAgain = false;
          a.listener.messagesAvailable();
        }
        return list;
      }).onFailure(t -> a.fetching = false);
    });
  }

  /** Hands out announced messages, lowest sequence first, while the session has room in flight. */
  private static void handOutKnown(Attached a, int maxInFlight, List<Delivery> out) {
    while (!a.known.isEmpty() && a.inFlight.size() < maxInFlight) {
      Map.Entry<Long, StoredMessage> e = a.known.firstEntry();
      int id = packetId(e.getKey());
      if (a.inFlight.containsKey(id)) {
        return; // a message 65,535 sequences older still waits under this identifier
      }
      a.known.pollFirstEntry();
      a.cursor = Math.max(a.cursor, e.getKey());
      Queued q = new Queued(e.getKey(), e.getValue());
      a.inFlight.put(id, q);
      out.add(new Delivery(id, q.message()));
    }
  }

  /**
   * Records the highest sequence handed out (messages up to it go again with DUP after a
   * reconnect): at most every 200 ms while messages flow, and when the connection goes.
   */
  private void writeMark(String h, Attached a, boolean now) {
    long t = System.nanoTime();
    if (a.cursor > a.markWritten && (now || t - a.markWrittenNanos > 200_000_000L)) {
      a.markWrittenNanos = t;
      a.markWritten = a.cursor;
      js.storeLater(MqttRecords.SESSION_PREFIX + h + ".dlv",
          Long.toString(a.cursor).getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Reads the queue past the cursor while the session has room in flight. */
  private Future<Void> fetch(String h, Attached a, int maxInFlight, List<Delivery> out) {
    if (a.inFlight.size() >= maxInFlight || attached.get(h) != a) {
      return Future.succeededFuture();
    }
    return js.next(MqttRecords.MESSAGES, MqttRecords.MESSAGE_PREFIX + h, a.cursor + 1).compose(m -> {
      if (m == null) {
        // Caught up: whatever is stored from now on is announced to this session with its contents.
        a.synced = true;
        a.syncedAt = a.cursor;
        a.known.headMap(a.cursor, true).clear();
        return Future.succeededFuture();
      }
      int id = packetId(m.seq());
      if (a.inFlight.containsKey(id)) {
        // A message 65,535 sequences older still waits under this identifier.
        return Future.succeededFuture();
      }
      a.cursor = m.seq();
      a.known.remove(m.seq());
      Queued q = new Queued(m.seq(), MqttRecords.decodeQueued(m.payload()));
      a.inFlight.put(id, q);
      out.add(new Delivery(id, q.message()));
      return fetch(h, a, maxInFlight, out);
    });
  }

  @Override
  public Future<Boolean> ack(String clientId, int packetId) {
    // Clean sessions are in memory (synchronised): served on the caller's thread.
    if (cleanIds.contains(clientId)) {
      return clean.ack(clientId, packetId);
    }
    return call(() -> {
      Attached a = attached.get(MqttRecords.hash(clientId));
      Queued q = a == null ? null : a.inFlight.remove(packetId);
      if (q != null) {
        js.deleteLater(MqttRecords.MESSAGES, q.seq());
      }
      return Future.succeededFuture(q != null);
    });
  }

  @Override
  public Future<Void> retain(RetainedMessage message) {
    return call(() -> {
      String subject = message.subject();
      String stored = MqttRecords.RETAINED_PREFIX + subject;
      if (message.payload().length == 0) {
        index.retain(subject, null);
        return js.store(stored, new byte[0]).mapEmpty();
      }
      index.retain(subject, message);
      return js.store(stored, MqttRecords.encodeRetained(message)).mapEmpty();
    });
  }

  @Override
  public Future<List<RetainedMessage>> retained(String subject) {
    return call(() -> {
      return Future.succeededFuture(index.retainedMatching(subject));
    });
  }

  /** How many persistent sessions this gateway knows of; for tests and monitoring. */
  public Future<Integer> sessionCount() {
    return call(() -> Future.succeededFuture(index.sessionCount()));
  }
}
