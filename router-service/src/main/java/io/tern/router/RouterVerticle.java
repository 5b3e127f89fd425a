package io.tern.router;

import io.tern.common.bus.Addresses;
import io.tern.common.bus.BusCodecs;
import io.tern.common.bus.InterestQuery;
import io.tern.common.bus.LocalPartitions;
import io.tern.common.bus.RouteBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.tern.common.subject.SubjectTrie;

/**
 * One router partition on its own event loop: receives {@link RouteBatch}es on
 * {@code tern.router.<partition>} and sends each node one delivery batch per routed batch.
 */
public final class RouterVerticle extends VerticleBase {

  private final int partition;
  private final boolean localOnly;
  private final Router router = new Router();
  /** How often a partition announces itself in distributed mode. */
  static final long ANNOUNCE_MILLIS = 1000;
  private SourceGate gate;
  private long announceTimer = -1;
  private String nodeName = "";

  public RouterVerticle(int partition, boolean localOnly) {
    this.partition = partition;
    this.localOnly = localOnly;
  }

  /** Distributed mode: the process (cluster node) this partition runs on, named in its announcements. */
  public RouterVerticle(int partition, String nodeName) {
    this(partition, false);
    this.nodeName = nodeName;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    DeliveryOptions delivery = new DeliveryOptions().setLocalOnly(localOnly);
    router.responseLedgerOf(vertx);
    String address = Addresses.router(partition);
    MessageConsumer<RouteBatch> consumer = localOnly ? bus.localConsumer(address) : bus.consumer(address);
    if (localOnly) {
      LocalPartitions.register(vertx, partition);
      router.interestGeneration(LocalPartitions.interestGeneration(vertx));
      consumer.handler(msg -> router.route(msg.body(), (node, batch) -> bus.send(Addresses.node(node), batch, delivery)));
    } else {
      consumer.handler(msg -> routeGated(msg.body(), (node, batch) -> bus.send(Addresses.node(node), batch, delivery)));
    }
    // Monitoring's statistics request: a separate consumer on the same event loop, off the routing path.
    String statsAddress = Addresses.routerStats(partition);
    MessageConsumer<Object> stats = localOnly ? bus.localConsumer(statsAddress) : bus.consumer(statsAddress);
    stats.handler(msg -> msg.reply(trieStats()));
    String interestAddress = Addresses.routerInterest(partition);
    MessageConsumer<InterestQuery> interest = localOnly ? bus.localConsumer(interestAddress)
        : bus.consumer(interestAddress);
    interest.handler(msg -> msg.reply(router.hasInterest(msg.body().account(), msg.body().subject())));
    // Account configuration (imports, mappings) comes from the auth service: the current one now,
    // updates as they are published.
    MessageConsumer<JsonObject> accounts = localOnly ? bus.localConsumer(Addresses.ACCOUNTS)
        : bus.consumer(Addresses.ACCOUNTS);
    accounts.handler(msg -> router.configure(msg.body()));
    Future<Void> ready = Future.all(consumer.completion(), stats.completion(), interest.completion(), accounts.completion())
        .compose(v -> bus.<JsonObject>request(Addresses.ACCOUNTS_GET, null, delivery))
        .<Void>map(reply -> {
          router.configure(reply.body());
          return null;
        })
        // Without an auth service every account is plain; updates may still come later.
        .recover(noAuthService -> Future.succeededFuture());
    return localOnly ? ready : ready.compose(v -> startAnnouncing(bus));
  }

  /**
   * Distributed mode: nodes learn of this partition instance from its announcements and replay
   * their interest to it; it announces once registered, every second, and when asked.
   */
  private Future<Void> startAnnouncing(EventBus bus) {
    gate = new SourceGate(newIncarnation());
    JsonObject announcement = new JsonObject().put("partition", partition)
        .put("incarnation", gate.incarnation()).put("node", nodeName);
    MessageConsumer<Object> query = bus.consumer(Addresses.PARTITIONS_QUERY);
    query.handler(msg -> bus.publish(Addresses.PARTITIONS, announcement));
    announceTimer = vertx.setPeriodic(ANNOUNCE_MILLIS, id -> bus.publish(Addresses.PARTITIONS, announcement));
    return query.completion().onSuccess(v -> bus.publish(Addresses.PARTITIONS, announcement));
  }

  private static int newIncarnation() {
    int i;
    do {
      i = java.util.concurrent.ThreadLocalRandom.current().nextInt();
    } while (i == 0);
    return i;
  }

  private void routeGated(RouteBatch batch, java.util.function.BiConsumer<String, io.tern.common.bus.DeliveryBatch> sink) {
    int from = gate.admit(batch);
    if (from < 0) {
      batch.release();
      return;
    }
    router.route(batch, from, sink);
  }

  /** This partition instance's incarnation in distributed mode (0 in embedded mode). */
  public int incarnation() {
    return gate == null ? 0 : gate.incarnation();
  }

  /**
   * nats-server's {@code /subsz} statistics of this partition, summed over its accounts' tries,
   * and under {@code accounts} the same per account (for {@code /accountz}).
   */
  private JsonObject trieStats() {
    JsonObject perAccount = new JsonObject();
    router.triesByAccount().forEach((name, trie) -> perAccount.put(name, trieStats(java.util.List.of(trie))));
    return trieStats(router.tries()).put("accounts", perAccount);
  }

  private static JsonObject trieStats(java.util.Collection<? extends SubjectTrie<?>> tries) {
    long count = 0;
    long cache = 0;
    long inserts = 0;
    long removes = 0;
    long matches = 0;
    double hits = 0;
    int maxFanout = 0;
    double fanoutSum = 0;
    for (SubjectTrie<?> trie : tries) {
      count += trie.count();
      cache += trie.cacheSize();
      inserts += trie.numInserts();
      removes += trie.numRemoves();
      matches += trie.numMatches();
      hits += trie.cacheHitRate() * trie.numMatches();
      maxFanout = Math.max(maxFanout, trie.maxFanout());
      fanoutSum += trie.avgFanout() * trie.cacheSize();
    }
    return new JsonObject()
        .put("num_subscriptions", count)
        .put("num_cache", cache)
        .put("num_inserts", inserts)
        .put("num_removes", removes)
        .put("num_matches", matches)
        .put("cache_hit_rate", matches == 0 ? 0.0 : hits / matches)
        .put("max_fanout", maxFanout)
        .put("avg_fanout", cache == 0 ? 0.0 : fanoutSum / cache);
  }

  @Override
  public Future<?> stop() {
    if (localOnly) {
      LocalPartitions.unregister(vertx, partition);
    } else if (announceTimer >= 0) {
      vertx.cancelTimer(announceTimer);
    }
    return Future.succeededFuture();
  }
}
