package io.tern.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Compares a configured secret with what a client sent, without leaking timing. */
final class Credentials {
  private Credentials() {
  }

  static boolean matches(String configured, String given) {
    if (configured == null || given == null) {
      return configured == null && given == null;
    }
    return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
