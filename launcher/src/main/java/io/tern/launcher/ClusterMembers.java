package io.tern.launcher;

import io.tern.common.bus.Addresses;
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
  private final List<Consumer<GatewayUrls>> urlListeners = new ArrayList<>();
  /** URLs of gateways in lame duck mode: no longer advertised although their process still runs. */
  private final Set<String> leaving = new HashSet<>();
  private List<String> routers = List.of();
  private GatewayUrls urls = new GatewayUrls(List.of(), List.of());
  private List<String> nodes = List.of();
  private java.util.function.IntConsumer memberCount = n -> { };

  ClusterMembers(ClusterManager manager) {
    this.manager = manager;
  }

  /** Called with the sorted node ids of router processes whenever that set changes. */
  void onRouters(Consumer<List<String>> listener) {
    routerListeners.add(listener);
  }

  /** The advertised client and WebSocket URLs of the gateway processes, each list sorted. */
  record GatewayUrls(List<String> client, List<String> ws) {
  }

  /** Called with the gateway processes' URLs (lame duck ones left out) whenever they change. */
  void onGatewayUrls(Consumer<GatewayUrls> listener) {
    urlListeners.add(listener);
  }

  /** Called with the number of cluster members whenever it changes. */
  void onMemberCount(java.util.function.IntConsumer listener) {
    memberCount = listener;
  }

  String nodeId() {
    return manager.getNodeId();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(POLL_MILLIS, id -> poll());
    var ldm = vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAY_LAME_DUCK, m -> {
      for (String key : List.of("url", "ws_url")) {
        String url = m.body().getString(key);
        if (url != null) {
          leaving.add(url);
        }
      }
      update(nodes);
    });
    return ldm.completion().compose(v -> pollOnce());
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
      memberCount.accept(current.size());
    }
    return Future.join(fetches).transform(ar -> {
      update(current);
      return Future.<Void>succeededFuture();
    });
  }

  private void update(List<String> current) {
    List<String> r = new ArrayList<>();
    List<String> u = new ArrayList<>();
    List<String> ws = new ArrayList<>();
    Set<String> present = new HashSet<>();
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
        present.add(url);
        if (!leaving.contains(url)) {
          u.add(url);
        }
      }
      String wsUrl = m.getString("ws_url");
      if (wsUrl != null) {
        present.add(wsUrl);
        if (!leaving.contains(wsUrl)) {
          ws.add(wsUrl);
        }
      }
    }
    // A URL whose process left may come back with a new process: forget that it was leaving.
    leaving.retainAll(present);
    u.sort(null);
    ws.sort(null);
    GatewayUrls now = new GatewayUrls(List.copyOf(u), List.copyOf(ws));
    if (!r.equals(routers)) {
      routers = List.copyOf(r);
      LOG.info("Router processes: {}", routers.size());
      routerListeners.forEach(l -> l.accept(routers));
    }
    if (!now.equals(urls)) {
      urls = now;
      urlListeners.forEach(l -> l.accept(urls));
    }
  }

  List<String> routers() {
    return routers;
  }

  GatewayUrls gatewayUrls() {
    return urls;
  }

  List<String> nodes() {
    return nodes;
  }
}
