package io.tern.stream;

import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;

/**
 * RocksDB options of the {@code messages} column family, where nearly every byte the stream
 * service writes goes.
 *
 * <p>No block compression: RocksDB's default (Snappy) compresses every byte of every message when
 * a memtable is flushed and decompresses it again in every compaction, which made a 1 KiB
 * asynchronous publish cost about a third more server CPU than nats-server 2.9, whose file store
 * does not compress either. Payloads are often already compressed or encrypted (always, with
 * {@link EncryptingCodec}), where compression only costs. Files written before keep their blocks'
 * compression and stay readable: each block records its own compression type.
 */
final class MessageFamilyOptions {

  private MessageFamilyOptions() {
  }

  /** New options; the caller closes them after the database. */
  static ColumnFamilyOptions create() {
    return new ColumnFamilyOptions()
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION);
  }
}
