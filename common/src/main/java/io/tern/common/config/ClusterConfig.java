package io.tern.common.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads nats-server's {@code cluster} block into {@link ClusterOptions}: {@code name},
 * {@code listen} (or {@code host} + {@code port}), {@code routes}, {@code advertise}, and Tern's
 * {@code partitions} and {@code bus_port}. Route-protocol settings that have no Hazelcast meaning
 * ({@code authorization}, {@code tls}, {@code pool_size}, ...) are accepted with a warning.
 */
final class ClusterConfig {

  private static final Set<String> IGNORED = Set.of("authorization", "tls", "no_advertise",
      "connect_retries", "pool_size", "compression", "permissions", "pinned_accounts", "accounts");

  private ClusterConfig() {}

  static void apply(Map<String, Object> block, ClusterOptions cluster, ConfigPosition position,
      List<String> warnings) {
    cluster.setEnabled(true);
    for (Map.Entry<String, Object> e : block.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      Object v = e.getValue();
      ConfigPosition at = block instanceof ConfigMap m && m.positionOf(e.getKey()) != null
          ? m.positionOf(e.getKey()) : position;
      try {
        switch (key) {
          case "name" -> cluster.setName(string(v, at, key));
          case "listen" -> cluster.setListen(v instanceof Long l ? Long.toString(l) : string(v, at, key));
          case "host", "net" -> cluster.setHost(string(v, at, key));
          case "port" -> cluster.setPort(((Long) v).intValue());
          case "advertise", "cluster_advertise" -> cluster.setAdvertise(string(v, at, key));
          case "routes" -> {
            if (!(v instanceof List<?> list)) {
              throw new ConfigException(at, "routes: expected an array");
            }
            for (Object route : list) {
              cluster.addRoute(string(route, at, key));
            }
          }
          case "partitions" -> cluster.setPartitions(positive(v, at, key));
          case "bus_port" -> cluster.setBusPort(v instanceof Long l ? l.intValue() : -1);
          default -> {
            if (IGNORED.contains(key)) {
              warnings.add(prefix(at) + "cluster field \"" + e.getKey()
                  + "\" has no meaning for Tern's Hazelcast cluster and is ignored");
            } else {
              warnings.add(prefix(at) + "unknown field \"" + e.getKey() + "\"");
            }
          }
        }
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(at, "cluster " + key + ": " + bad.getMessage());
      }
    }
  }

  private static String string(Object v, ConfigPosition at, String key) {
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(at, key + ": expected a string");
  }

  private static int positive(Object v, ConfigPosition at, String key) {
    if (v instanceof Long l && l > 0 && l <= 4096) {
      return l.intValue();
    }
    throw new ConfigException(at, key + ": expected a number from 1 to 4096");
  }

  private static String prefix(ConfigPosition at) {
    return at == null ? "" : at + ": ";
  }
}
