package io.tern.gateway.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** /connz rtt: Go's time.Duration text, truncated to microseconds between 1µs and 1ms, as nats-server. */
class RttFormatTest {

  @Test
  void formatsAsGoDurationsWithNatsServersTruncation() {
    assertThat(Json.rtt(0)).isEqualTo("0s");
    assertThat(Json.rtt(1)).isEqualTo("1ns");
    assertThat(Json.rtt(999)).isEqualTo("999ns");
    assertThat(Json.rtt(123_456)).isEqualTo("123\u00b5s");
    assertThat(Json.rtt(1_234_567)).isEqualTo("1.234567ms");
    assertThat(Json.rtt(2_500_000_000L)).isEqualTo("2.5s");
  }
}
