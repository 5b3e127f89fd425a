package io.tern.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * NKey signature checks with the JDK's Ed25519: a public nkey is base32 (RFC 4648, no padding) of
 * a prefix byte, the 32-byte Ed25519 key and a CRC-16/XMODEM checksum; the client signs the INFO
 * nonce and sends the signature base64url-encoded.
 */
final class NKeys {
  /** Prefix byte of a user's public key ('U' once base32 encoded). */
  static final int PREFIX_USER = 20 << 3;
  /** Prefix byte of an operator's public key ('O'). */
  static final int PREFIX_OPERATOR = 14 << 3;
  /** Prefix byte of an account's public key ('A'). */
  static final int PREFIX_ACCOUNT = 0;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  /** DER header of an X.509 SubjectPublicKeyInfo for a raw Ed25519 key. */
  private static final byte[] X509_ED25519 = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private NKeys() {
  }

  /** Whether {@code signature} (base64url or base64) is {@code publicKey}'s signature of {@code nonce}. */
  static boolean verify(String publicKey, String nonce, String signature) {
    if (publicKey == null || nonce == null || signature == null) {
      return false;
    }
    byte[] sig;
    try {
      sig = signature.indexOf('+') >= 0 || signature.indexOf('/') >= 0
          ? Base64.getDecoder().decode(signature) : Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(publicKey, PREFIX_USER, nonce.getBytes(StandardCharsets.UTF_8), sig);
  }

  /** Whether {@code sig} is the Ed25519 signature of {@code data} by {@code publicKey}, a key of {@code prefix}. */
  static boolean verify(String publicKey, int prefix, byte[] data, byte[] sig) {
    byte[] raw = decodePublic(publicKey, prefix);
    if (raw == null) {
      return false;
    }
    try {
      byte[] der = new byte[X509_ED25519.length + 32];
      System.arraycopy(X509_ED25519, 0, der, 0, X509_ED25519.length);
      System.arraycopy(raw, 0, der, X509_ED25519.length, 32);
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The 32 key bytes of a user's public nkey, or null when it is not one (bad prefix or checksum). */
  static byte[] decodePublic(String nkey) {
    return decodePublic(nkey, PREFIX_USER);
  }

  /** The 32 key bytes of a public nkey of {@code prefix}, or null when it is not one. */
  static byte[] decodePublic(String nkey, int prefix) {
    byte[] all = nkey == null ? null : base32(nkey);
    if (all == null || all.length != 35 || (all[0] & 0xff) != prefix) {
      return null;
    }
    int crc = (all[33] & 0xff) | (all[34] & 0xff) << 8;
    if (crc16(all, 33) != crc) {
      return null;
    }
    byte[] key = new byte[32];
    System.arraycopy(all, 1, key, 0, 32);
    return key;
  }

  static byte[] base32(String s) {
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = BASE32.indexOf(s.charAt(i));
      if (v < 0) {
        return null;
      }
      buffer = buffer << 5 | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        if (n < out.length) {
          out[n++] = (byte) (buffer >> bits);
        }
      }
    }
    return out;
  }

  static int crc16(byte[] data, int len) {
    int crc = 0;
    for (int i = 0; i < len; i++) {
      crc ^= (data[i] & 0xff) << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }
}
