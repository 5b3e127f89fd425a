package io.tern.gateway;

import io.tern.common.config.TernOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the INFO line a client gets on connect, with nats-server's fields in its order. */
final class ServerInfo {
  private ServerInfo() {
  }

  static String forClient(ServerState server, long cid, String clientIp) {
    return forClient(server, cid, clientIp, "STANDARD", false, null);
  }

  /**
   * The INFO for a client of {@code connectionType}, with the {@code nonce} nkey users sign (or
   * null); with {@code lameDuck}, the one a server in lame duck mode sends ({@code "ldm":true}). As
   * in nats-server, a WebSocket client's {@code connect_urls} are the WebSocket URLs; the
   * {@code ws_connect_urls} field never reaches a client.
   */
  static String forClient(ServerState server, long cid, String clientIp, String connectionType, boolean lameDuck,
                          String nonce) {
    TernOptions o = server.options();
    JsonObject info = new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerState.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("go", "tern")
        .put("host", o.getHost())
        .put("port", server.clientPort())
        .put("headers", true);
    // With no_auth_user nats-server lets anonymous TCP clients in and so does not announce auth_required.
    if (WebSocketAuth.announced(o, connectionType)) {
      info.put("auth_required", true);
    }
    if (o.getTls() != null) {
      info.put("tls_required", true);
      if (o.getTls().isVerify()) {
        info.put("tls_verify", true);
      }
    }
    info.put("max_payload", o.getMaxPayload());
    if (server.jetStream()) {
      info.put("jetstream", true);
    }
    info.put("client_id", cid).put("client_ip", clientIp);
    if (nonce != null) {
      info.put("nonce", nonce);
    }
    if (o.getCluster().isEnabled()) {
      info.put("cluster", o.getCluster().getName());
    }
    java.util.LinkedHashSet<String> urls = new java.util.LinkedHashSet<>();
    ClusterFacts cluster = server.clusterFacts();
    if ("WEBSOCKET".equals(connectionType)) {
      urls.addAll(o.getWebSocket().getConnectUrls());
      if (cluster != null) {
        urls.addAll(cluster.wsUrls());
      }
    } else {
      urls.addAll(o.getConnectUrls());
      urls.addAll(server.clusterUrls());
    }
    if (lameDuck && cluster != null) {
      // As nats-server: a server in lame duck mode lists only the others, where clients should go.
      urls.remove(cluster.ownUrl());
      urls.remove(cluster.ownWsUrl());
    }
    if (!urls.isEmpty()) {
      info.put("connect_urls", new JsonArray(new java.util.ArrayList<>(urls)));
    }
    if (lameDuck) {
      info.put("ldm", true);
    }
    // nats-server ends the INFO line with a space before CRLF; some clients are tested against that.
    return "INFO " + info.encode() + " \r\n";
  }
}
