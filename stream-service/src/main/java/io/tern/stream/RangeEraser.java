package io.tern.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LevelMetaData;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileMetaData;

/**
 * Makes deleted key ranges of the {@code messages} column family physical, so that no SST or WAL
 * file still holds their bytes. Runs on the sync thread, after the deletions are written.
 *
 * <p>Compacting a range reads every key in it even when a range tombstone covers them all, which
 * made deleting a stream cost as much CPU as a compaction of all its messages (0.7 s for 1 GB). So
 * the SST files below level 0 that lie wholly inside a range are dropped first, unread. RocksDB
 * drops no level-0 file; when every level-0 file lies wholly inside a range (a stream written on its
 * own, then deleted), {@code promoteL0} moves them to level 1 (a manifest edit, possible because
 * sequential keys give disjoint files) and they are dropped there. ({@code compactRange} would not
 * do: it first flushes the memtable holding the range tombstone into level 0, which makes the move
 * a full compaction.) What remains (the memtables, files reaching past a range, overlapping level-0
 * files) is flushed and compacted.
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
    if (levelZeroWhollyInside(ranges)) {
      try {
        db.promoteL0(messages, 1);
        db.deleteFilesInRanges(messages, bounds, false);
      } catch (RocksDBException e) {
        // A level-0 compaction is running, or level 1 is not empty: the compaction below reads them.
      }
    }
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

  /** Whether level 0 has files and every one lies wholly inside one of {@code ranges}. */
  private boolean levelZeroWhollyInside(List<byte[][]> ranges) {
    List<SstFileMetaData> levelZero = db.getColumnFamilyMetaData(messages).levels().stream()
        .filter(l -> l.level() == 0).findFirst().map(LevelMetaData::files).orElse(List.of());
    for (SstFileMetaData f : levelZero) {
      boolean inside = false;
      for (byte[][] r : ranges) {
        inside |= Arrays.compareUnsigned(f.smallestKey(), r[0]) >= 0
            && Arrays.compareUnsigned(f.largestKey(), r[1]) < 0;
      }
      if (!inside) {
        return false;
      }
    }
    return !levelZero.isEmpty();
  }
}
