package io.tern.stream;

import io.vertx.core.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream service's one RocksDB: column family {@code messages} (key: stream id and sequence,
 * both 8-byte big-endian) and {@code meta} (stream configurations and last-sequence records).
 *
 * <p>Group commit: every write of one event-loop turn goes into one {@link WriteBatch}; at the end
 * of the turn the batch is queued to a single sync thread, which writes everything queued since its
 * last round and syncs the WAL once (on the last write of the round). Only then are the round's
 * {@link #afterCommit} actions (PubAcks, API responses) run, on the owning context, in order. While a
 * round syncs, the event loop keeps filling the next batch, so the sync rate, not the message rate,
 * bounds the number of fsyncs.
 *
 * <p>Every value goes through the store's {@link ValueCodec} (plain or encrypting); keys stay
 * plain (stream ids, sequences, and stream names, as nats-server keeps them in directory names).
 * Erasure ({@link #erase}) deletes, then, once the deletion is written, has a {@link RangeEraser}
 * drop, flush and compact until no SST or WAL file still holds the erased bytes.
 */
public final class RocksStorage implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);
  private static final byte[] STREAM_PREFIX = "s:".getBytes(StandardCharsets.UTF_8);
  private static final byte[] STATE_PREFIX = "t:".getBytes(StandardCharsets.UTF_8);
  private static final String CONSUMER_PREFIX = "c:";
  private static final String CONSUMER_STATE_PREFIX = "o:";

  /** A stream configuration found at startup. */
  public record Recovered(long id, String json, long lastSeq, long lastTimestamp, RocksStreamStore store) {
  }

  /** A durable consumer found at startup: its stream's id, name, configuration record and state. */
  public record RecoveredConsumer(long streamId, String name, String json, byte[] state) {
  }

  /** One turn's writes and what waits for them. */
  private static final class Unit {
    final WriteBatch batch = new WriteBatch();
    final List<Runnable> after = new ArrayList<>();
    final List<RocksStreamStore> pendingStores = new ArrayList<>();
    final List<Long> pendingSeqs = new ArrayList<>();
    final Set<RocksStreamStore> dirtyState = new LinkedHashSet<>();
    final List<byte[][]> eraseRanges = new ArrayList<>();
    final java.util.Map<String, java.util.function.Supplier<byte[]>> dirtyConsumers = new java.util.LinkedHashMap<>();
    boolean forceSync;
  }

  static {
    RocksDB.loadLibrary(); // before STOP: a WriteBatch needs the native library
  }

  private static final Unit STOP = new Unit();

  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final ColumnFamilyOptions messageOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle messages;
  private final WriteOptions syncWrite;
  private final WriteOptions plainWrite;
  private final boolean syncEachCommit;
  private final ValueCodec codec;
  private final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
  private final Thread syncer;
  private final RangeEraser eraser;
  private final DirectMessagePut plainPut = new DirectMessagePut();
  private Context context;
  private Unit current;
  private int inFlight;
  private long maxId;

  private RocksStorage(Path dir, boolean syncEachCommit, ValueCodec codec) throws RocksDBException {
    this.syncEachCommit = syncEachCommit;
    this.codec = codec;
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions();
    messageOptions = MessageFamilyOptions.create();
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor("messages".getBytes(StandardCharsets.UTF_8), messageOptions));
    handles = new ArrayList<>();
    db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    meta = handles.get(1);
    messages = handles.get(2);
    syncWrite = new WriteOptions().setSync(true);
    plainWrite = new WriteOptions();
    eraser = new RangeEraser(db, messages, handles);
    syncer = new Thread(this::syncLoop, "tern-js-sync");
    syncer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the database under {@code storeDir}. Blocking.
   *
   * @param syncEachCommit false only when the operator relaxed durability ({@code sync_interval})
   */
  public static RocksStorage open(Path storeDir, boolean syncEachCommit) {
    return open(storeDir, syncEachCommit, ValueCodec.PLAIN);
  }

  /**
   * Opens the database with {@code codec} for its values, after checking (read-only) that the
   * store is encrypted as configured. Blocking.
   *
   * @throws StoreKeyException when the store does not match the configured encryption
   */
  public static RocksStorage open(Path storeDir, boolean syncEachCommit, ValueCodec codec) {
    Path dir = storeDir.resolve("rocksdb");
    StoreKeyCheck.Outcome outcome = StoreKeyCheck.check(dir, codec);
    try {
      Files.createDirectories(dir);
      RocksStorage storage = new RocksStorage(dir, syncEachCommit, codec);
      if (outcome == StoreKeyCheck.Outcome.WRITE_RECORD) {
        storage.db.put(storage.handles.get(0), storage.syncWrite, StoreKeyCheck.KEY, StoreKeyCheck.record(codec));
      }
      return storage;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the JetStream store in " + storeDir + ": " + e.getMessage(), e);
    }
  }

  /** Binds to the owning verticle's context and starts the sync thread. */
  public void bind(Context owner) {
    this.context = owner;
    syncer.start();
  }

  /** Whether {@link #bind} has been called. */
  public boolean isBound() {
    return context != null;
  }

  /** Every stream stored, with its last-sequence record. Call before any write. */
  public List<Recovered> recover() {
    List<Recovered> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seek(STREAM_PREFIX); it.isValid() && startsWith(it.key(), STREAM_PREFIX); it.next()) {
        String json = new String(codec.open(ValueCodec.STORE_SCOPE, it.key(), it.value()), StandardCharsets.UTF_8);
        long id = new io.vertx.core.json.JsonObject(json).getLong("id");
        maxId = Math.max(maxId, id);
        byte[] stateKey = stateKey(id);
        byte[] state = db.get(meta, stateKey);
        long lastSeq = 0;
        long lastTs = 0;
        if (state != null) {
          ByteBuffer b = ByteBuffer.wrap(codec.open(id, stateKey, state));
          lastSeq = b.getLong();
          lastTs = b.getLong();
        }
        String key = new String(it.key(), StandardCharsets.UTF_8);
        out.add(new Recovered(id, json, lastSeq, lastTs, new RocksStreamStore(this, id, key)));
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the JetStream store: " + e.getMessage(), e);
    }
    return out;
  }

  /** Every durable consumer stored (after {@link #recover()}). */
  public List<RecoveredConsumer> recoverConsumers() {
    List<RecoveredConsumer> out = new ArrayList<>();
    byte[] prefix = CONSUMER_PREFIX.getBytes(StandardCharsets.UTF_8);
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String key = new String(it.key(), StandardCharsets.UTF_8);
        String rest = key.substring(CONSUMER_PREFIX.length());
        int colon = rest.indexOf(':');
        long streamId = Long.parseLong(rest.substring(0, colon));
        String name = rest.substring(colon + 1);
        byte[] stateKey = (CONSUMER_STATE_PREFIX + rest).getBytes(StandardCharsets.UTF_8);
        byte[] state = db.get(meta, stateKey);
        if (state != null) {
          state = codec.open(streamId, stateKey, state);
        }
        String json = new String(codec.open(ValueCodec.STORE_SCOPE, it.key(), it.value()), StandardCharsets.UTF_8);
        out.add(new RecoveredConsumer(streamId, name, json, state));
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the JetStream store: " + e.getMessage(), e);
    }
    return out;
  }

  /** Records a durable consumer's configuration (create, update). */
  public void saveConsumerConfig(long streamId, String name, String json) {
    putMeta(CONSUMER_PREFIX + streamId + ":" + name, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The consumer's state changed: {@code state} is asked for its record once, at the end of the turn. */
  public void consumerStateChanged(long streamId, String name, java.util.function.Supplier<byte[]> state) {
    unit().dirtyConsumers.put(streamId + ":" + name, state);
  }

  /** Removes a durable consumer's configuration and state. */
  public void deleteConsumer(long streamId, String name) {
    try {
      Unit u = unit();
      String rest = streamId + ":" + name;
      u.dirtyConsumers.remove(rest);
      u.batch.delete(meta, (CONSUMER_PREFIX + rest).getBytes(StandardCharsets.UTF_8));
      u.batch.delete(meta, (CONSUMER_STATE_PREFIX + rest).getBytes(StandardCharsets.UTF_8));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A store for a new stream of {@code account}. */
  public RocksStreamStore create(String account, String name) {
    return new RocksStreamStore(this, ++maxId, "s:" + account + ":" + name);
  }

  /** Runs {@code action} on the owning context once everything written so far is durable. */
  public void afterCommit(Runnable action) {
    if (current == null && inFlight == 0) {
      action.run();
      return;
    }
    unit().after.add(action);
  }

  // ---- used by RocksStreamStore, on the owning context ----

  void put(RocksStreamStore store, StoredMessage message) {
    try {
      Unit u = unit();
      long seq = message.seq();
      if (codec != ValueCodec.PLAIN || !plainPut.put(u.batch, messages, store.id(), message)) {
        byte[] key = messageKey(store.id(), seq);
        u.batch.put(messages, key, codec.seal(store.id(), key, message.encode()));
      }
      u.pendingStores.add(store);
      u.pendingSeqs.add(seq);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void delete(long id, long seq) {
    try {
      unit().batch.delete(messages, messageKey(id, seq));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void deleteRange(long id, long from, long to) {
    try {
      unit().batch.deleteRange(messages, messageKey(id, from), messageKey(id, to));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void markStateDirty(RocksStreamStore store) {
    unit().dirtyState.add(store);
  }

  void putMeta(String key, byte[] value) {
    try {
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      unit().batch.put(meta, k, codec.seal(ValueCodec.STORE_SCOPE, k, value));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void dropStream(RocksStreamStore store) {
    try {
      Unit u = unit();
      u.batch.deleteRange(messages, messageKey(store.id(), 0), messageKey(store.id() + 1, 0));
      // as nats-server removes a deleted stream's directory, no file keeps its messages
      u.eraseRanges.add(new byte[][] {messageKey(store.id(), 0), messageKey(store.id() + 1, 0)});
      u.batch.delete(meta, store.metaKey().getBytes(StandardCharsets.UTF_8));
      u.batch.delete(meta, stateKey(store.id()));
      u.dirtyState.remove(store);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes the removal of {@code from <= seq < to} (already deleted in this turn) physical: once
   * the turn is written, memtables are flushed and the range compacted, so the obsolete WAL and
   * SST files that held the messages are deleted.
   */
  void erase(long id, long from, long to) {
    unit().eraseRanges.add(new byte[][] {messageKey(id, from), messageKey(id, to)});
  }

  byte[] get(long id, long seq) {
    try {
      byte[] key = messageKey(id, seq);
      byte[] value = db.get(messages, key);
      return value == null ? null : codec.open(id, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void scan(long id, java.util.function.BiConsumer<Long, byte[]> action) {
    byte[] prefix = ByteBuffer.allocate(8).putLong(id).array();
    try (RocksIterator it = db.newIterator(messages)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        action.accept(ByteBuffer.wrap(it.key()).getLong(8), codec.open(id, it.key(), it.value()));
      }
    }
  }

  // ---- group commit ----

  private Unit unit() {
    if (current == null) {
      current = new Unit();
      context.runOnContext(v -> endOfTurn());
    }
    return current;
  }

  /**
   * With {@code sync_interval}: asks the sync thread to sync the WAL once everything queued so far
   * is written.
   */
  public void requestWalSync() {
    Unit u = new Unit();
    u.forceSync = true;
    inFlight++;
    queue.add(u);
  }

  /** Queues the current turn's writes now (before stopping). */
  public void endTurnNow() {
    endOfTurn();
  }

  private void endOfTurn() {
    Unit u = current;
    if (u == null) {
      return;
    }
    current = null;
    try {
      for (var e : u.dirtyConsumers.entrySet()) {
        byte[] key = (CONSUMER_STATE_PREFIX + e.getKey()).getBytes(StandardCharsets.UTF_8);
        u.batch.put(meta, key, codec.seal(consumerScope(e.getKey()), key, e.getValue().get()));
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    for (RocksStreamStore s : u.dirtyState) {
      try {
        byte[] key = stateKey(s.id());
        u.batch.put(meta, key, codec.seal(s.id(), key, s.stateRecord()));
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }
    inFlight++;
    queue.add(u);
  }

  private void syncLoop() {
    List<Unit> round = new ArrayList<>();
    while (true) {
      try {
        round.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(round);
      boolean stop = round.remove(STOP);
      Throwable failure = null;
      int lastWriting = -1;
      boolean forceSync = false;
      for (int i = 0; i < round.size(); i++) {
        if (round.get(i).batch.count() > 0) {
          lastWriting = i;
        }
        forceSync |= round.get(i).forceSync;
      }
      try {
        for (int i = 0; i <= lastWriting; i++) {
          WriteBatch b = round.get(i).batch;
          if (b.count() > 0) {
            db.write(i == lastWriting && syncEachCommit ? syncWrite : plainWrite, b);
          }
        }
        if (forceSync && !syncEachCommit) {
          db.syncWal();
        }
        compactErased(round);
      } catch (RocksDBException e) {
        failure = e;
        LOG.error("JetStream store write failed; the affected requests get no acknowledgement", e);
      }
      List<Unit> done = new ArrayList<>(round);
      round.clear();
      boolean ok = failure == null;
      if (!done.isEmpty()) {
        context.runOnContext(v -> complete(done, ok));
      }
      if (stop) {
        return;
      }
    }
  }

  private void compactErased(List<Unit> round) throws RocksDBException {
    List<byte[][]> ranges = new ArrayList<>();
    round.forEach(u -> ranges.addAll(u.eraseRanges));
    if (!ranges.isEmpty()) {
      eraser.erase(ranges);
    }
  }

  private void complete(List<Unit> done, boolean ok) {
    for (Unit u : done) {
      inFlight--;
      u.batch.close();
      for (int i = 0; i < u.pendingStores.size(); i++) {
        u.pendingStores.get(i).committed(u.pendingSeqs.get(i));
      }
      if (ok) {
        for (Runnable r : u.after) {
          r.run();
        }
      }
    }
  }

  /** Flushes what is queued, stops the sync thread and closes the database. Blocking. */
  @Override
  public void close() {
    queue.add(STOP);
    try {
      if (syncer.isAlive()) {
        syncer.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      LOG.warn("final WAL sync failed", e);
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    syncWrite.close();
    plainWrite.close();
    cfOptions.close();
    messageOptions.close();
    dbOptions.close();
  }

  /** A consumer's records are sealed with its stream's key: "<stream id>:<name>" names the stream. */
  private static long consumerScope(String streamIdAndName) {
    return Long.parseLong(streamIdAndName.substring(0, streamIdAndName.indexOf(':')));
  }

  static byte[] messageKey(long id, long seq) {
    return ByteBuffer.allocate(16).putLong(id).putLong(seq).array();
  }

  private static byte[] stateKey(long id) {
    return ByteBuffer.allocate(STATE_PREFIX.length + 8).put(STATE_PREFIX).putLong(id).array();
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
