package io.tern.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/** An Ed25519 key with its public nkey, made with the JDK, for minting JWTs in unit tests. */
final class TestKey {
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private final KeyPair pair;
  final String pub;

  TestKey(int prefix) {
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    byte[] all = new byte[35];
    all[0] = (byte) prefix;
    System.arraycopy(raw, 0, all, 1, 32);
    int crc = NKeys.crc16(all, 33);
    all[33] = (byte) crc;
    all[34] = (byte) (crc >> 8);
    pub = base32(all);
  }

  static TestKey operator() { return new TestKey(NKeys.PREFIX_OPERATOR); }
  static TestKey account() { return new TestKey(NKeys.PREFIX_ACCOUNT); }
  static TestKey user() { return new TestKey(NKeys.PREFIX_USER); }

  byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String signNonce(String nonce) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sign(nonce.getBytes(StandardCharsets.UTF_8)));
  }

  /** A JWT of {@code nats} claims about {@code subject}, issued (signed) by this key. */
  String issue(String subject, JsonObject nats, long iat) {
    return issue(subject, nats, iat, 0);
  }

  /** As {@link #issue(String, JsonObject, long)}, expiring at {@code exp} (Unix seconds). */
  String issueWithExp(String subject, JsonObject nats, long exp) {
    return issue(subject, nats, Instant.now().getEpochSecond(), exp);
  }

  private String issue(String subject, JsonObject nats, long iat, long exp) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    String header = b.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}".getBytes(StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject().put("jti", "T").put("iat", iat).put("iss", pub).put("sub", subject)
        .put("name", "t").put("nats", nats);
    if (exp > 0) {
      claims.put("exp", exp);
    }
    String body = b.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + body + "." + b.encodeToString(sign((header + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte d : data) {
      buffer = buffer << 8 | (d & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32.charAt(buffer >> (bits - 5) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32.charAt(buffer << (5 - bits) & 31));
    }
    return sb.toString();
  }
}
