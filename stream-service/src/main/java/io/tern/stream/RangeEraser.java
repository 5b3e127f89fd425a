package io.tern.stream;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Makes deleted key ranges of the {@code messages} column family physical, so that no SST or WAL
 * file still holds their bytes. Runs on the sync thread, after the deletions are written.
 *
 * <p>Compacting a range reads every key in it even when a range tombstone covers them all, which
 * made deleting a stream cost as much CPU as a compaction of all its messages (0.7 s for 1 GB). So
 * the SST files below level 0 that lie wholly inside a range are dropped first, unread; what
 * remains (level 0, where RocksDB drops no file, the memtables, files reaching past the range) is
 * flushed and compacted. Level-0 files could be moved down first, but {@code compactRange} flushes
 * the memtable holding the range tombstone into level 0 before, and the move then becomes a full
 * compaction.
 */
final class RangeEraser {

  private final RocksDB db;
  private final ColumnFamilyHandle messages;
  private final List<ColumnFamilyHandle> allFamilies;

  RangeEraser(RocksDB db, ColumnFamilyHandle messages, List<ColumnFamilyHandle> allFamilies) {
    this.db = db;
    this.messages = messages;
    this.allFamilies = allFamilies;
  }

  /** Erases {@code ranges} ({from, to} pairs of message keys, {@code to} exclusive), deleted already. */
  void erase(List<byte[][]> ranges) throws RocksDBException {
    List<byte[]> bounds = new ArrayList<>(2 * ranges.size());
    for (byte[][] r : ranges) {
      bounds.add(r[0]);
      bounds.add(r[1]);
    }
    db.deleteFilesInRanges(messages, bounds, false);
    // Every column family: a WAL file is deleted only once no memtable needs it.
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, allFamilies);
    }
    try (CompactRangeOptions compact = new CompactRangeOptions()
        .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)
        .setExclusiveManualCompaction(true)) {
      for (byte[][] r : ranges) {
        db.compactRange(messages, r[0], r[1], compact);
      }
    }
  }
}
