package io.tern.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.tern.common.config.ClusterOptions;
import io.tern.common.config.TernOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Starts Vert.x clustered over Hazelcast from nats-server's {@code cluster} settings: the cluster
 * name, TCP-IP join with the routes as members, {@code listen} as Hazelcast's port, no multicast,
 * no phone-home, quick failure detection, and the event bus on the same interface (or the
 * advertised address, for containers). Each process publishes its services and client URL as its
 * node metadata, which {@link ClusterMembers} reads.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  /** The cluster manager used for {@code vertx}, kept for membership queries. */
  record Clustered(Vertx vertx, HazelcastClusterManager manager) {
  }

  static Future<Clustered> start(TernOptions options, String clientUrl, String wsUrl, int eventLoops) {
    ClusterOptions c = options.getCluster();
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.logging.type", "slf4j");
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(c));
    JsonObject metadata = new JsonObject().put("services", new JsonArray(options.getServices()));
    if (clientUrl != null) {
      metadata.put("client_url", clientUrl);
    }
    if (wsUrl != null) {
      metadata.put("ws_url", wsUrl);
    }
    EventBusOptions bus = new EventBusOptions().setClusterNodeMetadata(metadata).setPort(Math.max(0, c.getBusPort()));
    if (!isAnyAddress(c.getHost())) {
      bus.setHost(c.getHost());
    }
    if (c.getAdvertise() != null) {
      bus.setClusterPublicHost(advertisedHost(c.getAdvertise()));
    }
    VertxOptions vertxOptions = new VertxOptions()
        .setEventLoopPoolSize(eventLoops)
        .setPreferNativeTransport(true)
        .setEventBusOptions(bus);
    return Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered()
        .map(vertx -> new Clustered(vertx, manager));
  }

  static Config hazelcastConfig(ClusterOptions c) {
    Config config = ConfigUtil.loadConfig(); // Vert.x's maps (subscriptions, node info) and their backups
    config.setClusterName(c.getName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // A killed process is noticed in seconds rather than the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // Join quickly: processes of one topology start together and find each other in a second or two.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    // Two processes that started alone (each its own cluster) merge soon rather than in 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(c.getPort()).setPortAutoIncrement(false);
    if (!isAnyAddress(c.getHost())) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(c.getHost());
    }
    if (c.getAdvertise() != null) {
      String a = c.getAdvertise();
      network.setPublicAddress(a.indexOf(':') >= 0 ? a : a + ":" + c.getPort());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (String route : c.getRoutes()) {
      tcp.addMember(route);
    }
    return config;
  }

  /**
   * The {@code host:port} (nats-server's connect_urls form, no scheme) advertised for this gateway: {@code client_advertise}, else the client host
   * (the cluster's advertised or bound host, or this machine's address, when it is 0.0.0.0).
   */
  static String clientUrl(TernOptions options, int port) {
    String advertise = options.getClientAdvertise();
    if (advertise != null && !advertise.isBlank()) {
      String a = advertise.contains("://") ? advertise.substring(advertise.indexOf("://") + 3) : advertise;
      return a.indexOf(':') >= 0 ? a : a + ":" + port;
    }
    String host = options.getHost();
    if (isAnyAddress(host)) {
      ClusterOptions c = options.getCluster();
      if (c.getAdvertise() != null) {
        host = advertisedHost(c.getAdvertise());
      } else if (!isAnyAddress(c.getHost())) {
        host = c.getHost();
      } else {
        try {
          host = InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
          host = "127.0.0.1";
        }
      }
    }
    return host + ":" + port;
  }

  /**
   * The WebSocket {@code host:port} advertised for this gateway (websocket {@code advertise}, else
   * the client URL's host with the WebSocket port), or null without a fixed WebSocket port.
   */
  static String webSocketUrl(TernOptions options, String clientUrl) {
    var ws = options.getWebSocket();
    if (ws.getAdvertise() != null && !ws.getAdvertise().isBlank()) {
      return ws.getAdvertise().indexOf(':') >= 0 ? ws.getAdvertise() : ws.getAdvertise() + ":" + ws.getPort();
    }
    if (clientUrl == null || ws.getPort() <= 0) {
      return null;
    }
    return clientUrl.substring(0, clientUrl.lastIndexOf(':')) + ":" + ws.getPort();
  }

  private static String advertisedHost(String advertise) {
    int colon = advertise.lastIndexOf(':');
    return colon > 0 ? advertise.substring(0, colon) : advertise;
  }

  private static boolean isAnyAddress(String host) {
    return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
  }
}
