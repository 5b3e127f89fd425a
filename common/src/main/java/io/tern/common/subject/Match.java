package io.tern.common.subject;

import java.util.List;

/**
 * The subscriptions interested in one literal subject: plain ones, and queue subscriptions grouped
 * by queue name.
 *
 * <p>Immutable. Instances returned by {@link SubjectTrie#match} may be shared between calls (they
 * live in the trie's match cache), so nobody may rely on identity or try to change them.
 *
 * <p>Grouping follows nats-server ({@code addNodeToResults}/{@code findQSlot} in sublist.go): one
 * group per queue <em>name</em>, so members of group {@code q} subscribed on {@code foo.*} and on
 * {@code foo.>} form a single group for subject {@code foo.bar}, and a message goes to one of them.
 * A value subscribed through several matching patterns appears once per pattern.
 *
 * @param <T> the subscription value stored in the trie
 */
public final class Match<T> {
  private static final Match<?> EMPTY = new Match<>(List.of(), List.of(), List.of());

  private final List<T> plain;
  private final List<List<T>> queueGroups;
  private final List<String> queueNames;

  Match(List<T> plain, List<String> queueNames, List<List<T>> queueGroups) {
    this.plain = plain;
    this.queueNames = queueNames;
    this.queueGroups = queueGroups;
  }

  /** The shared empty result. */
  @SuppressWarnings("unchecked")
  public static <T> Match<T> empty() {
    return (Match<T>) EMPTY;
  }

  /** Plain (non-queue) subscriptions, one entry per matching subscription. */
  public List<T> plain() {
    return plain;
  }

  /** One non-empty list of members per queue group name; parallel to {@link #queueNames()}. */
  public List<List<T>> queueGroups() {
    return queueGroups;
  }

  /** The queue group names, parallel to {@link #queueGroups()}. */
  public List<String> queueNames() {
    return queueNames;
  }

  /** Whether nobody is interested. */
  public boolean isEmpty() {
    return plain.isEmpty() && queueGroups.isEmpty();
  }

  /** Plain subscriptions plus queue groups, as nats-server counts fan-out for /subsz. */
  int fanout() {
    return plain.size() + queueGroups.size();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Match{plain=").append(plain);
    for (int i = 0; i < queueNames.size(); i++) {
      sb.append(", ").append(queueNames.get(i)).append('=').append(queueGroups.get(i));
    }
    return sb.append('}').toString();
  }
}
