package io.tern.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@code storage: file} stream's messages in the shared {@link RocksStorage}. Messages written
 * but not yet committed are kept here too, so that reads see them before the sync completes.
 */
public final class RocksStreamStore implements StreamStore {
  private final RocksStorage storage;
  private final long id;
  private final String metaKey;
  private final Map<Long, StoredMessage> pending = new HashMap<>();
  private long lastSeq;
  private long lastTimestamp;

  RocksStreamStore(RocksStorage storage, long id, String metaKey) {
    this.storage = storage;
    this.id = id;
    this.metaKey = metaKey;
  }

  long id() {
    return id;
  }

  String metaKey() {
    return metaKey;
  }

  @Override
  public void store(StoredMessage message) {
    pending.put(message.seq(), message);
    storage.put(this, message);
  }

  @Override
  public StoredMessage load(long seq) {
    StoredMessage m = pending.get(seq);
    if (m != null) {
      return m;
    }
    byte[] value = storage.get(id, seq);
    return value == null ? null : StoredMessage.decode(seq, value);
  }

  @Override
  public void remove(long seq) {
    pending.remove(seq);
    storage.delete(id, seq);
  }

  @Override
  public void erase(long from, long to) {
    if (from < to) {
      storage.erase(id, from, to);
    }
  }

  @Override
  public void removeRange(long from, long to) {
    if (from >= to) {
      return;
    }
    pending.keySet().removeIf(s -> s >= from && s < to);
    storage.deleteRange(id, from, to);
  }

  @Override
  public void saveState(long lastSeq, long lastTimestamp) {
    this.lastSeq = lastSeq;
    this.lastTimestamp = lastTimestamp;
    storage.markStateDirty(this);
  }

  byte[] stateRecord() {
    return ByteBuffer.allocate(16).putLong(lastSeq).putLong(lastTimestamp).array();
  }

  @Override
  public void saveConfig(String streamJson) {
    storage.putMeta(metaKey, streamJson.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void drop() {
    pending.clear();
    storage.dropStream(this);
  }

  @Override
  public void forEach(Consumer<StoredMessage> action) {
    storage.scan(id, (seq, value) -> action.accept(StoredMessage.decode(seq, value)));
  }

  void committed(long seq) {
    pending.remove(seq);
  }
}
