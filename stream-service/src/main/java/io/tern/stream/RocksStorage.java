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
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle messages;
  private final WriteOptions syncWrite;
  private final WriteOptions plainWrite;
  private final boolean syncEachCommit;
  private final LinkedBlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
  private final Thread syncer;
  private Context context;
  private Unit current;
  private int inFlight;
  private long maxId;

  private RocksStorage(Path dir, boolean syncEachCommit) throws RocksDBException {
    this.syncEachCommit = syncEachCommit;
    dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), cfOptions),
        new ColumnFamilyDescriptor("messages".getBytes(StandardCharsets.UTF_8), cfOptions));
    handles = new ArrayList<>();
    db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    meta = handles.get(1);
    messages = handles.get(2);
    syncWrite = new WriteOptions().setSync(true);
    plainWrite = new WriteOptions();
    syncer = new Thread(this::syncLoop, "tern-js-sync");
    syncer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the database under {@code storeDir}. Blocking.
   *
   * @param syncEachCommit false only when the operator relaxed durability ({@code sync_interval})
   */
  public static RocksStorage open(Path storeDir, boolean syncEachCommit) {
    try {
      Path dir = storeDir.resolve("rocksdb");
      Files.createDirectories(dir);
      return new RocksStorage(dir, syncEachCommit);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the JetStream store in " + storeDir + ": " + e.getMessage(), e);
    }
  }

  /** Binds to the owning verticle's context and starts the sync thread. */
  public void bind(Context owner) {
    this.context = owner;
    syncer.start();
  }

  /** Every stream stored, with its last-sequence record. Call before any write. */
  public List<Recovered> recover() {
    List<Recovered> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(meta)) {
      for (it.seek(STREAM_PREFIX); it.isValid() && startsWith(it.key(), STREAM_PREFIX); it.next()) {
        String json = new String(it.value(), StandardCharsets.UTF_8);
        long id = new io.vertx.core.json.JsonObject(json).getLong("id");
        maxId = Math.max(maxId, id);
        byte[] state = db.get(meta, stateKey(id));
        long lastSeq = 0;
        long lastTs = 0;
        if (state != null) {
          ByteBuffer b = ByteBuffer.wrap(state);
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
        byte[] state = db.get(meta, (CONSUMER_STATE_PREFIX + rest).getBytes(StandardCharsets.UTF_8));
        out.add(new RecoveredConsumer(streamId, name, new String(it.value(), StandardCharsets.UTF_8), state));
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

  void put(RocksStreamStore store, long seq, byte[] value) {
    try {
      Unit u = unit();
      u.batch.put(messages, messageKey(store.id(), seq), value);
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
      unit().batch.put(meta, key.getBytes(StandardCharsets.UTF_8), value);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void dropStream(RocksStreamStore store) {
    try {
      Unit u = unit();
      u.batch.deleteRange(messages, messageKey(store.id(), 0), messageKey(store.id() + 1, 0));
      u.batch.delete(meta, store.metaKey().getBytes(StandardCharsets.UTF_8));
      u.batch.delete(meta, stateKey(store.id()));
      u.dirtyState.remove(store);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] get(long id, long seq) {
    try {
      return db.get(messages, messageKey(id, seq));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void scan(long id, java.util.function.BiConsumer<Long, byte[]> action) {
    byte[] prefix = ByteBuffer.allocate(8).putLong(id).array();
    try (RocksIterator it = db.newIterator(messages)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        action.accept(ByteBuffer.wrap(it.key()).getLong(8), it.value());
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
        u.batch.put(meta, (CONSUMER_STATE_PREFIX + e.getKey()).getBytes(StandardCharsets.UTF_8), e.getValue().get());
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    for (RocksStreamStore s : u.dirtyState) {
      try {
        u.batch.put(meta, stateKey(s.id()), s.stateRecord());
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
    dbOptions.close();
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
