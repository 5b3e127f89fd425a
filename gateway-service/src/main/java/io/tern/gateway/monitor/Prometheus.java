package io.tern.gateway.monitor;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code /metrics}: Prometheus text exposition (format 0.0.4) of the numeric {@code /varz} and
 * {@code /subsz} fields, named as prometheus-nats-exporter names them ({@code gnatsd_varz_in_msgs},
 * {@code gnatsd_subsz_num_subscriptions}, ...), each labelled with the server id.
 */
final class Prometheus {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private Prometheus() {
  }

  static String render(String serverId, JsonObject varz, JsonObject subsz, int closedConnections) {
    StringBuilder sb = new StringBuilder(4096);
    String labels = "{server_id=\"" + serverId + "\"}";
    section(sb, "gnatsd_varz_", varz, labels);
    section(sb, "gnatsd_subsz_", subsz, labels);
    sb.append("# HELP gnatsd_connz_closed_connections closed connections remembered for /connz?state=closed\n")
        .append("# TYPE gnatsd_connz_closed_connections gauge\n")
        .append("gnatsd_connz_closed_connections").append(labels).append(' ').append(closedConnections).append('\n');
    return sb.toString();
  }

  private static void section(StringBuilder sb, String prefix, JsonObject json, String labels) {
    for (Map.Entry<String, Object> e : json) {
      if (e.getValue() instanceof Number n && !(e.getKey().equals("port") || e.getKey().equals("proto"))) {
        String name = prefix + e.getKey();
        boolean counter = e.getKey().startsWith("in_") || e.getKey().startsWith("out_")
            || e.getKey().startsWith("total_") || e.getKey().equals("slow_consumers")
            || e.getKey().startsWith("num_inserts") || e.getKey().startsWith("num_removes")
            || e.getKey().startsWith("num_matches");
        sb.append("# HELP ").append(name).append(' ').append(e.getKey()).append('\n')
            .append("# TYPE ").append(name).append(counter ? " counter\n" : " gauge\n")
            .append(name).append(labels).append(' ').append(n).append('\n');
      }
    }
  }
}
