package io.tern.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A decoded NATS JWT: base64url header, claims and Ed25519 signature, the header naming
 * {@code ed25519-nkey} (v2) or {@code ed25519} (v1). The claims' {@code iss} is the public nkey that
 * signed {@code header.claims}; {@link #signedBy} checks that signature with the JDK's Ed25519.
 */
final class Jwt {
  private final String text;
  private final String signingInput;
  private final byte[] signature;
  private final JsonObject claims;

  private Jwt(String text, String signingInput, byte[] signature, JsonObject claims) {
    this.text = text;
    this.signingInput = signingInput;
    this.signature = signature;
    this.claims = claims;
  }

  /** Decodes {@code text}; throws {@link IllegalArgumentException} when it is not a NATS JWT. */
  static Jwt decode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no JWT");
    }
    String t = text.trim();
    String[] parts = t.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected 3 chunks");
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      String alg = header.getString("alg", "");
      if (!"JWT".equalsIgnoreCase(header.getString("typ", "")) || !alg.equalsIgnoreCase("ed25519-nkey")
          && !alg.equalsIgnoreCase("ed25519")) {
        throw new IllegalArgumentException("not a NATS JWT header");
      }
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
      return new Jwt(t, parts[0] + "." + parts[1], sig, claims);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad JWT: " + e.getMessage(), e);
    }
  }

  /** Decodes {@code text}, or null when it is not a NATS JWT. */
  static Jwt tryDecode(String text) {
    try {
      return decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether {@code iss} has prefix {@code issuerPrefix} and its key made the signature. */
  boolean signedBy(int issuerPrefix) {
    return NKeys.verify(issuer(), issuerPrefix, signingInput.getBytes(StandardCharsets.UTF_8), signature);
  }

  String text() { return text; }
  JsonObject claims() { return claims; }
  String issuer() { return claims.getString("iss"); }
  String subject() { return claims.getString("sub"); }
  String name() { return claims.getString("name"); }

  /** Issued-at, in Unix seconds. */
  long issuedAt() { return number("iat"); }

  /** Expiry in Unix seconds, or 0 for none. */
  long expires() { return number("exp"); }

  /** Not-before in Unix seconds, or 0. */
  long notBefore() { return number("nbf"); }

  /** The {@code nats} part: the claims specific to operators, accounts and users. */
  JsonObject nats() {
    JsonObject n = claims.getJsonObject("nats");
    return n == null ? new JsonObject() : n;
  }

  /** {@code operator}, {@code account}, {@code user} or {@code activation}: v2 in {@code nats}, v1 at top level. */
  String type() {
    String t = nats().getString("type");
    return t != null ? t : claims.getString("type", "");
  }

  /** Whether the claims are expired or not yet valid at {@code nowSeconds}. */
  boolean outOfTime(long nowSeconds) {
    long exp = expires();
    long nbf = notBefore();
    return exp > 0 && nowSeconds > exp || nbf > 0 && nowSeconds < nbf;
  }

  private long number(String key) {
    Number n = claims.getNumber(key);
    return n == null ? 0 : n.longValue();
  }
}
