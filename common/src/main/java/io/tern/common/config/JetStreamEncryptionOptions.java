package io.tern.common.config;

import java.util.Locale;

/**
 * Encryption at rest of the JetStream store: the {@code key} and {@code cipher} keys of the
 * {@code jetstream} block (nats-server's names; the key usually comes from a {@code $VARIABLE}).
 * Without a key the store is plaintext.
 */
public class JetStreamEncryptionOptions {

  /** The authenticated ciphers the store can use (nats-server's names). */
  public enum Cipher {
    CHACHAPOLY, AES;

    /** Parses nats-server's spelling ({@code chachapoly}, {@code chacha}, {@code aes}). */
    public static Cipher parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "chachapoly", "chacha", "chacha20", "chacha20-poly1305" -> CHACHAPOLY;
        case "aes", "aes-gcm", "aes256", "aes-256-gcm" -> AES;
        default -> throw new IllegalArgumentException("Unknown cipher \"" + name + "\", expected chachapoly or aes");
      };
    }
  }

  private String key;
  private Cipher cipher = Cipher.CHACHAPOLY;

  /** The master key the per-stream keys derive from; null when the store is not encrypted. */
  public String getKey() { return key; }
  public JetStreamEncryptionOptions setKey(String key) { this.key = key; return this; }

  public Cipher getCipher() { return cipher; }
  public JetStreamEncryptionOptions setCipher(Cipher cipher) { this.cipher = cipher; return this; }

  public boolean isEnabled() { return key != null && !key.isEmpty(); }
}
