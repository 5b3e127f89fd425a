package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages written through the plain store's direct-buffer path and, when larger than its buffer,
 * through the {@code byte[]} path come back from a reopened store byte for byte.
 */
class StoredValueTest {

  @TempDir
  Path dir;

  @Test
  void smallAndLargeMessagesSurviveAReopenExactly() {
    byte[] headers = "NATS/1.0\r\nK: v\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] small = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] large = new byte[100 * 1024];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
      Stream s = f.create("S", "s.>");
      f.call(() -> s.publish("s.small", headers, small, 11L));
      f.call(() -> s.publish("s.large", null, large, 12L));
      f.call(() -> s.publish("s.empty", null, new byte[0], 13L));
    }
    try (StoreFixture f = new StoreFixture(dir, ValueCodec.PLAIN)) {
      Stream s = f.recover().get(0);
      StoredMessage m1 = f.call(() -> s.get(1));
      StoredMessage m2 = f.call(() -> s.get(2));
      StoredMessage m3 = f.call(() -> s.get(3));
      assertThat(m1.subject()).isEqualTo("s.small");
      assertThat(m1.headers()).isEqualTo(headers);
      assertThat(m1.payload()).isEqualTo(small);
      assertThat(m1.timestamp()).isEqualTo(11L);
      assertThat(m2.subject()).isEqualTo("s.large");
      assertThat(m2.headers()).isNull();
      assertThat(Arrays.equals(m2.payload(), large)).isTrue();
      assertThat(m3.payload()).isEmpty();
      assertThat(m3.timestamp()).isEqualTo(13L);
    }
  }
}
