package io.tern.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.rocksdb.WriteBatch;

/**
 * One event-loop turn's writes to the JetStream store and what waits for them to be durable.
 * Filled on the service's context, then handed to the {@link GroupCommit} pipeline, which owns it
 * until it hands it back completed.
 */
final class CommitUnit {
  final WriteBatch batch = new WriteBatch();
  /** Replies and other actions to run once the batch is durable, in order. */
  final List<Runnable> after = new ArrayList<>();
  final List<RocksStreamStore> pendingStores = new ArrayList<>();
  final List<Long> pendingSeqs = new ArrayList<>();
  final Set<RocksStreamStore> dirtyState = new LinkedHashSet<>();
  /** Key ranges ({from, to}) deleted in this batch whose bytes must then leave every file. */
  final List<byte[][]> eraseRanges = new ArrayList<>();
  final Map<String, Supplier<byte[]>> dirtyConsumers = new LinkedHashMap<>();
  /** With {@code sync_interval}: sync the WAL once everything queued up to this unit is written. */
  boolean forceSync;

  // Set by the pipeline's writer, read by its sync stage (handed over through a blocking queue).
  /** Written without a sync: a WAL sync must begin after the write before the unit completes. */
  boolean unsynced;
  /** Its write (or an earlier one of its round) failed: it completes without its replies. */
  boolean failed;
}
