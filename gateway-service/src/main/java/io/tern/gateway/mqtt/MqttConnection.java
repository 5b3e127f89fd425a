package io.tern.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tern.common.bus.RouterLink;
import io.tern.common.config.PermissionsOptions;
import io.tern.gateway.ClientPermissions;
import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.ConnectionSnapshot.SubscriptionSnapshot;
import io.tern.gateway.mqtt.MqttSessionStore.Delivery;
import io.tern.gateway.mqtt.MqttSessionStore.RetainedMessage;
import io.tern.gateway.mqtt.MqttSessionStore.StoredMessage;
import io.tern.gateway.mqtt.MqttVerticle.LinkSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1.1 client on its {@link MqttVerticle}'s event loop: CONNECT checks and
 * authentication, client-id takeover, the session (from the {@link MqttSessionStore}),
 * subscriptions on the routers, QoS 0 and 1 both ways, retained messages and the will.
 *
 * <p>Messages reach the client two ways, as in nats-server: through its router subscriptions (NATS
 * publishes and MQTT QoS 0, delivered at QoS 0), and from its session's queue (MQTT QoS 1
 * publishes, for QoS 1 subscriptions, with packet identifiers, acks and redelivery). A message
 * that came from an MQTT QoS 1 publish reaches a QoS 1 subscription through the queue only: a
 * persistent session's queue is filled by the publisher's gateway before it acknowledges the
 * publish; a clean session's connection queues what its router subscriptions receive.
 */
final class MqttConnection {

  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
  /** The header nats-server puts on MQTT-published messages, with the publish QoS after the colon. */
  static final String PUB_HEADER = "Nmqtt-Pub";
  private static final byte[][] PUB_HEADERS = {
      header(0), header(1)
  };
  private static final int MQTT_3_1_1 = 4;

  private final MqttVerticle verticle;
  private final MqttBroker broker;
  private final MqttEndpoint endpoint;
  private final MqttSessionStore store;
  private final Context context;
  private final long cid;
  private final String remoteHost;
  private final int remotePort;
  private final long startMillis = System.currentTimeMillis();
  private long lastActivityMillis = startMillis;
  /** Filter to its router subscription ids and granted QoS. */
  private final Map<String, int[]> subscriptions = new LinkedHashMap<>();
  private final Map<String, Integer> grantedQos = new LinkedHashMap<>();
  private final Map<Integer, Long> sentNanos = new LinkedHashMap<>();
  private final MqttSessionStore.SessionListener listener = new MqttSessionStore.SessionListener() {
    @Override
    public void messagesAvailable() {
      MqttConnection.this.messagesAvailable();
    }

    @Override
    public void takenOver() {
      closeForTakeover();
    }
  };
  /** Unflushed QoS 0 writes to the channel; null when vertx-mqtt's channel is out of reach. */
  private final MqttChannelWriter writer;
  private String clientId;
  private String user;
  /** The account the auth service bound, which it counts until the close is reported; null: global. */
  private String account;
  /** The user's permissions on subjects mapped from topics; null: unrestricted. */
  private ClientPermissions perms;
  private boolean accepted;
  private boolean counted;
  private boolean closed;
  private boolean graceful;
  private boolean pumpScheduled;
  private String closeReason;
  private long inMsgs;
  private long inBytes;
  private long outMsgs;
  private long outBytes;

  MqttConnection(MqttVerticle verticle, MqttBroker broker, MqttEndpoint endpoint) {
    this.verticle = verticle;
    this.broker = broker;
    this.endpoint = endpoint;
    this.store = broker.store();
    this.context = verticle.vertx().getOrCreateContext();
    this.cid = broker.server().nextCid();
    this.writer = MqttChannelWriter.of(endpoint);
    io.vertx.core.net.SocketAddress remote = endpoint.remoteAddress();
    if (remote != null && isLoopback(remote.host()) && broker.server().mqttWebSocketPeer(remote.port()) != null) {
      remote = broker.server().mqttWebSocketPeer(remote.port());
    }
    this.remoteHost = remote == null ? "" : remote.host();
    this.remotePort = remote == null ? 0 : remote.port();
  }

  private static boolean isLoopback(String host) {
    return host != null && (host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1"));
  }

  private static byte[] header(int qos) {
    return ("NATS/1.0\r\n" + PUB_HEADER + ":" + qos + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  // ---- connecting ----

  void start() {
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.closeHandler(v -> onClosed());
    endpoint.exceptionHandler(t -> {
      LOG.debug("mqtt cid {}: {}", cid, t.getMessage());
      close("Protocol Violation");
    });
    if (endpoint.protocolVersion() != MQTT_3_1_1) {
      endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
      return;
    }
    clientId = endpoint.clientIdentifier();
    if (clientId == null || clientId.indexOf('\u0000') >= 0 || clientId.indexOf('\uFFFD') >= 0) {
      endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
      return;
    }
    MqttWill will = endpoint.will();
    if (will != null && will.isWillFlag() && !validWill(will)) {
      closeSocket();
      return;
    }
    if (!broker.server().tryAddConnection()) {
      endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      return;
    }
    counted = true;
    verticle.added(this);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishAcknowledgeHandler(this::onPuback);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.disconnectHandler(v -> {
      // vertx-mqtt closes the socket itself right after this handler (closing it here too made it
      // log "MQTT endpoint is closed" for every DISCONNECT).
      graceful = true;
      onClosed();
    });
    endpoint.pingHandler(v -> lastActivityMillis = System.currentTimeMillis());
    String userName = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    broker.authenticate(verticle.vertx(), userName, password, remoteHost).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded() && ar.result().ok() && ar.result().account() != null) {
          verticle.vertx().eventBus().send(io.tern.common.bus.Addresses.AUTH_DISCONNECT, ar.result().account());
        }
        return;
      }
      if (ar.failed() || !ar.result().ok()) {
        closeReason = "Authentication Failure";
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        return;
      }
      user = ar.result().user();
      account = ar.result().account();
      JsonObject p = ar.result().permissions();
      perms = p == null ? null : ClientPermissions.compile(PermissionsOptions.fromJson(p));
      verticle.joinAccount(account).onComplete(j -> context.runOnContext(x -> {
        if (closed) {
          return;
        }
        if (j.failed()) {
          closeReason = "Server Error";
          endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
          return;
        }
        takeOver();
      }));
    });
  }

  private boolean validWill(MqttWill will) {
    if (!MqttTopics.isWellFormed(will.getWillTopic(), false) || will.getWillQos() > 2) {
      return false;
    }
    try {
      MqttTopics.topicToSubject(will.getWillTopic());
      return true;
    } catch (MqttTopics.InvalidTopicException e) {
      return false;
    }
  }

  /** Closes the previous connection of this client id, then opens the session. */
  private void takeOver() {
    MqttConnection previous = broker.register(clientId, this);
    Future<Void> gone = previous == null ? Future.succeededFuture() : previous.closeForTakeover();
    gone.onComplete(v -> context.runOnContext(x -> openSession()));
  }

  private Future<Void> closeForTakeover() {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      close("Duplicate Client ID");
      promise.complete();
    });
    return promise.future();
  }

  private void openSession() {
    if (closed) {
      broker.unregister(clientId, this);
      return;
    }
    boolean clean = endpoint.isCleanSession();
    store.open(clientId, clean, listener).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        return;
      }
      ar.result().subscriptions().forEach(this::subscribeOnRouters);
      verticle.barrier(this).onComplete(b -> {
        if (closed) {
          return;
        }
        endpoint.accept(!clean && ar.result().present());
        accepted = true;
        store.unacknowledged(clientId).onSuccess(list -> {
          for (Delivery d : list) {
            send(d, true);
          }
          pump();
        });
      });
    });
  }

  // ---- client to server ----

  private void onPublish(MqttPublishMessage msg) {
    lastActivityMillis = System.currentTimeMillis();
    String topic = msg.topicName();
    if (!MqttTopics.isWellFormed(topic, false)) {
      close("Protocol Violation");
      return;
    }
    int qos = msg.qosLevel().value();
    if (qos == 2) {
      LOG.debug("mqtt cid {}: publish QoS=2 not supported", cid);
      close("Protocol Violation");
      return;
    }
    String subject;
    try {
      subject = MqttTopics.topicToSubject(topic);
    } catch (MqttTopics.InvalidTopicException e) {
      LOG.debug("mqtt cid {}: {}", cid, e.getMessage());
      close("Protocol Violation");
      return;
    }
    byte[] payload = msg.payload().getBytes();
    inMsgs++;
    inBytes += payload.length;
    int messageId = msg.messageId();
    publishFromClient(subject, topic, payload, qos, msg.isRetain()).onComplete(ar -> {
      if (qos == 1 && !closed && ar.succeeded()) {
        endpoint.publishAcknowledge(messageId);
      }
    });
  }

  /** Stores (retained, QoS 1) then publishes to the routers, as a client publish or the will. */
  private Future<Void> publishFromClient(String subject, String topic, byte[] payload, int qos, boolean retain) {
    if (!mayPublish(subject)) {
      // As nats-server: a denied publish (or will) is dropped, a QoS 1 one still gets its PUBACK.
      LOG.debug("mqtt cid {}: publish violation on \"{}\"", cid, subject);
      return Future.succeededFuture();
    }
    Future<Void> stored = Future.succeededFuture();
    if (retain) {
      stored = store.retain(new RetainedMessage(subject, topic, payload, qos));
    }
    if (qos > 0) {
      stored = stored.compose(v -> store.storeMessage(new StoredMessage(subject, topic, payload, false)));
    }
    return stored.onSuccess(v -> verticle.publish(this, subject, PUB_HEADERS[qos], payload));
  }

  private void onPuback(int packetId) {
    lastActivityMillis = System.currentTimeMillis();
    sentNanos.remove(packetId);
    store.ack(clientId, packetId).onSuccess(v -> pump());
  }

  private void onSubscribe(MqttSubscribeMessage msg) {
    lastActivityMillis = System.currentTimeMillis();
    List<MqttQoS> granted = new ArrayList<>();
    Map<String, Integer> added = new LinkedHashMap<>();
    for (MqttTopicSubscription ts : msg.topicSubscriptions()) {
      String filter = ts.topicName();
      if (!MqttTopics.isWellFormed(filter, true)) {
        close("Protocol Violation");
        return;
      }
      int qos = Math.min(1, ts.qualityOfService().value());
      List<String> subjects;
      try {
        subjects = MqttTopics.filterToSubjects(filter);
      } catch (MqttTopics.InvalidTopicException e) {
        LOG.debug("mqtt cid {}: invalid topic \"{}\": {}", cid, filter, e.getMessage());
        granted.add(MqttQoS.FAILURE);
        continue;
      }
      if (!maySubscribe(subjects)) {
        // As nats-server: SUBACK 0x80 for this filter, the others in the packet still apply.
        LOG.debug("mqtt cid {}: subscription violation on \"{}\"", cid, filter);
        granted.add(MqttQoS.FAILURE);
        continue;
      }
      subscribeOnRouters(filter, qos);
      added.put(filter, qos);
      granted.add(MqttQoS.valueOf(qos));
    }
    store.subscribe(clientId, added)
        .compose(v -> verticle.barrier(this))
        .onComplete(ar -> {
          if (closed) {
            return;
          }
          endpoint.subscribeAcknowledge(msg.messageId(), granted);
          added.forEach(this::sendRetained);
        });
  }

  private void subscribeOnRouters(String filter, int qos) {
    int[] old = subscriptions.remove(filter);
    if (old != null) {
      for (int id : old) {
        verticle.unsubscribe(this, id);
      }
    }
    List<String> subjects = MqttTopics.filterToSubjects(filter);
    int[] ids = new int[subjects.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = verticle.subscribe(this, filter, subjects.get(i), qos);
    }
    subscriptions.put(filter, ids);
    grantedQos.put(filter, qos);
  }

  private void sendRetained(String filter, int subQos) {
    Set<String> seen = new HashSet<>();
    for (String subject : MqttTopics.filterToSubjects(filter)) {
      store.retained(subject).onSuccess(list -> {
        for (RetainedMessage m : list) {
          if (closed || MqttTopics.hiddenFromFilter(m.subject(), filter) || !mayReceive(m.subject())
              || !seen.add(m.subject())) {
            continue;
          }
          if (Math.min(subQos, m.qos()) == 0) {
            outMsgs++;
            outBytes += m.payload().length;
            endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_MOST_ONCE, false, true);
          } else {
            store.enqueue(clientId, new StoredMessage(m.subject(), m.topic(), m.payload(), true));
          }
        }
      });
    }
  }

  private void onUnsubscribe(MqttUnsubscribeMessage msg) {
    lastActivityMillis = System.currentTimeMillis();
    for (String filter : msg.topics()) {
      int[] ids = subscriptions.remove(filter);
      grantedQos.remove(filter);
      if (ids != null) {
        for (int id : ids) {
          verticle.unsubscribe(this, id);
        }
      }
    }
    store.unsubscribe(clientId, msg.topics()).onComplete(ar -> {
      if (!closed) {
        endpoint.unsubscribeAcknowledge(msg.messageId());
      }
    });
  }

  // ---- server to client ----

  /** A message from a router subscription: QoS 0, unless the session queue delivers it. */
  void deliverFromNats(LinkSubscription s, RouterLink.Message m) {
    if (closed || !accepted || MqttTopics.hiddenFromFilter(m.subject(), s.filter()) || !mayReceive(m.subject())) {
      return;
    }
    byte[] payload = m.payload();
    if (s.qos() > 0 && publishQos(m.headers()) > 0) {
      // A persistent session's queue in the store already has it; a clean session queues it here.
      if (endpoint.isCleanSession()) {
        store.enqueue(clientId, new StoredMessage(m.subject(), MqttTopics.subjectToTopic(m.subject()), payload, false));
      }
      return;
    }
    outMsgs++;
    outBytes += payload.length;
    String topic = MqttTopics.subjectToTopic(m.subject());
    if (writer == null) {
      endpoint.publish(topic, Buffer.buffer(payload), MqttQoS.AT_MOST_ONCE, false, false);
    } else if (writer.writeQos0(topic, payload, false)) {
      verticle.flushAfterTurn(writer);
    }
  }

  /** The QoS in an {@code Nmqtt-Pub} header, 0 when there is none. */
  static int publishQos(byte[] headers) {
    if (headers == null) {
      return 0;
    }
    String text = new String(headers, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\r\n" + PUB_HEADER + ":");
    if (at < 0) {
      return 0;
    }
    int i = at + PUB_HEADER.length() + 3;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i < text.length() && text.charAt(i) >= '1' && text.charAt(i) <= '2' ? text.charAt(i) - '0' : 0;
  }

  private void messagesAvailable() {
    context.runOnContext(v -> {
      if (!pumpScheduled) {
        pumpScheduled = true;
        context.runOnContext(x -> {
          pumpScheduled = false;
          pump();
        });
      }
    });
  }

  /** Sends queued QoS 1 messages while fewer than {@code max_ack_pending} are unacknowledged. */
  private void pump() {
    if (closed || !accepted) {
      return;
    }
    store.take(clientId, broker.options().getMaxAckPending()).onSuccess(list -> {
      for (Delivery d : list) {
        send(d, false);
      }
    });
  }

  private void send(Delivery d, boolean dup) {
    if (closed) {
      return;
    }
    StoredMessage m = d.message();
    if (!mayReceive(m.subject())) {
      // Queued by the session store through a wildcard that overlaps a subscribe deny entry.
      sentNanos.remove(d.packetId());
      store.ack(clientId, d.packetId()).onSuccess(v -> pump());
      return;
    }
    outMsgs++;
    outBytes += m.payload().length;
    sentNanos.put(d.packetId(), System.nanoTime());
    endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_LEAST_ONCE, dup, m.retain(), d.packetId());
  }

  private boolean mayPublish(String subject) {
    if (perms == null) {
      return true;
    }
    byte[] b = subject.getBytes(StandardCharsets.UTF_8);
    return perms.canPublish(b, 0, b.length);
  }

  private boolean maySubscribe(List<String> subjects) {
    if (perms == null) {
      return true;
    }
    for (String subject : subjects) {
      if (perms.subscribeViolation(subject, null) != null) {
        return false;
      }
    }
    return true;
  }

  private boolean mayReceive(String subject) {
    if (perms == null) {
      return true;
    }
    byte[] b = subject.getBytes(StandardCharsets.UTF_8);
    return perms.deliverable(b, 0, b.length, null, 0, 0);
  }

  /** Sends again, with DUP, messages unacknowledged for longer than {@code ack_wait}. */
  void redeliverExpired(long nowNanos) {
    if (closed || !accepted || sentNanos.isEmpty()) {
      return;
    }
    long wait = broker.options().getAckWait().toNanos();
    boolean expired = sentNanos.values().stream().anyMatch(t -> nowNanos - t >= wait);
    if (expired) {
      store.unacknowledged(clientId).onSuccess(list -> {
        for (Delivery d : list) {
          Long t = sentNanos.get(d.packetId());
          if (t == null || nowNanos - t >= wait) {
            send(d, true);
          }
        }
      });
    }
  }

  // ---- closing ----

  boolean isOpen() {
    return !closed && counted;
  }

  void closeForShutdown() {
    graceful = true;
    close("Server Shutdown");
  }

  private void close(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    closeSocket();
    onClosed();
  }

  private void closeSocket() {
    try {
      endpoint.close();
    } catch (IllegalArgumentException alreadyClosed) {
      // vert.x refuses to close an endpoint twice; nothing left to do.
    }
  }

  /** The account this connection's messages belong to; null for the global account. */
  String account() {
    return account;
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (account != null) {
      verticle.vertx().eventBus().send(io.tern.common.bus.Addresses.AUTH_DISCONNECT, account);
    }
    if (!counted) {
      return;
    }
    MqttWill will = endpoint.will();
    if (!graceful && accepted && will != null && will.isWillFlag()) {
      byte[] payload = will.getWillMessageBytes() == null ? new byte[0] : will.getWillMessageBytes();
      String topic = will.getWillTopic();
      publishFromClient(MqttTopics.topicToSubject(topic), topic, payload, Math.min(1, will.getWillQos()),
          will.isWillRetain());
    }
    for (int[] ids : subscriptions.values()) {
      for (int id : ids) {
        verticle.unsubscribe(this, id);
      }
    }
    if (clientId != null) {
      store.close(clientId, listener, endpoint.isCleanSession());
      broker.unregister(clientId, this);
    }
    verticle.removed(this);
    broker.server().removeConnection();
    broker.server().addClosedCounts(inMsgs, inBytes, outMsgs, outBytes);
    broker.server().closedConnections().add(snapshot(closeReason == null ? "Client Closed" : closeReason));
  }

  /** Copies this connection for monitoring; {@code reason} non-null for a closed one. */
  ConnectionSnapshot snapshot(String reason) {
    List<SubscriptionSnapshot> subs = new ArrayList<>();
    subscriptions.forEach((filter, ids) -> {
      List<String> subjects = MqttTopics.filterToSubjects(filter);
      for (int i = 0; i < subjects.size(); i++) {
        String sid = i == 0 && subjects.size() > 1 ? subjects.get(1) + " fwc" : subjects.get(i);
        subs.add(new SubscriptionSnapshot(subjects.get(i), null, sid, 0, cid));
      }
    });
    return new ConnectionSnapshot(cid, remoteHost, remotePort, Instant.ofEpochMilli(startMillis),
        Instant.ofEpochMilli(lastActivityMillis), reason == null ? null : Instant.now(), reason, 0, inMsgs, outMsgs,
        inBytes, outBytes, null, null, null, user, List.copyOf(subs), clientId);
  }
}
