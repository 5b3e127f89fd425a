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

  private final Map<String, RouterAccount> accounts = new HashMap<>();
  private final RouterAccount global = account(RouterAccount.GLOBAL);
  private final Map<Long, RouterAccount> connectionAccounts = new HashMap<>();
  private long lastConnectionKey = -1;
  private RouterAccount lastConnectionAccount;
  private final Map<Long, RouterSubscription> bySubId = new HashMap<>();
  private final Map<Long, List<RouterSubscription>> byConnection = new HashMap<>();
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final List<String> nodes = new ArrayList<>();
  private DeliveryBatch[] outgoing = new DeliveryBatch[4];
  private long rng = System.nanoTime() | 1;
  private long messagesRouted;
  private RouteBatch current;

  /**
   * Applies {@code batch} in order and hands each node's deliveries to {@code sink} (node id,
   * batch), one batch per node that has something to receive.
   */
  public void route(RouteBatch batch, BiConsumer<String, DeliveryBatch> sink) {
    route(batch, 0, sink);
  }

  /** As {@link #route(RouteBatch, BiConsumer)}, skipping the batch's ops before {@code from}. */
  public void route(RouteBatch batch, int from, BiConsumer<String, DeliveryBatch> sink) {
    current = batch;
    int source = indexOf(batch.source());
    byte[] data = batch.data();
    int n = batch.size();
    for (int i = from; i < n; i++) {
      switch (batch.type(i)) {
        case RouteBatch.PUB -> publish(batch, i, source, data);
        case RouteBatch.SUB -> subscribe(batch, i, source, data);
        case RouteBatch.UNSUB -> unsubscribe(source, batch.subId(i));
        case RouteBatch.CLOSE -> closeConnection(source, batch.cid(i));
        case RouteBatch.BIND -> bind(source, batch.cid(i),
            new String(data, batch.subjectOffset(i), batch.subjectLength(i), StandardCharsets.UTF_8));
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
    current = null;
    batch.release();
  }

  private void publish(RouteBatch b, int i, int source, byte[] data) {
    messagesRouted++;
    int subjOff = b.subjectOffset(i);
    int subjLen = b.subjectLength(i);
    int cid = b.cid(i);
    RouterAccount account = accountOf(source, cid);
    Match<RouterSubscription> match = account.trie.match(data, subjOff, subjLen);
    int flags = b.flags(i);
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
      noResponders(account, b, i, source, cid, data);
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
  private void noResponders(RouterAccount account, RouteBatch b, int i, int source, int cid, byte[] data) {
    for (RouterSubscription s : account.trie.match(data, b.replyOffset(i), b.replyLength(i)).plain()) {
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
    RouterAccount account = accountOf(source, cid);
    RouterSubscription s = new RouterSubscription(account, source, cid, b.subId(i), subject, queue);
    RouterSubscription old = bySubId.put(key(source, s.subId), s);
    if (old != null) {
      // A replayed subscription replaces the copy this partition already had.
      removeFromTrie(old);
      List<RouterSubscription> list = byConnection.get(key(source, old.cid));
      if (list != null) {
        list.remove(old);
      }
    }
    try {
      account.trie.insert(subject, queue, s);
    } catch (IllegalArgumentException invalid) {
      // Gateways validate subjects first; a bad one from elsewhere only loses its own subscription.
      bySubId.remove(key(source, s.subId));
      return;
    }
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

  private void bind(int source, int cid, String accountName) {
    long k = key(source, cid);
    connectionAccounts.put(k, account(accountName));
    lastConnectionKey = -1;
  }

  /** The account of a connection; one-entry cache since a batch is mostly one connection's. */
  private RouterAccount accountOf(int source, int cid) {
    long k = key(source, cid);
    if (k == lastConnectionKey) {
      return lastConnectionAccount;
    }
    RouterAccount a = connectionAccounts.isEmpty() ? global : connectionAccounts.getOrDefault(k, global);
    lastConnectionKey = k;
    lastConnectionAccount = a;
    return a;
  }

  private RouterAccount account(String name) {
    return accounts.computeIfAbsent(name, RouterAccount::new);
  }

  private void closeConnection(int source, int cid) {
    if (connectionAccounts.remove(key(source, cid)) != null) {
      lastConnectionKey = -1;
    }
    List<RouterSubscription> list = byConnection.remove(key(source, cid));
    if (list != null) {
      for (RouterSubscription s : list) {
        bySubId.remove(key(source, s.subId));
        removeFromTrie(s);
      }
    }
  }

  private void removeFromTrie(RouterSubscription s) {
    s.account.trie.remove(s.subject, s.queue, s);
  }

  private DeliveryBatch out(int node, byte[] data) {
    DeliveryBatch d = outgoing[node];
    if (d == null) {
      d = new DeliveryBatch(current, current.size());
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

  /** Every account's interest trie, for monitoring's read-only statistics; use only on this router's event loop. */
  public java.util.Collection<? extends SubjectTrie<?>> tries() {
    List<SubjectTrie<?>> out = new ArrayList<>();
    for (RouterAccount a : accounts.values()) {
      out.add(a.trie);
    }
    return out;
  }
}
