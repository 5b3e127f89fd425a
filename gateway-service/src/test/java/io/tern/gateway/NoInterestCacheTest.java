package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NoInterestCacheTest {
  private static byte[] b(String s) {
    return ("xx" + s + "yy").getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean heard(NoInterestCache c, String account, String subject, int generation) {
    byte[] buf = b(subject);
    return c.heardByNobody(account, buf, 2, subject.length(), generation);
  }

  private static void put(NoInterestCache c, String account, String subject, int generation) {
    byte[] buf = b(subject);
    c.put(account, buf, 2, subject.length(), generation);
  }

  @Test
  void emptyCacheDropsNothing() {
    NoInterestCache c = new NoInterestCache();
    assertThat(heard(c, "$G", "a.b", 0)).isFalse();
  }

  @Test
  void reportHoldsOnlyWhileItsGenerationIsCurrent() {
    NoInterestCache c = new NoInterestCache();
    put(c, "$G", "a.b", 5);
    assertThat(heard(c, "$G", "a.b", 5)).isTrue();
    assertThat(heard(c, "$G", "a.c", 5)).isFalse();
    assertThat(heard(c, "OTHER", "a.b", 5)).isFalse();
    assertThat(heard(c, "$G", "a.b", 6)).isFalse();
  }

  @Test
  void olderReportArrivingLateNeitherMatchesNorHidesTheNewest() {
    NoInterestCache c = new NoInterestCache();
    put(c, "$G", "new.one", 7);
    put(c, "$G", "old.one", 6);
    assertThat(heard(c, "$G", "new.one", 7)).isTrue();
    assertThat(heard(c, "$G", "old.one", 7)).isFalse();
    put(c, "$G", "old.one", 7);
    assertThat(heard(c, "$G", "old.one", 7)).isTrue();
  }

  @Test
  void repeatedDropsFollowOverwritesOfTheirSlot() {
    NoInterestCache c = new NoInterestCache();
    put(c, "$G", "a.b", 3);
    assertThat(heard(c, "$G", "a.b", 3)).isTrue();
    assertThat(heard(c, "$G", "a.b", 3)).isTrue();
    assertThat(heard(c, "$G", "a.bc", 3)).isFalse();
    assertThat(heard(c, "$G", "a", 3)).isFalse();
    // Every slot overwritten by other subjects: the remembered slot no longer holds a.b.
    for (int i = 0; i < 20_000; i++) {
      put(c, "$G", "x." + i, 3);
    }
    boolean stillThere = heard(c, "$G", "a.b", 3);
    put(c, "$G", "a.b", 3);
    assertThat(heard(c, "$G", "a.b", 3)).isTrue();
    assertThat(stillThere).isFalse();
    assertThat(heard(c, "$G", "a.b", 4)).isFalse();
  }

  @Test
  void generationsThatWrapAroundStillCompare() {
    NoInterestCache c = new NoInterestCache();
    put(c, "$G", "a", Integer.MAX_VALUE);
    put(c, "$G", "b", Integer.MIN_VALUE);
    assertThat(heard(c, "$G", "b", Integer.MIN_VALUE)).isTrue();
    assertThat(heard(c, "$G", "a", Integer.MIN_VALUE)).isFalse();
  }
}
