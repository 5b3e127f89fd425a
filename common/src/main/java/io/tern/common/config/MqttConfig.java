package io.tern.common.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code mqtt} block into {@link MqttOptions}, with nats-server's key names (matched
 * without regard to case) and its errors. Called from {@link ConfigLoader}.
 */
public final class MqttConfig {

  /** Keys nats-server 2.9.10 knows in the block that Tern does not act on (JetStream placement, TLS). */
  private static final Set<String> NOT_SUPPORTED = Set.of("tls", "js_domain", "stream_replicas",
      "consumer_replicas", "consumer_memory_storage", "consumer_inactive_threshold", "js_api_timeout",
      "users", "permissions");

  private MqttConfig() {}

  /**
   * Applies {@code block} to {@code mqtt}.
   *
   * @param position where the block starts, for messages
   * @param warnings receives unknown and not-supported keys
   */
  public static void apply(Map<String, Object> block, ConfigPosition position, MqttOptions mqtt,
                           List<String> warnings) {
    InactiveBlocks.checkListenerBlock("mqtt", block, position);
    for (Map.Entry<String, Object> e : block.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      Object v = e.getValue();
      ConfigPosition at = positionOf(block, e.getKey(), position);
      switch (key) {
        case "host", "net" -> mqtt.setHost(string(key, v, at));
        case "port" -> mqtt.setPort((int) (long) (Long) v);
        case "listen" -> listen(v, at, mqtt);
        case "no_auth_user" -> mqtt.setNoAuthUser(string(key, v, at));
        case "ack_wait", "ackwait" -> mqtt.setAckWait(duration(key, v, at));
        case "max_ack_pending", "max_pending", "max_inflight" -> {
          if (!(v instanceof Long n)) {
            throw new ConfigException(at, key + ": expected an integer");
          }
          if (n < 0 || n > MqttOptions.MAX_ACK_PENDING_LIMIT) {
            throw new ConfigException(at, "invalid value " + n + ", should be in [0.."
                + MqttOptions.MAX_ACK_PENDING_LIMIT + "] range");
          }
          mqtt.setMaxAckPending(n == 0 ? MqttOptions.DEFAULT_MAX_ACK_PENDING : (int) (long) n);
        }
        case "authorization", "authentication" -> mqtt.setAuthorization(authorization(v, at, warnings));
        default -> {
          String prefix = at == null ? "" : at + ": ";
          warnings.add(NOT_SUPPORTED.contains(key)
              ? prefix + "field \"" + e.getKey() + "\" is not supported yet, ignored"
              : prefix + "unknown field \"" + e.getKey() + "\"");
        }
      }
    }
  }

  private static void listen(Object v, ConfigPosition at, MqttOptions mqtt) {
    if (v instanceof Long port) {
      mqtt.setPort((int) (long) port);
      return;
    }
    String s = (String) v;
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(at, "could not parse address string \"" + s + "\"");
    }
    try {
      mqtt.setPort(Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException ex) {
      throw new ConfigException(at, "could not parse port \"" + s.substring(colon + 1) + "\"");
    }
    if (colon > 0) {
      mqtt.setHost(s.substring(0, colon));
    }
  }

  private static AuthorizationOptions authorization(Object v, ConfigPosition at, List<String> warnings) {
    if (!(v instanceof Map<?, ?> raw)) {
      throw new ConfigException(at, "authorization: expected a map");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) raw;
    AuthorizationOptions auth = new AuthorizationOptions();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      ConfigPosition kat = positionOf(map, e.getKey(), at);
      switch (key) {
        case "user", "username" -> auth.setUser(string(key, e.getValue(), kat));
        case "pass", "password" -> auth.setPassword(string(key, e.getValue(), kat));
        case "token" -> auth.setToken(string(key, e.getValue(), kat));
        case "timeout" -> {
          Object t = e.getValue();
          double seconds = t instanceof Long l ? l : t instanceof Double d ? d : 1.0;
          auth.setTimeout(Duration.ofNanos(Math.round(seconds * 1e9)));
        }
        default -> warnings.add((kat == null ? "" : kat + ": ") + "field \"" + e.getKey()
            + "\" is not supported yet, ignored");
      }
    }
    if ((auth.getUser() != null || auth.getPassword() != null) && auth.getToken() != null) {
      throw new ConfigException(at, "Cannot have a user/pass and token");
    }
    return auth;
  }

  private static String string(String key, Object v, ConfigPosition at) {
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(at, key + ": expected a string");
  }

  private static Duration duration(String key, Object v, ConfigPosition at) {
    if (v instanceof Long seconds) {
      return Duration.ofSeconds(seconds);
    }
    if (v instanceof String s) {
      try {
        return Durations.parse(s);
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(at, "error parsing " + key + ": " + ex.getMessage());
      }
    }
    throw new ConfigException(at, key + ": expected a duration string");
  }

  private static ConfigPosition positionOf(Map<String, Object> block, String key, ConfigPosition fallback) {
    ConfigPosition p = block instanceof ConfigMap m ? m.positionOf(key) : null;
    return p == null ? fallback : p;
  }
}
