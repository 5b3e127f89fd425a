package io.tern.gateway;

import io.vertx.core.Future;
import java.util.List;

/**
 * A listener whose open connections monitoring lists beside the NATS gateways' (the MQTT
 * listener). The snapshot is taken on the source's own event loop.
 */
public interface ConnectionSource {
  Future<List<ConnectionSnapshot>> snapshot();
}
