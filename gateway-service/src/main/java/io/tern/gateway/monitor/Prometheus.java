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
import io.tern.gateway.AccountStatistics;
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
 * and {@code gnatsd_varz_version} ({@code value} label, always 1), and per account the exporter's
 * {@code gnatsd_accstatz_*} gauges ({@code current_connections}, {@code total_connections},
 * {@code subscriptions}, {@code leaf_nodes}, {@code sent_messages}, {@code sent_bytes},
 * {@code received_messages}, {@code received_bytes}, {@code slow_consumers}; labels
 * {@code server_id}, {@code account}, {@code account_id}, {@code account_name}). The exporter treats
 * every field as a gauge, so Tern does too.
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

  /**
   * The registry's text after taking the numbers of {@code varz}, {@code subsz} and the accounts'
   * statistics ({@code accounts}: every account name, {@code stats}: those with figures) as the
   * NATS gauges' values.
   */
  String scrape(JsonObject varz, JsonObject subsz, int closedConnections, Iterable<String> accounts,
                Map<String, AccountStatistics.Snapshot> stats) {
    Map<String, Double> values = new java.util.HashMap<>();
    collect(values, "gnatsd_varz_", varz);
    collect(values, "gnatsd_subsz_", subsz);
    values.put("gnatsd_connz_closed_connections", (double) closedConnections);
    for (String name : values.keySet()) {
      if (!name.contains("|") && registered.add(name)) {
        Gauge.builder(name, this, p -> p.current.getOrDefault(name, Double.NaN))
            .description(name.equals("gnatsd_connz_closed_connections")
                ? "closed connections remembered for /connz?state=closed" : name)
            .tags(Tags.of("server_id", serverId))
            .register(registry);
      }
    }
    for (String account : accounts) {
      AccountStatistics.Snapshot a = stats.get(account);
      accountGauge(values, account, "current_connections", a == null ? 0 : a.connections());
      accountGauge(values, account, "total_connections", a == null ? 0 : a.connections());
      accountGauge(values, account, "subscriptions", a == null ? 0 : a.subscriptions());
      accountGauge(values, account, "leaf_nodes", 0);
      accountGauge(values, account, "sent_messages", a == null ? 0 : a.outMsgs());
      accountGauge(values, account, "sent_bytes", a == null ? 0 : a.outBytes());
      accountGauge(values, account, "received_messages", a == null ? 0 : a.inMsgs());
      accountGauge(values, account, "received_bytes", a == null ? 0 : a.inBytes());
      accountGauge(values, account, "slow_consumers", a == null ? 0 : a.slowConsumers());
    }
    current = values;
    for (String label : new String[] {"server_name", "version"}) {
      String value = varz.getString(label);
      if (value != null && registered.add(label + "=" + value)) {
        Gauge.builder("gnatsd_varz_" + label, () -> 1).description(label)
            .tags(Tags.of("server_id", serverId, "value", value)).register(registry);
      }
    }
    return registry.scrape();
  }

  /** One account's gauge, keyed {@code name|account} until it is registered with its labels. */
  private void accountGauge(Map<String, Double> values, String account, String field, double value) {
    String name = "gnatsd_accstatz_" + field;
    String key = name + "|" + account;
    values.put(key, value);
    if (registered.add(key)) {
      Gauge.builder(name, this, p -> p.current.getOrDefault(key, Double.NaN)).description(field)
          .tags(Tags.of("server_id", serverId, "account", account, "account_id", account, "account_name", account))
          .register(registry);
    }
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
