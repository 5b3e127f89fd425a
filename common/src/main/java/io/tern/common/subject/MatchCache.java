package io.tern.common.subject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded cache from literal subject to {@link Match}, looked up by String or by UTF-8 bytes
 * without allocating.
 *
 * <p>An open-addressing table with linear probing and backward-shift deletion (no tombstones, so
 * churn does not degrade probes). The hash is computed over the subject's UTF-8 bytes, so a String
 * and its encoding land on the same slot; a String is encoded on the fly while hashing. Subjects
 * with unpaired surrogates do not survive a UTF-8 round trip and are never cached.
 *
 * <p>When full it sweeps down to half its capacity, keeping first the entries that were hit since
 * the previous sweep (a second-chance policy), where nats-server drops random entries. Sweeps go
 * round the table like a clock hand, so that survivors stay spread over it.
 *
 * <p>Not thread-safe.
 */
final class MatchCache<T> {
  private static final long UNCACHEABLE = 1L << 32;

  private static final class Entry<T> {
    final int hash;
    final String key;
    final byte[] keyBytes;
    final Match<T> match;
    boolean referenced;

    Entry(int hash, String key, byte[] keyBytes, Match<T> match) {
      this.hash = hash;
      this.key = key;
      this.keyBytes = keyBytes;
      this.match = match;
    }
  }

  private final Entry<T>[] table;
  // Hashes of each slot's first token and first two tokens, kept apart from the entries so that
  // an invalidation scan rejects most slots from two small arrays without touching the entries.
  private final int[] prefix1Hash;
  private final int[] prefix2Hash;
  private final int mask;
  private final int maxEntries;
  private final int sweepTarget;
  private final int seed;
  private int size;
  private int hand;
  /**
   * The entry the last byte lookup hit: publishes come in runs on one subject, and comparing the
   * bytes (vectorised) costs less than hashing them byte by byte. Cleared by every change.
   */
  private Entry<T> lastHit;

  @SuppressWarnings("unchecked")
  MatchCache(int maxEntries) {
    if (maxEntries < 2) {
      throw new IllegalArgumentException("maxEntries must be at least 2: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.sweepTarget = maxEntries / 2;
    // Load factor at most 1/2 keeps linear probe sequences short.
    int capacity = Integer.highestOneBit(maxEntries * 2 - 1) << 1;
    this.table = (Entry<T>[]) new Entry[capacity];
    this.prefix1Hash = new int[capacity];
    this.prefix2Hash = new int[capacity];
    this.mask = capacity - 1;
    // A per-instance seed so that clients cannot precompute colliding subjects.
    this.seed = ThreadLocalRandom.current().nextInt();
  }

  int size() {
    return size;
  }

  /** The longest run of occupied slots, which bounds a lookup's probes (tests). */
  int longestRun() {
    int longest = 0;
    int run = 0;
    // Twice round, so that a run wrapping past the table's end is counted whole.
    for (int k = 0; k < 2 * table.length; k++) {
      run = table[k & mask] == null ? 0 : run + 1;
      longest = Math.max(longest, Math.min(run, table.length));
    }
    return longest;
  }

  /** The cached match for {@code subject}, or null. */
  Match<T> get(String subject) {
    long h = hash(subject);
    if ((h & UNCACHEABLE) != 0) {
      return null;
    }
    int hash = (int) h;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry<T> e = table[i];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && e.key.equals(subject)) {
        e.referenced = true;
        return e.match;
      }
    }
  }

  /** The cached match for the subject whose UTF-8 bytes are {@code b[off, off+len)}, or null. */
  Match<T> get(byte[] b, int off, int len) {
    Entry<T> last = lastHit;
    if (last != null && Arrays.equals(last.keyBytes, 0, last.keyBytes.length, b, off, off + len)) {
      last.referenced = true;
      return last.match;
    }
    int hash = hash(b, off, len);
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry<T> e = table[i];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && Arrays.equals(e.keyBytes, 0, e.keyBytes.length, b, off, off + len)) {
        e.referenced = true;
        lastHit = e;
        return e.match;
      }
    }
  }

  /** Caches {@code match} for {@code subject}, replacing any previous entry. */
  void put(String subject, Match<T> match) {
    lastHit = null;
    long h = hash(subject);
    if ((h & UNCACHEABLE) != 0) {
      return;
    }
    int hash = (int) h;
    int i = hash & mask;
    for (Entry<T> e; (e = table[i]) != null; i = (i + 1) & mask) {
      if (e.hash == hash && e.key.equals(subject)) {
        table[i] = new Entry<>(hash, subject, e.keyBytes, match);
        return;
      }
    }
    if (size >= maxEntries) {
      sweep();
      put(subject, match);
      return;
    }
    table[i] = new Entry<>(hash, subject, subject.getBytes(StandardCharsets.UTF_8), match);
    int end1 = tokenEnd(subject, 0);
    prefix1Hash[i] = prefixHash(subject, end1);
    prefix2Hash[i] = end1 == subject.length() ? prefix1Hash[i] : prefixHash(subject, tokenEnd(subject, end1 + 1));
    size++;
  }

  /** Drops every entry whose subject is matched by the subscription pattern {@code pattern}. */
  void invalidate(String pattern) {
    if (size == 0) {
      return;
    }
    if (Subjects.isLiteral(pattern)) {
      remove(pattern);
      return;
    }
    // Pattern tokens that are literal must equal the subject's: filter on up to two of them.
    int end1 = tokenEnd(pattern, 0);
    int end2 = end1 == pattern.length() ? end1 : tokenEnd(pattern, end1 + 1);
    int[] filter = null;
    int wanted = 0;
    if (!isWildcardToken(pattern, 0, end1)) {
      if (end2 > end1 && !isWildcardToken(pattern, end1 + 1, end2)) {
        filter = prefix2Hash;
        wanted = prefixHash(pattern, end2);
      } else {
        filter = prefix1Hash;
        wanted = prefixHash(pattern, end1);
      }
    }
    for (int i = 0; i < table.length; ) {
      Entry<T> e = table[i];
      if (e != null
          && (filter == null || filter[i] == wanted)
          && SubjectPatterns.matches(e.key, pattern)) {
        // The backward shift may pull a not yet visited entry into slot i: look at it again.
        deleteSlot(i);
      } else {
        i++;
      }
    }
  }

  void clear() {
    lastHit = null;
    Arrays.fill(table, null);
    size = 0;
  }

  /** Largest fan-out among cached results (nats-server's /subsz {@code max_fanout}). */
  int maxFanout() {
    int max = 0;
    for (Entry<T> e : table) {
      if (e != null) {
        max = Math.max(max, e.match.fanout());
      }
    }
    return max;
  }

  /** Average fan-out among cached results (nats-server's /subsz {@code avg_fanout}). */
  double avgFanout() {
    long total = 0;
    for (Entry<T> e : table) {
      if (e != null) {
        total += e.match.fanout();
      }
    }
    return size == 0 ? 0.0 : (double) total / size;
  }

  private void remove(String subject) {
    long h = hash(subject);
    if ((h & UNCACHEABLE) != 0) {
      return;
    }
    int hash = (int) h;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry<T> e = table[i];
      if (e == null) {
        return;
      }
      if (e.hash == hash && e.key.equals(subject)) {
        deleteSlot(i);
        return;
      }
    }
  }

  /**
   * Second chance: drop entries not hit since the last sweep first, then any. Each sweep starts
   * where the previous one stopped (a clock hand): sweeping always from slot 0 would leave the
   * survivors packed at the table's end, and under churn of unique subjects (a reply subject per
   * JetStream PubAck) that end fills up into one long run that every lookup probes through.
   */
  private void sweep() {
    for (int pass = 0; pass < 2 && size > sweepTarget; pass++) {
      for (int visited = 0; visited < table.length && size > sweepTarget; ) {
        int i = hand;
        Entry<T> e = table[i];
        if (e != null && (pass == 1 || !e.referenced)) {
          // The backward shift may pull the next entry into slot i: look at it again.
          deleteSlot(i);
        } else {
          hand = (hand + 1) & mask;
          visited++;
        }
      }
    }
    // Cleared only now: deletions shift entries around, and one may be looked at twice.
    for (Entry<T> e : table) {
      if (e != null) {
        e.referenced = false;
      }
    }
  }

  private void deleteSlot(int hole) {
    lastHit = null;
    table[hole] = null;
    size--;
    for (int j = (hole + 1) & mask; table[j] != null; j = (j + 1) & mask) {
      int home = table[j].hash & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      boolean homeInRange = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!homeInRange) {
        table[hole] = table[j];
        prefix1Hash[hole] = prefix1Hash[j];
        prefix2Hash[hole] = prefix2Hash[j];
        table[j] = null;
        hole = j;
      }
    }
  }

  /** Hash of the bytes, FNV-1a style with a final avalanche. */
  int hash(byte[] b, int off, int len) {
    int h = seed;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ (b[i] & 0xff)) * 0x01000193;
    }
    return avalanche(h);
  }

  /**
   * The same hash as {@link #hash(byte[], int, int)} over the UTF-8 encoding of {@code s}, in the
   * low 32 bits; bit 32 set if {@code s} holds an unpaired surrogate.
   */
  long hash(String s) {
    int h = seed;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * 0x01000193;
      } else if (c < 0x800) {
        h = (h ^ (0xc0 | (c >> 6))) * 0x01000193;
        h = (h ^ (0x80 | (c & 0x3f))) * 0x01000193;
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return UNCACHEABLE;
        }
        int cp = Character.toCodePoint(c, s.charAt(++i));
        h = (h ^ (0xf0 | (cp >> 18))) * 0x01000193;
        h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * 0x01000193;
        h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * 0x01000193;
        h = (h ^ (0x80 | (cp & 0x3f))) * 0x01000193;
      } else {
        h = (h ^ (0xe0 | (c >> 12))) * 0x01000193;
        h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * 0x01000193;
        h = (h ^ (0x80 | (c & 0x3f))) * 0x01000193;
      }
    }
    return avalanche(h) & 0xffffffffL;
  }

  private static int tokenEnd(String s, int from) {
    int dot = s.indexOf('.', from);
    return dot < 0 ? s.length() : dot;
  }

  private static boolean isWildcardToken(String s, int from, int end) {
    return end - from == 1 && (s.charAt(from) == '*' || s.charAt(from) == '>');
  }

  /** Hash of {@code s[0, end)}; equal prefixes give equal hashes, which is all the filter needs. */
  private static int prefixHash(String s, int end) {
    int h = 1;
    for (int i = 0; i < end; i++) {
      h = 31 * h + s.charAt(i);
    }
    return avalanche(h);
  }

  private static int avalanche(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
