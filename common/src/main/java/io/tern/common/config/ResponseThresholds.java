package io.tern.common.config;

import java.time.Duration;

/**
 * A service export's {@code response_threshold}: a Go duration string, with nats-server's texts
 * for anything else.
 */
final class ResponseThresholds {
  private ResponseThresholds() {
  }

  static Duration parse(Object value, ConfigPosition pos) {
    if (!(value instanceof String s)) {
      throw new ConfigException(pos, "Expected response threshold to be a parseable time duration, got "
          + (value instanceof Long ? "int64" : value instanceof Double ? "float64" : value instanceof Boolean ? "bool"
          : "map[string]interface {}"));
    }
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(pos, "Expected response threshold to be a parseable time duration, got \"" + s
          + "\"");
    }
  }
}
