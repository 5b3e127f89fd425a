package io.tern.stream;

import io.tern.common.config.JetStreamEncryptionOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals values with AES-256-GCM or ChaCha20-Poly1305 (both from the JDK). Each scope (stream) has
 * its own 256-bit key, derived from the configured master key with HKDF-SHA256 (RFC 5869: extract
 * with a fixed salt, expand with the scope as info). Every value gets a fresh random 96-bit nonce;
 * the record's RocksDB key is the associated data. Sealed layout: cipher id (1 byte), nonce (12),
 * ciphertext with the 16-byte tag.
 */
public final class EncryptingCodec implements ValueCodec {

  private static final byte[] SALT = "tern-jetstream-encryption-v1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 12;
  private static final int TAG = 16;

  private final JetStreamEncryptionOptions.Cipher cipher;
  private final byte id;
  private final byte[] pseudoRandomKey;
  private final Map<Long, SecretKeySpec> keys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  // Separate instances for sealing and opening: the JDK's ChaCha20 refuses to be initialised with
  // the key and nonce it was last initialised with, whatever the mode; opening the same record
  // twice in a row takes a fresh instance (see init).
  private final ThreadLocal<Cipher> sealers;
  private final ThreadLocal<Cipher> openers;

  public EncryptingCodec(String masterKey, JetStreamEncryptionOptions.Cipher cipher) {
    if (masterKey == null || masterKey.isEmpty()) {
      throw new IllegalArgumentException("an encryption key is required");
    }
    this.cipher = cipher;
    this.id = (byte) (cipher == JetStreamEncryptionOptions.Cipher.AES ? 1 : 2);
    this.pseudoRandomKey = hmac(SALT, masterKey.getBytes(StandardCharsets.UTF_8));
    String transformation = cipher == JetStreamEncryptionOptions.Cipher.AES ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305";
    this.sealers = ThreadLocal.withInitial(() -> newCipher(transformation));
    this.openers = ThreadLocal.withInitial(() -> newCipher(transformation));
  }

  @Override
  public String description() {
    return cipher.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public byte[] seal(long scope, byte[] key, byte[] value) {
    byte[] out = new byte[1 + NONCE + value.length + TAG];
    out[0] = id;
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 1, NONCE);
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, scope, nonce);
      c.updateAAD(key);
      c.doFinal(value, 0, value.length, out, 1 + NONCE);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a store record", e);
    }
  }

  @Override
  public byte[] open(long scope, byte[] key, byte[] stored) {
    if (stored.length < 1 + NONCE + TAG || stored[0] != id) {
      throw new StoreKeyException("a JetStream store record is not sealed with " + description());
    }
    byte[] nonce = new byte[NONCE];
    System.arraycopy(stored, 1, nonce, 0, NONCE);
    try {
      Cipher c = init(Cipher.DECRYPT_MODE, scope, nonce);
      c.updateAAD(key);
      return c.doFinal(stored, 1 + NONCE, stored.length - 1 - NONCE);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new StoreKeyException("a JetStream store record does not authenticate: wrong key or damaged data");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt a store record", e);
    }
  }

  private Cipher init(int mode, long scope, byte[] nonce) throws GeneralSecurityException {
    Cipher c = mode == Cipher.ENCRYPT_MODE ? sealers.get() : openers.get();
    if (mode == Cipher.DECRYPT_MODE && cipher == JetStreamEncryptionOptions.Cipher.CHACHAPOLY) {
      try {
        return initOnce(c, mode, scope, nonce);
      } catch (java.security.InvalidKeyException sameKeyAndNonce) {
        c = newCipher("ChaCha20-Poly1305");
        openers.set(c);
      }
    }
    return initOnce(c, mode, scope, nonce);
  }

  private Cipher initOnce(Cipher c, int mode, long scope, byte[] nonce) throws GeneralSecurityException {
    SecretKeySpec k = keys.computeIfAbsent(scope, this::derive);
    if (cipher == JetStreamEncryptionOptions.Cipher.AES) {
      c.init(mode, k, new GCMParameterSpec(TAG * 8, nonce));
    } else {
      c.init(mode, k, new IvParameterSpec(nonce));
    }
    return c;
  }

  private static Cipher newCipher(String transformation) {
    try {
      return Cipher.getInstance(transformation);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + transformation, e);
    }
  }

  /** HKDF-Expand for one 32-byte block: T(1) = HMAC(PRK, info || 0x01). */
  private SecretKeySpec derive(long scope) {
    byte[] label = "tern stream key ".getBytes(StandardCharsets.US_ASCII);
    byte[] info = ByteBuffer.allocate(label.length + 8 + 1).put(label).putLong(scope).put((byte) 1).array();
    byte[] okm = hmac(pseudoRandomKey, info);
    String algorithm = cipher == JetStreamEncryptionOptions.Cipher.AES ? "AES" : "ChaCha20";
    return new SecretKeySpec(okm, algorithm);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }
}
