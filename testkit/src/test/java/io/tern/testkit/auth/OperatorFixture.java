package io.tern.testkit.auth;

import io.nats.client.NKey;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An operator minted for one test: the operator key, a system account {@code SYS} and two accounts
 * {@code A} (which also has a signing key) and {@code B}; their JWTs, and the operator-mode config
 * that preloads them.
 */
final class OperatorFixture {
  final NKey operator = NKey.createOperator(null);
  final NKey sys = NKey.createAccount(null);
  final NKey a = NKey.createAccount(null);
  final NKey aSigner = NKey.createAccount(null);
  final NKey b = NKey.createAccount(null);
  final String operatorJwt;
  final Map<String, String> accountJwts = new LinkedHashMap<>();

  OperatorFixture() throws Exception {
    operatorJwt = JwtMinter.operator(operator, JwtMinter.pub(sys));
    putAccount(sys, "SYS", c -> { });
    putAccount(a, "A", c -> c.getJsonObject("nats").put("signing_keys",
        new io.vertx.core.json.JsonArray().add(JwtMinter.pub(aSigner))));
    putAccount(b, "B", c -> { });
  }

  /** Mints (again) the JWT of {@code account}, letting {@code customize} edit its claims first. */
  String putAccount(NKey account, String name, Consumer<JsonObject> customize) {
    JsonObject claims = JwtMinter.account(operator, account, name);
    if (account == a) {
      claims.getJsonObject("nats").put("signing_keys", new io.vertx.core.json.JsonArray().add(JwtMinter.pub(aSigner)));
    }
    customize.accept(claims);
    String jwt = JwtMinter.sign(operator, claims);
    accountJwts.put(JwtMinter.pub(account), jwt);
    return jwt;
  }

  /** A user of {@code account} signed by {@code issuer}, with {@code customize} applied to its claims. */
  JwtMinter.UserCreds user(NKey account, NKey issuer, Consumer<JsonObject> customize) {
    NKey user = newUserKey();
    JsonObject claims = JwtMinter.user(issuer, user, "u");
    if (issuer != account) {
      claims.getJsonObject("nats").put("issuer_account", JwtMinter.pub(account));
    }
    customize.accept(claims);
    return new JwtMinter.UserCreds(JwtMinter.sign(issuer, claims), JwtMinter.seed(user));
  }

  /** A fresh user key (jnats declares checked exceptions that never happen here). */
  static NKey newUserKey() {
    try {
      return NKey.createUser(null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JwtMinter.UserCreds user(NKey account) {
    return user(account, account, c -> { });
  }

  /** Operator mode with the memory resolver preloading every account. */
  String memoryConfig() {
    return "operator: " + operatorJwt + "\nsystem_account: " + JwtMinter.pub(sys) + "\nresolver: MEMORY\n"
        + preload();
  }

  /** Operator mode with the full resolver keeping account JWTs in {@code dir}. */
  String fullConfig(Path dir) {
    return "operator: " + operatorJwt + "\nsystem_account: " + JwtMinter.pub(sys)
        + "\nresolver { type: full, dir: \"" + dir + "\", allow_delete: true }\n" + preload();
  }

  private String preload() {
    StringBuilder sb = new StringBuilder("resolver_preload {\n");
    accountJwts.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    return sb.append("}\n").toString();
  }
}
