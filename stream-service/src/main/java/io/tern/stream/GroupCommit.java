package io.tern.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream store's group commit, pipelined in two stages so that writing one group overlaps
 * the WAL sync of the previous one (as MyRocks does).
 *
 * <p>The writer thread ({@code tern-js-write}) takes every unit queued since its last round and
 * writes their batches without syncing, then hands them to the sync thread ({@code tern-js-sync}).
 * That thread takes everything handed over so far, syncs the WAL once ({@link Log#syncWal}: RocksDB
 * makes every write that returned before the sync began durable, and lets writes run while it
 * syncs) and only then completes those units, in order. So a unit completes only after a sync that
 * began after its write; the writes queued meanwhile wait for the next sync.
 *
 * <p>A write that fails fails its whole round and everything handed over with it that is not yet
 * synced. A round that erases ({@link CommitUnit#eraseRanges}) writes its last batch with a sync
 * (syncing the earlier writes too) before the erasure, which needs the deletion durable. With
 * {@code syncEachCommit} false ({@code sync_interval}) nothing syncs except for
 * {@link CommitUnit#forceSync} units, after everything queued before them is written.
 */
final class GroupCommit {

  /** What the pipeline does to the database; RocksDB's, or a test's recording fake. */
  interface Log {
    /** Writes {@code batch}; with {@code sync}, the WAL is synced (every earlier write too) before it returns. */
    void write(WriteBatch batch, boolean sync) throws RocksDBException;

    /** Syncs the WAL: every write that returned before this call began is durable when it returns. */
    void syncWal() throws RocksDBException;

    /** Makes the deleted (and synced) key ranges leave every file. */
    void erase(List<byte[][]> ranges) throws RocksDBException;
  }

  /** Receives completed units, in submission order, on the sync thread. */
  interface Completion {
    /** {@code ok} false: a write or the sync failed, so the units' replies must not be sent. */
    void completed(List<CommitUnit> units, boolean ok);
  }

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  static {
    RocksDB.loadLibrary(); // before STOP: a WriteBatch needs the native library
  }

  private static final CommitUnit STOP = new CommitUnit();

  private final Log log;
  private final boolean syncEachCommit;
  private final Completion completion;
  private final LinkedBlockingQueue<CommitUnit> queued = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<CommitUnit> written = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Thread syncer;

  /**
   * @param syncEachCommit false only when the operator relaxed durability ({@code sync_interval})
   */
  GroupCommit(Log log, boolean syncEachCommit, Completion completion) {
    this.log = log;
    this.syncEachCommit = syncEachCommit;
    this.completion = completion;
    writer = new Thread(this::writeLoop, "tern-js-write");
    writer.setDaemon(true);
    syncer = new Thread(this::syncLoop, "tern-js-sync");
    syncer.setDaemon(true);
  }

  void start() {
    writer.start();
    syncer.start();
  }

  /** Queues {@code unit}; it completes after every unit submitted before it. */
  void submit(CommitUnit unit) {
    queued.add(unit);
  }

  /** Writes, syncs and completes everything submitted, then ends both threads. Blocking, bounded. */
  void stop(long timeoutMillis) {
    queued.add(STOP);
    try {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      for (Thread t : List.of(writer, syncer)) {
        if (t.isAlive()) {
          t.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeLoop() {
    List<CommitUnit> round = new ArrayList<>();
    while (true) {
      try {
        round.add(queued.take());
      } catch (InterruptedException e) {
        return;
      }
      queued.drainTo(round);
      boolean stop = round.remove(STOP);
      write(round);
      written.addAll(round);
      round.clear();
      if (stop) {
        written.add(STOP);
        return;
      }
    }
  }

  private void write(List<CommitUnit> round) {
    int lastWriting = -1;
    boolean forceSync = false;
    List<byte[][]> eraseRanges = new ArrayList<>();
    for (int i = 0; i < round.size(); i++) {
      CommitUnit u = round.get(i);
      if (u.batch.count() > 0) {
        lastWriting = i;
      }
      forceSync |= u.forceSync;
      eraseRanges.addAll(u.eraseRanges);
    }
    boolean syncLast = syncEachCommit && !eraseRanges.isEmpty();
    try {
      for (int i = 0; i <= lastWriting; i++) {
        CommitUnit u = round.get(i);
        if (u.batch.count() > 0) {
          log.write(u.batch, syncLast && i == lastWriting);
          u.unsynced = syncEachCommit && !syncLast;
        }
      }
      if (forceSync && !syncEachCommit) {
        log.syncWal();
      }
      if (!eraseRanges.isEmpty()) {
        log.erase(eraseRanges);
      }
    } catch (RocksDBException | RuntimeException e) {
      LOG.error("JetStream store write failed; the affected requests get no acknowledgement", e);
      round.forEach(u -> u.failed = true);
    }
  }

  private void syncLoop() {
    List<CommitUnit> done = new ArrayList<>();
    while (true) {
      try {
        done.add(written.take());
      } catch (InterruptedException e) {
        return;
      }
      // Everything taken here was written before the sync below begins.
      written.drainTo(done);
      boolean stop = done.remove(STOP);
      boolean ok = true;
      boolean unsynced = false;
      for (CommitUnit u : done) {
        ok &= !u.failed;
        unsynced |= u.unsynced;
      }
      if (ok && unsynced) {
        try {
          log.syncWal();
        } catch (RocksDBException | RuntimeException e) {
          LOG.error("JetStream WAL sync failed; the affected requests get no acknowledgement", e);
          ok = false;
        }
      }
      if (!done.isEmpty()) {
        completion.completed(List.copyOf(done), ok);
      }
      done.clear();
      if (stop) {
        return;
      }
    }
  }
}
