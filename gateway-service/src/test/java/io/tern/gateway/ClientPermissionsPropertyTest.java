package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.PermissionsOptions;
import io.tern.common.subject.Subjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For random permission sets and subjects: no accepted publish, no accepted subscription and no
 * delivered message ever matches a deny rule, and everything the allow lists cover that no deny
 * rule touches is accepted.
 */
class ClientPermissionsPropertyTest {

  private static final String[] TOKENS = {"a", "b", "c"};

  private static String pattern(Random r) {
    int n = 1 + r.nextInt(3);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append('.');
      }
      int k = r.nextInt(10);
      b.append(k < 2 ? "*" : k == 2 && i == n - 1 ? ">" : TOKENS[r.nextInt(TOKENS.length)]);
    }
    return b.toString();
  }

  private static String literal(Random r) {
    int n = 1 + r.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append('.');
      }
      b.append(TOKENS[r.nextInt(TOKENS.length)]);
    }
    return b.toString();
  }

  private static List<String> patterns(Random r, boolean queues) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    List<String> l = new ArrayList<>();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      l.add(pattern(r) + (queues && r.nextInt(4) == 0 ? " q" + r.nextInt(2) : ""));
    }
    return l;
  }

  private static boolean deniedPlain(List<String> deny, String subject) {
    if (deny == null) {
      return false;
    }
    for (String d : deny) {
      if (!d.contains(" ") && Subjects.matches(subject, d)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void nothingAcceptedOrDeliveredMatchesADenyRule() {
    Random r = new Random(20240607);
    for (int round = 0; round < 3000; round++) {
      PermissionsOptions p = new PermissionsOptions()
          .setPublishAllow(patterns(r, false)).setPublishDeny(patterns(r, false))
          .setSubscribeAllow(patterns(r, true)).setSubscribeDeny(patterns(r, true));
      ClientPermissions perms = ClientPermissions.compile(p);
      if (perms == null) {
        continue;
      }
      for (int k = 0; k < 20; k++) {
        String s = literal(r);
        byte[] sb = s.getBytes(StandardCharsets.ISO_8859_1);
        if (perms.canPublish(sb, 0, sb.length)) {
          assertThat(deniedPlain(p.getPublishDeny(), s)).as("publish %s under %s", s, p.toJson()).isFalse();
        }
      }
      List<String> accepted = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        String sub = pattern(r);
        String queue = r.nextBoolean() ? null : "q" + r.nextInt(2);
        if (perms.subscribeViolation(sub, queue) == null) {
          // An accepted subscription is never itself covered by a deny entry for it.
          if (p.getSubscribeDeny() != null) {
            for (String d : p.getSubscribeDeny()) {
              String[] parts = d.split(" ");
              boolean applies = parts.length == 1 || queue != null && queue.equals(parts[1]);
              assertThat(applies && Subjects.matches(sub, parts[0]))
                  .as("sub %s queue %s under %s", sub, queue, p.toJson()).isFalse();
            }
          }
          accepted.add(sub);
        }
      }
      // Messages reaching the accepted subscriptions: none on a subject a plain deny entry covers.
      for (int k = 0; k < 20; k++) {
        String s = literal(r);
        boolean reaches = accepted.stream().anyMatch(a -> Subjects.matches(s, a));
        if (!reaches) {
          continue;
        }
        byte[] sb = s.getBytes(StandardCharsets.ISO_8859_1);
        boolean delivered = !perms.watchesDeliveries() || perms.deliverable(sb, 0, sb.length, sb, 0, 0);
        if (delivered) {
          assertThat(deniedPlain(p.getSubscribeDeny(), s)).as("delivered %s under %s", s, p.toJson()).isFalse();
        }
      }
    }
  }

  @Test
  void withoutRulesThereIsNothingToCheck() {
    assertThat(ClientPermissions.compile(null)).isNull();
    assertThat(ClientPermissions.compile(new PermissionsOptions())).isNull();
  }

  @Test
  void allowedAndUntouchedByDenyIsAccepted() {
    ClientPermissions perms = ClientPermissions.compile(new PermissionsOptions()
        .setPublishAllow(List.of("a.>")).setPublishDeny(List.of("a.b")));
    byte[] ok = "a.c".getBytes(StandardCharsets.ISO_8859_1);
    byte[] denied = "a.b".getBytes(StandardCharsets.ISO_8859_1);
    byte[] outside = "b".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(perms.canPublish(ok, 0, ok.length)).isTrue();
    assertThat(perms.canPublish(denied, 0, denied.length)).isFalse();
    assertThat(perms.canPublish(outside, 0, outside.length)).isFalse();
    // Cached answers stay the same.
    assertThat(perms.canPublish(ok, 0, ok.length)).isTrue();
    assertThat(perms.canPublish(denied, 0, denied.length)).isFalse();
  }
}
