package io.tern.common.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatchCacheTest {

  private static Match<String> result(String value) {
    return new Match<>(List.of(value), List.of(), List.of());
  }

  @Test
  void neverReturnsAStaleOrForeignResultUnderCollisionsSweepsAndInvalidations() {
    // 8 entries in 16 slots: long probe chains, frequent sweeps and backward shifts.
    MatchCache<String> cache = new MatchCache<>(8);
    Map<String, Match<String>> model = new HashMap<>();
    Random rnd = new Random(42);
    String[] tokens = {"a", "b", "c", "dd", "é"};
    for (int step = 0; step < 200_000; step++) {
      String subject = tokens[rnd.nextInt(tokens.length)] + "." + tokens[rnd.nextInt(tokens.length)];
      int op = rnd.nextInt(10);
      if (op < 4) {
        Match<String> m = result("r" + step);
        cache.put(subject, m);
        model.put(subject, m);
        assertThat(cache.get(subject)).isSameAs(m);
      } else if (op < 5) {
        String pattern = rnd.nextBoolean() ? "*." + tokens[rnd.nextInt(tokens.length)] : subject;
        if (rnd.nextInt(4) == 0) {
          pattern = tokens[rnd.nextInt(tokens.length)] + ".>";
        }
        cache.invalidate(pattern);
        String p = pattern;
        model.keySet().removeIf(s -> Subjects.matches(s, p));
        for (String s : model.keySet()) {
          assertThat(cache.get(s)).isIn(null, model.get(s));
        }
      } else {
        Match<String> cached =
            rnd.nextBoolean()
                ? cache.get(subject)
                : cache.get(subject.getBytes(StandardCharsets.UTF_8), 0,
                    subject.getBytes(StandardCharsets.UTF_8).length);
        if (!model.containsKey(subject)) {
          assertThat(cached).isNull();
        } else {
          assertThat(cached).isIn(null, model.get(subject));
        }
      }
      assertThat(cache.size()).isBetween(0, 8);
    }
  }

  @Test
  void withoutSweepsEveryLiveEntryIsFoundAfterInvalidations() {
    // Never more subjects than entries, so only invalidation removes anything.
    String[] five = {"a", "b", "c", "dd", "é"};
    checkExactAgainstModel(new MatchCache<>(32), five, five, 7);
    // 8 subjects in 16 slots: a half-full table whose probe chains often wrap around its end.
    for (long seed = 0; seed < 20; seed++) {
      checkExactAgainstModel(
          new MatchCache<>(8), new String[] {"a", "b"}, new String[] {"a", "b", "c", "dd"}, seed);
    }
  }

  private static void checkExactAgainstModel(
      MatchCache<String> cache, String[] first, String[] second, long seed) {
    Map<String, Match<String>> model = new HashMap<>();
    Random rnd = new Random(seed);
    for (int step = 0; step < 20_000; step++) {
      String subject = first[rnd.nextInt(first.length)] + "." + second[rnd.nextInt(second.length)];
      if (rnd.nextInt(3) > 0) {
        Match<String> m = result("r" + step);
        cache.put(subject, m);
        model.put(subject, m);
      } else {
        String pattern = rnd.nextBoolean() ? "*." + second[rnd.nextInt(second.length)] : subject;
        cache.invalidate(pattern);
        model.keySet().removeIf(s -> Subjects.matches(s, pattern));
      }
      assertThat(cache.size()).isEqualTo(model.size());
      for (String a : first) {
        for (String b : second) {
          String s = a + "." + b;
          byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
          assertThat(cache.get(s)).isSameAs(model.get(s));
          assertThat(cache.get(bytes, 0, bytes.length)).isSameAs(model.get(s));
        }
      }
    }
  }

  @Test
  void repeatedByteLookupsSeeReplacementsInvalidationsAndClears() {
    MatchCache<String> cache = new MatchCache<>(8);
    byte[] buf = "xx.a.b.yy".getBytes(StandardCharsets.UTF_8);
    Match<String> first = result("first");
    cache.put("a.b", first);
    assertThat(cache.get(buf, 3, 3)).isSameAs(first);
    assertThat(cache.get(buf, 3, 3)).isSameAs(first);
    assertThat(cache.get(buf, 3, 1)).isNull();
    Match<String> second = result("second");
    cache.put("a.b", second);
    assertThat(cache.get(buf, 3, 3)).isSameAs(second);
    cache.invalidate("a.*");
    assertThat(cache.get(buf, 3, 3)).isNull();
    cache.put("a.b", first);
    assertThat(cache.get(buf, 3, 3)).isSameAs(first);
    cache.clear();
    assertThat(cache.get(buf, 3, 3)).isNull();
  }

  @Test
  void sweepKeepsEntriesThatWereHit() {
    MatchCache<String> cache = new MatchCache<>(8);
    for (int i = 0; i < 8; i++) {
      cache.put("s." + i, result("v" + i));
    }
    assertThat(cache.get("s.3")).isNotNull();
    assertThat(cache.get("s.6".getBytes(StandardCharsets.UTF_8), 0, 3)).isNotNull();
    cache.put("s.new", result("new"));
    assertThat(cache.size()).isEqualTo(5); // swept to 4, then the new one
    assertThat(cache.get("s.3")).isNotNull();
    assertThat(cache.get("s.6")).isNotNull();
    assertThat(cache.get("s.new")).isNotNull();
  }

  @Test
  void stringAndBytesHashAlike() {
    MatchCache<String> cache = new MatchCache<>(4);
    for (String s : List.of("ascii.subject", "ümlaut.ß", "€uro.✓", "emoji.\ud83d\ude00")) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertThat(cache.hash(s)).as(s).isEqualTo(cache.hash(b, 0, b.length) & 0xffffffffL);
    }
    assertThat(cache.hash("lone.\ud83d") >>> 32).isEqualTo(1L);
  }

  @Test
  void churnOfUniqueSubjectsKeepsProbeRunsShort() {
    // Unique reply subjects (one per JetStream PubAck) fill and sweep the cache over and over.
    MatchCache<String> cache = new MatchCache<>(4096);
    Match<String> m = Match.empty();
    for (int i = 0; i < 200_000; i++) {
      cache.put("_INBOX.Vv4K2zxQmD0QcQ1dWn7kJq." + i, m);
    }
    // At most half the table is ever full: with even sweeps runs stay a few dozen slots long.
    assertThat(cache.longestRun()).isLessThan(100);
  }
}
