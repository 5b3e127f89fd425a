package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on a plaintext store (so that a scan can see bytes): a marker written, deleted with and
 * without erasure, the store closed and every file under its directory scanned.
 */
class ErasureTest {

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code inSst} and closes, so that reopening flushes it from the WAL into an SST; then {@code inWal}. */
  private Stream writeBoth(StoreFixture[] holder, String inSst, String inWal) {
    try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
      Stream s = f.create("S", "s.>");
      f.call(() -> s.publish("s.keep", null, b("kept-1"), 1L));
      f.call(() -> s.publish("s.secret", null, b(inSst), 2L));
      f.call(() -> s.publish("s.keep", null, b("kept-3"), 3L));
    }
    StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN);
    holder[0] = f;
    Stream s = f.recover().get(0);
    f.call(() -> s.publish("s.secret", null, b(inWal), 4L));
    f.call(() -> s.publish("s.keep", null, b("kept-5"), 5L));
    assertThat(StoreFixture.filesContaining(dir, inSst)).anyMatch(n -> n.endsWith(".sst"));
    assertThat(StoreFixture.filesContaining(dir, inWal)).anyMatch(n -> n.endsWith(".log"));
    return s;
  }

  @Test
  void erasedMessagesLeaveNoBytesInAnyFile() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "ERASE-SST-MARKER-1a2b", "ERASE-WAL-MARKER-3c4d");
    f[0].call(() -> {
      s.deleteMessage(2, true);
      s.deleteMessage(4, true);
      return null;
    });
    f[0].close();
    assertThat(StoreFixture.filesContaining(dir, "ERASE-SST-MARKER-1a2b")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "ERASE-WAL-MARKER-3c4d")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "kept-")).isNotEmpty();
    try (StoreFixture again = new StoreFixture(dir, ValueCodec.PLAIN)) {
      Stream r = again.recover().get(0);
      assertThat(r.messages()).isEqualTo(3);
      assertThat(again.call(() -> r.get(3)).payload()).isEqualTo(b("kept-3"));
    }
  }

  @Test
  void noEraseLeavesTheBytesUntilRocksDbCompactsThem() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "NOERASE-SST-MARKER-5e6f", "NOERASE-WAL-MARKER-7a8b");
    f[0].call(() -> {
      s.deleteMessage(2, false);
      s.deleteMessage(4, false);
      return null;
    });
    f[0].close();
    // What remains after a no_erase delete: the SST that held the first and the WAL that holds the
    // second, until RocksDB compacts them some time later.
    List<String> sst = StoreFixture.filesContaining(dir, "NOERASE-SST-MARKER-5e6f");
    List<String> wal = StoreFixture.filesContaining(dir, "NOERASE-WAL-MARKER-7a8b");
    assertThat(sst).anyMatch(n -> n.endsWith(".sst"));
    assertThat(wal).anyMatch(n -> n.endsWith(".log"));
  }

  @Test
  void purgeBySubjectWithEraseLeavesNoBytes() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "PURGE-SST-MARKER-9c0d", "PURGE-WAL-MARKER-1e2f");
    long purged = f[0].call(() -> s.purge("s.secret", 0, 0, true));
    f[0].close();
    assertThat(purged).isEqualTo(2);
    assertThat(StoreFixture.filesContaining(dir, "PURGE-SST-MARKER-9c0d")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "PURGE-WAL-MARKER-1e2f")).isEmpty();
  }

  @Test
  void aDeletedStreamLeavesNoBytes() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "DROP-SST-MARKER-7e8f", "DROP-WAL-MARKER-9a0b");
    f[0].call(() -> {
      s.drop();
      return null;
    });
    f[0].close();
    assertThat(StoreFixture.filesContaining(dir, "DROP-SST-MARKER-7e8f")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "DROP-WAL-MARKER-9a0b")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "kept-")).isEmpty();
  }

  @Test
  void aDeletedStreamLeavesNoBytesInBottomLevelFiles() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "DEEP-SST-MARKER-2c3d", "DEEP-WAL-MARKER-4e5f");
    // An erasing delete compacts the range's files into the bottom level: the markers now sit in
    // files below level 0, which the stream's deletion drops whole instead of compacting them.
    f[0].call(() -> {
      s.deleteMessage(1, true);
      return null;
    });
    assertThat(StoreFixture.filesContaining(dir, "DEEP-SST-MARKER-2c3d")).anyMatch(n -> n.endsWith(".sst"));
    f[0].call(() -> {
      s.drop();
      return null;
    });
    f[0].close();
    assertThat(StoreFixture.filesContaining(dir, "DEEP-SST-MARKER-2c3d")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "DEEP-WAL-MARKER-4e5f")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "kept-")).isEmpty();
  }

  @Test
  void fullPurgeWithEraseLeavesNoBytes() {
    StoreFixture[] f = new StoreFixture[1];
    Stream s = writeBoth(f, "FULL-SST-MARKER-3a4b", "FULL-WAL-MARKER-5c6d");
    f[0].call(() -> s.purge(null, 0, 0, true));
    f[0].close();
    assertThat(StoreFixture.filesContaining(dir, "FULL-SST-MARKER-3a4b")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "FULL-WAL-MARKER-5c6d")).isEmpty();
    assertThat(StoreFixture.filesContaining(dir, "kept-")).isEmpty();
  }
}
