package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.common.config.JetStreamEncryptionOptions.Cipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encryption at rest: marker subject, header and payload written to a stream, the store closed,
 * and every file under the store directory (WAL, SST, MANIFEST, LOG, OPTIONS) scanned.
 */
class EncryptionAtRestTest {

  private static final String PAYLOAD = "PAYLOAD-MARKER-7f3a9c";
  private static final String SUBJECT = "orders.SUBJECT-MARKER-51be";
  private static final String HEADER = "HEADER-MARKER-c0de42";
  private static final String CONFIG = "CONFIG-MARKER-9d1e";

  @TempDir
  Path dir;

  private void writeMarkers(ValueCodec codec) {
    try (StoreFixture f = new StoreFixture(dir, codec)) {
      Stream s = f.create("ORDERS", "orders." + CONFIG + ".>");
      f.call(() -> s.publish(SUBJECT, ("NATS/1.0\r\nX-Secret: " + HEADER + "\r\n\r\n").getBytes(StandardCharsets.UTF_8),
          PAYLOAD.getBytes(StandardCharsets.UTF_8), 5L));
    }
  }

  private List<String> markersFound() {
    List<String> found = new java.util.ArrayList<>();
    for (String m : List.of(PAYLOAD, SUBJECT, HEADER, CONFIG)) {
      StoreFixture.filesContaining(dir, m).forEach(file -> found.add(m + " in " + file));
    }
    return found;
  }

  @ParameterizedTest
  @EnumSource(Cipher.class)
  void encryptedStoreFilesHoldNoMarker(Cipher cipher) {
    writeMarkers(new EncryptingCodec("s3cret", cipher));
    assertThat(markersFound()).isEmpty();
    try (StoreFixture f = new StoreFixture(dir, new EncryptingCodec("s3cret", cipher))) {
      Stream s = f.recover().get(0);
      StoredMessage m = f.call(() -> s.get(1));
      assertThat(m.subject()).isEqualTo(SUBJECT);
      assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
      assertThat(new String(m.headers(), StandardCharsets.UTF_8)).contains(HEADER);
      assertThat(s.config().subjects()).containsExactly("orders." + CONFIG + ".>");
    }
  }

  @Test
  void plaintextStoreFilesHoldTheMarkers() {
    writeMarkers(ValueCodec.PLAIN);
    // the scan finds what is there: every marker, in the WAL at least
    assertThat(markersFound()).anyMatch(s -> s.startsWith(PAYLOAD)).anyMatch(s -> s.startsWith(SUBJECT))
        .anyMatch(s -> s.startsWith(HEADER)).anyMatch(s -> s.startsWith(CONFIG));
  }

  @Test
  void wrongKeyIsRefusedAndChangesNothing() {
    writeMarkers(new EncryptingCodec("right key", Cipher.AES));
    List<String> before = StoreFixture.contentHashes(dir);
    assertThatThrownBy(() -> RocksStorage.open(dir, true, new EncryptingCodec("wrong key", Cipher.AES)))
        .isInstanceOf(StoreKeyException.class)
        .hasMessageContaining("cannot be decrypted with the configured jetstream.key (wrong key)");
    assertThat(StoreFixture.contentHashes(dir)).isEqualTo(before);
    try (StoreFixture f = new StoreFixture(dir, new EncryptingCodec("right key", Cipher.AES))) {
      Stream s = f.recover().get(0);
      assertThat(new String(f.call(() -> s.get(1)).payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
    }
  }

  @Test
  void modesAndCiphersAreNeverMixed() {
    writeMarkers(ValueCodec.PLAIN);
    assertThatThrownBy(() -> RocksStorage.open(dir, true, new EncryptingCodec("k", Cipher.CHACHAPOLY)))
        .isInstanceOf(StoreKeyException.class).hasMessageContaining("is not encrypted but jetstream.key is set");

    Path other = dir.resolve("other");
    try (StoreFixture f = new StoreFixture(other, new EncryptingCodec("k", Cipher.CHACHAPOLY))) {
      f.create("S", "s.>");
    }
    assertThatThrownBy(() -> RocksStorage.open(other, true, ValueCodec.PLAIN))
        .isInstanceOf(StoreKeyException.class).hasMessageContaining("is encrypted (chachapoly) but no jetstream.key");
    assertThatThrownBy(() -> RocksStorage.open(other, true, new EncryptingCodec("k", Cipher.AES)))
        .isInstanceOf(StoreKeyException.class).hasMessageContaining("encrypted with chachapoly but jetstream.cipher is aes");
  }

  @Test
  void aStoreFromBeforeTheKeyCheckIsPlaintext() throws Exception {
    writeMarkers(ValueCodec.PLAIN);
    // stores written before the key check record existed have none
    Path db = dir.resolve("rocksdb");
    try (org.rocksdb.Options o = new org.rocksdb.Options();
        org.rocksdb.DBOptions dbo = new org.rocksdb.DBOptions()) {
      List<org.rocksdb.ColumnFamilyDescriptor> cfs = new java.util.ArrayList<>();
      for (byte[] name : org.rocksdb.RocksDB.listColumnFamilies(o, db.toString())) {
        cfs.add(new org.rocksdb.ColumnFamilyDescriptor(name));
      }
      List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
      try (org.rocksdb.RocksDB raw = org.rocksdb.RocksDB.open(dbo, db.toString(), cfs, handles)) {
        raw.delete(handles.get(0), StoreKeyCheck.KEY);
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
    assertThatThrownBy(() -> RocksStorage.open(dir, true, new EncryptingCodec("k", Cipher.AES)))
        .isInstanceOf(StoreKeyException.class).hasMessageContaining("is not encrypted but jetstream.key is set");
    try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
      Stream s = f.recover().get(0);
      assertThat(f.call(() -> s.get(1)).subject()).isEqualTo(SUBJECT);
    }
  }

  @Test
  void aStoreWithoutStreamsMayTakeAKey() {
    new StoreFixture(dir, ValueCodec.PLAIN).close();
    writeMarkers(new EncryptingCodec("k", Cipher.AES));
    assertThat(markersFound()).isEmpty();
  }

  @Test
  void sealedRecordsAreBoundToTheirKeyAndScope() {
    EncryptingCodec codec = new EncryptingCodec("k", Cipher.CHACHAPOLY);
    byte[] sealed = codec.seal(7, new byte[] {1}, "x".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.open(7, new byte[] {1}, sealed)).containsExactly('x');
    assertThatThrownBy(() -> codec.open(8, new byte[] {1}, sealed)).isInstanceOf(StoreKeyException.class);
    assertThatThrownBy(() -> codec.open(7, new byte[] {2}, sealed)).isInstanceOf(StoreKeyException.class);
    assertThat(codec.seal(7, new byte[] {1}, "x".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(sealed);
  }
}
