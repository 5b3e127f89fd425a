package io.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void plainAndBcryptSecrets() {
    assertThat(Credentials.matches("pw", "pw")).isTrue();
    assertThat(Credentials.matches("pw", "pW")).isFalse();
    assertThat(Credentials.matches("pw", null)).isFalse();
    for (BCrypt.Version v : new BCrypt.Version[] {BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B,
        BCrypt.Version.VERSION_2Y}) {
      String hash = new String(BCrypt.with(v).hash(4, "secret".toCharArray()), StandardCharsets.UTF_8);
      assertThat(Credentials.matches(hash, "secret")).isTrue();
      assertThat(Credentials.matches(hash, "Secret")).isFalse();
    }
    assertThat(Credentials.matches("$2a$broken", "x")).isFalse();
  }

  /** A public user nkey for a JDK-generated Ed25519 key: base32 of prefix, key and CRC-16. */
  private static String nkey(KeyPair pair) {
    byte[] der = pair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(der, der.length - 32, der.length);
    byte[] all = new byte[35];
    all[0] = (byte) NKeys.PREFIX_USER;
    System.arraycopy(raw, 0, all, 1, 32);
    int crc = NKeys.crc16(all, 33);
    all[33] = (byte) crc;
    all[34] = (byte) (crc >> 8);
    StringBuilder b = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte x : all) {
      buffer = buffer << 8 | (x & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt((buffer << (5 - bits)) & 31));
    }
    return b.toString();
  }

  @Test
  void nkeySignaturesOverTheNonce() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
    KeyPair user = gen.generateKeyPair();
    KeyPair other = gen.generateKeyPair();
    String pub = nkey(user);
    assertThat(pub).startsWith("U").hasSize(56);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(user.getPrivate());
    s.update("nonce-1".getBytes(StandardCharsets.UTF_8));
    String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    assertThat(NKeys.verify(pub, "nonce-1", sig)).isTrue();
    assertThat(NKeys.verify(pub, "nonce-2", sig)).isFalse();
    assertThat(NKeys.verify(nkey(other), "nonce-1", sig)).isFalse();
    // A flipped character breaks the checksum.
    String broken = pub.substring(0, 10) + (pub.charAt(10) == 'A' ? 'B' : 'A') + pub.substring(11);
    assertThat(NKeys.decodePublic(broken)).isNull();
  }
}
