package io.tern.stream;

import io.tern.common.protocol.NatsHeaders;
import io.tern.common.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One stream as a state machine: publishes, deletes, purges and limits change its state and are
 * written through its {@link StreamStore}; the indexes needed to apply them (per-subject
 * sequences, interior deletes, the deduplication window) are kept in memory and rebuilt from the
 * store at startup. Single-threaded: the stream service's context owns it. Replication will drive
 * the same transitions from a log.
 */
public final class Stream {

  /** The outcome of a publish: a sequence (possibly a duplicate's) or an error. */
  public record PublishResult(long seq, boolean duplicate, JsError error) {
  }

  private record DedupeEntry(long seq, long timestamp) {
  }

  private final String account;
  private final long id;
  private final long created;
  private final StreamStore store;
  private StreamConfig config;
  private long firstSeq;
  private long lastSeq;
  private long lastTimestamp;
  private long messages;
  private long bytes;
  private String lastMsgId = "";
  private final TreeSet<Long> deleted = new TreeSet<>();
  private final Map<String, SeqList> subjects = new HashMap<>();
  private final LinkedHashMap<String, DedupeEntry> dedupe = new LinkedHashMap<>();
  private final TreeMap<String, Consumer> consumers = new TreeMap<>();

  public Stream(String account, long id, StreamConfig config, long created, StreamStore store) {
    this.account = account;
    this.id = id;
    this.config = config;
    this.created = created;
    this.store = store;
  }

  public String account() {
    return account;
  }

  public String name() {
    return config.name();
  }

  public long id() {
    return id;
  }

  public StreamConfig config() {
    return config;
  }

  public long created() {
    return created;
  }

  public long messages() {
    return messages;
  }

  public long bytes() {
    return bytes;
  }

  public long lastSeq() {
    return lastSeq;
  }

  /** The first sequence still stored (lastSeq + 1 when empty). */
  public long firstSeq() {
    return messages == 0 ? lastSeq + 1 : firstSeq;
  }

  /** This stream's consumers by name. */
  public TreeMap<String, Consumer> consumers() {
    return consumers;
  }

  StreamStore store() {
    return store;
  }

  /** The JSON persisted for this stream: id, creation time and configuration. */
  public String persistedJson() {
    return new JsonObject().put("id", id).put("account", account).put("created", created)
        .put("config", config.toJson()).encode();
  }

  /** Writes the configuration through the store (on create and update). */
  public void saveConfig() {
    store.saveConfig(persistedJson());
  }

  // ---------------------------------------------------------------- recovery

  /** Rebuilds the indexes from the store's messages and the persisted last-sequence record. */
  public void recover(long savedLastSeq, long savedLastTimestamp, long now) {
    rebuild(store::forEach, savedLastSeq, savedLastTimestamp, now);
  }

  /**
   * Fills this new, empty stream with a backup's messages (in sequence order) and its last
   * sequence and time; the writes go through the store as publishes do.
   */
  public void restore(List<StoredMessage> backup, long savedLastSeq, long savedLastTimestamp, long now) {
    backup.forEach(store::store);
    rebuild(backup::forEach, savedLastSeq, savedLastTimestamp, now);
    store.saveState(lastSeq, lastTimestamp);
  }

  /** A backup's description of this stream: its persisted JSON with the last sequence and time. */
  public JsonObject archiveHeader() {
    return new JsonObject(persistedJson()).put("last_seq", lastSeq).put("last_ts", lastTimestamp);
  }

  /**
   * A backup of this stream: {@code header} (from {@link #archiveHeader()}), the consumers' backup
   * records, and every stored message up to its last sequence, read from the store as it is now. Call once the store's
   * writes are committed; for a file stream it may run off the stream's context, as it only
   * reads the database.
   */
  public StreamArchive archive(JsonObject header, Map<String, JsonObject> consumerBackup) {
    long upTo = header.getLong("last_seq");
    List<StoredMessage> out = new ArrayList<>();
    store.forEach(m -> {
      if (m.seq() <= upTo) {
        out.add(m);
      }
    });
    return new StreamArchive(header, out, consumerBackup);
  }

  public long lastTimestamp() {
    return lastTimestamp;
  }

  private void rebuild(java.util.function.Consumer<java.util.function.Consumer<StoredMessage>> source,
      long savedLastSeq, long savedLastTimestamp, long now) {
    long[] prev = {0};
    long window = config.duplicateWindow();
    source.accept(m -> {
      if (messages == 0) {
        firstSeq = m.seq();
      } else {
        for (long s = prev[0] + 1; s < m.seq(); s++) {
          deleted.add(s);
        }
      }
      prev[0] = m.seq();
      index(m);
      lastSeq = m.seq();
      lastTimestamp = m.timestamp();
      String msgId = m.headers() == null ? null : NatsHeaders.parse(m.headers()).get("Nats-Msg-Id");
      lastMsgId = msgId == null ? "" : msgId;
      if (msgId != null && !msgId.isEmpty() && m.timestamp() + window > now) {
        dedupe.put(msgId, new DedupeEntry(m.seq(), m.timestamp()));
      }
    });
    if (savedLastSeq > lastSeq) {
      if (messages > 0) {
        for (long s = lastSeq + 1; s <= savedLastSeq; s++) {
          deleted.add(s);
        }
      }
      lastSeq = savedLastSeq;
      lastTimestamp = savedLastTimestamp;
    }
    if (messages == 0 && lastSeq > 0) {
      firstSeq = lastSeq + 1;
    }
  }

  private void index(StoredMessage m) {
    subjects.computeIfAbsent(m.subject(), k -> new SeqList()).add(m.seq());
    messages++;
    bytes += size(m);
  }

  private long size(StoredMessage m) {
    return config.storage() == StreamConfig.Storage.FILE ? m.fileSize() : m.memorySize();
  }

  // ---------------------------------------------------------------- publish

  /** Applies one publish with nats-server's checks, in its order. */
  public PublishResult publish(String subject, byte[] headerBytes, byte[] payload, long now) {
    StreamConfig c = config;
    if (c.sealed()) {
      return error(JsError.SEALED);
    }
    NatsHeaders hdrs = headerBytes == null ? null : NatsHeaders.parse(headerBytes);
    String msgId = null;
    boolean rollupSub = false;
    boolean rollupAll = false;
    if (hdrs != null) {
      msgId = hdrs.get("Nats-Msg-Id");
      if (msgId != null && !msgId.isEmpty()) {
        expireDedupe(now);
        DedupeEntry d = dedupe.get(msgId);
        if (d != null) {
          return new PublishResult(d.seq(), true, null);
        }
      }
      String expStream = hdrs.get("Nats-Expected-Stream");
      if (expStream != null && !expStream.isEmpty() && !expStream.equals(c.name())) {
        return error(JsError.EXPECTED_STREAM);
      }
      String expLast = hdrs.get("Nats-Expected-Last-Sequence");
      if (expLast != null && !expLast.isEmpty() && parseSeq(expLast) != lastSeq) {
        return error(JsError.wrongLastSequence(lastSeq));
      }
      String expLastId = hdrs.get("Nats-Expected-Last-Msg-Id");
      if (expLastId != null && !expLastId.isEmpty() && !expLastId.equals(lastMsgId)) {
        return error(JsError.wrongLastMsgId(lastMsgId));
      }
      String expSubj = hdrs.get("Nats-Expected-Last-Subject-Sequence");
      if (expSubj != null && !expSubj.isEmpty()) {
        SeqList l = subjects.get(subject);
        long last = l == null || l.size() == 0 ? 0 : l.last();
        if (parseSeq(expSubj) != last) {
          return error(JsError.wrongLastSequence(last));
        }
      }
      String rollup = hdrs.get("Nats-Rollup");
      if (rollup != null && !rollup.isEmpty()) {
        if (!c.allowRollupHdrs()) {
          return error(JsError.ROLLUP_NOT_PERMITTED);
        }
        switch (rollup) {
          case "sub" -> rollupSub = true;
          case "all" -> rollupAll = true;
          default -> {
            return error(new JsError(400, 10003, "rollup value invalid: \"" + rollup + "\""));
          }
        }
      }
    }
    int hdrLen = headerBytes == null ? 0 : headerBytes.length;
    if (c.maxMsgSize() >= 0 && (long) hdrLen + payload.length > c.maxMsgSize()) {
      return error(JsError.MESSAGE_TOO_BIG);
    }
    StoredMessage m = new StoredMessage(lastSeq + 1, subject, headerBytes, payload, now);
    if (c.discard() == StreamConfig.Discard.NEW && !rollupAll) {
      if (c.maxMsgs() > 0 && messages >= c.maxMsgs()) {
        return error(JsError.storeFailed("maximum messages exceeded"));
      }
      if (c.maxBytes() > 0 && bytes + size(m) > c.maxBytes()) {
        return error(JsError.storeFailed("maximum bytes exceeded"));
      }
      if (c.discardNewPerSubject() && c.maxMsgsPerSubject() > 0 && !rollupSub) {
        SeqList l = subjects.get(subject);
        if (l != null && l.size() >= c.maxMsgsPerSubject()) {
          return error(JsError.storeFailed("maximum messages per subject exceeded"));
        }
      }
    }
    if (c.retention() == StreamConfig.Retention.INTEREST && !hasInterest(subject)) {
      return skip(m.seq(), msgId, now);
    }
    store.store(m);
    if (messages == 0) {
      firstSeq = m.seq();
      deleted.clear();
    }
    index(m);
    lastSeq = m.seq();
    lastTimestamp = now;
    lastMsgId = msgId == null ? "" : msgId;
    if (msgId != null && !msgId.isEmpty()) {
      dedupe.put(msgId, new DedupeEntry(m.seq(), now));
    }
    store.saveState(lastSeq, lastTimestamp);
    if (rollupAll) {
      removeBelow(m.seq());
    } else if (rollupSub) {
      SeqList l = subjects.get(subject);
      while (l.size() > 1) {
        removeSeq(l.first());
      }
    }
    enforceSubjectLimit(subject);
    enforceTotalLimits();
    if (exists(m.seq())) {
      for (Consumer o : consumers.values()) {
        o.onAppend(m);
      }
    }
    return new PublishResult(m.seq(), false, null);
  }

  /** An interest stream without an interested consumer takes the sequence but stores nothing. */
  private PublishResult skip(long seq, String msgId, long now) {
    if (messages > 0) {
      deleted.add(seq);
    }
    lastSeq = seq;
    lastTimestamp = now;
    lastMsgId = msgId == null ? "" : msgId;
    if (msgId != null && !msgId.isEmpty()) {
      dedupe.put(msgId, new DedupeEntry(seq, now));
    }
    store.saveState(lastSeq, lastTimestamp);
    return new PublishResult(seq, false, null);
  }

  private boolean hasInterest(String subject) {
    for (Consumer o : consumers.values()) {
      if (o.matches(subject)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A consumer acknowledged {@code seq}: a work queue forgets it at once, an interest stream once
   * no other consumer still needs it.
   */
  public void acked(Consumer by, long seq) {
    if (config.retention() == StreamConfig.Retention.LIMITS || !exists(seq)) {
      return;
    }
    if (config.retention() == StreamConfig.Retention.INTEREST) {
      StoredMessage m = store.load(seq);
      if (m == null) {
        return;
      }
      for (Consumer o : consumers.values()) {
        if (o != by && o.needsAck(seq, m.subject())) {
          return;
        }
      }
    }
    removeSeq(seq);
  }

  /**
   * After a consumer of an interest stream went away: removes the messages no remaining consumer
   * needs (bounded by the stream's size, run once per delete).
   */
  public void dropUnneeded() {
    if (config.retention() != StreamConfig.Retention.INTEREST || messages == 0) {
      return;
    }
    for (long seq = firstSeq; seq <= lastSeq; seq++) {
      if (!exists(seq)) {
        continue;
      }
      StoredMessage m = store.load(seq);
      boolean needed = false;
      for (Consumer o : consumers.values()) {
        if (o.needsAck(seq, m.subject())) {
          needed = true;
          break;
        }
      }
      if (!needed) {
        removeSeq(seq);
      }
    }
  }

  private static PublishResult error(JsError e) {
    return new PublishResult(0, false, e);
  }

  private static long parseSeq(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void expireDedupe(long now) {
    long window = config.duplicateWindow();
    Iterator<DedupeEntry> it = dedupe.values().iterator();
    while (it.hasNext()) {
      DedupeEntry e = it.next();
      if (e.timestamp() + window > now) {
        break;
      }
      it.remove();
    }
  }

  // ---------------------------------------------------------------- limits

  private void enforceSubjectLimit(String subject) {
    long max = config.maxMsgsPerSubject();
    if (max > 0) {
      SeqList l = subjects.get(subject);
      while (l != null && l.size() > max) {
        removeSeq(l.first());
        l = subjects.get(subject);
      }
    }
  }

  private void enforceTotalLimits() {
    StreamConfig c = config;
    while (c.maxMsgs() > 0 && messages > c.maxMsgs()) {
      removeSeq(firstSeq);
    }
    while (c.maxBytes() > 0 && bytes > c.maxBytes() && messages > 0) {
      removeSeq(firstSeq);
    }
  }

  /** Removes messages older than {@code max_age}; returns how many. Also expires dedupe entries. */
  public long expire(long now) {
    expireDedupe(now);
    long maxAge = config.maxAge();
    if (maxAge <= 0) {
      return 0;
    }
    long removed = 0;
    while (messages > 0) {
      StoredMessage m = store.load(firstSeq);
      if (m == null || m.timestamp() + maxAge > now) {
        break;
      }
      removeSeq(firstSeq);
      removed++;
    }
    return removed;
  }

  /** Replaces the configuration (already validated) and applies its limits at once. */
  public void update(StreamConfig next) {
    this.config = next;
    saveConfig();
    if (next.maxMsgsPerSubject() > 0) {
      for (String s : new ArrayList<>(subjects.keySet())) {
        enforceSubjectLimit(s);
      }
    }
    enforceTotalLimits();
  }

  // ---------------------------------------------------------------- removal

  private boolean exists(long seq) {
    return messages > 0 && seq >= firstSeq && seq <= lastSeq && !deleted.contains(seq);
  }

  /** Removes one message; false when it is not there. */
  private boolean removeSeq(long seq) {
    if (!exists(seq)) {
      return false;
    }
    StoredMessage m = store.load(seq);
    if (m == null) {
      return false;
    }
    SeqList l = subjects.get(m.subject());
    if (l != null) {
      l.remove(seq);
      if (l.size() == 0) {
        subjects.remove(m.subject());
      }
    }
    messages--;
    bytes -= size(m);
    store.remove(seq);
    for (Consumer o : consumers.values()) {
      o.onRemoved(seq, m.subject());
    }
    if (messages == 0) {
      firstSeq = lastSeq + 1;
      deleted.clear();
    } else if (seq == firstSeq) {
      firstSeq++;
      while (deleted.remove(firstSeq)) {
        firstSeq++;
      }
    } else {
      deleted.add(seq);
    }
    return true;
  }

  private long removeBelow(long seq) {
    long removed = 0;
    while (messages > 0 && firstSeq < seq) {
      if (removeSeq(firstSeq)) {
        removed++;
      }
    }
    return removed;
  }

  /** STREAM.MSG.DELETE without erasure ({@code no_erase: true}). */
  public void deleteMessage(long seq) {
    deleteMessage(seq, false);
  }

  /**
   * STREAM.MSG.DELETE; with {@code erase} ({@code no_erase} false, the default) the store keeps no
   * copy of the message's bytes once the deletion is committed.
   */
  public void deleteMessage(long seq, boolean erase) {
    if (config.sealed()) {
      throw JsError.SEALED.exception();
    }
    if (config.denyDelete()) {
      throw JsError.DELETE_NOT_PERMITTED.exception();
    }
    if (!removeSeq(seq)) {
      // nats-server's file store reports sequences outside the stream as store errors (10057)
      if (config.storage() == StreamConfig.Storage.FILE && (seq < firstSeq || messages == 0 && seq <= lastSeq)) {
        throw new JsError(500, 10057, "no message found").exception();
      }
      if (config.storage() == StreamConfig.Storage.FILE && seq > lastSeq) {
        throw new JsError(500, 10057, "stream store EOF").exception();
      }
      throw JsError.sequenceNotFound(seq).exception();
    }
    if (erase) {
      store.erase(seq, seq + 1);
    }
  }

  /** STREAM.PURGE: everything, or a subject filter, below a sequence, or all but the last few. */
  public long purge(String filter, long upToSeq, long keep) {
    return purge(filter, upToSeq, keep, false);
  }

  /** STREAM.PURGE; with {@code erase} the purged messages' bytes leave the store files too. */
  public long purge(String filter, long upToSeq, long keep, boolean erase) {
    long from = firstSeq;
    long purged = purgeMessages(filter, upToSeq, keep);
    if (erase && purged > 0) {
      store.erase(from, Math.min(lastSeq, upToSeq > 0 ? upToSeq - 1 : lastSeq) + 1);
    }
    long first = firstSeq();
    for (Consumer o : consumers.values()) {
      o.onPurged(first);
    }
    return purged;
  }

  private long purgeMessages(String filter, long upToSeq, long keep) {
    if (config.sealed()) {
      throw JsError.SEALED.exception();
    }
    if (config.denyPurge()) {
      throw JsError.PURGE_NOT_PERMITTED.exception();
    }
    boolean all = filter == null || filter.isEmpty() || filter.equals(">");
    if (all) {
      if (upToSeq > 0) {
        return removeBelow(upToSeq);
      }
      if (keep > 0) {
        return keep >= messages ? 0 : removeCount(messages - keep);
      }
      long purged = messages;
      store.removeRange(firstSeq, lastSeq + 1);
      messages = 0;
      bytes = 0;
      subjects.clear();
      deleted.clear();
      firstSeq = lastSeq + 1;
      consumers.values().forEach(Consumer::invalidatePending);
      return purged;
    }
    List<Long> seqs = new ArrayList<>();
    for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
      if (Subjects.matches(e.getKey(), filter)) {
        SeqList l = e.getValue();
        for (int i = 0; i < l.size(); i++) {
          seqs.add(l.get(i));
        }
      }
    }
    seqs.sort(null);
    if (upToSeq > 0) {
      seqs.removeIf(s -> s >= upToSeq);
    }
    int n = seqs.size();
    if (keep > 0) {
      n = keep >= n ? 0 : (int) (n - keep);
    }
    long purged = 0;
    for (int i = 0; i < n; i++) {
      if (removeSeq(seqs.get(i))) {
        purged++;
      }
    }
    return purged;
  }

  private long removeCount(long count) {
    long removed = 0;
    while (removed < count && messages > 0) {
      removeSeq(firstSeq);
      removed++;
    }
    return removed;
  }

  /** Removes the stream's data for good. */
  public void drop() {
    store.drop();
  }

  // ---------------------------------------------------------------- reads

  /** The message at {@code seq}, or null. */
  public StoredMessage get(long seq) {
    return exists(seq) ? store.load(seq) : null;
  }

  /** The last message whose subject matches {@code filter}, or null. */
  public StoredMessage lastBySubject(String filter) {
    long best = -1;
    if (Subjects.isLiteral(filter)) {
      SeqList l = subjects.get(filter);
      if (l != null && l.size() > 0) {
        best = l.last();
      }
    } else {
      for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
        if (Subjects.matches(e.getKey(), filter) && e.getValue().last() > best) {
          best = e.getValue().last();
        }
      }
    }
    return best < 0 ? null : store.load(best);
  }

  /** The first message at or after {@code from} whose subject matches {@code filter}, or null. */
  public StoredMessage nextBySubject(String filter, long from) {
    long best = -1;
    if (Subjects.isLiteral(filter)) {
      SeqList l = subjects.get(filter);
      if (l != null && l.size() > 0) {
        best = l.ceiling(from);
      }
    } else {
      for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
        if (Subjects.matches(e.getKey(), filter)) {
          long s = e.getValue().ceiling(from);
          if (s >= 0 && (best < 0 || s < best)) {
            best = s;
          }
        }
      }
    }
    return best < 0 ? null : store.load(best);
  }

  /** The first sequence at or after {@code from} whose subject matches {@code filter}, or -1. */
  public long nextSeqMatching(String filter, long from) {
    long best = -1;
    if (Subjects.isLiteral(filter)) {
      SeqList l = subjects.get(filter);
      return l == null || l.size() == 0 ? -1 : l.ceiling(from);
    }
    for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
      if (Subjects.matches(e.getKey(), filter)) {
        long s = e.getValue().ceiling(from);
        if (s >= 0 && (best < 0 || s < best)) {
          best = s;
        }
      }
    }
    return best;
  }

  /** How many stored messages have a sequence {@code >= from} and match one of {@code filters} (empty: all). */
  public long countFrom(long from, List<String> filters) {
    if (messages == 0 || from > lastSeq) {
      return 0;
    }
    if (filters.isEmpty()) {
      if (from <= firstSeq) {
        return messages;
      }
      return lastSeq - from + 1 - deleted.subSet(from, true, lastSeq, true).size();
    }
    long n = 0;
    for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
      if (matchesAny(e.getKey(), filters)) {
        n += e.getValue().countFrom(from);
      }
    }
    return n;
  }

  /** The last sequence of every subject matching {@code filters}, ascending (deliver last per subject). */
  public long[] lastSeqsPerSubject(List<String> filters) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
      if (filters.isEmpty() || matchesAny(e.getKey(), filters)) {
        out.add(e.getValue().last());
      }
    }
    return out.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** The first sequence stored at or after {@code nanos}; lastSeq + 1 when there is none. */
  public long seqFromTime(long nanos) {
    for (long seq = firstSeq(); seq <= lastSeq; seq++) {
      if (exists(seq)) {
        StoredMessage m = store.load(seq);
        if (m != null && m.timestamp() >= nanos) {
          return seq;
        }
      }
    }
    return lastSeq + 1;
  }

  private static boolean matchesAny(String subject, List<String> filters) {
    for (String f : filters) {
      if (Subjects.matches(subject, f)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- info

  /** The {@code state} object of stream info. */
  public JsonObject stateJson(boolean deletedDetails, String subjectsFilter) {
    long firstTs = 0;
    if (messages > 0) {
      StoredMessage first = store.load(firstSeq);
      firstTs = first == null ? 0 : first.timestamp();
    }
    JsonObject s = new JsonObject()
        .put("messages", messages)
        .put("bytes", bytes)
        .put("first_seq", firstSeq)
        .put("first_ts", Rfc3339.format(firstTs))
        .put("last_seq", lastSeq)
        .put("last_ts", Rfc3339.format(lastTimestamp));
    if (!subjects.isEmpty()) {
      s.put("num_subjects", subjects.size());
    }
    Map<String, Long> counts = subjectCounts(subjectsFilter);
    if (counts != null && !counts.isEmpty()) {
      JsonObject c = new JsonObject();
      counts.forEach(c::put);
      s.put("subjects", c);
    }
    if (!deleted.isEmpty()) {
      s.put("num_deleted", deleted.size());
      if (deletedDetails) {
        s.put("deleted", new JsonArray(new ArrayList<>(deleted)));
      }
    }
    return s.put("consumer_count", consumers.size());
  }

  /** Message counts of the subjects matching {@code filter} (null filter: null). */
  public Map<String, Long> subjectCounts(String filter) {
    if (filter == null || filter.isEmpty()) {
      return null;
    }
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, SeqList> e : subjects.entrySet()) {
      if (Subjects.matches(e.getKey(), filter)) {
        out.put(e.getKey(), (long) e.getValue().size());
      }
    }
    return out;
  }

  /** Whether any of this stream's subjects can match a message on {@code subject}. */
  public boolean captures(String subject) {
    for (String s : config.subjects()) {
      if (SubjectOverlap.overlaps(s, subject)) {
        return true;
      }
    }
    return false;
  }
}
