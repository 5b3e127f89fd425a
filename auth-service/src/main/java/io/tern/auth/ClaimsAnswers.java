package io.tern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The account resolver's answers to {@code $SYS.REQ.CLAIMS.*} and
 * {@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.*}, shaped as nats-server's: {@code {"data":{"account",
 * "code":200,"message"}}} or {@code {"error":{"account","code","description"}}}; the responder adds
 * the {@code server} block. A lookup answers with the JWT itself ({@code "jwt"}). {@code changed}
 * tells the auth service to republish its accounts.
 */
final class ClaimsAnswers {
  private ClaimsAnswers() {
  }

  static JsonObject update(JwtAccounts accounts, String jwt, String expectedAccount) {
    Jwt decoded = Jwt.tryDecode(jwt);
    String account = decoded == null ? null : decoded.subject();
    if (!accounts.isFull()) {
      return error(account, 500, "jwt update resulted in error - resolver does not accept updates");
    }
    if (decoded == null) {
      return error(null, 500, "jwt update resulted in error - invalid account JWT");
    }
    if (expectedAccount != null && !expectedAccount.equals(account)) {
      return error(account, 500, "jwt update resulted in error - subject does not match id");
    }
    String problem = accounts.put(jwt, true);
    if (problem != null) {
      return error(account, 500, "jwt update resulted in error - " + problem);
    }
    return ok(account, "jwt updated").put("changed", true);
  }

  static JsonObject lookup(JwtAccounts accounts, String account) {
    AccountClaims a = accounts.account(account);
    return a == null ? new JsonObject() : new JsonObject().put("jwt", a.jwt.text());
  }

  static JsonObject list(JwtAccounts accounts) {
    return new JsonObject().put("data", new JsonArray(new ArrayList<>(accounts.all().keySet())));
  }

  /** The request is a generic JWT the operator signed, listing {@code nats.accounts} to remove. */
  static JsonObject delete(JwtAccounts accounts, String jwt) {
    if (!accounts.isFull() || !accounts.allowDelete()) {
      return error(null, 500, "delete accounts request failed - delete not allowed");
    }
    Jwt decoded = Jwt.tryDecode(jwt);
    if (decoded == null || !accounts.trusts(decoded.issuer()) || !decoded.signedBy(NKeys.PREFIX_OPERATOR)) {
      return error(null, 500, "delete accounts request failed - not signed by a trusted operator");
    }
    List<String> keys = new ArrayList<>();
    for (Object o : decoded.nats().getJsonArray("accounts", new JsonArray())) {
      keys.add(String.valueOf(o));
    }
    List<String> removed = accounts.delete(keys);
    return ok(null, "deleted " + removed.size() + " accounts").put("changed", !removed.isEmpty());
  }

  static JsonObject ok(String account, String message) {
    JsonObject data = new JsonObject();
    if (account != null) {
      data.put("account", account);
    }
    return new JsonObject().put("data", data.put("code", 200).put("message", message));
  }

  static JsonObject error(String account, int code, String description) {
    JsonObject err = new JsonObject();
    if (account != null) {
      err.put("account", account);
    }
    return new JsonObject().put("error", err.put("code", code).put("description", description));
  }
}
