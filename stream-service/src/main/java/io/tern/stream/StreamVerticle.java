package io.tern.stream;

import io.tern.common.bus.Addresses;

import io.tern.common.bus.RouterLink;
import io.tern.common.config.JetStreamOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tern.common.config.AccountJetStreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream service: opens the RocksDB store, recovers every stream, and attaches a {@link
 * StreamService} to the routers as node {@code jetstream}. Its start completes only when the API
 * and all stream subjects are routed here.
 */
public final class StreamVerticle extends VerticleBase {

  /** The node id of the stream service on the bus. */
  public static final String NODE_ID = "jetstream";

  /** How often {@code max_age} and the deduplication windows are applied. */
  private static final long EXPIRY_PERIOD_MS = 250;
  /** How often consumer timers (ack wait, expiry, heartbeats) are looked at. */
  private static final long CONSUMER_TICK_MS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(StreamVerticle.class);

  private final JetStreamOptions options;
  private final int routerPartitions;
  private RocksStorage rocks;
  private final Map<String, RouterLink> links = new LinkedHashMap<>();
  private final Map<String, StreamService> services = new LinkedHashMap<>();
  private Map<String, AccountJetStreamOptions> enabledAccounts =
      Map.of(StreamService.GLOBAL_ACCOUNT, AccountJetStreamOptions.unlimited());
  private Set<String> disabledAccounts = Set.of();
  /** Accounts whose API gets error 10039, with their links (stopped when JetStream comes on). */
  private final Map<String, RouterLink> disabledLinks = new LinkedHashMap<>();
  /** Recovered streams of accounts not (yet) JetStream-enabled: an account JWT may enable them. */
  private final List<Stream> unclaimed = new ArrayList<>();
  private List<RocksStorage.RecoveredConsumer> recoveredConsumers = List.of();
  private String nodeId;
  private String systemAccount;
  /** Distributed mode: placement, forwarding and gathering across stream-service processes. */
  private StreamCluster cluster;

  private final boolean localOnly;

  /** The stream service of embedded mode, on the local event bus. */
  public StreamVerticle(JetStreamOptions options, int routerPartitions) {
    this(options, routerPartitions, true);
  }

  /** The stream service; with {@code localOnly} false it is a node of the clustered event bus. */
  public StreamVerticle(JetStreamOptions options, int routerPartitions, boolean localOnly) {
    this.options = options;
    this.routerPartitions = routerPartitions;
    this.localOnly = localOnly;
  }

  /**
   * The accounts with JetStream (each its own API, streams and limits) and those without (their
   * API requests get error 10039); by default only {@code $G}, unlimited. Call before deploying.
   */
  public StreamVerticle accounts(Map<String, AccountJetStreamOptions> enabled, Set<String> disabled) {
    this.enabledAccounts = new LinkedHashMap<>(enabled);
    this.disabledAccounts = new LinkedHashSet<>(disabled);
    return this;
  }

  /** The system account, which never gets a JetStream responder from the routed account configuration. */
  public StreamVerticle systemAccount(String name) {
    this.systemAccount = name;
    return this;
  }

  @Override
  public Future<?> start() {
    Path dir = options.getStoreDir() != null ? options.getStoreDir() : Path.of("data", "jetstream");
    Duration syncInterval = options.getSyncInterval();
    return vertx.executeBlocking(() -> {
      var encryption = options.getEncryption();
      ValueCodec codec = encryption.isEnabled()
          ? new EncryptingCodec(encryption.getKey(), encryption.getCipher()) : ValueCodec.PLAIN;
      RocksStorage storage = RocksStorage.open(dir, syncInterval == null, codec);
      List<Stream> recovered = recover(storage);
      return new Object[] {storage, recovered};
    }).compose(opened -> {
      rocks = (RocksStorage) opened[0];
      rocks.bind(context);
      // Clustered, every stream service process needs its own node address.
      nodeId = localOnly ? NODE_ID : NODE_ID + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      if (!localOnly) {
        cluster = new StreamCluster(vertx, nodeId, routerPartitions, services::get, services::values, this::linkIds);
      }
      for (Map.Entry<String, AccountJetStreamOptions> a : enabledAccounts.entrySet()) {
        RouterLink link = link(nodeId, a.getKey());
        StreamService svc = new StreamService(vertx, link, rocks, a.getKey(), a.getValue());
        if (cluster != null) {
          svc.front(cluster);
        }
        services.put(a.getKey(), svc);
      }
      @SuppressWarnings("unchecked")
      List<Stream> recovered = (List<Stream>) opened[1];
      for (Stream s : recovered) {
        StreamService owner = services.get(s.account());
        if (owner != null) {
          owner.addRecovered(s);
        } else {
          unclaimed.add(s);
          LOG.info("stream {} of account {} kept in the store but not served: the account has no JetStream",
              s.name(), s.account());
        }
      }
      List<RocksStorage.RecoveredConsumer> consumers = rocks.recoverConsumers();
      recoveredConsumers = consumers;
      services.values().forEach(svc -> svc.recoverConsumers(consumers));
      vertx.setPeriodic(EXPIRY_PERIOD_MS, t -> services.values().forEach(StreamService::expire));
      vertx.setPeriodic(CONSUMER_TICK_MS, t -> services.values().forEach(StreamService::tickConsumers));
      if (syncInterval != null) {
        vertx.setPeriodic(Math.max(1, syncInterval.toMillis()), t -> rocks.requestWalSync());
      }
      // Embedded, the routers are up: wait until the API is subscribed everywhere. Clustered, the
      // routers may come later and get this interest by replay, so the service does not wait.
      var bus = vertx.eventBus();
      var stats = localOnly ? bus.<Object>localConsumer(Addresses.STREAM_STATS)
          : bus.<Object>consumer(Addresses.STREAM_STATS);
      stats.handler(msg -> msg.reply(statistics(msg.body())));
      List<Future<Void>> subscribed = new ArrayList<>();
      for (String account : disabledAccounts) {
        RouterLink link = link(nodeId, account);
        links.remove(account);
        disabledLinks.put(account, link);
        subscribed.add(link.start().compose(v -> responder(link).start()));
      }
      subscribed.add(followAccounts(bus));
      if (cluster == null) {
        services.values().forEach(svc -> subscribed.add(links.get(svc.account()).start().compose(v -> svc.start())));
        return Future.all(subscribed).mapEmpty();
      }
      // Clustered: the API is taken only once the placement maps are open and this node is
      // registered. The routers may come later and get this interest by replay, so the service
      // does not wait for them.
      List<StreamService> starting = new ArrayList<>(services.values());
      LOG.info("stream service node {}", nodeId);
      return cluster.start().onSuccess(v -> starting.forEach(svc -> links.get(svc.account()).start()
          .compose(w -> svc.start())));
    });
  }

  /**
   * Operator mode: account JWTs arrive at runtime, in the account configuration the auth service
   * publishes to the routers; an account whose JWT grants JetStream gets its service then, the
   * others answer 10039. Without an auth service nothing changes.
   */
  private Future<Void> followAccounts(io.vertx.core.eventbus.EventBus bus) {
    var accounts = localOnly ? bus.<JsonObject>localConsumer(Addresses.ACCOUNTS)
        : bus.<JsonObject>consumer(Addresses.ACCOUNTS);
    accounts.handler(msg -> applyAccounts(msg.body()));
    return accounts.completion()
        .compose(v -> bus.<JsonObject>request(Addresses.ACCOUNTS_GET, null,
            new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(localOnly).setSendTimeout(5000)))
        .compose(reply -> applyAccounts(reply.body()))
        .recover(noAuthService -> Future.succeededFuture());
  }

  /** Starts, updates or disables per-account JetStream as {@code config} says; completes when subscribed. */
  private Future<Void> applyAccounts(JsonObject config) {
    if (config == null || config.getJsonArray("accounts") == null) {
      return Future.succeededFuture();
    }
    List<Future<Void>> started = new ArrayList<>();
    for (Object o : config.getJsonArray("accounts")) {
      JsonObject acc = (JsonObject) o;
      String name = acc.getString("name");
      if (name == null) {
        continue;
      }
      AccountJetStreamOptions limits = RoutedJetStream.limits(acc);
      StreamService running = services.get(name);
      if (limits != null && running != null) {
        running.limits(limits);
      } else if (limits != null) {
        started.add(startAccount(name, limits));
      } else if (running == null && !disabledLinks.containsKey(name) && !name.equals(StreamService.GLOBAL_ACCOUNT)
          && !name.equals(systemAccount)) {
        RouterLink link = link(nodeId, name);
        links.remove(name);
        disabledLinks.put(name, link);
        started.add(link.start().compose(v -> responder(link).start()));
      }
    }
    return Future.all(started).mapEmpty();
  }

  /** An account's JetStream from now on, with the streams of it found in the store. */
  private Future<Void> startAccount(String account, AccountJetStreamOptions limits) {
    RouterLink off = disabledLinks.remove(account);
    Future<Void> stopped = off == null ? Future.succeededFuture() : off.stop();
    RouterLink link = new RouterLink(vertx, nodeId + "." + account + ".js", routerPartitions, localOnly);
    link.bindAccount(account);
    links.put(account, link);
    StreamService svc = new StreamService(vertx, link, rocks, account, limits);
    if (cluster != null) {
      svc.front(cluster);
    }
    services.put(account, svc);
    for (var it = unclaimed.iterator(); it.hasNext(); ) {
      Stream s = it.next();
      if (s.account().equals(account)) {
        svc.addRecovered(s);
        it.remove();
      }
    }
    svc.recoverConsumers(recoveredConsumers);
    LOG.info("JetStream enabled for account {}", account);
    Future<Void> running = stopped.recover(e -> Future.succeededFuture()).compose(v -> link.start())
        .compose(v -> svc.start());
    return cluster == null ? running : running.compose(v -> cluster.register(svc));
  }

  /** The 10039 responder of an account without JetStream; one per cluster answers each request. */
  private JetStreamDisabledResponder responder(RouterLink link) {
    return new JetStreamDisabledResponder(link, localOnly ? null : ApiFront.API_QUEUE);
  }

  /** The node ids of every router link of this process. */
  private List<String> linkIds() {
    List<String> ids = new ArrayList<>();
    links.values().forEach(l -> ids.add(l.nodeId()));
    disabledLinks.values().forEach(l -> ids.add(l.nodeId()));
    return ids;
  }

  /** One router link per account: {@code $G}'s keeps the plain node id, the others are bound. */
  private RouterLink link(String nodeId, String account) {
    boolean global = account.equals(StreamService.GLOBAL_ACCOUNT);
    RouterLink link = new RouterLink(vertx, global ? nodeId : nodeId + "." + account, routerPartitions, localOnly);
    if (!global) {
      link.bindAccount(account);
    }
    links.put(account, link);
    return link;
  }

  /**
   * With {@code {"account":name}} that account's figures ({@code {"enabled":false}} when it has no
   * JetStream, for {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}); otherwise {@code /jsz}'s sum.
   */
  private JsonObject statistics(Object request) {
    if (request instanceof JsonObject r && r.getString("account") != null) {
      StreamService svc = services.get(r.getString("account"));
      return svc == null ? new JsonObject().put("enabled", false) : svc.statistics().put("enabled", true).put("limits", svc.limitsJson());
    }
    return statistics();
  }

  /** The {@code /jsz} figures summed over every account's service. */
  private JsonObject statistics() {
    JsonObject sum = new JsonObject().put("memory", 0L).put("storage", 0L).put("accounts", 0L)
        .put("streams", 0L).put("consumers", 0L).put("messages", 0L).put("bytes", 0L);
    long apiTotal = 0;
    long apiErrors = 0;
    for (StreamService svc : services.values()) {
      JsonObject one = svc.statistics();
      for (String k : List.of("memory", "storage", "accounts", "streams", "consumers", "messages", "bytes")) {
        sum.put(k, sum.getLong(k) + one.getLong(k));
      }
      apiTotal += one.getJsonObject("api").getLong("total");
      apiErrors += one.getJsonObject("api").getLong("errors");
    }
    return sum.put("api", new JsonObject().put("total", apiTotal).put("errors", apiErrors));
  }

  private static List<Stream> recover(RocksStorage storage) {
    long now = Rfc3339.nowNanos();
    List<Stream> out = new ArrayList<>();
    for (RocksStorage.Recovered r : storage.recover()) {
      JsonObject j = new JsonObject(r.json());
      StreamConfig cfg = StreamConfig.fromJson(j.getJsonObject("config")).withDefaults();
      Stream s = new Stream(j.getString("account", StreamService.GLOBAL_ACCOUNT), r.id(), cfg,
          j.getLong("created", 0L), r.store());
      s.recover(r.lastSeq(), r.lastTimestamp(), now);
      out.add(s);
    }
    return out;
  }

  @Override
  public Future<?> stop() {
    if (cluster != null) {
      cluster.stop();
    }
    services.values().forEach(StreamService::stop);
    if (rocks != null) {
      rocks.endTurnNow();
    }
    List<Future<Void>> stops = new ArrayList<>();
    links.values().forEach(l -> stops.add(l.stop()));
    disabledLinks.values().forEach(l -> stops.add(l.stop()));
    Future<?> unlinked = Future.join(stops);
    return unlinked.eventually(() -> rocks == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          rocks.close();
          return null;
        }));
  }

  public JetStreamOptions options() {
    return options;
  }

  /** {@code $G}'s service (or the first account's), once started (tests, monitoring). */
  public StreamService service() {
    StreamService global = services.get(StreamService.GLOBAL_ACCOUNT);
    return global != null || services.isEmpty() ? global : services.values().iterator().next();
  }

  /** Every account's service by account, once started. */
  public Map<String, StreamService> services() {
    return services;
  }
}
