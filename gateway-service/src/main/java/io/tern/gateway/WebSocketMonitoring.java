package io.tern.gateway;

import io.tern.common.config.WebSocketOptions;
import io.vertx.core.json.JsonObject;

/** What monitoring says about WebSocket: the /varz block and a connection's /connz type. */
public final class WebSocketMonitoring {
  private WebSocketMonitoring() {
  }

  /** {@code {"websocket": {...}}}, nats-server's /varz block, or nothing when WebSocket is off. */
  public static JsonObject varz(ServerState server) {
    WebSocketOptions ws = server.options().getWebSocket();
    if (!ws.isEnabled()) {
      return new JsonObject();
    }
    JsonObject block = new JsonObject()
        .put("host", ws.getHost() != null ? ws.getHost() : server.options().getHost())
        .put("port", server.webSocketPort());
    if (ws.getAdvertise() != null) {
      block.put("advertise", ws.getAdvertise());
    }
    if (ws.getNoAuthUser() != null) {
      block.put("no_auth_user", ws.getNoAuthUser());
    }
    if (ws.getJwtCookie() != null) {
      block.put("jwt_cookie", ws.getJwtCookie());
    }
    if (ws.getAuthorization() != null && ws.getAuthorization().getTimeout() != null
        && !ws.getAuthorization().getTimeout().isZero()) {
      // Seconds as a float, as nats-server's auth_timeout.
      block.put("auth_timeout", ws.getAuthorization().getTimeout().toNanos() / 1e9);
    }
    if (ws.isNoTls()) {
      block.put("no_tls", true);
    }
    if (ws.isSameOrigin()) {
      block.put("same_origin", true);
    }
    if (!ws.getAllowedOrigins().isEmpty()) {
      block.put("allowed_origins", ws.getAllowedOrigins());
    }
    if (ws.isCompression()) {
      block.put("compression", true);
    }
    return new JsonObject().put("websocket", block);
  }

  /** /connz {@code type}: "websocket" or, for TCP, "nats". */
  static String connzType(ClientConnection c) {
    return "WEBSOCKET".equals(c.connectionType()) ? "websocket" : "nats";
  }
}
