package io.tern.gateway;

import io.tern.common.config.PermissionsOptions;
import io.tern.common.subject.Subjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One connection's permissions, compiled once from the auth service's answer, with nats-server's
 * semantics: an absent allow list allows everything, deny always wins; subjects are compared token
 * by token with the client's wildcards taken literally (so {@code SUB foo.*} needs an allow entry
 * covering {@code foo.*}); subscribe entries may be queue-specific. A wildcard subscription that
 * overlaps a subscribe deny entry is accepted, but messages on denied subjects are then filtered
 * out on delivery (stricter than nats-server 2.9.10, which filters only when the wildcard contains
 * a whole deny entry: {@code *.y} still delivers {@code hidden.y} there despite deny
 * {@code hidden.>}). With {@code allow_responses}, reply subjects of delivered requests become
 * publishable for a number of responses and a time.
 *
 * <p>NATS and MQTT connections both use it (MQTT with subjects mapped from topics).
 *
 * <p>Lives on the connection's event loop; not thread-safe. Publish decisions are cached per subject.
 */
public final class ClientPermissions {
  private static final int CACHE_LIMIT = 4096;
  private static final int REPLIES_PRUNE_AT = 10_000;

  private final List<Rule> pubAllow;
  private final List<Rule> pubDeny;
  private final List<Rule> subAllow;
  private final List<Rule> subDeny;
  private final boolean responses;
  private final int responseMax;
  private final long responseExpiresNanos;
  private final Map<String, Boolean> pubCache = new HashMap<>();
  private final Map<String, Boolean> deliverCache = new HashMap<>();
  private final Map<String, Response> replies = new HashMap<>();
  private byte[] lastPub;
  private boolean lastPubAllowed;
  /** Set once a wildcard subscription overlaps a subscribe deny entry. */
  private boolean filterDeliveries;

  private ClientPermissions(PermissionsOptions p) {
    pubAllow = rules(p.getPublishAllow());
    pubDeny = rules(p.getPublishDeny());
    subAllow = rules(p.getSubscribeAllow());
    subDeny = rules(p.getSubscribeDeny());
    responses = p.isAllowResponses();
    responseMax = p.getResponseMax();
    responseExpiresNanos = p.getResponseExpires().toNanos();
  }

  /** Compiled permissions, or null when they restrict nothing (the connection then skips all checks). */
  public static ClientPermissions compile(PermissionsOptions p) {
    if (p == null || p.getPublishAllow() == null && p.getPublishDeny() == null && p.getSubscribeAllow() == null
        && p.getSubscribeDeny() == null && !p.isAllowResponses()) {
      return null;
    }
    return new ClientPermissions(p);
  }

  private static List<Rule> rules(List<String> entries) {
    if (entries == null) {
      return null;
    }
    List<Rule> out = new ArrayList<>(entries.size());
    for (String e : entries) {
      String[] parts = e.trim().split("\\s+");
      out.add(new Rule(parts[0], parts.length > 1 ? parts[1] : null));
    }
    return out;
  }

  /** Whether the client may publish to the subject at {@code buf[off, off+len)}. */
  public boolean canPublish(byte[] buf, int off, int len) {
    // A publisher mostly repeats its subject: that answer costs a byte comparison, no allocation.
    if (lastPubAllowed && lastPub != null && java.util.Arrays.equals(lastPub, 0, lastPub.length, buf, off, off + len)) {
      return true;
    }
    String subject = new String(buf, off, len, StandardCharsets.ISO_8859_1);
    Boolean cached = pubCache.get(subject);
    boolean allowed;
    if (cached != null) {
      allowed = cached;
    } else {
      allowed = (pubAllow == null || matchesPlain(pubAllow, subject)) && (pubDeny == null || !matchesPlain(pubDeny, subject));
      if (pubCache.size() >= CACHE_LIMIT) {
        pubCache.clear();
      }
      pubCache.put(subject, allowed);
    }
    lastPub = allowed ? java.util.Arrays.copyOfRange(buf, off, off + len) : null;
    lastPubAllowed = allowed;
    if (!allowed && responses) {
      allowed = takeResponse(subject);
    }
    return allowed;
  }

  private boolean takeResponse(String subject) {
    Response r = replies.get(subject);
    if (r == null) {
      return false;
    }
    r.sent++;
    boolean expired = responseExpiresNanos > 0 && System.nanoTime() - r.since > responseExpiresNanos;
    if (expired || responseMax > 0 && r.sent > responseMax) {
      replies.remove(subject);
      return false;
    }
    if (responseMax > 0 && r.sent == responseMax) {
      replies.remove(subject);
    }
    return true;
  }

  /** nats-server's -ERR text when a subscription is refused, or null when it is allowed. */
  public String subscribeViolation(String subject, String queue) {
    boolean allowed = true;
    if (subAllow != null) {
      allowed = false;
      boolean queueEntries = false;
      boolean queueAllowed = false;
      for (Rule r : subAllow) {
        if (Subjects.matches(subject, r.subject)) {
          if (r.queue == null) {
            allowed = true;
          } else {
            queueEntries = true;
            queueAllowed |= queue != null && queueMatches(queue, r.queue);
          }
        }
      }
      if (queue != null && queueEntries) {
        allowed = queueAllowed;
      }
    }
    if (allowed && subDeny != null) {
      boolean queueEntries = false;
      boolean queueDenied = false;
      for (Rule r : subDeny) {
        if (Subjects.matches(subject, r.subject)) {
          if (r.queue == null) {
            allowed = false;
          } else {
            queueEntries = true;
            queueDenied |= queue != null && queueMatches(queue, r.queue);
          }
        }
      }
      // nats-server 2.9 lets a queue-specific deny entry for another queue override a plain deny
      // entry (deny [">", "> q1"] admits "SUB foo q0"); here a plain deny entry always wins.
      if (queue != null && queueEntries && queueDenied) {
        allowed = false;
      }
      if (allowed && !filterDeliveries && !Subjects.isLiteral(subject)) {
        for (Rule r : subDeny) {
          if (r.queue == null && Subjects.overlaps(subject, r.subject)) {
            filterDeliveries = true;
            break;
          }
        }
      }
    }
    if (allowed) {
      return null;
    }
    return queue == null ? "Permissions Violation for Subscription to \"" + subject + "\""
        : "Permissions Violation for Subscription to \"" + subject + "\" using queue \"" + queue + "\"";
  }

  private static boolean queueMatches(String queue, String pattern) {
    return queue.equals(pattern) || !Subjects.isLiteral(pattern) && Subjects.matches(queue, pattern);
  }

  /**
   * Called for each message delivered: false when it must not reach the client (its subject is
   * denied and came through an overlapping wildcard); notes reply subjects for {@code allow_responses}.
   */
  public boolean deliverable(byte[] subj, int subjOff, int subjLen, byte[] reply, int replyOff, int replyLen) {
    if (filterDeliveries) {
      String subject = new String(subj, subjOff, subjLen, StandardCharsets.ISO_8859_1);
      Boolean ok = deliverCache.get(subject);
      if (ok == null) {
        ok = !matchesPlain(subDeny, subject);
        if (deliverCache.size() >= CACHE_LIMIT) {
          deliverCache.clear();
        }
        deliverCache.put(subject, ok);
      }
      if (!ok) {
        return false;
      }
    }
    if (responses && replyLen > 0) {
      if (replies.size() >= REPLIES_PRUNE_AT) {
        pruneReplies();
      }
      replies.put(new String(reply, replyOff, replyLen, StandardCharsets.ISO_8859_1), new Response(System.nanoTime()));
    }
    return true;
  }

  /** Whether any delivery needs looking at (deny filtering or reply tracking). */
  boolean watchesDeliveries() {
    return filterDeliveries || responses;
  }

  private void pruneReplies() {
    long now = System.nanoTime();
    for (Iterator<Response> it = replies.values().iterator(); it.hasNext(); ) {
      if (responseExpiresNanos <= 0 || now - it.next().since > responseExpiresNanos) {
        it.remove();
      }
    }
    if (replies.size() >= REPLIES_PRUNE_AT) {
      replies.clear();
    }
  }

  private static boolean matchesPlain(List<Rule> rules, String subject) {
    for (Rule r : rules) {
      if (r.queue == null && Subjects.matches(subject, r.subject)) {
        return true;
      }
    }
    return false;
  }

  private record Rule(String subject, String queue) {}

  private static final class Response {
    final long since;
    int sent;

    Response(long since) {
      this.since = since;
    }
  }
}
