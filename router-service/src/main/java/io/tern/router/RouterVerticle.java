package io.tern.router;

import io.tern.common.bus.Addresses;
import io.tern.common.bus.BusCodecs;
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

  public RouterVerticle(int partition, boolean localOnly) {
    this.partition = partition;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    LocalPartitions.register(vertx, partition);
    DeliveryOptions delivery = new DeliveryOptions().setLocalOnly(localOnly);
    String address = Addresses.router(partition);
    MessageConsumer<RouteBatch> consumer = localOnly ? bus.localConsumer(address) : bus.consumer(address);
    consumer.handler(msg -> router.route(msg.body(), (node, batch) -> bus.send(Addresses.node(node), batch, delivery)));
    // Monitoring's statistics request: a separate consumer on the same event loop, off the routing path.
    String statsAddress = Addresses.routerStats(partition);
    MessageConsumer<Object> stats = localOnly ? bus.localConsumer(statsAddress) : bus.consumer(statsAddress);
    stats.handler(msg -> msg.reply(trieStats()));
    return consumer.completion().compose(v -> stats.completion());
  }

  /** nats-server's {@code /subsz} statistics of this partition, summed over its accounts' tries. */
  private JsonObject trieStats() {
    long count = 0;
    long cache = 0;
    long inserts = 0;
    long removes = 0;
    long matches = 0;
    double hits = 0;
    int maxFanout = 0;
    double fanoutSum = 0;
    for (SubjectTrie<?> trie : router.tries()) {
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
    LocalPartitions.unregister(vertx, partition);
    return Future.succeededFuture();
  }
}
