package io.tern.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's view of the cluster: which nodes run routers and which gateways advertise which
 * client URL, read from each node's metadata. It polls the membership (a few times a second, on
 * its own context) instead of taking over the cluster manager's single node listener, and tells
 * its listeners when the router set or the gateway URLs change.
 */
final class ClusterMembers extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger("tern");
  static final long POLL_MILLIS = 250;

  private final ClusterManager manager;
  private final Map<String, JsonObject> metadata = new HashMap<>();
  private final Set<String> fetching = new HashSet<>();
  private final List<Consumer<List<String>>> routerListeners = new ArrayList<>();
  private final List<Consumer<List<String>>> urlListeners = new ArrayList<>();
  private List<String> routers = List.of();
  private List<String> urls = List.of();
  private List<String> nodes = List.of();

  ClusterMembers(ClusterManager manager) {
    this.manager = manager;
  }

  /** Called with the sorted node ids of router processes whenever that set changes. */
  void onRouters(Consumer<List<String>> listener) {
    routerListeners.add(listener);
  }

  /** Called with the sorted client URLs of gateway processes whenever they change. */
  void onGatewayUrls(Consumer<List<String>> listener) {
    urlListeners.add(listener);
  }

  String nodeId() {
    return manager.getNodeId();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(POLL_MILLIS, id -> poll());
    return pollOnce();
  }

  private void poll() {
    pollOnce();
  }

  private Future<Void> pollOnce() {
    List<String> current = new ArrayList<>(manager.getNodes());
    current.sort(null);
    List<Future<?>> fetches = new ArrayList<>();
    for (String node : current) {
      if (!metadata.containsKey(node) && fetching.add(node)) {
        Promise<NodeInfo> info = Promise.promise();
        manager.getNodeInfo(node, info);
        fetches.add(info.future().andThen(ar -> {
          fetching.remove(node);
          if (ar.succeeded() && ar.result() != null) {
            JsonObject m = ar.result().metadata();
            metadata.put(node, m == null ? new JsonObject() : m);
          }
        }));
      }
    }
    metadata.keySet().retainAll(current);
    if (!current.equals(nodes)) {
      LOG.info("Cluster members: {}", current.size());
      nodes = current;
    }
    return Future.join(fetches).transform(ar -> {
      update(current);
      return Future.<Void>succeededFuture();
    });
  }

  private void update(List<String> current) {
    List<String> r = new ArrayList<>();
    List<String> u = new ArrayList<>();
    for (String node : current) {
      JsonObject m = metadata.get(node);
      if (m == null) {
        continue;
      }
      if (m.getJsonArray("services", new io.vertx.core.json.JsonArray()).contains("router")) {
        r.add(node);
      }
      String url = m.getString("client_url");
      if (url != null) {
        u.add(url);
      }
    }
    u.sort(null);
    if (!r.equals(routers)) {
      routers = List.copyOf(r);
      LOG.info("Router processes: {}", routers.size());
      routerListeners.forEach(l -> l.accept(routers));
    }
    if (!u.equals(urls)) {
      urls = List.copyOf(u);
      urlListeners.forEach(l -> l.accept(urls));
    }
  }

  List<String> routers() {
    return routers;
  }

  List<String> gatewayUrls() {
    return urls;
  }

  List<String> nodes() {
    return nodes;
  }
}
