package io.tern.gateway;

import io.tern.common.config.AuthorizationOptions;
import io.tern.common.config.TernOptions;
import io.tern.common.config.WebSocketOptions;
import java.time.Duration;

/**
 * What the {@code websocket} block's own authentication changes for a connection, as in nats-server:
 * with an auth override (its {@code authorization} user or token, or its {@code no_auth_user})
 * WebSocket clients must authenticate even when TCP clients need not, INFO says so, and its
 * {@code authorization { timeout }} replaces the server's auth timeout. The credentials themselves
 * are checked by the auth service.
 */
final class WebSocketAuth {
  static final String WEBSOCKET = "WEBSOCKET";

  private WebSocketAuth() {
  }

  private static boolean overrides(TernOptions o, String connectionType) {
    return WEBSOCKET.equals(connectionType) && o.getWebSocket().isEnabled() && o.getWebSocket().isAuthOverride();
  }

  /** Whether a client of {@code connectionType} must send credentials in CONNECT. */
  static boolean required(TernOptions o, String connectionType) {
    return o.getAuthorization().isRequired() || overrides(o, connectionType);
  }

  /**
   * INFO {@code auth_required}. A WebSocket client is told whenever the server requires auth or
   * the block overrides it (nats-server 2.9.10 ignores the top-level {@code no_auth_user} there);
   * a TCP client is not told when a top-level {@code no_auth_user} lets it in anonymously.
   */
  static boolean announced(TernOptions o, String connectionType) {
    if (WEBSOCKET.equals(connectionType)) {
      return required(o, connectionType);
    }
    return o.getAuthorization().isRequired() && o.getAccounts().getNoAuthUser() == null;
  }

  /** How long a client has to authenticate: the websocket block's timeout for its clients, if set. */
  static Duration timeout(TernOptions o, String connectionType) {
    WebSocketOptions ws = o.getWebSocket();
    if (WEBSOCKET.equals(connectionType) && ws.getAuthorization() != null && ws.getAuthorization().getTimeout() != null
        && !ws.getAuthorization().getTimeout().isZero()) {
      return ws.getAuthorization().getTimeout();
    }
    AuthorizationOptions auth = o.getAuthorization();
    return auth.getTimeout() != null ? auth.getTimeout() : o.getAuthTimeout();
  }

  /**
   * The value of cookie {@code name} in a {@code Cookie} request header, unquoted, or null (as Go's
   * {@code Request.Cookie}: the first cookie of that name).
   */
  static String cookie(String header, String name) {
    if (header == null || name == null || name.isEmpty()) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        String value = part.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }
}
