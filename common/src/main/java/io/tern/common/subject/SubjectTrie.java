package io.tern.common.subject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The interest graph of one account: subscriptions stored in a trie by subject token, with a
 * bounded cache of match results, in the manner of nats-server's {@code Sublist}
 * (server/sublist.go).
 *
 * <p><b>Semantics</b> (as nats-server 2.9.10):
 *
 * <ul>
 *   <li>A subscription is a (subject pattern, queue name or null, value) triple; the trie holds a
 *       set of them, so inserting an equal triple again changes nothing. Values are compared with
 *       {@code equals}.
 *   <li>In a pattern, a whole-token {@code *} matches exactly one token and a last whole-token
 *       {@code >} matches one or more tokens ({@code foo.>} does not match {@code foo}). Tokens
 *       like {@code foo*} are literal. Tokens of a matched subject are always taken literally.
 *   <li>{@link #match} returns each matching plain subscription once per matching pattern, and the
 *       queue subscriptions grouped by queue name across all matching patterns (see {@link
 *       Match}).
 *   <li>A subject with an empty token (or the empty subject) matches nothing, as in nats-server.
 * </ul>
 *
 * <p><b>Cache.</b> Results are cached by literal subject (default {@value #DEFAULT_CACHE_SIZE}
 * entries; nats-server 2.9.10 uses 1024). Invalidation is precise: an insert or remove of a
 * literal pattern drops that one entry, one of a wildcard pattern drops the cached subjects it
 * matches (a scan of the cache, as nats-server does). So a cached result is always what the trie
 * would answer now, and churn of literal subscriptions such as reply inboxes leaves other entries
 * alone. A cache hit allocates nothing, both through {@link #match(String)} and {@link
 * #match(byte[], int, int)}.
 *
 * <p>Not thread-safe: one trie is owned by one event loop.
 *
 * @param <T> the subscription value, typically a reference to the subscribing connection and sid
 */
public final class SubjectTrie<T> {
  /** Default bound of the match cache. */
  public static final int DEFAULT_CACHE_SIZE = 4096;

  private final Level<T> root = new Level<>();
  private final MatchCache<T> cache;
  private int count;
  private long inserts;
  private long removes;
  private long matches;
  private long cacheHits;

  /** A trie with a match cache of {@value #DEFAULT_CACHE_SIZE} entries. */
  public SubjectTrie() {
    this(DEFAULT_CACHE_SIZE);
  }

  /** A trie whose match cache holds up to {@code cacheSize} subjects; 0 disables the cache. */
  public SubjectTrie(int cacheSize) {
    if (cacheSize < 0 || cacheSize == 1) {
      throw new IllegalArgumentException("cacheSize must be 0 or at least 2: " + cacheSize);
    }
    this.cache = cacheSize == 0 ? null : new MatchCache<>(cacheSize);
  }

  /**
   * Adds a subscription.
   *
   * @param subject the pattern; must have no empty token and nothing after a {@code >} token (the
   *     rules of nats-server's {@code Sublist.Insert}, whose failure is the client's {@code
   *     -ERR 'Invalid Subject'}; whitespace is not checked here)
   * @param queue the queue group name, or null for a plain subscription; not empty
   * @param value the subscriber, not null
   * @return false if an equal subscription was already present (nothing changes then)
   * @throws IllegalArgumentException if the subject or queue is malformed
   */
  public boolean insert(String subject, String queue, T value) {
    String[] tokens = patternTokens(subject, queue, value);
    Level<T> level = root;
    Node<T> node = null;
    for (int i = 0; i < tokens.length; i++) {
      if (level == null) {
        level = new Level<>();
        node.next = level;
      }
      node = level.childOrCreate(tokens[i]);
      level = node.next;
    }
    if (!node.add(queue, value)) {
      return false;
    }
    count++;
    inserts++;
    if (cache != null) {
      cache.invalidate(subject);
    }
    return true;
  }

  /**
   * Removes a subscription and prunes the nodes it leaves empty.
   *
   * @return whether an equal subscription was present
   * @throws IllegalArgumentException if the subject or queue is malformed (as for {@link #insert})
   */
  public boolean remove(String subject, String queue, T value) {
    String[] tokens = patternTokens(subject, queue, value);
    @SuppressWarnings("unchecked")
    Node<T>[] path = (Node<T>[]) new Node[tokens.length];
    @SuppressWarnings("unchecked")
    Level<T>[] levels = (Level<T>[]) new Level[tokens.length];
    Level<T> level = root;
    for (int i = 0; i < tokens.length; i++) {
      if (level == null) {
        return false;
      }
      Node<T> node = level.child(tokens[i]);
      if (node == null) {
        return false;
      }
      levels[i] = level;
      path[i] = node;
      level = node.next;
    }
    if (!path[tokens.length - 1].remove(queue, value)) {
      return false;
    }
    for (int i = tokens.length - 1; i >= 0; i--) {
      Node<T> node = path[i];
      if (node.next != null && node.next.isEmpty()) {
        node.next = null;
      }
      if (!node.isEmpty()) {
        break;
      }
      levels[i].removeChild(tokens[i]);
    }
    count--;
    removes++;
    if (cache != null) {
      cache.invalidate(subject);
    }
    return true;
  }

  /**
   * The subscriptions interested in {@code subject}, whose tokens are taken literally. The result
   * may be shared with other callers and the cache; never mutate it.
   */
  public Match<T> match(String subject) {
    matches++;
    if (cache != null) {
      Match<T> cached = cache.get(subject);
      if (cached != null) {
        cacheHits++;
        return cached;
      }
    }
    return matchAndCache(subject);
  }

  /**
   * As {@link #match(String)} for the subject whose UTF-8 bytes are {@code buf[off, off+len)}. A
   * cache hit creates no String and allocates nothing.
   */
  public Match<T> match(byte[] buf, int off, int len) {
    Match<T> hit = cachedByBytes(buf, off, len);
    if (hit != null) {
      return hit;
    }
    String subject = new String(buf, off, len, StandardCharsets.UTF_8);
    if (cache != null) {
      // The bytes may differ from the String's encoding (malformed UTF-8): try the String too.
      Match<T> cached = cache.get(subject);
      if (cached != null) {
        cacheHits++;
        return cached;
      }
    }
    return matchAndCache(subject);
  }

  /** Counts the lookup and returns the cached match of the subject's bytes, or null. */
  private Match<T> cachedByBytes(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    matches++;
    if (cache != null) {
      Match<T> cached = cache.get(buf, off, len);
      if (cached != null) {
        cacheHits++;
        return cached;
      }
    }
    return null;
  }

  /**
   * As {@link #match(byte[], int, int)} for a subject that will not come again (a reply inbox): a
   * cached result is used, but a computed one is not cached.
   */
  public Match<T> matchOnce(byte[] buf, int off, int len) {
    Match<T> hit = cachedByBytes(buf, off, len);
    if (hit != null) {
      return hit;
    }
    String[] tokens = subjectTokens(new String(buf, off, len, StandardCharsets.UTF_8));
    if (tokens == null) {
      return Match.empty();
    }
    MatchBuilder<T> builder = new MatchBuilder<>();
    collect(root, tokens, 0, builder);
    return builder.build();
  }

  /** Number of subscriptions. */
  public int count() {
    return count;
  }

  /** Successful inserts since creation (/subsz {@code num_inserts}). */
  public long numInserts() {
    return inserts;
  }

  /** Successful removes since creation (/subsz {@code num_removes}). */
  public long numRemoves() {
    return removes;
  }

  /** Calls of {@code match} since creation (/subsz {@code num_matches}). */
  public long numMatches() {
    return matches;
  }

  /** Cache hits divided by matches, 0 before the first match (/subsz {@code cache_hit_rate}). */
  public double cacheHitRate() {
    return matches == 0 ? 0.0 : (double) cacheHits / matches;
  }

  /** Number of cached subjects (/subsz {@code num_cache}). */
  public int cacheSize() {
    return cache == null ? 0 : cache.size();
  }

  /**
   * Largest number of plain subscriptions plus queue groups among cached results (/subsz {@code
   * max_fanout}; like nats-server, computed over the cache only).
   */
  public int maxFanout() {
    return cache == null ? 0 : cache.maxFanout();
  }

  /** Average of the same over cached results (/subsz {@code avg_fanout}). */
  public double avgFanout() {
    return cache == null ? 0.0 : cache.avgFanout();
  }

  /** Trie nodes currently allocated; for tests of pruning. */
  int nodeCount() {
    return root.nodeCount();
  }

  private Match<T> matchAndCache(String subject) {
    String[] tokens = subjectTokens(subject);
    if (tokens == null) {
      return Match.empty();
    }
    MatchBuilder<T> builder = new MatchBuilder<>();
    collect(root, tokens, 0, builder);
    Match<T> result = builder.build();
    if (cache != null) {
      cache.put(subject, result);
    }
    return result;
  }

  private static <T> void collect(Level<T> level, String[] tokens, int from, MatchBuilder<T> out) {
    int last = tokens.length - 1;
    for (int i = from; level != null; i++) {
      if (level.fwc != null) {
        out.add(level.fwc);
      }
      if (level.pwc != null) {
        if (i == last) {
          out.add(level.pwc);
        } else {
          collect(level.pwc.next, tokens, i + 1, out);
        }
      }
      Node<T> node = level.literalChild(tokens[i]);
      if (node == null) {
        return;
      }
      if (i == last) {
        out.add(node);
        return;
      }
      level = node.next;
    }
  }

  /** Tokens of a pattern after checking it as nats-server's Insert/Remove do. */
  private static String[] patternTokens(String subject, String queue, Object value) {
    Objects.requireNonNull(value, "value");
    if (queue != null && queue.isEmpty()) {
      throw new IllegalArgumentException("empty queue name");
    }
    String[] tokens = subjectTokens(subject);
    if (tokens == null) {
      throw new IllegalArgumentException("invalid subject: \"" + subject + "\"");
    }
    for (int i = 0; i < tokens.length - 1; i++) {
      if (tokens[i].equals(">")) {
        throw new IllegalArgumentException("invalid subject: \"" + subject + "\"");
      }
    }
    return tokens;
  }

  /** Tokens of the subject, or null if it is empty or has an empty token. */
  private static String[] subjectTokens(String subject) {
    if (!Subjects.hasNoEmptyToken(subject)) {
      return null;
    }
    String[] tokens = new String[Subjects.tokenCount(subject)];
    int start = 0;
    for (int i = 0; i < tokens.length - 1; i++) {
      int dot = subject.indexOf('.', start);
      tokens[i] = subject.substring(start, dot);
      start = dot + 1;
    }
    tokens[tokens.length - 1] = subject.substring(start);
    return tokens;
  }

  /** One trie level: children by literal token, plus the two wildcard children. */
  private static final class Level<T> {
    Map<String, Node<T>> literal;
    Node<T> pwc;
    Node<T> fwc;

    Node<T> literalChild(String token) {
      return literal == null ? null : literal.get(token);
    }

    Node<T> child(String token) {
      if (token.equals("*")) {
        return pwc;
      }
      if (token.equals(">")) {
        return fwc;
      }
      return literalChild(token);
    }

    Node<T> childOrCreate(String token) {
      if (token.equals("*")) {
        return pwc != null ? pwc : (pwc = new Node<>());
      }
      if (token.equals(">")) {
        return fwc != null ? fwc : (fwc = new Node<>());
      }
      if (literal == null) {
        literal = new HashMap<>();
      }
      return literal.computeIfAbsent(token, t -> new Node<>());
    }

    void removeChild(String token) {
      if (token.equals("*")) {
        pwc = null;
      } else if (token.equals(">")) {
        fwc = null;
      } else {
        literal.remove(token);
        if (literal.isEmpty()) {
          literal = null;
        }
      }
    }

    boolean isEmpty() {
      return literal == null && pwc == null && fwc == null;
    }

    int nodeCount() {
      int n = 0;
      if (literal != null) {
        for (Node<T> node : literal.values()) {
          n += node.nodeCount();
        }
      }
      if (pwc != null) {
        n += pwc.nodeCount();
      }
      if (fwc != null) {
        n += fwc.nodeCount();
      }
      return n;
    }
  }

  /** Subscriptions on one exact pattern, and the level below it. */
  private static final class Node<T> {
    Level<T> next;
    LinkedHashSet<T> plain;
    LinkedHashMap<String, LinkedHashSet<T>> queues;

    boolean add(String queue, T value) {
      if (queue == null) {
        if (plain == null) {
          plain = new LinkedHashSet<>();
        }
        return plain.add(value);
      }
      if (queues == null) {
        queues = new LinkedHashMap<>();
      }
      return queues.computeIfAbsent(queue, q -> new LinkedHashSet<>()).add(value);
    }

    boolean remove(String queue, T value) {
      if (queue == null) {
        if (plain == null || !plain.remove(value)) {
          return false;
        }
        if (plain.isEmpty()) {
          plain = null;
        }
        return true;
      }
      LinkedHashSet<T> members = queues == null ? null : queues.get(queue);
      if (members == null || !members.remove(value)) {
        return false;
      }
      if (members.isEmpty()) {
        queues.remove(queue);
        if (queues.isEmpty()) {
          queues = null;
        }
      }
      return true;
    }

    boolean isEmpty() {
      return plain == null && queues == null && next == null;
    }

    int nodeCount() {
      return 1 + (next == null ? 0 : next.nodeCount());
    }
  }

  /** Accumulates a match, grouping queue members by name across nodes. */
  private static final class MatchBuilder<T> {
    private final List<T> plain = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<List<T>> groups = new ArrayList<>();

    void add(Node<T> node) {
      if (node.plain != null) {
        plain.addAll(node.plain);
      }
      if (node.queues != null) {
        for (Map.Entry<String, LinkedHashSet<T>> q : node.queues.entrySet()) {
          int slot = names.indexOf(q.getKey());
          if (slot < 0) {
            slot = names.size();
            names.add(q.getKey());
            groups.add(new ArrayList<>());
          }
          groups.get(slot).addAll(q.getValue());
        }
      }
    }

    Match<T> build() {
      if (plain.isEmpty() && names.isEmpty()) {
        return Match.empty();
      }
      List<List<T>> frozen = new ArrayList<>(groups.size());
      for (List<T> g : groups) {
        frozen.add(Collections.unmodifiableList(g));
      }
      return new Match<>(
          Collections.unmodifiableList(plain),
          Collections.unmodifiableList(names),
          Collections.unmodifiableList(frozen));
    }
  }
}
