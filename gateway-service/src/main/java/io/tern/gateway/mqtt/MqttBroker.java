package io.tern.gateway.mqtt;

import io.tern.common.bus.Addresses;
import io.tern.common.config.AuthorizationOptions;
import io.tern.common.config.MqttOptions;
import io.tern.gateway.ServerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every {@link MqttVerticle} of one process shares: the session store, the connected clients
 * by client id (for takeover), and authentication.
 */
public final class MqttBroker {

  /** An authentication outcome: whether the client may connect, and as which user. */
  /**
   * A CONNECT's verdict; {@code account} is the account the auth service bound (null: the global
   * account, not counted by the auth service); {@code permissions} the user's permissions as the
   * auth service answered them (null: unrestricted).
   */
  record AuthResult(boolean ok, String user, String account, JsonObject permissions) {
    AuthResult(boolean ok, String user) {
      this(ok, user, null, null);
    }
  }

  private final ServerState server;
  private final MqttSessionStore store;
  private final Map<String, MqttConnection> clients = new ConcurrentHashMap<>();

  public MqttBroker(ServerState server, MqttSessionStore store) {
    this.server = server;
    this.store = store;
  }

  public ServerState server() {
    return server;
  }

  public MqttOptions options() {
    return server.options().getMqtt();
  }

  MqttSessionStore store() {
    return store;
  }

  /** Registers {@code c} as its client id's connection; returns the one it replaces, if any. */
  MqttConnection register(String clientId, MqttConnection c) {
    return clients.put(clientId, c);
  }

  void unregister(String clientId, MqttConnection c) {
    clients.remove(clientId, c);
  }

  boolean authRequired() {
    AuthorizationOptions own = options().getAuthorization();
    return own != null ? own.isRequired() : server.options().getAuthorization().isRequired();
  }

  /**
   * Checks a CONNECT's credentials: against the {@code mqtt} block's own {@code authorization}
   * when it has one, else through the auth service ({@code tern.auth.connect}, {@code type: MQTT}),
   * as nats-server does, the password also standing for a token. A client without a user name is
   * taken as {@code no_auth_user} when that is set. In operator mode the password is the user JWT,
   * as in nats-server: MQTT cannot sign the nonce, so only a bearer JWT passes, and
   * {@code allowed_connection_types} must allow {@code MQTT}.
   */
  Future<AuthResult> authenticate(Vertx vertx, String user, String password, String clientIp) {
    if (!authRequired()) {
      return Future.succeededFuture(new AuthResult(true, user));
    }
    String noAuthUser = options().getNoAuthUser();
    if ((user == null || user.isEmpty()) && password == null && noAuthUser != null) {
      return Future.succeededFuture(new AuthResult(true, noAuthUser));
    }
    AuthorizationOptions own = options().getAuthorization();
    if (own != null) {
      boolean ok = own.getToken() != null
          ? same(own.getToken(), password)
          : own.getUser().equals(user) && same(own.getPassword(), password);
      return Future.succeededFuture(new AuthResult(ok, user));
    }
    JsonObject request = new JsonObject().put("user", user).put("pass", password).put("auth_token", password)
        .put("client_ip", clientIp).put("type", "MQTT");
    if (server.options().getOperator().isEnabled()) {
      request.put("jwt", password);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.AUTH_CONNECT, request)
        .map(m -> new AuthResult(m.body().getBoolean("ok", false), user, m.body().getString("account"),
            m.body().getJsonObject("permissions")))
        .otherwise(new AuthResult(false, user));
  }

  private static boolean same(String expected, String given) {
    if (expected == null || given == null) {
      return expected == null && given == null;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
