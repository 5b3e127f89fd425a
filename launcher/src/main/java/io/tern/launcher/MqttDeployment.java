package io.tern.launcher;

import io.tern.common.config.TernOptions;
import io.tern.gateway.ServerState;
import io.tern.gateway.mqtt.InMemoryMqttSessionStore;
import io.tern.gateway.mqtt.JetStreamMqttSessionStore;
import io.tern.gateway.mqtt.MqttBroker;
import io.tern.gateway.mqtt.MqttSessionStore;
import io.tern.gateway.mqtt.MqttVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deploys the MQTT listener of a gateway process: its session store, then one listener per
 * gateway instance. Sessions and retained messages are held in the stream service when JetStream
 * is available (always in distributed mode, where some process runs it), else in memory.
 */
final class MqttDeployment {
  private MqttDeployment() {}

  static Future<?> deploy(Vertx vertx, ServerState state, TernOptions options, boolean localOnly,
      boolean jetStream) {
    MqttSessionStore store;
    Future<?> storeDeployed;
    if (jetStream) {
      JetStreamMqttSessionStore js = new JetStreamMqttSessionStore(options.getRouterPartitions(), localOnly);
      store = js;
      storeDeployed = vertx.deployVerticle(js);
    } else {
      store = new InMemoryMqttSessionStore();
      storeDeployed = Future.succeededFuture();
    }
    MqttBroker mqtt = new MqttBroker(state, store);
    return storeDeployed.compose(id -> vertx.deployVerticle(() -> new MqttVerticle(mqtt, localOnly),
        new DeploymentOptions().setInstances(options.getGatewayInstances())));
  }
}
