package io.tern.common.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random interleavings of inserts, removes and matches; every match must equal a brute-force scan
 * of all subscriptions with {@link Subjects#matches}, compared as multisets.
 */
class SubjectTriePropertyTest {
  private static final String[] TOKENS = {"a", "b", "c", "d", "a*", "b>"};
  private static final String[] QUEUES = {"q1", "q2", "q3"};
  private static final int SUBSCRIPTIONS = 10_000;
  private static final int MATCHES = 10_000;

  private record Sub(String pattern, String queue, String value) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {20240611L, 987654321L})
  void everyMatchEqualsBruteForce(long seed) {
    Random rnd = new Random(seed);
    List<SubjectTrie<String>> tries =
        List.of(new SubjectTrie<>(), new SubjectTrie<>(16), new SubjectTrie<>(0));
    Set<Sub> model = new HashSet<>();
    List<Sub> present = new ArrayList<>();
    int inserts = 0;
    int matchCalls = 0;
    int nonEmptyMatches = 0;
    // Half of the matches go to a few hot subjects, so that cached results get hit between changes.
    List<String> hot = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      hot.add(randomLiteral(rnd));
    }
    while (inserts < SUBSCRIPTIONS || matchCalls < MATCHES) {
      int op = rnd.nextInt(100);
      if (op < 35 && inserts < SUBSCRIPTIONS) {
        inserts++;
        Sub sub = randomSub(rnd, present);
        boolean added = model.add(sub);
        if (added) {
          present.add(sub);
        }
        for (SubjectTrie<String> trie : tries) {
          assertThat(trie.insert(sub.pattern(), sub.queue(), sub.value())).isEqualTo(added);
        }
      } else if (op < 65) {
        Sub sub;
        if (!present.isEmpty() && rnd.nextInt(10) > 0) {
          int i = rnd.nextInt(present.size());
          sub = present.get(i);
          present.set(i, present.get(present.size() - 1));
          present.remove(present.size() - 1);
        } else {
          sub = randomSub(rnd, List.of());
        }
        boolean removed = model.remove(sub);
        if (removed) {
          present.remove(sub); // no-op unless randomSub happened to pick a present one
        }
        for (SubjectTrie<String> trie : tries) {
          assertThat(trie.remove(sub.pattern(), sub.queue(), sub.value())).isEqualTo(removed);
        }
      } else if (matchCalls < MATCHES) {
        matchCalls++;
        String subject = rnd.nextBoolean() ? hot.get(rnd.nextInt(hot.size())) : randomLiteral(rnd);
        Expected expected = bruteForce(model, subject);
        if (!expected.plain.isEmpty() || !expected.groups.isEmpty()) {
          nonEmptyMatches++;
        }
        for (SubjectTrie<String> trie : tries) {
          Match<String> m;
          if (rnd.nextBoolean()) {
            m = trie.match(subject);
          } else {
            byte[] framed = ("PUB " + subject + " 0").getBytes(StandardCharsets.UTF_8);
            m = trie.match(framed, 4, framed.length - 6);
          }
          assertThat(actual(m)).as("match %s after %d inserts", subject, inserts).isEqualTo(expected);
        }
      }
    }
    for (SubjectTrie<String> trie : tries) {
      assertThat(trie.count()).isEqualTo(model.size());
    }
    assertThat(nonEmptyMatches).as("the test exercises real matches").isGreaterThan(MATCHES / 4);
    System.out.printf("seed %d: %d subscriptions left, %d non-empty matches, hit rate %.3f%n",
        seed, model.size(), nonEmptyMatches, tries.get(0).cacheHitRate());
    assertThat(tries.get(0).cacheHitRate()).as("the test exercises cache hits").isGreaterThan(0.1);

    for (Sub sub : model) {
      for (SubjectTrie<String> trie : tries) {
        assertThat(trie.remove(sub.pattern(), sub.queue(), sub.value())).isTrue();
      }
    }
    for (SubjectTrie<String> trie : tries) {
      assertThat(trie.count()).isZero();
      assertThat(trie.nodeCount()).isZero();
    }
  }

  private static Sub randomSub(Random rnd, List<Sub> present) {
    if (!present.isEmpty() && rnd.nextInt(20) == 0) {
      return present.get(rnd.nextInt(present.size())); // a duplicate insert
    }
    int n = 1 + rnd.nextInt(4);
    StringBuilder pattern = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        pattern.append('.');
      }
      int kind = rnd.nextInt(10);
      if (kind < 2) {
        pattern.append('*');
      } else if (kind < 3 && i == n - 1) {
        pattern.append('>');
      } else {
        pattern.append(TOKENS[rnd.nextInt(TOKENS.length)]);
      }
    }
    String queue = rnd.nextInt(4) == 0 ? QUEUES[rnd.nextInt(QUEUES.length)] : null;
    return new Sub(pattern.toString(), queue, "v" + rnd.nextInt(40));
  }

  private static String randomLiteral(Random rnd) {
    int n = 1 + rnd.nextInt(5);
    StringBuilder subject = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        subject.append('.');
      }
      subject.append(TOKENS[rnd.nextInt(TOKENS.length)]);
    }
    return subject.toString();
  }

  /** Plain values and queue groups by name, each as a sorted multiset (value → count). */
  private record Expected(
      Map<String, Integer> plain, Map<String, Map<String, Integer>> groups) {}

  private static Expected bruteForce(Set<Sub> model, String subject) {
    Map<String, Integer> plain = new TreeMap<>();
    Map<String, Map<String, Integer>> groups = new TreeMap<>();
    for (Sub sub : model) {
      if (Subjects.matches(subject, sub.pattern())) {
        Map<String, Integer> target =
            sub.queue() == null ? plain : groups.computeIfAbsent(sub.queue(), q -> new TreeMap<>());
        target.merge(sub.value(), 1, Integer::sum);
      }
    }
    return new Expected(plain, groups);
  }

  private static Expected actual(Match<String> m) {
    Map<String, Integer> plain = new TreeMap<>();
    m.plain().forEach(v -> plain.merge(v, 1, Integer::sum));
    Map<String, Map<String, Integer>> groups = new TreeMap<>();
    assertThat(m.queueNames()).doesNotHaveDuplicates().hasSameSizeAs(m.queueGroups());
    for (int i = 0; i < m.queueNames().size(); i++) {
      assertThat(m.queueGroups().get(i)).isNotEmpty();
      Map<String, Integer> members = new HashMap<>();
      m.queueGroups().get(i).forEach(v -> members.merge(v, 1, Integer::sum));
      groups.put(m.queueNames().get(i), new TreeMap<>(members));
    }
    return new Expected(plain, groups);
  }
}
