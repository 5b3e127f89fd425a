package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonShapeTest {

  @Test
  void reportsMissingFieldsAndTypeChangesButNotValuesOrExtras() {
    JsonObject ref = new JsonObject("{\"a\":1,\"b\":\"x\",\"c\":{\"d\":[{\"e\":true}]},\"f\":null}");
    JsonObject same = new JsonObject("{\"a\":2.5,\"b\":\"y\",\"c\":{\"d\":[{\"e\":false}]},\"f\":null,\"extra\":1}");
    assertThat(JsonShape.differences(ref, same, Set.of())).isEmpty();
    JsonObject other = new JsonObject("{\"a\":\"1\",\"c\":{\"d\":[{\"e\":1}]},\"f\":null}");
    assertThat(JsonShape.differences(ref, other, Set.of())).containsExactly(
        "a: number in nats-server, string in tern", "b: missing in tern",
        "c.d[].e: boolean in nats-server, number in tern");
    assertThat(JsonShape.differences(ref, other, Set.of("a", "b", "c.d[].e"))).isEmpty();
  }
}
