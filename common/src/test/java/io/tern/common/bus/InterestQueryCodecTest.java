package io.tern.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class InterestQueryCodecTest {

  @Test
  void aQueryCrossesTheWireUnchangedAfterOtherBytes() {
    InterestQueryCodec codec = new InterestQueryCodec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    InterestQuery q = new InterestQuery("$G", "deliver.ünï.x");
    codec.encodeToWire(wire, q);
    assertThat(codec.decodeFromWire(6, wire)).isEqualTo(q);
  }
}
