package io.tern.common.bus;

import io.vertx.core.eventbus.EventBus;

/** Registers the codecs of every Tern event-bus message type, once per Vert.x instance. */
public final class BusCodecs {
  private BusCodecs() {
  }

  public static synchronized void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(RouteBatch.class, new RouteBatchCodec());
      bus.registerDefaultCodec(DeliveryBatch.class, new DeliveryBatchCodec());
      bus.registerDefaultCodec(InterestQuery.class, new InterestQueryCodec());
      bus.registerDefaultCodec(ForwardedApiRequest.class, new ForwardedApiRequestCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Several services deployed on one Vert.x instance each call this; the first one wins.
    }
  }
}
