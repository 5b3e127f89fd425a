package io.tern.testkit.auth;

import io.nats.client.NKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * Mints operator, account and user JWTs the way {@code nsc} does, for tests. jnats 2.24.1 only ships
 * user-claim helpers ({@code JwtUtils.issueUserJWT}); operator and account claims need their own
 * {@code nats} bodies, so this writes the whole token: header {@code {"typ":"JWT","alg":"ed25519-nkey"}},
 * the claims, and the issuer's Ed25519 signature of {@code header.claims}, all base64url without padding.
 */
final class JwtMinter {
  private static final String HEADER = b64("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}"
      .getBytes(StandardCharsets.UTF_8));

  private JwtMinter() {
  }

  static String pub(NKey key) {
    try {
      return new String(key.getPublicKey());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String seed(NKey key) {
    try {
      return new String(key.getSeed());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed operator JWT naming {@code systemAccount} (may be null). */
  static String operator(NKey operator, String systemAccount, NKey... signingKeys) {
    JsonObject nats = new JsonObject().put("type", "operator").put("version", 2);
    if (systemAccount != null) {
      nats.put("system_account", systemAccount);
    }
    if (signingKeys.length > 0) {
      JsonArray keys = new JsonArray();
      for (NKey k : signingKeys) {
        keys.add(pub(k));
      }
      nats.put("signing_keys", keys);
    }
    return sign(operator, claims(operator, pub(operator), "operator", nats));
  }

  /** Account claims with unlimited limits, to be completed by the caller and then {@link #sign}ed. */
  static JsonObject account(NKey issuer, NKey account, String name) {
    JsonObject limits = new JsonObject().put("subs", -1).put("data", -1).put("payload", -1).put("imports", -1)
        .put("exports", -1).put("wildcards", true).put("conn", -1).put("leaf", -1);
    JsonObject nats = new JsonObject().put("limits", limits).put("default_permissions",
        new JsonObject().put("pub", new JsonObject()).put("sub", new JsonObject())).put("type", "account")
        .put("version", 2);
    return claims(issuer, pub(account), name, nats);
  }

  /** User claims with unlimited limits, to be completed by the caller and then {@link #sign}ed. */
  static JsonObject user(NKey issuer, NKey user, String name) {
    JsonObject nats = new JsonObject().put("pub", new JsonObject()).put("sub", new JsonObject()).put("subs", -1)
        .put("data", -1).put("payload", -1).put("type", "user").put("version", 2);
    return claims(issuer, pub(user), name, nats);
  }

  static JsonObject claims(NKey issuer, String subject, String name, JsonObject nats) {
    return new JsonObject().put("jti", "").put("iat", Instant.now().getEpochSecond()).put("iss", pub(issuer))
        .put("name", name).put("sub", subject).put("nats", nats);
  }

  /** Signs {@code claims} with {@code issuer}; the {@code jti} is the hash of the claims, as nsc sets it. */
  static String sign(NKey issuer, JsonObject claims) {
    try {
      JsonObject c = claims.copy().put("jti", "");
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(c.encode().getBytes(StandardCharsets.UTF_8));
      c.put("jti", Base64.getEncoder().withoutPadding().encodeToString(hash).replaceAll("[^A-Za-z0-9]", "X"));
      String body = b64(c.encode().getBytes(StandardCharsets.UTF_8));
      byte[] sig = issuer.sign((HEADER + "." + body).getBytes(StandardCharsets.UTF_8));
      return HEADER + "." + body + "." + b64(sig);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whatever a test needs of a minted user: its JWT and seed, for jnats's static credentials. */
  record UserCreds(String jwt, String seed) {
    io.nats.client.AuthHandler handler() {
      return io.nats.client.Nats.staticCredentials(jwt.toCharArray(), seed.toCharArray());
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
