package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backup archive: round trip, checksums, and entries that could reach outside the archive. */
class StreamArchiveTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static StreamArchive sample() {
    List<StoredMessage> messages = List.of(
        new StoredMessage(1, "a.b", null, b("one"), 11L),
        new StoredMessage(3, "a.c", b("NATS/1.0\r\nX: y\r\n\r\n"), b(""), 13L));
    Map<String, JsonObject> consumers = new LinkedHashMap<>();
    consumers.put("D1", new JsonObject().put("ack_floor", 2));
    return new StreamArchive(new JsonObject().put("id", 4).put("created", 9L).put("last_seq", 5L).put("last_ts", 15L),
        messages, consumers);
  }

  @Test
  void roundTrip() {
    StreamArchive read = StreamArchive.read(sample().toBytes());
    assertThat(read.lastSeq()).isEqualTo(5);
    assertThat(read.lastTimestamp()).isEqualTo(15);
    assertThat(read.messages()).hasSize(2);
    StoredMessage m = read.messages().get(1);
    assertThat(m.seq()).isEqualTo(3);
    assertThat(m.subject()).isEqualTo("a.c");
    assertThat(m.headers()).isEqualTo(b("NATS/1.0\r\nX: y\r\n\r\n"));
    assertThat(m.payload()).isEmpty();
    assertThat(read.messages().get(0).headers()).isNull();
    assertThat(read.consumers().get("D1").getInteger("ack_floor")).isEqualTo(2);
  }

  @Test
  void everyFlippedByteOfTheDataIsRefused() {
    byte[] bytes = sample().toBytes();
    int refused = 0;
    int tried = 0;
    for (int i = 0; i < bytes.length; i += 7) {
      byte[] copy = bytes.clone();
      copy[i] ^= 0x01;
      tried++;
      try {
        StreamArchive read = StreamArchive.read(copy);
        // a flip in unused header bytes or padding changes nothing that is read
        assertThat(read.messages()).usingRecursiveFieldByFieldElementComparator()
            .isEqualTo(StreamArchive.read(bytes).messages());
      } catch (IllegalArgumentException e) {
        refused++;
      }
    }
    assertThat(refused).isPositive().isLessThanOrEqualTo(tried);
  }

  @Test
  void aDamagedMessageIsRefusedByItsChecksum() {
    byte[] bytes = sample().toBytes();
    byte[] one = b("one");
    int at = StoreFixture.indexOf(bytes, one);
    bytes[at] = 'O';
    assertThatThrownBy(() -> StreamArchive.read(bytes)).hasMessage("archive checksum mismatch in messages.bin");
  }

  @Test
  void namesThatLeaveTheArchiveAndLinksAreRefused() {
    for (String name : List.of("../evil", "a/../../evil", "/etc/passwd", "./x", "C:/x")) {
      byte[] tar = rawTar(name, '0', b("x"));
      assertThatThrownBy(() -> TarFormat.read(tar)).as(name).hasMessageStartingWith("archive entry name not allowed");
    }
    assertThatThrownBy(() -> TarFormat.read(rawTar("link", '2', new byte[0])))
        .hasMessageContaining("is not a regular file (type '2')");
    assertThatThrownBy(() -> TarFormat.read(rawTar("hard", '1', new byte[0])))
        .hasMessageContaining("is not a regular file (type '1')");
    assertThatThrownBy(() -> TarFormat.read(rawTar("dir", '5', new byte[0])))
        .hasMessageContaining("is not a regular file (type '5')");
  }

  @Test
  void entriesMustMatchTheChecksumList() {
    List<TarFormat.Entry> entries = new ArrayList<>(TarFormat.read(sample().toBytes()));
    entries.add(1, new TarFormat.Entry("extra.bin", b("unlisted")));
    assertThatThrownBy(() -> StreamArchive.read(TarFormat.write(entries)))
        .hasMessage("archive entries do not match its SHA256SUMS");
    entries.remove(1);
    entries.removeIf(e -> e.name().equals("SHA256SUMS"));
    assertThatThrownBy(() -> StreamArchive.read(TarFormat.write(entries))).hasMessage("archive has no SHA256SUMS");
    assertThatThrownBy(() -> StreamArchive.read(new byte[100])).hasMessage("archive is truncated");
  }

  /** A one-entry tar with any name and type (what a hostile archive could hold). */
  private static byte[] rawTar(String name, char type, byte[] data) {
    byte[] header = new byte[512];
    System.arraycopy(b(name), 0, header, 0, name.length());
    System.arraycopy(b("0000644\0"), 0, header, 100, 8);
    System.arraycopy(b(String.format("%011o\0", data.length)), 0, header, 124, 12);
    header[156] = (byte) type;
    System.arraycopy(b("ustar\u000000"), 0, header, 257, 8);
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    int sum = 0;
    for (byte x : header) {
      sum += x & 0xff;
    }
    System.arraycopy(b(String.format("%06o\0 ", sum)), 0, header, 148, 8);
    byte[] out = new byte[512 + ((data.length + 511) / 512) * 512 + 1024];
    System.arraycopy(header, 0, out, 0, 512);
    System.arraycopy(data, 0, out, 512, data.length);
    return out;
  }
}
