package io.tern.gateway.mqtt;

import io.tern.common.bus.RouterLink;
import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.ConnectionSource;
import io.tern.common.config.MqttOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One MQTT listener instance (one per event loop, sharing the port, as the NATS gateways do). Its
 * connections' subscriptions go to the routers through one {@link RouterLink}, a node on the
 * event bus like a gateway, so MQTT and NATS clients see each other's messages. A connection the
 * auth service bound to an account other than the global one goes through a link of its own for
 * that account (made on first use), so its messages stay in that account.
 *
 * <p>MQTT over WebSocket: {@link #accept(MqttEndpoint)} takes an endpoint from any transport; the
 * WebSocket listener's {@code /mqtt} path is to hand its endpoints here (not wired yet).
 */
public final class MqttVerticle extends VerticleBase implements ConnectionSource {

  /** A subscription's NATS side: which connection and filter a router subscription id stands for. */
  record LinkSubscription(MqttConnection connection, String filter, String subject, int qos) {}

  private final MqttBroker broker;
  private final boolean localOnly;
  private final Map<Integer, LinkSubscription> subscriptions = new HashMap<>();
  private final Map<RouterLink, Map<Integer, LinkSubscription>> accountSubscriptions = new HashMap<>();
  private final List<MqttConnection> connections = new ArrayList<>();
  private final List<MqttChannelWriter> toFlush = new ArrayList<>();
  private boolean flushScheduled;
  private RouterLink link;
  private final Map<String, RouterLink> accountLinks = new HashMap<>();
  private final Map<String, Future<Void>> accountLinksStarted = new HashMap<>();
  private String nodePrefix;
  private MqttServer mqttServer;

  public MqttVerticle(MqttBroker broker, boolean localOnly) {
    this.broker = broker;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    MqttOptions o = broker.options();
    int partitions = broker.server().options().getRouterPartitions();
    nodePrefix = "mqtt-" + UUID.randomUUID().toString().substring(0, 8);
    link = new RouterLink(vertx, nodePrefix, partitions, localOnly);
    String host = o.getHost() != null ? o.getHost() : broker.server().options().getHost();
    MqttServerOptions serverOptions = new MqttServerOptions()
        .setAutoClientId(true)
        .setMaxMessageSize(broker.server().options().getMaxPayload() + 65_536);
    serverOptions.setHost(host).setPort(o.getPort() < 0 ? 0 : o.getPort()).setReuseAddress(true).setTcpNoDelay(true);
    mqttServer = MqttServer.create(vertx, serverOptions).endpointHandler(this::accept);
    long tick = Math.max(100, Math.min(1000, o.getAckWait().toMillis() / 2));
    vertx.setPeriodic(tick, id -> {
      long now = System.nanoTime();
      for (MqttConnection c : new ArrayList<>(connections)) {
        c.redeliverExpired(now);
      }
    });
    broker.server().connectionSources().add(this);
    return link.start()
        .compose(v -> mqttServer.listen())
        .onSuccess(s -> broker.server().mqttPort(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    broker.server().connectionSources().remove(this);
    for (MqttConnection c : new ArrayList<>(connections)) {
      c.closeForShutdown();
    }
    return mqttServer.close().compose(v -> {
      List<Future<Void>> stops = new ArrayList<>();
      stops.add(link.stop());
      accountLinks.values().forEach(l -> stops.add(l.stop()));
      return Future.all(stops);
    });
  }

  /** Takes a client whose CONNECT has arrived, whatever its transport. */
  public void accept(MqttEndpoint endpoint) {
    new MqttConnection(this, broker, endpoint).start();
  }

  void added(MqttConnection c) {
    connections.add(c);
  }

  void removed(MqttConnection c) {
    connections.remove(c);
  }

  io.vertx.core.Vertx vertx() {
    return vertx;
  }

  /** Flushes {@code w} once the current event-loop task (a delivery batch) is done. */
  void flushAfterTurn(MqttChannelWriter w) {
    toFlush.add(w);
    if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        for (MqttChannelWriter x : toFlush) {
          x.flush();
        }
        toFlush.clear();
      });
    }
  }

  /**
   * Makes sure the link for {@code account} (null or the global account: the shared one) is
   * started; completes when the connection may use it.
   */
  Future<Void> joinAccount(String account) {
    if (isGlobal(account)) {
      return Future.succeededFuture();
    }
    return accountLinksStarted.computeIfAbsent(account, a -> {
      RouterLink l = new RouterLink(vertx, nodePrefix + "-" + accountLinks.size(),
          broker.server().options().getRouterPartitions(), localOnly).bindAccount(a);
      accountLinks.put(a, l);
      return l.start();
    });
  }

  private static boolean isGlobal(String account) {
    return account == null || account.equals("$G");
  }

  private RouterLink linkOf(MqttConnection c) {
    String account = c.account();
    return isGlobal(account) ? link : accountLinks.get(account);
  }

  /** Subscribes {@code subject} for {@code c}; returns the router subscription id. */
  int subscribe(MqttConnection c, String filter, String subject, int qos) {
    RouterLink l = linkOf(c);
    Map<Integer, LinkSubscription> subs = subscriptionsOf(l);
    int subId = l.subscribe(subject, null, m -> {
      LinkSubscription s = subs.get(m.subId());
      if (s != null) {
        s.connection().deliverFromNats(s, m);
      }
    });
    subs.put(subId, new LinkSubscription(c, filter, subject, qos));
    return subId;
  }

  private Map<Integer, LinkSubscription> subscriptionsOf(RouterLink l) {
    return l == link ? subscriptions : accountSubscriptions.computeIfAbsent(l, x -> new HashMap<>());
  }

  void unsubscribe(MqttConnection c, int subId) {
    RouterLink l = linkOf(c);
    subscriptionsOf(l).remove(subId);
    l.unsubscribe(subId);
  }

  void publish(MqttConnection c, String subject, byte[] headers, byte[] payload) {
    linkOf(c).publish(subject, null, headers, payload);
  }

  /** Completes once every earlier subscribe and publish of {@code c}'s link is in effect at every router. */
  Future<Void> barrier(MqttConnection c) {
    return linkOf(c).barrier();
  }

  @Override
  public Future<List<ConnectionSnapshot>> snapshot() {
    Promise<List<ConnectionSnapshot>> promise = Promise.promise();
    context.runOnContext(v -> {
      List<ConnectionSnapshot> list = new ArrayList<>();
      for (MqttConnection c : connections) {
        if (c.isOpen()) {
          list.add(c.snapshot(null));
        }
      }
      promise.complete(list);
    });
    return promise.future();
  }
}
