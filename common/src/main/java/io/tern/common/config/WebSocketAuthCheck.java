package io.tern.common.config;

/**
 * nats-server's startup checks of the {@code websocket} block's own authentication: its
 * {@code no_auth_user} must be a configured user, and a single user or token there cannot be
 * combined with {@code users} or nkeys; {@code jwt_cookie} needs operator mode.
 */
final class WebSocketAuthCheck {
  private WebSocketAuthCheck() {
  }

  /** @throws IllegalArgumentException with nats-server's text */
  static void check(TernOptions options) {
    WebSocketOptions ws = options.getWebSocket();
    if (!ws.isEnabled()) {
      return;
    }
    if (ws.getJwtCookie() != null && !options.getOperator().isEnabled()) {
      throw new IllegalArgumentException("trusted operators or trusted keys configuration is required for JWT "
          + "authentication via cookie \"" + ws.getJwtCookie() + "\"");
    }
    var users = options.getAccounts().allUsers();
    String noAuth = ws.getNoAuthUser();
    if (noAuth != null) {
      if (users.isEmpty()) {
        throw new IllegalArgumentException("no_auth_user: \"" + noAuth + "\" present, but users are not defined");
      }
      if (users.stream().noneMatch(u -> noAuth.equals(u.getUser()))) {
        throw new IllegalArgumentException("no_auth_user: \"" + noAuth
            + "\" not present as user in authorization block or account configuration");
      }
    }
    AuthorizationOptions auth = ws.getAuthorization();
    if (auth != null && !users.isEmpty()) {
      if (auth.getUser() != null) {
        throw new IllegalArgumentException(
            "websocket authentication username not compatible with presence of users/nkeys");
      }
      if (auth.getToken() != null) {
        throw new IllegalArgumentException(
            "websocket authentication token not compatible with presence of users/nkeys");
      }
    }
  }
}
