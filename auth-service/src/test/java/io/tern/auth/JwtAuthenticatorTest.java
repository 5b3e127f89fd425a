package io.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.OperatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
  private static final String NONCE = "abc123nonce";
  private final long now = Instant.now().getEpochSecond();
  private final TestKey operator = TestKey.operator();
  private final TestKey account = TestKey.account();
  private final TestKey signer = TestKey.account();
  private final TestKey user = TestKey.user();

  private JsonObject accountClaims() {
    return new JsonObject().put("type", "account").put("version", 2)
        .put("signing_keys", new JsonArray().add(signer.pub))
        .put("limits", new JsonObject().put("subs", 10).put("payload", -1).put("conn", -1));
  }

  private static JsonObject userClaims() {
    return new JsonObject().put("type", "user").put("version", 2).put("subs", -1).put("payload", 100).put("data", -1);
  }

  private JwtAuthenticator authenticator(JsonObject accountNats) {
    OperatorOptions options = new OperatorOptions().setResolverType(OperatorOptions.ResolverType.MEMORY);
    options.getOperatorJwts().add(operator.issue(operator.pub, new JsonObject().put("type", "operator"), now));
    options.getPreload().put(account.pub, operator.issue(account.pub, accountNats, now));
    return new JwtAuthenticator(new JwtAccounts(options));
  }

  private JsonObject connect(JwtAuthenticator auth, String jwt, TestKey signedBy) {
    JsonObject request = new JsonObject().put("jwt", jwt).put("nonce", NONCE).put("client_ip", "127.0.0.1")
        .put("type", "STANDARD");
    if (signedBy != null) {
      request.put("sig", signedBy.signNonce(NONCE));
    }
    return auth.authenticate(request, Instant.now());
  }

  @Test
  void aUserOfATrustedAccountIsAdmittedWithTheStricterLimits() {
    JsonObject answer = connect(authenticator(accountClaims()), account.issue(user.pub, userClaims(), now), user);
    assertThat(answer.getBoolean("ok")).isTrue();
    assertThat(answer.getString("account")).isEqualTo(account.pub);
    assertThat(answer.getString("user")).isEqualTo(user.pub);
    assertThat(answer.getInteger("max_subscriptions")).isEqualTo(10);
    assertThat(answer.getInteger("max_payload")).isEqualTo(100);
    assertThat(answer.containsKey("expires_at_ms")).isFalse();
  }

  @Test
  void signingKeysNeedTheIssuerAccount() {
    JwtAuthenticator auth = authenticator(accountClaims());
    JsonObject withAccount = userClaims().put("issuer_account", account.pub);
    assertThat(connect(auth, signer.issue(user.pub, withAccount, now), user).getBoolean("ok")).isTrue();
    assertThat(connect(auth, signer.issue(user.pub, userClaims(), now), user).getBoolean("ok")).isFalse();
    TestKey stranger = TestKey.account();
    assertThat(connect(auth, stranger.issue(user.pub, userClaims().put("issuer_account", account.pub), now), user)
        .getBoolean("ok")).isFalse();
  }

  @Test
  void theNonceSignatureIsTheUsersUnlessBearer() {
    JwtAuthenticator auth = authenticator(accountClaims());
    String jwt = account.issue(user.pub, userClaims(), now);
    assertThat(connect(auth, jwt, TestKey.user()).getString("error")).isEqualTo("Authorization Violation");
    assertThat(connect(auth, jwt, null).getBoolean("ok")).isFalse();
    String bearer = account.issue(user.pub, userClaims().put("bearer_token", true), now);
    assertThat(connect(auth, bearer, null).getBoolean("ok")).isTrue();
  }

  @Test
  void expiryAndRevocation() {
    JwtAuthenticator auth = authenticator(accountClaims().put("revocations", new JsonObject().put(user.pub, now)));
    assertThat(connect(auth, account.issue(user.pub, userClaims(), now - 5), user).getBoolean("ok")).isFalse();
    // Issued after the revocation: a new JWT for the same key is fine.
    JsonObject later = connect(auth, account.issue(user.pub, userClaims(), now + 1), user);
    assertThat(later.getBoolean("ok")).isTrue();
    JsonObject revokedOnRecheck = auth.authenticate(new JsonObject().put("jwt", account.issue(user.pub, userClaims(),
        now - 5)).put("nonce", NONCE).put("sig", user.signNonce(NONCE)).put("recheck", true), Instant.now());
    assertThat(revokedOnRecheck.getString("error")).isEqualTo("User Authentication Revoked");

    JwtAuthenticator plain = authenticator(accountClaims());
    Base64Claims expired = new Base64Claims(account, user.pub, userClaims());
    assertThat(connect(plain, expired.withExp(now - 1), user).getBoolean("ok")).isFalse();
    JsonObject soon = connect(plain, expired.withExp(now + 60), user);
    assertThat(soon.getLong("expires_at_ms")).isEqualTo((now + 60) * 1000);
  }

  @Test
  void timeWindowsAndSourceNetworks() {
    JwtAuthenticator auth = authenticator(accountClaims());
    LocalTime t = LocalTime.now(ZoneOffset.UTC);
    JsonArray later = new JsonArray().add(new JsonObject().put("start", t.plusHours(2).withNano(0).toString())
        .put("end", t.plusHours(3).withNano(0).toString()));
    assertThat(connect(auth, account.issue(user.pub, userClaims().put("times", later).put("times_location", "UTC"),
        now), user).getBoolean("ok")).isFalse();
    assertThat(connect(auth, account.issue(user.pub, userClaims().put("src", new JsonArray().add("10.0.0.0/8")), now),
        user).getBoolean("ok")).isFalse();
    assertThat(connect(auth, account.issue(user.pub, userClaims().put("src", "10.0.0.0/8, 127.0.0.0/8"), now),
        user).getBoolean("ok")).isTrue();
  }

  @Test
  void cidrBlocksAndWrappingWindows() {
    assertThat(ConnectRestrictions.inBlock("192.168.1.0/24", "192.168.1.77")).isTrue();
    assertThat(ConnectRestrictions.inBlock("192.168.1.0/24", "192.168.2.1")).isFalse();
    assertThat(ConnectRestrictions.inBlock("::1/128", "::1")).isTrue();
    assertThat(ConnectRestrictions.inBlock("10.0.0.0/8", "::1")).isFalse();
    JsonObject night = new JsonObject().put("times", new JsonArray()
        .add(new JsonObject().put("start", "22:00:00").put("end", "02:00:00"))).put("times_location", "UTC");
    assertThat(ConnectRestrictions.timeAllowance(night, Instant.parse("2026-01-01T23:00:00Z"))).hasHours(3);
    assertThat(ConnectRestrictions.timeAllowance(night, Instant.parse("2026-01-01T01:00:00Z"))).hasHours(1);
    assertThat(ConnectRestrictions.timeAllowance(night, Instant.parse("2026-01-01T12:00:00Z"))).isNull();
  }

  @Test
  void accountsFromAnotherOperatorAreNotLoaded() {
    OperatorOptions options = new OperatorOptions().setResolverType(OperatorOptions.ResolverType.MEMORY);
    options.getOperatorJwts().add(operator.issue(operator.pub, new JsonObject().put("type", "operator"), now));
    TestKey other = TestKey.operator();
    options.getPreload().put(account.pub, other.issue(account.pub, accountClaims(), now));
    assertThat(new JwtAccounts(options).account(account.pub)).isNull();
  }

  /** User claims with an expiry, issued by an account key. */
  private record Base64Claims(TestKey issuer, String subject, JsonObject nats) {
    String withExp(long exp) {
      return issuer.issueWithExp(subject, nats, exp);
    }
  }
}
