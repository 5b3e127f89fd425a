package io.tern.common.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks for the blocks Tern reads but does not act on yet ({@code websocket}, {@code mqtt},
 * {@code cluster}, {@code gateway}, {@code leafnodes}, {@code tls}, {@code mappings},
 * {@code accounts}): the mistakes nats-server refuses too, so that a file Tern accepts today will
 * not be refused once the feature lands. Deeper checks come with each feature.
 */
final class InactiveBlocks {

  private InactiveBlocks() {}

  /** A listener block: {@code port} must be a number and {@code listen} a port or host:port. */
  static void checkListenerBlock(String name, Map<String, Object> block, ConfigPosition position) {
    for (Map.Entry<String, Object> e : block.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      Object v = e.getValue();
      ConfigPosition at = positionOf(block, e.getKey(), position);
      if (key.equals("port") && !(v instanceof Long)) {
        throw new ConfigException(at, "interface conversion: interface {} is " + goType(v) + ", not int64");
      }
      if (key.equals("listen") && !(v instanceof Long) && !(v instanceof String)) {
        throw new ConfigException(at, name + " listen: expected port or host:port, got " + goType(v));
      }
      if (key.equals("tls")) {
        if (!(v instanceof Map)) {
          throw new ConfigException(at, "tls: expected a map");
        }
        checkTls(cast(v), at);
      }
    }
  }

  /** A TLS block needs a key file when it has a certificate file, and the other way round. */
  static void checkTls(Map<String, Object> block, ConfigPosition position) {
    boolean cert = hasKey(block, "cert_file");
    boolean key = hasKey(block, "key_file");
    ConfigPosition at = position == null ? null : new ConfigPosition(position.file(), position.line(), 0);
    if (cert && !key) {
      throw new ConfigException(at, "missing 'key_file' in TLS configuration");
    }
    if (key && !cert) {
      throw new ConfigException(at, "missing 'cert_file' in TLS configuration");
    }
  }

  /** Each mapping goes to a subject string or a list of weighted destinations. */
  static void checkMappings(Map<String, Object> block, ConfigPosition position) {
    for (Map.Entry<String, Object> e : block.entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String) && !(v instanceof List) && !(v instanceof Map)) {
        throw new ConfigException(positionOf(block, e.getKey(), position),
            "Expected an entry for the mapping destination");
      }
    }
  }

  /** {@code accounts} is a map of account name to account block (or a list in old files). */
  static void checkAccounts(Object value, ConfigPosition position) {
    if (!(value instanceof Map) && !(value instanceof List)) {
      throw new ConfigException(position, "Expected map entries for accounts");
    }
  }

  private static boolean hasKey(Map<String, Object> block, String name) {
    return block.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
  }

  private static ConfigPosition positionOf(Map<String, Object> block, String key, ConfigPosition fallback) {
    ConfigPosition p = block instanceof ConfigMap m ? m.positionOf(key) : null;
    return p == null ? fallback : p;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object v) {
    return (Map<String, Object>) v;
  }

  private static String goType(Object v) {
    if (v instanceof String) return "string";
    if (v instanceof Boolean) return "bool";
    if (v instanceof Double) return "float64";
    if (v instanceof Map) return "map[string]interface {}";
    if (v instanceof List) return "[]interface {}";
    return v == null ? "nil" : v.getClass().getSimpleName();
  }
}
