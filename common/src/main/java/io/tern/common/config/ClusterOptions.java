package io.tern.common.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Distributed mode: nats-server's {@code cluster} block (and the {@code --cluster},
 * {@code --routes}, {@code --cluster_name} flags) read as Hazelcast membership. {@code listen} is
 * the Hazelcast port; each route's host:port is a Hazelcast TCP-IP member. Tern extensions:
 * {@code partitions} (router partitions, the same on every process) and {@code bus_port} (the
 * clustered event bus's port, random by default).
 */
public final class ClusterOptions {

  /** Router partitions in distributed mode unless configured; fixed, so every process agrees. */
  public static final int DEFAULT_PARTITIONS = 16;
  /** Hazelcast's own default port, which nats-server users know as the route port 6222. */
  public static final int DEFAULT_PORT = 6222;

  private boolean enabled;
  private String name = "tern";
  private String host = "0.0.0.0";
  private int port = DEFAULT_PORT;
  private final List<String> routes = new ArrayList<>();
  private String advertise;
  private int partitions = DEFAULT_PARTITIONS;
  private int busPort;

  /** Whether this process joins a cluster (a {@code cluster} block or a cluster flag was given). */
  public boolean isEnabled() { return enabled; }
  public ClusterOptions setEnabled(boolean enabled) { this.enabled = enabled; return this; }

  /** The Hazelcast cluster name; processes with different names never join. */
  public String getName() { return name; }
  public ClusterOptions setName(String name) { this.name = name; return this; }

  /** The interface Hazelcast and the event bus bind to. */
  public String getHost() { return host; }
  public ClusterOptions setHost(String host) { this.host = host; return this; }

  /** Hazelcast's port ({@code listen}). */
  public int getPort() { return port; }
  public ClusterOptions setPort(int port) { this.port = port; return this; }

  /** The seed members as {@code host:port}, from {@code nats-route://host:port} URLs. */
  public List<String> getRoutes() { return routes; }

  /** The host (or host:port) other members should use to reach this one, for containers behind NAT. */
  public String getAdvertise() { return advertise; }
  public ClusterOptions setAdvertise(String advertise) { this.advertise = advertise; return this; }

  public int getPartitions() { return partitions; }
  public ClusterOptions setPartitions(int partitions) { this.partitions = partitions; return this; }

  /** The event bus's TCP port; 0 for a random one. */
  public int getBusPort() { return busPort; }
  public ClusterOptions setBusPort(int busPort) { this.busPort = busPort; return this; }

  /**
   * Reads {@code listen} as nats-server does: a port, {@code host:port}, or a URL such as
   * {@code nats://0.0.0.0:6222}.
   */
  public ClusterOptions setListen(String listen) {
    String hostPort = stripScheme(listen.trim());
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      port = Integer.parseInt(hostPort);
    } else {
      if (colon > 0) {
        host = hostPort.substring(0, colon);
      }
      port = Integer.parseInt(hostPort.substring(colon + 1));
    }
    enabled = true;
    return this;
  }

  /** Adds a route URL ({@code nats-route://host:port}, {@code nats://host:port} or {@code host:port}). */
  public ClusterOptions addRoute(String url) {
    String hostPort = stripScheme(url.trim());
    int slash = hostPort.indexOf('/');
    if (slash >= 0) {
      hostPort = hostPort.substring(0, slash);
    }
    int at = hostPort.lastIndexOf('@');
    if (at >= 0) {
      hostPort = hostPort.substring(at + 1);
    }
    if (hostPort.indexOf(':') < 0) {
      hostPort = hostPort + ":" + DEFAULT_PORT;
    }
    routes.add(hostPort);
    enabled = true;
    return this;
  }

  private static String stripScheme(String s) {
    int scheme = s.indexOf("://");
    if (scheme < 0) {
      return s;
    }
    String lower = s.substring(0, scheme).toLowerCase(Locale.ROOT);
    if (!lower.startsWith("nats") && !lower.equals("tls")) {
      throw new IllegalArgumentException("unsupported cluster URL scheme: " + s);
    }
    URI uri = URI.create(s);
    return (uri.getHost() == null ? "" : uri.getHost()) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
