package io.tern.gateway;

import io.tern.common.config.TernOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the INFO line a client gets on connect, with nats-server's fields in its order. */
final class ServerInfo {
  private ServerInfo() {
  }

  static String forClient(ServerState server, long cid, String clientIp) {
    return forClient(server, cid, clientIp, "STANDARD");
  }

  /**
   * As nats-server, a WebSocket client's {@code connect_urls} are the WebSocket URLs (its cluster's
   * {@code ws_connect_urls}); the {@code ws_connect_urls} field itself never reaches a client.
   */
  static String forClient(ServerState server, long cid, String clientIp, String connectionType) {
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
    if (o.getAuthorization().isRequired()) {
      info.put("auth_required", true);
    }
    info.put("max_payload", o.getMaxPayload());
    if (server.jetStream()) {
      info.put("jetstream", true);
    }
    info.put("client_id", cid).put("client_ip", clientIp);
    java.util.List<String> urls = "WEBSOCKET".equals(connectionType)
        ? o.getWebSocket().getConnectUrls() : o.getConnectUrls();
    if (!urls.isEmpty()) {
      info.put("connect_urls", new JsonArray(urls));
    }
    // nats-server ends the INFO line with a space before CRLF; some clients are tested against that.
    return "INFO " + info.encode() + " \r\n";
  }
}
