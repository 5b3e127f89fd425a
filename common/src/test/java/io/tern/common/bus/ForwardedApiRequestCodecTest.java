package io.tern.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ForwardedApiRequestCodecTest {

  private final ForwardedApiRequestCodec codec = new ForwardedApiRequestCodec();

  @Test
  void aRequestWithHeadersCrossesTheWireUnchangedAfterOtherBytes() {
    Buffer wire = Buffer.buffer().appendString("prefix");
    ForwardedApiRequest r = new ForwardedApiRequest("ACC", "$JS.API.STREAM.INFO.ÖRDERS", "_INBOX.1",
        "NATS/1.0\r\nA: b\r\n\r\n".getBytes(), "{\"x\":1}".getBytes());
    codec.encodeToWire(wire, r);
    ForwardedApiRequest back = codec.decodeFromWire(6, wire);
    assertThat(back.account()).isEqualTo("ACC");
    assertThat(back.subject()).isEqualTo(r.subject());
    assertThat(back.reply()).isEqualTo("_INBOX.1");
    assertThat(back.headers()).isEqualTo(r.headers());
    assertThat(back.payload()).isEqualTo(r.payload());
  }

  @Test
  void noReplyNoHeadersAndAnEmptyBodyStayThatWay() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new ForwardedApiRequest("$G", "$JS.API.INFO", null, null, new byte[0]));
    ForwardedApiRequest back = codec.decodeFromWire(0, wire);
    assertThat(back.reply()).isNull();
    assertThat(back.headers()).isNull();
    assertThat(back.payload()).isEmpty();
  }
}
