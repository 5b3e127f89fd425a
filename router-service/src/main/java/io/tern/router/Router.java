package io.tern.router;

import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.RouteBatch;
import io.tern.common.subject.Match;
import io.tern.common.subject.SubjectTrie;
import io.tern.common.subject.Subjects;
import io.vertx.core.json.JsonObject;
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
  /** Deliveries in the last batch sent to each node. */
  private int[] lastDeliveries = new int[4];
  private long rng = System.nanoTime() | 1;
  private long messagesRouted;
  private RouteBatch current;
  private java.util.concurrent.atomic.AtomicLong interestGeneration;
  /** Subjects and replies made up while routing the current batch (mappings, imports); null if none. */
  private byte[] extra;
  private int extraLen;
  private ReplyTokens replyTokens;
  private ResponseLedger responseLedger = new ResponseLedger();
  private long configVersion = -1;

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
        case RouteBatch.BARRIER -> out(source).addBarrierAck(batch.cid(i), batch.token(i));
        default -> {
          // Unknown op types come only from a newer node; skipping keeps the rest flowing.
        }
      }
    }
    byte[] made = extra;
    for (int node = 0; node < outgoing.length; node++) {
      DeliveryBatch d = outgoing[node];
      if (d != null) {
        outgoing[node] = null;
        lastDeliveries[node] = d.size();
        if (made != null) {
          d.extra(made);
        }
        sink.accept(nodes.get(node), d);
      }
    }
    extra = null;
    extraLen = 0;
    current = null;
    batch.release();
  }

  private void publish(RouteBatch b, int i, int source, byte[] data) {
    messagesRouted++;
    int subjOff = b.subjectOffset(i);
    int subjLen = routedLength(b, i, data);
    int cid = b.cid(i);
    RouterAccount account = accountOf(source, cid);
    if (account.rules != null) {
      publishWithRules(account, b, i, source, cid, data);
      return;
    }
    // Read before matching: interest added meanwhile makes this generation stale at the gateway.
    long generation = interestGeneration == null ? 0 : interestGeneration.get();
    int flags = b.flags(i);
    Match<RouterSubscription> match = (flags & RouteBatch.FLAG_SUBJECT_ONCE) != 0
        ? account.trie.matchOnce(data, subjOff, subjLen) : account.trie.match(data, subjOff, subjLen);
    if (interestGeneration != null && match.isEmpty()) {
      reportNoInterest(source, cid, data, subjOff, subjLen, (int) generation);
    }
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

  /**
   * Tells the publisher's gateway that nobody listens on the subject, once per subject and output
   * batch, so that it can drop further publishes there until interest changes.
   */
  private void reportNoInterest(int source, int cid, byte[] data, int subjOff, int subjLen, int generation) {
    DeliveryBatch out = out(source);
    int last = out.size() - 1;
    if (last >= 0 && (out.flags(last) & DeliveryBatch.FLAG_NO_INTEREST) != 0
        && java.util.Arrays.equals(data, out.subjectOffset(last), out.subjectOffset(last) + out.subjectLength(last),
            data, subjOff, subjOff + subjLen)) {
      return;
    }
    out.add(cid, DeliveryBatch.FLAG_NO_INTEREST, subjOff, subjLen, 0, 0, generation, 0, 0);
  }

  /** Shares the record of answered singleton responses with the process's other partitions. */
  public void responseLedgerOf(io.vertx.core.Vertx vertx) {
    this.responseLedger = ResponseLedger.shared(vertx);
  }

  /** Embedded mode: the JVM-wide interest generation this router bumps and reports against. */
  public void interestGeneration(java.util.concurrent.atomic.AtomicLong generation) {
    this.interestGeneration = generation;
  }

  private void interestChanged() {
    if (interestGeneration != null) {
      interestGeneration.incrementAndGet();
    }
  }

  // ---- accounts with mappings, imports or exports (never on the plain path) ----

  /**
   * Applies the account configuration published by the auth service: rules per account, and the
   * secret for cross-account reply tokens. Older versions than the one applied are ignored.
   */
  public void configure(JsonObject config) {
    long version = config.getLong("version", 0L);
    if (version < configVersion) {
      return;
    }
    configVersion = version;
    interestChanged();
    replyTokens = new ReplyTokens(config.getString("secret"));
    for (RouterAccount a : accounts.values()) {
      a.rules = null;
    }
    for (Object o : config.getJsonArray("accounts")) {
      JsonObject aj = (JsonObject) o;
      AccountRules rules = AccountRules.compile(aj);
      RouterAccount a = account(aj.getString("name"));
      if (!rules.isEmpty()) {
        a.rules = rules;
      }
    }
    for (RouterAccount a : new ArrayList<>(accounts.values())) {
      if (a.rules != null) {
        for (AccountRules.ServiceImport si : a.rules.serviceImports) {
          RouterAccount exporter = account(si.account());
          if (exporter.rules == null) {
            exporter.rules = new AccountRules();
          }
          exporter.rules.answersImports = true;
        }
      }
    }
  }

  private void publishWithRules(RouterAccount account, RouteBatch b, int i, int source, int cid, byte[] data) {
    AccountRules rules = account.rules;
    int flags = b.flags(i);
    boolean noEcho = (flags & RouteBatch.FLAG_NO_ECHO) != 0;
    int subjOff = b.subjectOffset(i);
    int subjLen = routedLength(b, i, data);
    int replyLen = b.replyLength(i);
    if (rules.answersImports && replyTokens != null && ReplyTokens.looksLikeToken(data, subjOff, subjLen)) {
      long now = System.currentTimeMillis();
      ReplyTokens.Decoded back = replyTokens.decode(data, subjOff, subjLen, now);
      if (back != null) {
        if (back.singleton() && !responseLedger.firstResponse(back.id(), back.expiresAtMillis(), now)) {
          // nats-server removes a singleton's response mapping after the first response.
          return;
        }
        int at = addExtra(back.reply());
        RouterAccount requester = account(back.account());
        deliverAll(requester, back.reply(), 0, back.reply().length, at, back.reply().length,
            DeliveryBatch.FLAG_SUBJECT_EXTRA,
            b.replyOffset(i), replyLen, 0, b, i, -1, -1, false);
        return;
      }
    }
    // An account that only answers service imports needs no subject string for its other publishes.
    boolean matchesRules = !rules.mappings.isEmpty() || !rules.streamExports.isEmpty()
        || !rules.serviceImports.isEmpty();
    String subject = matchesRules ? new String(data, subjOff, subjLen, StandardCharsets.ISO_8859_1) : null;
    int subjFlag = 0;
    byte[] subjBytes = data;
    if (!rules.mappings.isEmpty()) {
      String mapped = rules.map(subject, (int) ((nextRandom() >>> 1) % 100));
      if (mapped == AccountRules.DROP) {
        return;
      }
      if (mapped != null && !mapped.equals(subject)) {
        subject = mapped;
        subjBytes = mapped.getBytes(StandardCharsets.ISO_8859_1);
        subjLen = subjBytes.length;
        subjOff = addExtra(subjBytes);
        subjFlag = DeliveryBatch.FLAG_SUBJECT_EXTRA;
      }
    }
    int matchOff = subjFlag == 0 ? subjOff : 0;
    int recLen = subjLen;
    if ((flags & RouteBatch.FLAG_SHOWN_SUBJECT) != 0) {
      // A consumer's delivery shows the stored message's subject, whatever it was routed (and mapped) by.
      int routed = routedLength(b, i, data);
      subjOff = b.subjectOffset(i) + routed + 1;
      recLen = b.subjectLength(i) - routed - 1;
      subjFlag = 0;
    }
    int delivered = deliverAll(account, subjBytes, matchOff, subjLen, subjOff, recLen, subjFlag,
        b.replyOffset(i), replyLen, 0, b, i, source, cid, noEcho);
    for (AccountRules.StreamExport e : rules.streamExports) {
      if (Subjects.matches(subject, e.subject())) {
        String to = e.transform().apply(subject);
        if (to != null) {
          byte[] tb = to.getBytes(StandardCharsets.ISO_8859_1);
          int at = addExtra(tb);
          deliverAll(account(e.account()), tb, 0, tb.length, at, tb.length, DeliveryBatch.FLAG_SUBJECT_EXTRA,
              b.replyOffset(i), replyLen, 0, b, i, -1, -1, false);
        }
      }
    }
    for (AccountRules.ServiceImport si : rules.serviceImports) {
      if (!Subjects.matches(subject, si.local())) {
        continue;
      }
      String to = si.transform().apply(subject);
      if (to == null) {
        continue;
      }
      byte[] tb = to.getBytes(StandardCharsets.ISO_8859_1);
      int at = addExtra(tb);
      int replyOff = b.replyOffset(i);
      int replyFlag = 0;
      if (replyLen > 0 && replyTokens != null) {
        byte[] rb = replyTokens.encode(account.name, data, replyOff, replyLen,
            System.currentTimeMillis() + si.thresholdMillis(), si.singleton(), (int) nextRandom())
            .getBytes(StandardCharsets.ISO_8859_1);
        replyOff = addExtra(rb);
        replyLen = rb.length;
        replyFlag = DeliveryBatch.FLAG_REPLY_EXTRA;
      }
      delivered += deliverAll(account(si.account()), tb, 0, tb.length, at, tb.length,
          DeliveryBatch.FLAG_SUBJECT_EXTRA,
          replyOff, replyLen, replyFlag, b, i, -1, -1, false);
      replyLen = b.replyLength(i);
      break;
    }
    if (delivered == 0 && (flags & RouteBatch.FLAG_NO_RESPONDERS) != 0 && b.replyLength(i) > 0) {
      noResponders(account, b, i, source, cid, data);
    }
  }

  /**
   * Delivers message {@code i} of {@code b} to {@code account}'s matching subscriptions under the
   * subject {@code subj[subjMatchOff, +subjLen)}, recorded as {@code [subjRecOff, +subjRecLen)} with
   * {@code subjFlag} (the shown subject of a consumer's delivery differs from the one it is routed by).
   */
  private int deliverAll(RouterAccount account, byte[] subj, int subjMatchOff, int subjLen, int subjRecOff,
                         int subjRecLen, int subjFlag, int replyOff, int replyLen, int replyFlag, RouteBatch b, int i,
                         int source, int cid, boolean noEcho) {
    Match<RouterSubscription> match = account.trie.match(subj, subjMatchOff, subjLen);
    int flags = subjFlag | replyFlag;
    int delivered = 0;
    for (RouterSubscription s : match.plain()) {
      if (noEcho && s.node == source && s.cid == cid) {
        continue;
      }
      out(s.node).add(s.subId, flags, subjRecOff, subjRecLen, replyOff, replyLen,
          b.headerLength(i), b.messageOffset(i), b.messageLength(i));
      delivered++;
    }
    for (List<RouterSubscription> group : match.queueGroups()) {
      RouterSubscription s = pick(group, noEcho, source, cid);
      if (s != null) {
        out(s.node).add(s.subId, flags, subjRecOff, subjRecLen, replyOff, replyLen,
            b.headerLength(i), b.messageOffset(i), b.messageLength(i));
        delivered++;
      }
    }
    return delivered;
  }

  private int addExtra(byte[] bytes) {
    if (extra == null) {
      extra = new byte[Math.max(256, bytes.length * 4)];
    } else if (extraLen + bytes.length > extra.length) {
      extra = java.util.Arrays.copyOf(extra, Math.max(extra.length * 2, extraLen + bytes.length));
    }
    int at = extraLen;
    System.arraycopy(bytes, 0, extra, at, bytes.length);
    extraLen += bytes.length;
    return at;
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
    if ((b.flags(i) & RouteBatch.FLAG_SHOWN_SUBJECT) != 0) {
      int shown = b.subjectOffset(i) + routedLength(b, i, data) + 1;
      out(s.node).add(s.subId, 0, shown, b.subjectOffset(i) + b.subjectLength(i) - shown, b.replyOffset(i),
          b.replyLength(i), b.headerLength(i), b.messageOffset(i), b.messageLength(i));
      return;
    }
    out(s.node).add(s.subId, 0, b.subjectOffset(i), b.subjectLength(i), b.replyOffset(i),
        b.replyLength(i), b.headerLength(i), b.messageOffset(i), b.messageLength(i));
  }

  /**
   * The length of the subject a publish is routed by: with {@link RouteBatch#FLAG_SHOWN_SUBJECT} the
   * subject slot holds "routed shown" (a space cannot occur in a subject).
   */
  private static int routedLength(RouteBatch b, int i, byte[] data) {
    int len = b.subjectLength(i);
    if ((b.flags(i) & RouteBatch.FLAG_SHOWN_SUBJECT) != 0) {
      int off = b.subjectOffset(i);
      for (int k = 0; k < len; k++) {
        if (data[off + k] == ' ') {
          return k;
        }
      }
    }
    return len;
  }

  /** The requester's own subscription on the reply subject gets a 503 status instead. */
  private void noResponders(RouterAccount account, RouteBatch b, int i, int source, int cid, byte[] data) {
    for (RouterSubscription s : account.trie.match(data, b.replyOffset(i), b.replyLength(i)).plain()) {
      if (s.node == source && s.cid == cid) {
        out(source).add(s.subId, DeliveryBatch.FLAG_NO_RESPONDERS, b.replyOffset(i), b.replyLength(i),
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
    interestChanged();
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

  /** The delivery batch to {@code node} for the batch being routed (it shares that batch's bytes). */
  private DeliveryBatch out(int node) {
    DeliveryBatch d = outgoing[node];
    if (d == null) {
      // Sized for a publish each, or as many as the previous batch had (fan-out), so it rarely regrows.
      d = new DeliveryBatch(current, Math.max(current.size(), lastDeliveries[node]));
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
        lastDeliveries = java.util.Arrays.copyOf(lastDeliveries, outgoing.length);
      }
    }
    return idx;
  }

  private static long key(int node, int id) {
    return ((long) node << 32) | (id & 0xffffffffL);
  }

  /** Whether publishes in {@code account} take the rules path (mappings, imports, exports). */
  public boolean hasRules(String account) {
    RouterAccount a = accounts.get(account);
    return a != null && a.rules != null;
  }

  /** Whether any subscription of {@code account} matches the literal {@code subject} (control path). */
  public boolean hasInterest(String account, String subject) {
    RouterAccount a = accounts.get(account);
    if (a == null) {
      return false;
    }
    byte[] s = subject.getBytes(StandardCharsets.ISO_8859_1);
    return !a.trie.match(s, 0, s.length).isEmpty();
  }

  /** Number of subscriptions held. */
  public int subscriptionCount() {
    return bySubId.size();
  }

  /** Publishes routed so far. */
  public long messagesRouted() {
    return messagesRouted;
  }

  /** Each account's interest trie by account name, for monitoring; use only on this router's event loop. */
  public Map<String, SubjectTrie<?>> triesByAccount() {
    Map<String, SubjectTrie<?>> out = new java.util.TreeMap<>();
    accounts.forEach((name, a) -> out.put(name, a.trie));
    return out;
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
