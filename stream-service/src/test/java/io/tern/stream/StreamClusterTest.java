package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamClusterTest {

  private static String rec(String node, String... subjects) {
    return new JsonObject().put("node", node).put("subjects", new JsonArray(List.of(subjects))).encode();
  }

  @Test
  void aNewStreamGoesToTheLiveNodeWithFewestStreamsTiesToTheSmallerId() {
    List<String> placed = List.of(rec("b", "x"), rec("a", "y"), rec("a", "z"), rec("dead", "w"));
    assertThat(StreamCluster.leastLoaded(Set.of("a", "b"), placed, "a")).isEqualTo("b");
    assertThat(StreamCluster.leastLoaded(Set.of("a", "b"), List.of(rec("a", "y"), rec("b", "x")), "b")).isEqualTo("a");
    assertThat(StreamCluster.leastLoaded(Set.of("a", "b", "c"), placed, "b")).isEqualTo("c");
    assertThat(StreamCluster.leastLoaded(Set.of(), placed, "self")).isEqualTo("self");
  }

  @Test
  void streamsOfNodesThatDidNotAnswerAreOfflineMatchingTheSubjectFilterInTheAccountOnly() {
    Map<String, String> placed = Map.of(
        StreamCluster.key("$G", "B"), rec("gone", "b.>"),
        StreamCluster.key("$G", "A"), rec("gone", "a.>"),
        StreamCluster.key("$G", "C"), rec("here", "c.>"),
        StreamCluster.key("OTHER", "D"), rec("gone", "d.>"));
    assertThat(StreamCluster.offline("$G", placed, Set.of("here"), null)).containsExactly("A", "B");
    assertThat(StreamCluster.offline("$G", placed, Set.of("here"), "b.1")).containsExactly("B");
    assertThat(StreamCluster.offline("$G", placed, Set.of("here", "gone"), null)).isEmpty();
  }

  @Test
  void gatheredNamesAreMergedSortedPagedAndListsNameTheMissing() {
    ApiRequest names = new ApiRequest(null, null, "r", "stream_names", new byte[0]);
    List<JsonObject> answers = List.of(new JsonObject().put("streams", new JsonArray().add("Z").add("B")),
        new JsonObject().put("streams", new JsonArray().add("M")));
    JsonObject r = StreamCluster.page(names, new JsonObject().put("offset", 1), answers, List.of("A"), false);
    assertThat(r.getInteger("total")).isEqualTo(4);
    assertThat(r.getJsonArray("streams").getList()).containsExactly("B", "M", "Z");
    assertThat(r.getString("type")).isEqualTo("io.nats.jetstream.api.v1.stream_names_response");

    ApiRequest list = new ApiRequest(null, null, "r", "stream_list", new byte[0]);
    JsonObject info = new JsonObject().put("config", new JsonObject().put("name", "Q"));
    JsonObject l = StreamCluster.page(list, new JsonObject(), List.of(new JsonObject().put("streams",
        new JsonArray().add(info))), List.of("A"), true);
    assertThat(l.getInteger("total")).isEqualTo(2);
    assertThat(l.getJsonArray("streams")).hasSize(1);
    assertThat(l.getJsonArray("missing").getList()).containsExactly("A");
    assertThat(l.getInteger("limit")).isEqualTo(256);
  }
}
