package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RoutedJetStreamTest {

  @Test
  void anAccountWithAJetStreamObjectHasItsLimits() {
    JsonObject acc = new JsonObject().put("name", "AKEY").put("jetstream", new JsonObject()
        .put("max_memory", 1024L).put("max_storage", 2048L).put("max_streams", 1L).put("max_consumers", 2L));
    var limits = RoutedJetStream.limits(acc);
    assertThat(limits.getMaxMemory()).isEqualTo(1024L);
    assertThat(limits.getMaxStore()).isEqualTo(2048L);
    assertThat(limits.getMaxStreams()).isEqualTo(1L);
    assertThat(limits.getMaxConsumers()).isEqualTo(2L);
  }

  @Test
  void anAccountWithoutItHasNoJetStreamAndMissingLimitsAreUnlimited() {
    assertThat(RoutedJetStream.limits(new JsonObject().put("name", "BKEY"))).isNull();
    var limits = RoutedJetStream.limits(new JsonObject().put("jetstream", new JsonObject().put("max_storage", 5L)));
    assertThat(limits.getMaxStreams()).isEqualTo(-1L);
    assertThat(limits.getMaxMemory()).isEqualTo(-1L);
  }
}
