package io.tern.stream;

/**
 * Where one stream's messages live. The {@link Stream} state machine decides what to store and
 * remove; a store only keeps the bytes. Writes of one event-loop turn become durable together (see
 * {@link RocksStorage}); reads see earlier writes at once, durable or not. Callers only load
 * sequences the stream knows to exist.
 */
public interface StreamStore {

  /** Stores a new message (its sequence is above every stored one). */
  void store(StoredMessage message);

  /** The message at {@code seq}, or null when it is not there. */
  StoredMessage load(long seq);

  void remove(long seq);

  /**
   * Makes removals of {@code from <= seq < to} made so far physical: no file of the store keeps
   * their bytes once the turn is committed (erasure). Memory stores have nothing to do.
   */
  default void erase(long from, long to) {
  }

  /** Removes every message with {@code from <= seq < to}. */
  void removeRange(long from, long to);

  /** Records the last sequence and its time, which outlive the messages (after a purge). */
  void saveState(long lastSeq, long lastTimestamp);

  /** Records the configuration (JSON) so that a restart recreates the stream. */
  void saveConfig(String streamJson);

  /** Removes the stream and all it holds. */
  void drop();

  /** Reads every stored message in sequence order (recovery). */
  void forEach(java.util.function.Consumer<StoredMessage> action);
}
