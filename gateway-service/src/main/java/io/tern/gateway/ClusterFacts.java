package io.tern.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Distributed mode: what a process knows about the cluster it joined, for INFO (its own client
 * URLs, dropped from the lame duck INFO as nats-server drops them), {@code /varz} (nats-server's
 * {@code cluster} block) and {@code /healthz}. Absent ({@code null} in {@link ServerState}) in
 * embedded mode.
 */
public final class ClusterFacts {
  private final String name;
  private final String addr;
  private final int port;
  private final List<String> routes;
  private final String ownUrl;
  private final String ownWsUrl;
  private volatile List<String> wsUrls = List.of();
  private volatile int members = 1;

  /**
   * @param routes the configured routes as {@code host:port}, nats-server's {@code urls}
   * @param ownUrl this gateway's advertised client URL, or null when it runs no gateway
   * @param ownWsUrl this gateway's advertised WebSocket URL, or null
   */
  public ClusterFacts(String name, String addr, int port, List<String> routes, String ownUrl, String ownWsUrl) {
    this.name = name;
    this.addr = addr;
    this.port = port;
    this.routes = List.copyOf(routes);
    this.ownUrl = ownUrl;
    this.ownWsUrl = ownWsUrl;
  }

  public String ownUrl() { return ownUrl; }
  public String ownWsUrl() { return ownWsUrl; }

  /** Every gateway process's advertised WebSocket URL, this one's included. */
  public List<String> wsUrls() { return wsUrls; }
  public void wsUrls(List<String> urls) { this.wsUrls = List.copyOf(urls); }

  /** How many processes are in the cluster, this one included. */
  public int members() { return members; }
  public void members(int n) { this.members = n; }

  /** nats-server's {@code /varz} {@code cluster} block (ClusterOptsVarz), with its field names. */
  public JsonObject varz() {
    JsonObject j = new JsonObject().put("name", name).put("addr", addr).put("cluster_port", port)
        .put("auth_timeout", 2);
    if (!routes.isEmpty()) {
      j.put("urls", new JsonArray(routes));
    }
    return j.put("tls_timeout", 2);
  }
}
