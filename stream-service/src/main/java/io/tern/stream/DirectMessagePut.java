package io.tern.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Puts plain (unencrypted) messages into a {@link WriteBatch} through reused direct buffers: the
 * message is encoded straight into native memory, and RocksDB copies it once into the batch. The
 * {@code byte[]} path costs a heap array per message, and the JNI layer copies both arrays into
 * temporary native buffers before the batch copies them again. Owned by the stream service's event
 * loop; not thread-safe.
 */
final class DirectMessagePut {

  private final ByteBuffer key = ByteBuffer.allocateDirect(16);
  /** Larger messages take the {@code byte[]} path: their copies cost little next to their size. */
  private final ByteBuffer value = ByteBuffer.allocateDirect(64 * 1024);

  /**
   * Adds {@code message} of stream {@code streamId} to {@code batch}, as {@link StoredMessage#encode()}
   * would, unless it is larger than the buffer.
   *
   * @return false, with nothing added, for a message larger than the buffer
   */
  boolean put(WriteBatch batch, ColumnFamilyHandle family, long streamId, StoredMessage message)
      throws RocksDBException {
    byte[] subj = message.subject().getBytes(StandardCharsets.UTF_8);
    if (message.encodedSize(subj) > value.capacity()) {
      return false;
    }
    value.clear();
    message.encodeTo(subj, value);
    value.flip();
    key.clear();
    key.putLong(streamId).putLong(message.seq()).flip();
    batch.put(family, key, value);
    return true;
  }
}
