package io.tern.gateway.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code /metrics}: a Micrometer Prometheus registry with the JVM's metrics (memory, GC, threads,
 * classes, CPU, uptime) and, named as prometheus-nats-exporter names them, a gauge per numeric
 * {@code /varz} field ({@code gnatsd_varz_in_msgs}, {@code gnatsd_varz_connections},
 * {@code gnatsd_varz_mem}, ...) and {@code /subsz} field ({@code gnatsd_subsz_num_subscriptions}, ...),
 * each labelled {@code server_id}, plus the exporter's label gauges {@code gnatsd_varz_server_name}
 * and {@code gnatsd_varz_version} ({@code value} label, always 1). The exporter treats every field
 * as a gauge, so Tern does too.
 *
 * <p>The NATS gauges read the figures gathered for the scrape in progress ({@link #scrape}); used
 * only on the monitoring verticle's event loop.
 */
final class Prometheus implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final String serverId;
  private final Set<String> registered = new HashSet<>();
  /** The figures of the scrape in progress, by metric name. */
  private Map<String, Double> current = Map.of();

  Prometheus(String serverId) {
    this.serverId = serverId;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry's text after taking the numbers of {@code varz} and {@code subsz} as the NATS gauges' values. */
  String scrape(JsonObject varz, JsonObject subsz, int closedConnections) {
    Map<String, Double> values = new java.util.HashMap<>();
    collect(values, "gnatsd_varz_", varz);
    collect(values, "gnatsd_subsz_", subsz);
    values.put("gnatsd_connz_closed_connections", (double) closedConnections);
    current = values;
    for (String name : values.keySet()) {
      if (registered.add(name)) {
        Gauge.builder(name, this, p -> p.current.getOrDefault(name, Double.NaN))
            .description(name.equals("gnatsd_connz_closed_connections")
                ? "closed connections remembered for /connz?state=closed" : name)
            .tags(Tags.of("server_id", serverId))
            .register(registry);
      }
    }
    for (String label : new String[] {"server_name", "version"}) {
      String value = varz.getString(label);
      if (value != null && registered.add(label + "=" + value)) {
        Gauge.builder("gnatsd_varz_" + label, () -> 1).description(label)
            .tags(Tags.of("server_id", serverId, "value", value)).register(registry);
      }
    }
    return registry.scrape();
  }

  private static void collect(Map<String, Double> into, String prefix, JsonObject json) {
    for (Map.Entry<String, Object> e : json) {
      if (e.getValue() instanceof Number n && !(e.getKey().equals("port") || e.getKey().equals("proto"))) {
        into.put(prefix + e.getKey(), n.doubleValue());
      }
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
