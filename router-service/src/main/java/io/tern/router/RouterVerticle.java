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
    return consumer
        .handler(msg -> router.route(msg.body(), (node, batch) -> bus.send(Addresses.node(node), batch, delivery)))
        .completion();
  }

  @Override
  public Future<?> stop() {
    LocalPartitions.unregister(vertx, partition);
    return Future.succeededFuture();
  }
}
