package io.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.RouteBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final Router router = new Router();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void pub(RouteBatch batch, int cid, int flags, String subject, String reply, String payload) {
    byte[] buf = b(subject + reply + payload);
    batch.addPub(cid, flags, buf, 0, subject.length(), subject.length(), reply.length(), -1,
        subject.length() + reply.length(), payload.length());
  }

  /** Routes and returns, per node, "subId:subject:payload" of each delivery ("503:subject" for a status). */
  private Map<String, List<String>> route(RouteBatch batch) {
    Map<String, List<String>> out = new HashMap<>();
    router.route(batch, (node, d) -> {
      List<String> list = out.computeIfAbsent(node, k -> new ArrayList<>());
      for (int i = 0; i < d.size(); i++) {
        String subject = new String(d.data(), d.subjectOffset(i), d.subjectLength(i), StandardCharsets.UTF_8);
        if ((d.flags(i) & DeliveryBatch.FLAG_NO_RESPONDERS) != 0) {
          list.add(d.subId(i) + ":503:" + subject);
        } else {
          list.add(d.subId(i) + ":" + subject + ":"
              + new String(d.data(), d.messageOffset(i), d.messageLength(i), StandardCharsets.UTF_8));
        }
      }
      for (int i = 0; i < d.barrierCount(); i++) {
        list.add("barrier:" + d.barrierCid(i) + ":" + d.barrierToken(i));
      }
      d.done();
    });
    return out;
  }

  @Test
  void deliversToMatchingSubscriptionsOfEveryNode() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("foo.*"), null);
    RouteBatch c = new RouteBatch("c");
    c.addSub(7, 70, b("foo.bar"), null);
    c.addSub(7, 71, b("other"), null);
    route(a);
    route(c);
    RouteBatch p = new RouteBatch("a");
    pub(p, 1, 0, "foo.bar", "", "hi");
    assertThat(route(p)).containsEntry("a", List.of("10:foo.bar:hi")).containsEntry("c", List.of("70:foo.bar:hi"));
  }

  @Test
  void noEchoSkipsOnlyThePublishersOwnSubscriptions() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("x"), null);
    a.addSub(2, 20, b("x"), null);
    pub(a, 1, RouteBatch.FLAG_NO_ECHO, "x", "", "m");
    assertThat(route(a).get("a")).containsExactly("20:x:m");
  }

  @Test
  void aQueueGroupGetsEachMessageOnce() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("q"), b("workers"));
    a.addSub(2, 20, b("q"), b("workers"));
    a.addSub(3, 30, b("q"), null);
    route(a);
    int toMembers = 0;
    for (int k = 0; k < 100; k++) {
      RouteBatch p = new RouteBatch("a");
      pub(p, 9, 0, "q", "", "m");
      List<String> got = route(p).get("a");
      assertThat(got).contains("30:q:m").hasSize(2);
      toMembers += got.stream().filter(s -> s.startsWith("10:") || s.startsWith("20:")).count();
    }
    assertThat(toMembers).isEqualTo(100);
  }

  @Test
  void aRequestNobodyHearsGetsA503OnTheRequestersInbox() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("_INBOX.1.*"), null);
    a.addSub(2, 20, b("_INBOX.1.*"), null);
    pub(a, 1, RouteBatch.FLAG_NO_RESPONDERS, "nobody", "_INBOX.1.x", "");
    assertThat(route(a).get("a")).containsExactly("10:503:_INBOX.1.x");
    RouteBatch quiet = new RouteBatch("a");
    pub(quiet, 1, 0, "nobody", "_INBOX.1.x", "");
    assertThat(route(quiet)).isEmpty();
  }

  @Test
  void aShownSubjectPublishIsRoutedByItsFirstSubjectAndShowsTheSecond() {
    RouteBatch gw = new RouteBatch("gw");
    gw.addSub(1, 10, b("_INBOX.c"), null);
    gw.addSub(1, 11, b("orders.>"), null);
    route(gw);
    RouteBatch js = new RouteBatch("js");
    js.addSub(5, 50, b("$JS.ACK.>"), null);
    pub(js, 5, RouteBatch.FLAG_SHOWN_SUBJECT | RouteBatch.FLAG_NO_RESPONDERS, "_INBOX.c orders.new", "$JS.ACK.S.C.1",
        "m");
    // only the inbox hears it, under the stored subject; a subscriber of that subject does not
    assertThat(route(js)).containsOnlyKeys("gw").containsEntry("gw", List.of("10:orders.new:m"));

    RouteBatch nobody = new RouteBatch("js");
    pub(nobody, 5, RouteBatch.FLAG_SHOWN_SUBJECT | RouteBatch.FLAG_NO_RESPONDERS, "_INBOX.gone orders.new",
        "$JS.ACK.S.C.2", "m");
    assertThat(route(nobody)).containsOnlyKeys("js").containsEntry("js", List.of("50:503:$JS.ACK.S.C.2"));
  }

  @Test
  void aShownSubjectIsRoutedByTheFirstAndDeliveredAsTheSecond() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("deliver.inbox"), null);
    a.addSub(1, 11, b("$JS.ACK.>"), null);
    a.addSub(2, 20, b("orders.*"), null);
    pub(a, 1, RouteBatch.FLAG_SHOWN_SUBJECT | RouteBatch.FLAG_NO_RESPONDERS, "deliver.inbox orders.new",
        "$JS.ACK.S.C.1.1.1.1.0", "m");
    assertThat(route(a).get("a")).containsExactly("10:orders.new:m");
    // nobody on the deliver subject: the reply comes back to the publisher's own subscription
    RouteBatch gone = new RouteBatch("a");
    pub(gone, 1, RouteBatch.FLAG_SHOWN_SUBJECT | RouteBatch.FLAG_NO_RESPONDERS, "nobody.here orders.new",
        "$JS.ACK.S.C.1.2.2.1.0", "m");
    assertThat(route(gone).get("a")).containsExactly("11:503:$JS.ACK.S.C.1.2.2.1.0");
  }

  @Test
  void interestQueriesSeeEveryNodesSubscriptionsPerAccount() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("deliver.*"), null);
    a.addBind(2, b("B"));
    a.addSub(2, 20, b("only.b"), b("grp"));
    route(a);
    assertThat(router.hasInterest("$G", "deliver.x")).isTrue();
    assertThat(router.hasInterest("$G", "only.b")).isFalse();
    assertThat(router.hasInterest("B", "only.b")).isTrue();
    assertThat(router.hasInterest("C", "deliver.x")).isFalse();
    RouteBatch gone = new RouteBatch("a");
    gone.addUnsub(1, 10);
    route(gone);
    assertThat(router.hasInterest("$G", "deliver.x")).isFalse();
  }

  @Test
  void accountsHaveSeparateSubjectSpaces() {
    RouteBatch a = new RouteBatch("a");
    a.addBind(1, b("A"));
    a.addBind(2, b("B"));
    a.addSub(1, 10, b("s"), null);
    a.addSub(2, 20, b("s"), null);
    a.addSub(3, 30, b("s"), null);
    pub(a, 1, 0, "s", "", "fromA");
    pub(a, 3, 0, "s", "", "fromG");
    assertThat(route(a).get("a")).containsExactly("10:s:fromA", "30:s:fromG");
  }

  @Test
  void unsubscribeAndCloseRemoveInterestAndBarriersAreAcknowledgedInOrder() {
    RouteBatch a = new RouteBatch("a");
    a.addSub(1, 10, b("s"), null);
    a.addSub(2, 20, b("s"), null);
    a.addUnsub(1, 10);
    a.addClose(2);
    a.addBarrier(5, 77);
    pub(a, 5, 0, "s", "", "m");
    assertThat(route(a).get("a")).containsExactly("barrier:5:77");
    assertThat(router.subscriptionCount()).isZero();
  }
}
