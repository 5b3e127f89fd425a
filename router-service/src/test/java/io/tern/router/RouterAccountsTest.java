package io.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.RouteBatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Account rules in the router: mappings, stream exports, service imports and replies back. */
class RouterAccountsTest {

  private final Router router = new Router();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject config(JsonObject... accounts) {
    return new JsonObject().put("version", 1L)
        .put("secret", Base64.getEncoder().encodeToString(new byte[32])).put("accounts", new JsonArray(List.of(
            (Object[]) accounts)));
  }

  private static void pub(RouteBatch batch, int cid, String subject, String reply, String payload) {
    byte[] buf = b(subject + reply + payload);
    batch.addPub(cid, 0, buf, 0, subject.length(), subject.length(), reply.length(), -1,
        subject.length() + reply.length(), payload.length());
  }

  /** Deliveries as "subId subject reply payload", subject and reply read from wherever they live. */
  private List<String> route(RouteBatch batch) {
    List<String> out = new ArrayList<>();
    router.route(batch, (node, d) -> {
      for (int i = 0; i < d.size(); i++) {
        byte[] s = (d.flags(i) & DeliveryBatch.FLAG_SUBJECT_EXTRA) != 0 ? d.extra() : d.data();
        byte[] r = (d.flags(i) & DeliveryBatch.FLAG_REPLY_EXTRA) != 0 ? d.extra() : d.data();
        out.add(d.subId(i) + " " + new String(s, d.subjectOffset(i), d.subjectLength(i), StandardCharsets.UTF_8)
            + " " + new String(r, d.replyOffset(i), d.replyLength(i), StandardCharsets.UTF_8)
            + " " + new String(d.data(), d.messageOffset(i), d.messageLength(i), StandardCharsets.UTF_8));
      }
      d.done();
    });
    return out;
  }

  private void setUp(JsonObject config) {
    router.configure(config);
    RouteBatch setup = new RouteBatch("n");
    setup.addBind(1, b("A"));
    setup.addBind(2, b("B"));
    setup.addSub(1, 10, b(">"), null);
    setup.addSub(2, 20, b(">"), null);
    route(setup);
  }

  @Test
  void mappingsRewriteTheSubjectInTheirAccountOnly() {
    setUp(config(new JsonObject().put("name", "A").put("mappings", new JsonArray().add(new JsonObject()
        .put("source", "in.*").put("destinations", new JsonArray().add(new JsonObject()
            .put("subject", "out.$1").put("weight", 100)))))));
    RouteBatch p = new RouteBatch("n");
    pub(p, 1, "in.x", "", "hi");
    pub(p, 2, "in.x", "", "there");
    assertThat(route(p)).containsExactly("10 out.x  hi", "20 in.x  there");
  }

  @Test
  void aConsumersDeliveryShowsTheStoredSubjectThroughMappings() {
    setUp(config(new JsonObject().put("name", "A").put("mappings", new JsonArray().add(new JsonObject()
        .put("source", "in.*").put("destinations", new JsonArray().add(new JsonObject()
            .put("subject", "out.$1").put("weight", 100)))))));
    RouteBatch more = new RouteBatch("n");
    more.addBind(3, b("A"));
    more.addSub(3, 30, b("out.*"), null);
    route(more);
    RouteBatch p = new RouteBatch("n");
    String plain = "deliver.x orders.new";
    p.addPub(1, RouteBatch.FLAG_SHOWN_SUBJECT, b(plain + "m"), 0, plain.length(), plain.length(), 0, -1,
        plain.length(), 1);
    assertThat(route(p)).containsExactly("10 orders.new  m");
    // Routed by the mapped deliver subject, still shown as the stored subject.
    RouteBatch q = new RouteBatch("n");
    String mapped = "in.x orders.new";
    q.addPub(1, RouteBatch.FLAG_SHOWN_SUBJECT, b(mapped + "m"), 0, mapped.length(), mapped.length(), 0, -1,
        mapped.length(), 1);
    assertThat(route(q)).containsExactlyInAnyOrder("10 orders.new  m", "30 orders.new  m");
  }

  @Test
  void streamExportsCopyIntoTheImporterAndServiceRepliesComeBack() {
    setUp(config(
        new JsonObject().put("name", "A").put("stream_exports", new JsonArray().add(new JsonObject()
            .put("subject", "pub.>").put("account", "B").put("local", "p.pub.>"))),
        new JsonObject().put("name", "B").put("service_imports", new JsonArray().add(new JsonObject()
            .put("local", "ask").put("account", "A").put("subject", "svc").put("response", "singleton")))));
    RouteBatch p = new RouteBatch("n");
    pub(p, 1, "pub.news", "", "n");
    pub(p, 2, "ask", "inbox.1", "q");
    List<String> first = route(p);
    assertThat(first.get(0)).isEqualTo("10 pub.news  n");
    assertThat(first.get(1)).isEqualTo("20 p.pub.news  n");
    // B's own subscription sees the request; A's service sees it on the exported subject with a token reply.
    assertThat(first.get(2)).isEqualTo("20 ask inbox.1 q");
    String[] request = first.get(3).split(" ");
    assertThat(request[0] + " " + request[1]).isEqualTo("10 svc");
    assertThat(request[2]).startsWith("_R_.");
    RouteBatch answer = new RouteBatch("n");
    pub(answer, 1, request[2], "", "a");
    // A's own '>' subscription sees the token subject too; B gets the answer on its inbox.
    assertThat(route(answer)).contains("20 inbox.1  a");
    // A forged token leads nowhere but A's own space.
    RouteBatch forged = new RouteBatch("n");
    pub(forged, 1, request[2].substring(0, request[2].length() - 2) + "AA", "", "x");
    assertThat(route(forged)).hasSize(1).allMatch(d -> d.startsWith("10 "));
  }

  @Test
  void accountsWithoutRulesStayOnThePlainPath() {
    setUp(config(new JsonObject().put("name", "A"), new JsonObject().put("name", "B")));
    assertThat(router.hasRules("A")).isFalse();
    RouteBatch p = new RouteBatch("n");
    pub(p, 1, "x", "", "1");
    assertThat(route(p)).containsExactly("10 x  1");
  }

  /** B imports A's service "svc" as "ask" with the given response type and threshold. */
  private String requestToken(String responseType, long thresholdMs) {
    JsonObject si = new JsonObject().put("local", "ask").put("account", "A").put("subject", "svc")
        .put("response", responseType);
    if (thresholdMs > 0) {
      si.put("threshold_ms", thresholdMs);
    }
    setUp(config(new JsonObject().put("name", "A"),
        new JsonObject().put("name", "B").put("service_imports", new JsonArray().add(si))));
    RouteBatch p = new RouteBatch("n");
    pub(p, 2, "ask", "inbox.1", "q");
    String token = route(p).stream().filter(d -> d.startsWith("10 svc ")).findFirst().orElseThrow().split(" ")[2];
    assertThat(token).startsWith("_R_.");
    return token;
  }

  private List<String> answer(String token, String payload) {
    RouteBatch answer = new RouteBatch("n");
    pub(answer, 1, token, "", payload);
    return route(answer);
  }

  @Test
  void aSingletonServiceLetsOnlyTheFirstResponseBack() {
    String token = requestToken("singleton", 0);
    assertThat(answer(token, "a1")).containsExactly("20 inbox.1  a1");
    assertThat(answer(token, "a2")).doesNotContain("20 inbox.1  a2");
  }

  @Test
  void aStreamedOrChunkedServiceLetsEveryResponseBackUntilTheThreshold() {
    for (String type : List.of("stream", "chunked")) {
      String token = requestToken(type, 0);
      for (int k = 0; k < 5; k++) {
        assertThat(answer(token, type + k)).containsExactly("20 inbox.1  " + type + k);
      }
    }
  }

  @Test
  void noResponsePassesOnceTheThresholdIsOver() throws InterruptedException {
    String token = requestToken("stream", 1);
    Thread.sleep(20);
    assertThat(answer(token, "late")).doesNotContain("20 inbox.1  late");
  }

  @Test
  void everyRequestGetsItsOwnToken() {
    String first = requestToken("singleton", 0);
    assertThat(answer(first, "a")).containsExactly("20 inbox.1  a");
    RouteBatch p = new RouteBatch("n");
    pub(p, 2, "ask", "inbox.1", "q");
    String second = route(p).stream().filter(d -> d.startsWith("10 svc ")).findFirst().orElseThrow().split(" ")[2];
    assertThat(second).isNotEqualTo(first);
    assertThat(answer(second, "b")).containsExactly("20 inbox.1  b");
  }
}
