package io.tern.common.config;

import java.util.Locale;
import java.util.Map;

/**
 * An account's {@code jetstream} setting: {@code jetstream: enabled} or a block of limits
 * ({@code max_mem}, {@code max_file}, {@code max_streams}, {@code max_consumers}); -1 is unlimited,
 * as nats-server reports it in {@code $JS.API.INFO}.
 */
public final class AccountJetStreamOptions {
  private final long maxMemory;
  private final long maxStore;
  private final long maxStreams;
  private final long maxConsumers;

  public AccountJetStreamOptions(long maxMemory, long maxStore, long maxStreams, long maxConsumers) {
    this.maxMemory = maxMemory;
    this.maxStore = maxStore;
    this.maxStreams = maxStreams;
    this.maxConsumers = maxConsumers;
  }

  /** JetStream without limits. */
  public static AccountJetStreamOptions unlimited() {
    return new AccountJetStreamOptions(-1, -1, -1, -1);
  }

  public long getMaxMemory() { return maxMemory; }
  public long getMaxStore() { return maxStore; }
  public long getMaxStreams() { return maxStreams; }
  public long getMaxConsumers() { return maxConsumers; }

  /**
   * Reads an account's {@code jetstream} value; null when it disables JetStream
   * ({@code disabled}, {@code false}).
   */
  static AccountJetStreamOptions parse(Object value, ConfigPosition pos) {
    if (value instanceof Boolean b) {
      return b ? unlimited() : null;
    }
    if (value instanceof String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "enabled", "enable", "true", "yes", "on" -> unlimited();
        case "disabled", "disable", "false", "no", "off" -> null;
        default -> throw new ConfigException(pos, "Expected 'enabled' or 'disabled' for string value, got '" + s + "'");
      };
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new ConfigException(pos, "Expected map, bool or string to define JetStream");
    }
    long mem = -1;
    long store = -1;
    long streams = -1;
    long consumers = -1;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
      switch (key) {
        case "max_mem", "max_memory", "max_memory_store", "max_mem_store" -> mem = size(e.getValue(), key, pos);
        case "max_file", "max_store", "max_file_store" -> store = size(e.getValue(), key, pos);
        case "max_streams" -> streams = size(e.getValue(), key, pos);
        case "max_consumers" -> consumers = size(e.getValue(), key, pos);
        default -> throw new ConfigException(pos, "Unknown field \"" + e.getKey() + "\" parsing account JetStream");
      }
    }
    return new AccountJetStreamOptions(mem, store, streams, consumers);
  }

  private static long size(Object v, String key, ConfigPosition pos) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s && !s.isEmpty()) {
      int shift = switch (Character.toUpperCase(s.charAt(s.length() - 1))) {
        case 'K' -> 10;
        case 'M' -> 20;
        case 'G' -> 30;
        case 'T' -> 40;
        default -> -1;
      };
      try {
        return shift < 0 ? Long.parseLong(s) : Long.parseLong(s.substring(0, s.length() - 1)) << shift;
      } catch (NumberFormatException e) {
        throw new ConfigException(pos, key + ": invalid size \"" + s + "\"");
      }
    }
    throw new ConfigException(pos, key + " must be int64 or string");
  }
}
