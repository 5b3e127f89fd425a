package io.tern.common.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectTrieTest {
  private final SubjectTrie<String> trie = new SubjectTrie<>();

  @Test
  void literalSubscriptionMatchesOnlyItsSubject() {
    trie.insert("foo.bar", null, "a");
    assertThat(trie.match("foo.bar").plain()).containsExactly("a");
    assertThat(trie.match("foo").isEmpty()).isTrue();
    assertThat(trie.match("foo.bar.baz").isEmpty()).isTrue();
    assertThat(trie.match("foo.baz").isEmpty()).isTrue();
  }

  @Test
  void starMatchesExactlyOneToken() {
    trie.insert("foo.*", null, "a");
    trie.insert("*.bar", null, "b");
    trie.insert("*", null, "c");
    assertThat(trie.match("foo.bar").plain()).containsExactlyInAnyOrder("a", "b");
    assertThat(trie.match("foo.baz").plain()).containsExactly("a");
    assertThat(trie.match("foo").plain()).containsExactly("c");
    assertThat(trie.match("foo.bar.baz").isEmpty()).isTrue();
  }

  @Test
  void greaterThanMatchesOneOrMoreTokens() {
    trie.insert("foo.>", null, "a");
    trie.insert(">", null, "b");
    assertThat(trie.match("foo").plain()).as("foo.> does not match foo").containsExactly("b");
    assertThat(trie.match("foo.bar").plain()).containsExactlyInAnyOrder("a", "b");
    assertThat(trie.match("foo.bar.baz.qux").plain()).containsExactlyInAnyOrder("a", "b");
    assertThat(trie.match("bar.foo").plain()).containsExactly("b");
  }

  @Test
  void wildcardCharactersInsideTokensAreLiteral() {
    trie.insert("foo*", null, "a");
    trie.insert("foo.bar>", null, "b");
    assertThat(trie.match("foo*").plain()).containsExactly("a");
    assertThat(trie.match("foox").isEmpty()).isTrue();
    assertThat(trie.match("foo.bar>").plain()).containsExactly("b");
    assertThat(trie.match("foo.bar.baz").isEmpty()).isTrue();
  }

  @Test
  void wildcardTokensInMatchedSubjectAreTakenLiterally() {
    trie.insert("foo.bar", null, "literal");
    trie.insert("foo.*", null, "star");
    assertThat(trie.match("foo.*").plain()).containsExactly("star");
    assertThat(trie.match("foo.>").plain()).containsExactly("star");
  }

  @Test
  void subjectsWithEmptyTokensMatchNothing() {
    trie.insert(">", null, "a");
    assertThat(trie.match("").isEmpty()).isTrue();
    assertThat(trie.match("foo.").isEmpty()).isTrue();
    assertThat(trie.match(".foo").isEmpty()).isTrue();
    assertThat(trie.match("foo..bar").isEmpty()).isTrue();
    assertThat(trie.cacheSize()).isZero();
  }

  @Test
  void malformedPatternsAreRejected() {
    for (String bad : List.of("", "foo.", ".foo", "foo..bar", "foo.>.bar", ">.>")) {
      assertThatThrownBy(() -> trie.insert(bad, null, "a"))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> trie.insert("foo", "", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> trie.insert("foo", null, null)).isInstanceOf(NullPointerException.class);
    assertThat(trie.count()).isZero();
    assertThat(trie.nodeCount()).isZero();
  }

  @Test
  void queueMembersAreGroupedByNameAcrossPatterns() {
    trie.insert("foo.bar", "q1", "a");
    trie.insert("foo.*", "q1", "b");
    trie.insert("foo.>", "q1", "c");
    trie.insert("foo.*", "q2", "d");
    trie.insert("foo.bar", null, "p");
    Match<String> m = trie.match("foo.bar");
    assertThat(m.plain()).containsExactly("p");
    assertThat(m.queueNames()).containsExactlyInAnyOrder("q1", "q2");
    List<String> q1 = m.queueGroups().get(m.queueNames().indexOf("q1"));
    List<String> q2 = m.queueGroups().get(m.queueNames().indexOf("q2"));
    assertThat(q1).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(q2).containsExactly("d");

    Match<String> other = trie.match("foo.baz");
    assertThat(other.plain()).isEmpty();
    assertThat(other.queueNames()).containsExactlyInAnyOrder("q1", "q2");
    assertThat(other.queueGroups().get(other.queueNames().indexOf("q1")))
        .containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void sameValueAsPlainAndQueueAndUnderTwoPatternsIsReportedPerSubscription() {
    trie.insert("foo.*", null, "a");
    trie.insert("foo.>", null, "a");
    trie.insert("foo.bar", "q", "a");
    Match<String> m = trie.match("foo.bar");
    assertThat(m.plain()).containsExactly("a", "a");
    assertThat(m.queueGroups()).containsExactly(List.of("a"));
    assertThat(trie.count()).isEqualTo(3);
  }

  @Test
  void duplicateInsertIsANoOp() {
    assertThat(trie.insert("foo", null, "a")).isTrue();
    assertThat(trie.insert("foo", null, "a")).isFalse();
    assertThat(trie.insert("foo", "q", "a")).isTrue();
    assertThat(trie.insert("foo", "q", "a")).isFalse();
    assertThat(trie.count()).isEqualTo(2);
    assertThat(trie.numInserts()).isEqualTo(2);
    assertThat(trie.match("foo").plain()).containsExactly("a");
  }

  @Test
  void removeTakesOutExactlyTheGivenSubscription() {
    trie.insert("foo.*", null, "a");
    trie.insert("foo.*", null, "b");
    trie.insert("foo.*", "q", "a");
    assertThat(trie.remove("foo.*", null, "a")).isTrue();
    Match<String> m = trie.match("foo.x");
    assertThat(m.plain()).containsExactly("b");
    assertThat(m.queueGroups()).containsExactly(List.of("a"));
    assertThat(trie.remove("foo.*", null, "a")).as("already removed").isFalse();
    assertThat(trie.remove("foo.>", null, "b")).as("other pattern").isFalse();
    assertThat(trie.remove("foo.*.x", null, "b")).as("deeper pattern").isFalse();
    assertThat(trie.remove("foo.*", "q", "b")).as("other member").isFalse();
    assertThat(trie.remove("foo.*", "r", "a")).as("other group").isFalse();
    assertThat(trie.count()).isEqualTo(2);
    assertThat(trie.numRemoves()).isEqualTo(1);
    assertThat(trie.remove("foo.*", "q", "a")).isTrue();
    assertThat(trie.remove("foo.*", null, "b")).isTrue();
    assertThat(trie.count()).isZero();
    assertThat(trie.nodeCount()).isZero();
    assertThat(trie.match("foo.x").isEmpty()).isTrue();
  }

  @Test
  void removePrunesOnlyEmptyBranches() {
    trie.insert("a.b.c", null, "1");
    trie.insert("a.b", null, "2");
    trie.insert("a.*.c", null, "3");
    assertThat(trie.nodeCount()).isEqualTo(5); // a, b, c under b, *, c under *
    trie.remove("a.b.c", null, "1");
    assertThat(trie.nodeCount()).isEqualTo(4);
    assertThat(trie.match("a.b").plain()).containsExactly("2");
    trie.remove("a.b", null, "2");
    assertThat(trie.nodeCount()).isEqualTo(3);
    assertThat(trie.match("a.x.c").plain()).containsExactly("3");
    trie.remove("a.*.c", null, "3");
    assertThat(trie.nodeCount()).isZero();
  }

  @Test
  void cachedResultIsInvalidatedByLiteralInsertAndRemove() {
    trie.insert("foo.bar", null, "a");
    Match<String> first = trie.match("foo.bar");
    assertThat(trie.match("foo.bar")).isSameAs(first);
    assertThat(trie.cacheSize()).isEqualTo(1);

    trie.insert("foo.bar", null, "b");
    assertThat(trie.match("foo.bar").plain()).containsExactly("a", "b");
    trie.remove("foo.bar", null, "a");
    assertThat(trie.match("foo.bar").plain()).containsExactly("b");
    assertThat(first.plain()).as("earlier results are not changed").containsExactly("a");
  }

  @Test
  void cachedResultIsInvalidatedByWildcardInsertAndRemove() {
    trie.insert("foo.bar", null, "a");
    assertThat(trie.match("foo.bar").plain()).containsExactly("a");
    assertThat(trie.match("foo.baz").isEmpty()).isTrue();
    assertThat(trie.match("other").isEmpty()).isTrue();
    assertThat(trie.cacheSize()).isEqualTo(3);

    trie.insert("foo.*", "q", "w");
    assertThat(trie.cacheSize()).as("only foo.bar and foo.baz dropped").isEqualTo(1);
    assertThat(trie.match("foo.bar").queueGroups()).containsExactly(List.of("w"));
    assertThat(trie.match("foo.baz").queueGroups()).containsExactly(List.of("w"));
    trie.insert(">", null, "all");
    assertThat(trie.match("other").plain()).containsExactly("all");

    trie.remove("foo.*", "q", "w");
    assertThat(trie.match("foo.bar").queueGroups()).isEmpty();
    assertThat(trie.match("foo.baz").plain()).containsExactly("all");
    trie.remove(">", null, "all");
    assertThat(trie.match("foo.baz").isEmpty()).isTrue();
    assertThat(trie.match("other").isEmpty()).isTrue();
  }

  @Test
  void emptyMatchesAreCachedAndInvalidatedToo() {
    assertThat(trie.match("foo").isEmpty()).isTrue();
    assertThat(trie.cacheSize()).isEqualTo(1);
    trie.insert("*", null, "a");
    assertThat(trie.match("foo").plain()).containsExactly("a");
  }

  @Test
  void byteLookupAgreesWithStringLookupAndHitsTheCache() {
    trie.insert("fö.*", null, "a");
    byte[] buf = "xx fö.bär yy".getBytes(StandardCharsets.UTF_8);
    int off = 3;
    int len = "fö.bär".getBytes(StandardCharsets.UTF_8).length;
    Match<String> viaBytes = trie.match(buf, off, len);
    assertThat(viaBytes.plain()).containsExactly("a");
    assertThat(trie.match("fö.bär")).isSameAs(viaBytes);
    assertThat(trie.match(buf, off, len)).isSameAs(viaBytes);
    assertThat(trie.numMatches()).isEqualTo(3);
    assertThat(trie.cacheHitRate()).isEqualTo(2.0 / 3.0);

    trie.insert("fö.bär", null, "b");
    assertThat(trie.match(buf, off, len).plain()).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void byteLookupOfMalformedUtf8MatchesItsDecodedString() {
    trie.insert("a.*", null, "x");
    byte[] bad = {'a', '.', (byte) 0xff};
    assertThat(trie.match(bad, 0, bad.length).plain()).containsExactly("x");
    assertThat(trie.match(bad, 0, bad.length).plain()).containsExactly("x");
    assertThat(trie.match("a.\ufffd").plain()).containsExactly("x");
  }

  @Test
  void unpairedSurrogatesAreMatchedButNotCached() {
    trie.insert("a.*", null, "x");
    assertThat(trie.match("a.\ud800").plain()).containsExactly("x");
    assertThat(trie.cacheSize()).isZero();
    byte[] question = "a.?".getBytes(StandardCharsets.UTF_8);
    assertThat(trie.match(question, 0, question.length).plain()).containsExactly("x");
    assertThat(trie.cacheSize()).isEqualTo(1);
  }

  @Test
  void cacheStaysBoundedAndKeepsAnswering() {
    SubjectTrie<String> small = new SubjectTrie<>(64);
    small.insert("s.*", null, "a");
    for (int i = 0; i < 1000; i++) {
      assertThat(small.match("s." + i).plain()).containsExactly("a");
      assertThat(small.cacheSize()).isLessThanOrEqualTo(64);
    }
    small.insert("s.>", null, "b");
    for (int i = 0; i < 1000; i++) {
      assertThat(small.match("s." + i).plain()).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void cacheCanBeDisabled() {
    SubjectTrie<String> uncached = new SubjectTrie<>(0);
    uncached.insert("foo", null, "a");
    assertThat(uncached.match("foo").plain()).containsExactly("a");
    assertThat(uncached.match("foo".getBytes(StandardCharsets.UTF_8), 0, 3).plain())
        .containsExactly("a");
    assertThat(uncached.cacheSize()).isZero();
    assertThat(uncached.cacheHitRate()).isZero();
  }

  @Test
  void fanoutStatsCountPlainSubscriptionsAndQueueGroups() {
    trie.insert("foo", null, "a");
    trie.insert("foo", null, "b");
    trie.insert("foo", "q", "c");
    trie.insert("foo", "q", "d");
    trie.insert("bar", null, "e");
    trie.match("foo");
    trie.match("bar");
    assertThat(trie.maxFanout()).isEqualTo(3);
    assertThat(trie.avgFanout()).isEqualTo(2.0);
  }

  @Test
  void fiftyThousandUniqueSubjectsInsertedAndRemovedLeaveNoNodes() {
    for (int i = 0; i < 50_000; i++) {
      String subject = "churn." + (i % 97) + "." + i + (i % 3 == 0 ? ".*" : i % 3 == 1 ? ".>" : "");
      String queue = i % 5 == 0 ? "q" + (i % 7) : null;
      trie.insert(subject, queue, "v" + i);
      if (i % 10 == 0) {
        trie.match("churn." + (i % 97) + "." + i + ".x");
      }
    }
    assertThat(trie.count()).isEqualTo(50_000);
    assertThat(trie.nodeCount()).isGreaterThan(50_000);
    for (int i = 0; i < 50_000; i++) {
      String subject = "churn." + (i % 97) + "." + i + (i % 3 == 0 ? ".*" : i % 3 == 1 ? ".>" : "");
      String queue = i % 5 == 0 ? "q" + (i % 7) : null;
      assertThat(trie.remove(subject, queue, "v" + i)).isTrue();
    }
    assertThat(trie.count()).isZero();
    assertThat(trie.nodeCount()).isZero();
    assertThat(trie.match("churn.1.1.x").isEmpty()).isTrue();
  }

  @Test
  void cachedMatchAllocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    trie.insert("orders.*", null, "a");
    trie.insert("orders.>", "workers", "b");
    String subject = "orders.created";
    byte[] buf = "PUB orders.created 5".getBytes(StandardCharsets.UTF_8);
    long tid = Thread.currentThread().getId();

    int sink = 0;
    for (int round = 0; round < 3; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 100_000; i++) {
        sink += trie.match(subject).plain().size();
        sink += trie.match(buf, 4, 14).queueGroups().size();
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      if (round == 2) {
        // 200k hits; one allocation per hit would be megabytes.
        assertThat(allocated).isLessThan(10_000);
      }
    }
    assertThat(sink).isEqualTo(3 * 200_000);
  }

  @Test
  void matchOnceFindsTheSameSubscriptionsWithoutCachingThem() {
    SubjectTrie<String> trie = new SubjectTrie<>();
    trie.insert("_INBOX.abc.*", null, "inbox");
    trie.insert("_INBOX.>", "q", "queued");
    byte[] reply = "_INBOX.abc.17".getBytes(StandardCharsets.UTF_8);
    Match<String> once = trie.matchOnce(reply, 0, reply.length);
    assertThat(once.plain()).containsExactly("inbox");
    assertThat(once.queueGroups()).containsExactly(java.util.List.of("queued"));
    assertThat(trie.cacheSize()).isZero();
    Match<String> cached = trie.match(reply, 0, reply.length);
    assertThat(cached.plain()).isEqualTo(once.plain());
    assertThat(trie.cacheSize()).isEqualTo(1);
    // A cached result is used by matchOnce too.
    assertThat(trie.matchOnce(reply, 0, reply.length)).isSameAs(cached);
    byte[] empty = "_INBOX..x".getBytes(StandardCharsets.UTF_8);
    assertThat(trie.matchOnce(empty, 0, empty.length).isEmpty()).isTrue();
  }
}
