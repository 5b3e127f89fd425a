package io.tern.stream;

import java.util.TreeMap;
import java.util.function.Consumer;

/** A {@code storage: memory} stream's messages: on the heap, gone with the process (as nats-server). */
public final class MemoryStreamStore implements StreamStore {
  private final TreeMap<Long, StoredMessage> messages = new TreeMap<>();

  @Override
  public void store(StoredMessage message) {
    messages.put(message.seq(), message);
  }

  @Override
  public StoredMessage load(long seq) {
    return messages.get(seq);
  }

  @Override
  public void remove(long seq) {
    messages.remove(seq);
  }

  @Override
  public void removeRange(long from, long to) {
    if (from < to) {
      messages.subMap(from, to).clear();
    }
  }

  @Override
  public void saveState(long lastSeq, long lastTimestamp) {
    // nothing outlives the process
  }

  @Override
  public void saveConfig(String streamJson) {
    // memory streams are not recovered, as in nats-server
  }

  @Override
  public void drop() {
    messages.clear();
  }

  @Override
  public void forEach(Consumer<StoredMessage> action) {
    messages.values().forEach(action);
  }
}
