package io.tern.router;

import io.tern.common.bus.Addresses;
import io.tern.common.bus.BusCodecs;
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

  /** nats-server's {@code /subsz} statistics of this partition's trie, plus the raw cache hits. */
  private JsonObject trieStats() {
    SubjectTrie<?> trie = router.trie();
    return new JsonObject()
        .put("num_subscriptions", trie.count())
        .put("num_cache", trie.cacheSize())
        .put("num_inserts", trie.numInserts())
        .put("num_removes", trie.numRemoves())
        .put("num_matches", trie.numMatches())
        .put("cache_hit_rate", trie.cacheHitRate())
        .put("max_fanout", trie.maxFanout())
        .put("avg_fanout", trie.avgFanout());
  }
}
