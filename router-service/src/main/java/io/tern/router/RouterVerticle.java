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
    // Account configuration (imports, mappings) comes from the auth service: the current one now,
    // updates as they are published.
    MessageConsumer<JsonObject> accounts = localOnly ? bus.localConsumer(Addresses.ACCOUNTS)
        : bus.consumer(Addresses.ACCOUNTS);
    accounts.handler(msg -> router.configure(msg.body()));
    return Future.all(consumer.completion(), accounts.completion())
        .compose(v -> bus.<JsonObject>request(Addresses.ACCOUNTS_GET, null, delivery))
        .<Void>map(reply -> {
          router.configure(reply.body());
          return null;
        })
        // Without an auth service every account is plain; updates may still come later.
        .recover(noAuthService -> Future.succeededFuture());
  }
}
