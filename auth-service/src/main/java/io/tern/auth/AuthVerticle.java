package io.tern.auth;

import io.tern.common.bus.Addresses;
import io.tern.common.config.AccountOptions;
import io.tern.common.config.TernOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The auth service. Answers gateways' CONNECT checks on {@code tern.auth.connect} with the account
 * to bind, the user's permissions and the account's per-connection limits, or a refusal; counts
 * each account's connections (gateways report closes on {@code tern.auth.disconnect}); and owns
 * the account configuration the routers follow: answered on {@code tern.accounts.get}, published
 * on {@code tern.accounts} after a {@link #reload}. Nothing is cached past a reload.
 */
public final class AuthVerticle extends VerticleBase {

  private final boolean localOnly;
  private final String secret;
  private volatile UserDirectory directory;
  private JsonObject routerConfig;
  private long version;
  private final Map<String, Integer> connections = new HashMap<>();

  public AuthVerticle(TernOptions options, boolean localOnly) {
    this.localOnly = localOnly;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.secret = Base64.getEncoder().encodeToString(key);
    apply(options);
  }

  private void apply(TernOptions options) {
    directory = new UserDirectory(options);
    routerConfig = RouterConfig.build(options.getAccounts(), secret, ++version);
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    var connect = localOnly ? bus.<JsonObject>localConsumer(Addresses.AUTH_CONNECT)
        : bus.<JsonObject>consumer(Addresses.AUTH_CONNECT);
    connect.handler(msg -> msg.reply(check(msg.body())));
    var disconnect = localOnly ? bus.<String>localConsumer(Addresses.AUTH_DISCONNECT)
        : bus.<String>consumer(Addresses.AUTH_DISCONNECT);
    disconnect.handler(msg -> connections.computeIfPresent(msg.body(), (k, n) -> n <= 1 ? null : n - 1));
    var get = localOnly ? bus.<Object>localConsumer(Addresses.ACCOUNTS_GET)
        : bus.<Object>consumer(Addresses.ACCOUNTS_GET);
    get.handler(msg -> msg.reply(routerConfig));
    return Future.all(connect.completion(), disconnect.completion(), get.completion());
  }

  /**
   * Switches to the users, accounts and mappings of {@code options}: later CONNECTs are checked
   * against them and the routers get the new account configuration. Connections stay open.
   */
  public Future<Void> reload(TernOptions options) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      apply(options);
      DeliveryOptions publish = new DeliveryOptions().setLocalOnly(localOnly);
      vertx.eventBus().publish(Addresses.ACCOUNTS, routerConfig, publish);
      vertx.eventBus().publish(Addresses.AUTH_RELOADED, version, publish);
      done.complete();
    });
    return done.future();
  }

  /** Open connections per account, as counted from CONNECT answers and close reports. */
  public Future<Map<String, Integer>> connectionsByAccount() {
    Promise<Map<String, Integer>> p = Promise.promise();
    context.runOnContext(v -> p.complete(new HashMap<>(connections)));
    return p.future();
  }

  JsonObject check(JsonObject request) {
    UserDirectory dir = directory;
    Identity id = dir.authenticate(request);
    String asked = request.getString("account");
    if (id == null || asked != null && !asked.equals(id.account())) {
      // As nats-server: a CONNECT naming an account other than its user's is refused outright.
      return new JsonObject().put("ok", false);
    }
    AccountOptions account = dir.accounts().getAccounts().get(id.account());
    JsonObject reply = new JsonObject().put("ok", true).put("account", id.account());
    if (id.user() != null) {
      reply.put("user", id.user());
    }
    if (id.permissions() != null) {
      reply.put("permissions", id.permissions().toJson());
    }
    // A recheck after a reload is for a connection already counted in its account.
    boolean recheck = request.getBoolean("recheck", false);
    if (account != null) {
      int max = account.getMaxConnections();
      int open = connections.getOrDefault(id.account(), 0);
      if (!recheck && max >= 0 && open >= max) {
        return new JsonObject().put("ok", false).put("error", "maximum account active connections exceeded");
      }
      if (account.getMaxSubscriptions() >= 0) {
        reply.put("max_subscriptions", account.getMaxSubscriptions());
      }
      if (account.getMaxPayload() >= 0) {
        reply.put("max_payload", account.getMaxPayload());
      }
    }
    if (!recheck) {
      connections.merge(id.account(), 1, Integer::sum);
    }
    return reply;
  }
}
