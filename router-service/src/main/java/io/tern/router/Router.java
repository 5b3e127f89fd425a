package io.tern.router;

import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.RouteBatch;
import io.tern.common.subject.Match;
import io.tern.common.subject.SubjectTrie;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One router partition's interest graph and the routing of batches through it. Not thread-safe:
 * it belongs to one event loop. The state is soft: nodes own their subscriptions and replay them.
 */
public final class Router {

  private final SubjectTrie<RouterSubscription> trie = new SubjectTrie<>();
  private final Map<Long, RouterSubscription> bySubId = new HashMap<>();
  private final Map<Long, List<RouterSubscription>> byConnection = new HashMap<>();
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final List<String> nodes = new ArrayList<>();
  private DeliveryBatch[] outgoing = new DeliveryBatch[4];
  private long rng = System.nanoTime() | 1;
  private long messagesRouted;

  /**
   * Applies {@code batch} in order and hands each node's deliveries to {@code sink} (node id,
   * batch), one batch per node that has something to receive.
   */
  public void route(RouteBatch batch, BiConsumer<String, DeliveryBatch> sink) {
    int source = indexOf(batch.source());
    byte[] data = batch.data();
    int n = batch.size();
    for (int i = 0; i < n; i++) {
      switch (batch.type(i)) {
        case RouteBatch.PUB -> publish(batch, i, source, data);
        case RouteBatch.SUB -> subscribe(batch, i, source, data);
        case RouteBatch.UNSUB -> unsubscribe(source, batch.subId(i));
        case RouteBatch.CLOSE -> closeConnection(source, batch.cid(i));
        case RouteBatch.BARRIER -> out(source, data).addBarrierAck(batch.cid(i), batch.token(i));
        default -> {
          // Unknown op types come only from a newer node; skipping keeps the rest flowing.
        }
      }
    }
    for (int node = 0; node < outgoing.length; node++) {
      DeliveryBatch d = outgoing[node];
      if (d != null) {
        outgoing[node] = null;
        sink.accept(nodes.get(node), d);
      }
    }
  }

  private void publish(RouteBatch b, int i, int source, byte[] data) {
    messagesRouted++;
    int subjOff = b.subjectOffset(i);
    int subjLen = b.subjectLength(i);
    Match<RouterSubscription> match = trie.match(data, subjOff, subjLen);
    int flags = b.flags(i);
    int cid = b.cid(i);
    boolean noEcho = (flags & RouteBatch.FLAG_NO_ECHO) != 0;
    int delivered = 0;
    List<RouterSubscription> plain = match.plain();
    for (int k = 0, size = plain.size(); k < size; k++) {
      RouterSubscription s = plain.get(k);
      if (noEcho && s.node == source && s.cid == cid) {
        continue;
      }
      deliver(s, b, i, data);
      delivered++;
    }
    List<List<RouterSubscription>> groups = match.queueGroups();
    for (int g = 0, size = groups.size(); g < size; g++) {
      RouterSubscription s = pick(groups.get(g), noEcho, source, cid);
      if (s != null) {
        deliver(s, b, i, data);
        delivered++;
      }
    }
    if (delivered == 0 && (flags & RouteBatch.FLAG_NO_RESPONDERS) != 0 && b.replyLength(i) > 0) {
      noResponders(b, i, source, cid, data);
    }
  }

  private RouterSubscription pick(List<RouterSubscription> members, boolean noEcho, int source, int cid) {
    int size = members.size();
    int start = (int) ((nextRandom() >>> 1) % size);
    for (int k = 0; k < size; k++) {
      RouterSubscription s = members.get((start + k) % size);
      if (!(noEcho && s.node == source && s.cid == cid)) {
        return s;
      }
    }
    return null;
  }

  private long nextRandom() {
    long x = rng;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    rng = x;
    return x;
  }

  private void deliver(RouterSubscription s, RouteBatch b, int i, byte[] data) {
    out(s.node, data).add(s.subId, 0, b.subjectOffset(i), b.subjectLength(i), b.replyOffset(i),
        b.replyLength(i), b.headerLength(i), b.messageOffset(i), b.messageLength(i));
  }

  /** The requester's own subscription on the reply subject gets a 503 status instead. */
  private void noResponders(RouteBatch b, int i, int source, int cid, byte[] data) {
    String reply = new String(data, b.replyOffset(i), b.replyLength(i), StandardCharsets.ISO_8859_1);
    for (RouterSubscription s : trie.match(reply).plain()) {
      if (s.node == source && s.cid == cid) {
        out(source, data).add(s.subId, DeliveryBatch.FLAG_NO_RESPONDERS, b.replyOffset(i), b.replyLength(i),
            0, 0, 0, 0, 0);
        return;
      }
    }
  }

  private void subscribe(RouteBatch b, int i, int source, byte[] data) {
    String subject = new String(data, b.subjectOffset(i), b.subjectLength(i), StandardCharsets.ISO_8859_1);
    String queue = b.queueLength(i) == 0 ? null
        : new String(data, b.queueOffset(i), b.queueLength(i), StandardCharsets.ISO_8859_1);
    int cid = b.cid(i);
    RouterSubscription s = new RouterSubscription(source, cid, b.subId(i), subject, queue);
    RouterSubscription old = bySubId.put(key(source, s.subId), s);
    if (old != null) {
      removeFromTrie(old);
    }
    trie.insert(subject, queue, s);
    byConnection.computeIfAbsent(key(source, cid), k -> new ArrayList<>()).add(s);
  }

  private void unsubscribe(int source, int subId) {
    RouterSubscription s = bySubId.remove(key(source, subId));
    if (s != null) {
      removeFromTrie(s);
      List<RouterSubscription> list = byConnection.get(key(source, s.cid));
      if (list != null) {
        list.remove(s);
        if (list.isEmpty()) {
          byConnection.remove(key(source, s.cid));
        }
      }
    }
  }

  private void closeConnection(int source, int cid) {
    List<RouterSubscription> list = byConnection.remove(key(source, cid));
    if (list != null) {
      for (RouterSubscription s : list) {
        bySubId.remove(key(source, s.subId));
        removeFromTrie(s);
      }
    }
  }

  private void removeFromTrie(RouterSubscription s) {
    trie.remove(s.subject, s.queue, s);
  }

  private DeliveryBatch out(int node, byte[] data) {
    DeliveryBatch d = outgoing[node];
    if (d == null) {
      d = new DeliveryBatch(data);
      outgoing[node] = d;
    }
    return d;
  }

  private int indexOf(String node) {
    Integer idx = nodeIndex.get(node);
    if (idx == null) {
      idx = nodes.size();
      nodes.add(node);
      nodeIndex.put(node, idx);
      if (outgoing.length <= idx) {
        outgoing = java.util.Arrays.copyOf(outgoing, Math.max(outgoing.length * 2, idx + 1));
      }
    }
    return idx;
  }

  private static long key(int node, int id) {
    return ((long) node << 32) | (id & 0xffffffffL);
  }

  /** Number of subscriptions held. */
  public int subscriptionCount() {
    return bySubId.size();
  }

  /** Publishes routed so far. */
  public long messagesRouted() {
    return messagesRouted;
  }

  /** The interest trie, for monitoring's read-only statistics; use only on this router's event loop. */
  public SubjectTrie<?> trie() {
    return trie;
  }
}
