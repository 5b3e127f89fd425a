package io.tern.auth;

import io.tern.common.bus.Addresses;
import io.tern.common.config.AuthorizationOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * The auth service: answers gateways' CONNECT checks on {@code tern.auth.connect} with the
 * account to bind or a refusal. This stage knows the top-level {@code authorization} block.
 */
public final class AuthVerticle extends VerticleBase {

  private final AuthorizationOptions authorization;
  private final boolean localOnly;

  public AuthVerticle(AuthorizationOptions authorization, boolean localOnly) {
    this.authorization = authorization;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    var consumer = localOnly
        ? bus.<JsonObject>localConsumer(Addresses.AUTH_CONNECT)
        : bus.<JsonObject>consumer(Addresses.AUTH_CONNECT);
    consumer.handler(msg -> msg.reply(check(msg.body())));
    return consumer.completion();
  }

  JsonObject check(JsonObject request) {
    boolean ok;
    if (authorization.getToken() != null) {
      ok = Credentials.matches(authorization.getToken(), request.getString("auth_token"));
    } else if (authorization.getUser() != null) {
      ok = authorization.getUser().equals(request.getString("user"))
          && Credentials.matches(authorization.getPassword(), request.getString("pass"));
    } else {
      ok = true;
    }
    return ok ? new JsonObject().put("ok", true).put("account", "$G") : new JsonObject().put("ok", false);
  }
}
