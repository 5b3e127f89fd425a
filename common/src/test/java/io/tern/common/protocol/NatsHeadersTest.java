package io.tern.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatsHeadersTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesFieldsCaseInsensitivelyKeepingOrder() {
    NatsHeaders h = NatsHeaders.parse(b("NATS/1.0\r\nNats-Msg-Id: abc\r\nX-A: 1\r\nx-a: 2\r\n\r\n"));
    assertThat(h.statusCode()).isZero();
    assertThat(h.get("nats-msg-id")).isEqualTo("abc");
    assertThat(h.get("X-A")).isEqualTo("1");
    assertThat(h.fields()).extracting(NatsHeaders.Field::value).containsExactly("abc", "1", "2");
  }

  @Test
  void parsesStatusLines() {
    NatsHeaders h = NatsHeaders.parse(b("NATS/1.0 404 Message Not Found\r\n\r\n"));
    assertThat(h.statusCode()).isEqualTo(404);
    assertThat(h.description()).isEqualTo("Message Not Found");
    assertThat(NatsHeaders.parse(b("NATS/1.0 503\r\n\r\n")).statusCode()).isEqualTo(503);
  }

  @Test
  void buildsStatusAndFieldBlocks() {
    assertThat(new String(NatsHeaders.status(408, "Empty Request").toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("NATS/1.0 408 Empty Request\r\n\r\n");
    assertThat(new String(NatsHeaders.empty().add("A", "1").toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("NATS/1.0\r\nA: 1\r\n\r\n");
  }

  @Test
  void appendsAfterExistingFields() {
    byte[] out = NatsHeaders.append(b("NATS/1.0\r\nA: 1\r\n\r\n"), List.of(new NatsHeaders.Field("B", "2")));
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n");
  }

  @Test
  void emptyOrMissingBlocksHaveNoFields() {
    assertThat(NatsHeaders.parse(null).isEmpty()).isTrue();
    assertThat(NatsHeaders.parse(b("NATS/1.0\r\n\r\n")).fields()).isEmpty();
  }
}
