package io.tern.stream;

import io.tern.common.config.AccountJetStreamOptions;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * One account's JetStream limits and their checks, with nats-server 2.9.10's errors: stream count
 * and consumer count, memory and file bytes reserved by streams' {@code max_bytes} at create, and
 * bytes actually stored at publish. -1 (or 0) is unlimited.
 */
final class AccountLimits {

  static final JsError MAX_STREAMS = new JsError(400, 10027, "maximum number of streams reached");
  static final JsError MAX_CONSUMERS = new JsError(400, 10026, "maximum consumers limit reached");
  static final JsError MEMORY_EXCEEDED = new JsError(500, 10028, "insufficient memory resources available");
  static final JsError STORAGE_EXCEEDED = new JsError(500, 10047, "insufficient storage resources available");
  static final JsError INSUFFICIENT_RESOURCES = new JsError(503, 10023, "insufficient resources");
  static final JsError NOT_ENABLED = new JsError(503, 10039, "JetStream not enabled for account");

  /** Replaced when an account JWT's limits change. */
  private volatile AccountJetStreamOptions options;

  AccountLimits(AccountJetStreamOptions options) {
    this.options = options == null ? AccountJetStreamOptions.unlimited() : options;
  }

  /** Applies changed limits to later checks (what is stored already stays). */
  void update(AccountJetStreamOptions changed) {
    this.options = changed == null ? AccountJetStreamOptions.unlimited() : changed;
  }

  private static boolean limited(long limit) {
    return limit > 0;
  }

  /** Before a new stream: the count, and the bytes its {@code max_bytes} would reserve. */
  void checkNewStream(Collection<Stream> existing, StreamConfig cfg) {
    if (limited(options.getMaxStreams()) && existing.size() >= options.getMaxStreams()) {
      throw MAX_STREAMS.exception();
    }
    checkReservation(existing, null, cfg);
  }

  /** Before a stream's configuration changes ({@code self} excluded from what is reserved). */
  void checkReservation(Collection<Stream> existing, Stream self, StreamConfig cfg) {
    if (cfg.maxBytes() <= 0) {
      return;
    }
    boolean memory = cfg.storage() == StreamConfig.Storage.MEMORY;
    long limit = memory ? options.getMaxMemory() : options.getMaxStore();
    if (!limited(limit)) {
      return;
    }
    long reserved = 0;
    for (Stream s : existing) {
      if (s != self && s.config().storage() == cfg.storage() && s.config().maxBytes() > 0) {
        reserved += s.config().maxBytes();
      }
    }
    if (reserved + cfg.maxBytes() > limit) {
      throw (memory ? MEMORY_EXCEEDED : STORAGE_EXCEEDED).exception();
    }
  }

  /** Whether storing {@code size} more bytes in a stream of {@code storage} stays within the limit. */
  boolean allowsPublish(Collection<Stream> existing, StreamConfig.Storage storage, long size) {
    long limit = storage == StreamConfig.Storage.MEMORY ? options.getMaxMemory() : options.getMaxStore();
    if (!limited(limit)) {
      return true;
    }
    long used = 0;
    for (Stream s : existing) {
      if (s.config().storage() == storage) {
        used += s.bytes();
      }
    }
    return used + size <= limit;
  }

  /** Before a consumer is added to an account that has {@code count} already. */
  void checkNewConsumer(long count) {
    if (limited(options.getMaxConsumers()) && count >= options.getMaxConsumers()) {
      throw MAX_CONSUMERS.exception();
    }
  }

  /** The {@code limits} object of {@code $JS.API.INFO}. */
  JsonObject toJson() {
    return new JsonObject()
        .put("max_memory", options.getMaxMemory()).put("max_storage", options.getMaxStore())
        .put("max_streams", options.getMaxStreams()).put("max_consumers", options.getMaxConsumers())
        .put("max_ack_pending", -1).put("memory_max_stream_bytes", -1).put("storage_max_stream_bytes", -1)
        .put("max_bytes_required", false);
  }
}
