package io.tern.router;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reply subjects for requests that cross into another account through a service import:
 * {@code _R_.<payload>.<mac>}, the payload naming the requesting account, its reply subject, an
 * expiry (the export's response threshold), whether only one response may pass (response type
 * {@code singleton}) and a random nonce that makes each token unique, the MAC (HMAC-SHA256 with the auth service's secret, shared by every router) proving a
 * router made it. Being self-describing, a response is routed back by whichever partition the
 * responder publishes to, and a client cannot forge a way into another account.
 */
final class ReplyTokens {
  static final String PREFIX = "_R_.";
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_BYTES = 12;

  private final Mac mac;

  ReplyTokens(String secretBase64) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secretBase64), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A reply in the exporting account that leads back to {@code reply} in {@code account}. */
  String encode(String account, byte[] data, int replyOff, int replyLen, long expiresAtMillis, boolean singleton,
                int nonce) {
    byte[] acc = account.getBytes(StandardCharsets.UTF_8);
    ByteBuffer p = ByteBuffer.allocate(8 + 1 + 4 + 2 + acc.length + replyLen);
    p.putLong(expiresAtMillis).put((byte) (singleton ? 1 : 0)).putInt(nonce)
        .putShort((short) acc.length).put(acc).put(data, replyOff, replyLen);
    byte[] payload = p.array();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return PREFIX + b64.encodeToString(payload) + "." + b64.encodeToString(sign(payload));
  }

  static boolean looksLikeToken(byte[] data, int off, int len) {
    return len > PREFIX_BYTES.length && Arrays.equals(data, off, off + PREFIX_BYTES.length,
        PREFIX_BYTES, 0, PREFIX_BYTES.length);
  }

  /** The requesting account and reply behind a token subject; null when forged, malformed or expired. */
  Decoded decode(byte[] data, int off, int len, long nowMillis) {
    String s = new String(data, off + PREFIX_BYTES.length, len - PREFIX_BYTES.length, StandardCharsets.ISO_8859_1);
    int dot = s.indexOf('.');
    if (dot < 0 || s.indexOf('.', dot + 1) >= 0) {
      return null;
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(s.substring(0, dot));
      byte[] given = Base64.getUrlDecoder().decode(s.substring(dot + 1));
      if (!MessageDigest.isEqual(sign(payload), given)) {
        return null;
      }
      ByteBuffer p = ByteBuffer.wrap(payload);
      long expires = p.getLong();
      if (expires < nowMillis) {
        return null;
      }
      boolean singleton = p.get() == 1;
      p.getInt();
      byte[] acc = new byte[p.getShort()];
      p.get(acc);
      byte[] reply = new byte[p.remaining()];
      p.get(reply);
      return new Decoded(new String(acc, StandardCharsets.UTF_8), reply, singleton, expires, s.substring(dot + 1));
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  private byte[] sign(byte[] payload) {
    return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
  }

  /**
   * What a token leads back to.
   *
   * @param singleton whether only the first response may pass
   * @param expiresAtMillis when the token stops routing responses
   * @param id the token's MAC, unique per token: the key for remembering that it was answered
   */
  record Decoded(String account, byte[] reply, boolean singleton, long expiresAtMillis, String id) {}
}
