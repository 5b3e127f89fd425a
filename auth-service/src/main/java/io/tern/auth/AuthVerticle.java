package io.tern.auth;

import io.tern.common.bus.Addresses;
import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
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
 * on {@code tern.accounts} after a {@link #reload}. Nothing is cached past a reload. In operator
 * mode a CONNECT with a user JWT is checked by {@link JwtAuthenticator}, the JWT accounts join the
 * routed accounts, and account JWT updates ({@code tern.auth.claims}) apply at once.
 */
public final class AuthVerticle extends VerticleBase {

  private final boolean localOnly;
  private final String secret;
  private volatile UserDirectory directory;
  /** Operator mode: the trusted operator and its accounts; null otherwise. */
  private JwtAccounts jwtAccounts;
  private JwtAuthenticator jwtAuthenticator;
  private String systemAccount;
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
    systemAccount = options.getAccounts().getSystemAccount();
    if (options.getOperator().isEnabled()) {
      jwtAccounts = new JwtAccounts(options.getOperator());
      jwtAuthenticator = new JwtAuthenticator(jwtAccounts);
    } else {
      jwtAccounts = null;
      jwtAuthenticator = null;
    }
    routerConfig = RouterConfig.build(routedAccounts(), secret, ++version);
  }

  /** The accounts the routers follow: the configured ones, in operator mode the JWT accounts too. */
  private AccountsOptions routedAccounts() {
    if (jwtAccounts == null) {
      return directory.accounts();
    }
    AccountsOptions merged = jwtAccounts.toAccountsOptions(systemAccount);
    directory.accounts().getAccounts().forEach((name, a) -> merged.getAccounts().putIfAbsent(name, a));
    return merged;
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
    var claims = localOnly ? bus.<JsonObject>localConsumer(Addresses.AUTH_CLAIMS)
        : bus.<JsonObject>consumer(Addresses.AUTH_CLAIMS);
    claims.handler(msg -> msg.reply(claimsRequest(msg.body())));
    return Future.all(connect.completion(), disconnect.completion(), get.completion(), claims.completion());
  }

  /**
   * Answers the account-management requests the system account's responder forwards
   * ({@code op}: update, lookup, list, delete), nats-server's {@code $SYS.REQ.CLAIMS.*} and
   * {@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.*}; an update or delete applies at once to the routers and,
   * through a recheck, to connected clients.
   */
  private JsonObject claimsRequest(JsonObject request) {
    if (jwtAccounts == null) {
      return ClaimsAnswers.error(null, 500, "no account resolver");
    }
    String op = request.getString("op", "");
    JsonObject answer = switch (op) {
      case "update" -> ClaimsAnswers.update(jwtAccounts, request.getString("jwt"), request.getString("account"));
      case "lookup" -> ClaimsAnswers.lookup(jwtAccounts, request.getString("account"));
      case "list" -> ClaimsAnswers.list(jwtAccounts);
      case "delete" -> ClaimsAnswers.delete(jwtAccounts, request.getString("jwt"));
      default -> ClaimsAnswers.error(null, 400, "unknown request");
    };
    if (answer.getBoolean("changed", false)) {
      answer.remove("changed");
      publishAccounts();
    }
    return answer;
  }

  /** Sends the routers the accounts as they are now and asks gateways to recheck their clients. */
  private void publishAccounts() {
    routerConfig = RouterConfig.build(routedAccounts(), secret, ++version);
    DeliveryOptions publish = new DeliveryOptions().setLocalOnly(localOnly);
    vertx.eventBus().publish(Addresses.ACCOUNTS, routerConfig, publish);
    vertx.eventBus().publish(Addresses.AUTH_RELOADED, version, publish);
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
    if (jwtAuthenticator != null && request.getString("jwt") != null) {
      return checkJwt(request);
    }
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

  private JsonObject checkJwt(JsonObject request) {
    JsonObject reply = jwtAuthenticator.authenticate(request, java.time.Instant.now());
    if (!reply.getBoolean("ok", false)) {
      return reply;
    }
    long max = ((Number) reply.remove("account_max_connections")).longValue();
    String account = reply.getString("account");
    boolean recheck = request.getBoolean("recheck", false);
    if (!recheck) {
      if (max >= 0 && connections.getOrDefault(account, 0) >= max) {
        return new JsonObject().put("ok", false).put("error", "maximum account active connections exceeded");
      }
      connections.merge(account, 1, Integer::sum);
    }
    return reply;
  }
}
