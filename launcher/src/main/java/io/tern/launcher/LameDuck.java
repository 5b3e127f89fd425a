package io.tern.launcher;

import io.tern.common.bus.Addresses;
import io.tern.common.config.TernOptions;
import io.tern.gateway.ClusterFacts;
import io.tern.gateway.GatewayVerticle;
import io.tern.gateway.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** nats-server's lame duck mode over every gateway instance of one process. */
final class LameDuck {
  private static final Logger LOG = LoggerFactory.getLogger("tern");

  private final Vertx vertx;
  private final ServerState state;
  private Future<Void> running;

  LameDuck(Vertx vertx, ServerState state) {
    this.vertx = vertx;
    this.state = state;
  }

  private record Client(GatewayVerticle gateway, int cid) {}

  synchronized Future<Void> start() {
    if (running != null) {
      return running;
    }
    state.lameDuck(true);
    LOG.info("Entering lame duck mode, stop accepting new clients");
    announceToCluster();
    List<GatewayVerticle> gateways = List.copyOf(state.gateways());
    TernOptions o = state.options();
    Duration keepOpen = o.getLameDuckDuration().plus(o.getLameDuckGracePeriod()).plusSeconds(5);
    List<Future<Void>> stopped = new ArrayList<>();
    for (GatewayVerticle g : gateways) {
      stopped.add(g.stopAccepting(keepOpen));
    }
    Promise<Void> done = Promise.promise();
    running = done.future();
    Future.all(stopped).compose(v -> {
      List<Future<List<Integer>>> announced = new ArrayList<>();
      for (GatewayVerticle g : gateways) {
        announced.add(g.announceLameDuck());
      }
      return Future.all(announced);
    }).onComplete(ar -> {
      List<Client> clients = new ArrayList<>();
      if (ar.succeeded()) {
        for (int i = 0; i < gateways.size(); i++) {
          List<Integer> cids = ar.result().resultAt(i);
          for (int cid : cids) {
            clients.add(new Client(gateways.get(i), cid));
          }
        }
      }
      long grace = Math.max(1, o.getLameDuckGracePeriod().toMillis());
      vertx.setTimer(grace, t -> closeSpread(clients, o, done));
    });
    return running;
  }

  /**
   * Distributed mode: tells the other gateway processes to stop advertising this one, as
   * nats-server tells its routes; their clients get an INFO without this gateway's URLs.
   */
  private void announceToCluster() {
    ClusterFacts facts = state.clusterFacts();
    if (facts != null && facts.ownUrl() != null) {
      JsonObject urls = new JsonObject().put("url", facts.ownUrl());
      if (facts.ownWsUrl() != null) {
        urls.put("ws_url", facts.ownWsUrl());
      }
      vertx.eventBus().publish(Addresses.GATEWAY_LAME_DUCK, urls);
    }
  }

  /** Closes the clients one by one, spread over what is left of the lame duck duration. */
  private void closeSpread(List<Client> clients, TernOptions o, Promise<Void> done) {
    if (clients.isEmpty()) {
      done.complete();
      return;
    }
    LOG.info("Closing existing clients");
    Duration rest = o.getLameDuckDuration().minus(o.getLameDuckGracePeriod());
    long restMillis = rest.isNegative() || rest.isZero() ? 1000 : rest.toMillis();
    long interval = Math.max(1, Math.min(1000, restMillis / clients.size()));
    AtomicInteger remaining = new AtomicInteger(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      Client c = clients.get(i);
      Runnable close = () -> c.gateway.closeForShutdown(c.cid).onComplete(ar -> {
        if (remaining.decrementAndGet() == 0) {
          done.complete();
        }
      });
      if (i == 0) {
        close.run();
      } else {
        vertx.setTimer(i * interval, t -> close.run());
      }
    }
  }
}
