package io.tern.auth;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
import io.tern.common.config.AuthorizationOptions;
import io.tern.common.config.PermissionsOptions;
import io.tern.common.config.TernOptions;
import io.tern.common.config.UserOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The users of one configuration and how a CONNECT proves to be one of them: the single
 * {@code authorization} user or token, a {@code users} entry by password (plain or bcrypt) or by
 * nkey signature of the INFO nonce, or {@code no_auth_user} when the client sent no credentials.
 * A WebSocket connection uses the {@code websocket} block's own user, token and no_auth_user
 * instead of the server's when that block has any of them (nats-server's auth override), and
 * never the server's TLS mapping. Immutable; a reload builds a new one.
 */
final class UserDirectory {
  private final AuthorizationOptions authorization;
  private final AccountsOptions accounts;
  private final boolean tlsMapping;
  /** What WebSocket clients authenticate with instead; null without a websocket auth override. */
  private final AuthorizationOptions webSocketAuthorization;
  private final String webSocketNoAuthUser;
  private final Map<String, UserOptions> byName = new HashMap<>();
  private final Map<String, UserOptions> byNkey = new HashMap<>();

  UserDirectory(TernOptions options) {
    this.authorization = options.getAuthorization();
    this.accounts = options.getAccounts();
    this.tlsMapping = options.getTls() != null && options.getTls().isVerifyAndMap();
    var ws = options.getWebSocket();
    boolean override = ws.isEnabled() && ws.isAuthOverride();
    this.webSocketAuthorization = !override ? null
        : ws.getAuthorization() != null ? ws.getAuthorization() : new AuthorizationOptions();
    this.webSocketNoAuthUser = override ? ws.getNoAuthUser() : null;
    for (UserOptions u : accounts.allUsers()) {
      if (u.getNkey() != null) {
        byNkey.put(u.getNkey(), u);
      } else {
        byName.put(u.getUser(), u);
      }
    }
  }

  AccountsOptions accounts() {
    return accounts;
  }

  /** The identity {@code request} proves, or null for an authorization violation. */
  Identity authenticate(JsonObject request) {
    String user = request.getString("user");
    String pass = request.getString("pass");
    String token = request.getString("auth_token");
    String nkey = request.getString("nkey");
    boolean webSocket = "WEBSOCKET".equals(request.getString("type"));
    boolean override = webSocket && webSocketAuthorization != null;
    AuthorizationOptions single = override ? webSocketAuthorization : authorization;
    String noAuthUser = override ? webSocketNoAuthUser : accounts.getNoAuthUser();
    if (single.getToken() != null) {
      return Credentials.matches(single.getToken(), token) ? global(null, override) : null;
    }
    if (single.getUser() != null) {
      return single.getUser().equals(user) && Credentials.matches(single.getPassword(), pass)
          ? global(single.getUser(), override) : null;
    }
    if (tlsMapping && !webSocket) {
      // verify_and_map: the verified client certificate names the user; nothing else is asked.
      for (Object name : request.getJsonArray("tls_names", new io.vertx.core.json.JsonArray())) {
        UserOptions u = byName.get((String) name);
        if (u != null) {
          return admitted(u, request) ? identity(u) : null;
        }
      }
      return null;
    }
    if (nkey != null) {
      UserOptions u = byNkey.get(nkey);
      return u != null && NKeys.verify(nkey, request.getString("nonce"), request.getString("sig"))
          && admitted(u, request) ? identity(u) : null;
    }
    if (user != null) {
      UserOptions u = byName.get(user);
      return u != null && u.getPassword() != null && Credentials.matches(u.getPassword(), pass)
          && admitted(u, request) ? identity(u) : null;
    }
    if (pass == null && token == null && noAuthUser != null) {
      UserOptions u = byName.get(noAuthUser);
      if (u == null) {
        u = byNkey.get(noAuthUser);
      }
      return u == null || !admitted(u, request) ? null : identity(u);
    }
    return null;
  }

  /** {@code allowed_connection_types}: the connection's transport must be one the user may use. */
  private static boolean admitted(UserOptions u, JsonObject request) {
    return u.getAllowedConnectionTypes() == null
        || u.getAllowedConnectionTypes().contains(request.getString("type", "STANDARD"));
  }

  /** The single user or token's identity; the websocket block's has no permissions of its own. */
  private Identity global(String user, boolean webSocketOverride) {
    PermissionsOptions p = !webSocketOverride && authorization.getPermissions() != null
        ? authorization.getPermissions() : accounts.getDefaultPermissions();
    return new Identity(user, AccountsOptions.GLOBAL, p == null ? null : p.effective());
  }

  /**
   * A user's permissions are its own, else its account's {@code default_permissions}; the
   * top-level ones apply to the {@code authorization} block's users (nats-server: not to account users).
   */
  private Identity identity(UserOptions u) {
    PermissionsOptions p = u.getPermissions();
    if (p == null) {
      AccountOptions a = accounts.getAccounts().get(u.getAccount());
      p = a == null ? null : a.getDefaultPermissions();
    }
    if (p == null && AccountsOptions.GLOBAL.equals(u.getAccount())) {
      p = accounts.getDefaultPermissions();
    }
    return new Identity(u.name(), u.getAccount(), p == null ? null : p.effective());
  }
}
