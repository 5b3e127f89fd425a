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
 * Immutable; a reload builds a new one.
 */
final class UserDirectory {
  private final AuthorizationOptions authorization;
  private final AccountsOptions accounts;
  private final boolean tlsMapping;
  private final Map<String, UserOptions> byName = new HashMap<>();
  private final Map<String, UserOptions> byNkey = new HashMap<>();

  UserDirectory(TernOptions options) {
    this.authorization = options.getAuthorization();
    this.accounts = options.getAccounts();
    this.tlsMapping = options.getTls() != null && options.getTls().isVerifyAndMap();
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
    if (authorization.getToken() != null) {
      return Credentials.matches(authorization.getToken(), token) ? global(null) : null;
    }
    if (authorization.getUser() != null) {
      return authorization.getUser().equals(user) && Credentials.matches(authorization.getPassword(), pass)
          ? global(authorization.getUser()) : null;
    }
    if (tlsMapping) {
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
    if (pass == null && token == null && accounts.getNoAuthUser() != null) {
      UserOptions u = byName.get(accounts.getNoAuthUser());
      if (u == null) {
        u = byNkey.get(accounts.getNoAuthUser());
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

  private Identity global(String user) {
    PermissionsOptions p = authorization.getPermissions() != null ? authorization.getPermissions()
        : accounts.getDefaultPermissions();
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
