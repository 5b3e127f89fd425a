package io.tern.gateway;

import java.security.SecureRandom;
import java.util.Base64;

/** Random nonces for INFO, which nkey users sign to prove they hold the private key. */
final class Nonces {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Nonces() {
  }

  /** 11 random bytes, base64url without padding, as nats-server's nonces look. */
  static String next() {
    byte[] b = new byte[11];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
