package io.tern.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Compares a configured secret with what a client sent: in constant time for plain secrets, with
 * bcrypt for {@code $2a$}/{@code $2b$}/{@code $2y$} hashes (nats-server's rule for passwords and tokens).
 */
final class Credentials {
  private Credentials() {
  }

  static boolean matches(String configured, String given) {
    if (configured == null || given == null) {
      return configured == null && given == null;
    }
    if (isBcrypt(configured)) {
      try {
        return BCrypt.verifyer().verify(given.getBytes(StandardCharsets.UTF_8),
            configured.getBytes(StandardCharsets.UTF_8)).verified;
      } catch (RuntimeException malformedHash) {
        return false;
      }
    }
    return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isBcrypt(String secret) {
    return secret.startsWith("$2a$") || secret.startsWith("$2b$") || secret.startsWith("$2y$");
  }
}
