package io.tern.auth;

import io.tern.common.config.PermissionsOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks a CONNECT that carries a user JWT, as nats-server does in operator mode: the JWT is a
 * user's, signed by its account or one of the account's signing keys ({@code issuer_account} names
 * the account then); the account JWT is known to the resolver and signed by the operator; neither
 * has expired; the user is not revoked; the client signed the INFO nonce with the user's key unless
 * the JWT is a bearer token; and the client's address, the time of day and the connection type are
 * ones the JWT allows. The answer carries the permissions (the user's own, a scoped signing key's
 * template, else the account's defaults), limits and when the JWT runs out.
 */
final class JwtAuthenticator {
  /** nats-server's text for a connection whose user a claims update revoked. */
  static final String REVOKED = "User Authentication Revoked";
  static final String VIOLATION = "Authorization Violation";

  private final JwtAccounts accounts;

  JwtAuthenticator(JwtAccounts accounts) {
    this.accounts = accounts;
  }

  /** The answer for {@code request}: {@code ok} with account, user and limits, or {@code ok:false} and an error. */
  JsonObject authenticate(JsonObject request, Instant now) {
    Jwt user = Jwt.tryDecode(request.getString("jwt"));
    long nowSec = now.getEpochSecond();
    if (user == null || !"user".equals(user.type()) || NKeys.decodePublic(user.subject()) == null
        || !user.signedBy(NKeys.PREFIX_ACCOUNT) || user.outOfTime(nowSec)) {
      return refused(VIOLATION);
    }
    JsonObject nats = user.nats();
    String accountKey = nats.getString("issuer_account", user.issuer());
    AccountClaims account = accounts.account(accountKey);
    if (account == null || account.jwt.outOfTime(nowSec) || !account.mayIssueUsers(user.issuer())) {
      return refused(VIOLATION);
    }
    JsonObject template = account.signingKeys.get(user.issuer());
    if (template != null) {
      // A scoped signing key's users bring no permissions or limits; the key's template is theirs.
      if (!ScopedUsers.hasNoPermissionsOrLimits(nats)) {
        return refused(VIOLATION);
      }
      nats = ScopedUsers.withTemplate(nats, template);
    }
    if (account.revoked(user.subject(), user.issuedAt())) {
      // A connected client learns of its revocation by name; a new one only by the usual violation.
      return refused(request.getBoolean("recheck", false) ? REVOKED : VIOLATION);
    }
    if (!nats.getBoolean("bearer_token", false)
        && !NKeys.verify(user.subject(), request.getString("nonce"), request.getString("sig"))) {
      return refused(VIOLATION);
    }
    if (!ConnectRestrictions.sourceAllowed(nats, request.getString("client_ip", ""))
        || !ConnectRestrictions.typeAllowed(nats, request.getString("type", "STANDARD"))) {
      return refused(VIOLATION);
    }
    Duration window = ConnectRestrictions.timeAllowance(nats, now);
    if (window == null) {
      return refused(VIOLATION);
    }
    JsonObject reply = new JsonObject().put("ok", true).put("account", account.publicKey)
        .put("user", user.subject());
    PermissionsOptions perms = permissions(account, nats);
    if (perms != null) {
      reply.put("permissions", perms.effective().toJson());
    }
    long expiresMs = window.equals(ConnectRestrictions.FOREVER) ? 0 : now.toEpochMilli() + window.toMillis();
    if (user.expires() > 0 && (expiresMs == 0 || user.expires() * 1000 < expiresMs)) {
      expiresMs = user.expires() * 1000;
    }
    if (expiresMs > 0) {
      reply.put("expires_at_ms", expiresMs);
    }
    putLimit(reply, "max_subscriptions", account.maxSubscriptions, userLimit(nats, "subs"));
    putLimit(reply, "max_payload", account.maxPayload, userLimit(nats, "payload"));
    reply.put("account_max_connections", account.maxConnections);
    return reply;
  }

  /** The user's own permissions (a scoped key's template for its users), else the account's defaults. */
  private static PermissionsOptions permissions(AccountClaims account, JsonObject nats) {
    PermissionsOptions own = JwtPermissions.read(nats);
    return own != null ? own : account.defaultPermissions;
  }

  /** As nats-server 2.9.10: an absent user limit is 0, not unlimited (nsc writes -1 for none). */
  private static long userLimit(JsonObject nats, String key) {
    Number n = nats.getNumber(key);
    return n == null ? 0 : n.longValue();
  }

  /** The stricter of two limits where -1 (or less) is none. */
  private static void putLimit(JsonObject reply, String key, long account, long user) {
    long v = account < 0 ? user : user < 0 ? account : Math.min(account, user);
    if (v >= 0) {
      reply.put(key, (int) Math.min(Integer.MAX_VALUE, v));
    }
  }

  private static JsonObject refused(String error) {
    return new JsonObject().put("ok", false).put("error", error);
  }
}
