package io.tern.gateway.monitor;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
import io.tern.common.config.ExportOptions;
import io.tern.common.config.ImportOptions;
import io.tern.gateway.AccountStatistics;
import io.tern.gateway.ServerState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /accountz} and {@code /accstatz} with nats-server 2.9.10's field names: the configured
 * accounts (plus {@code $G} and {@code $SYS}) with their exports and imports, and each account's
 * connections, subscriptions and message/byte counters from this process's gateways.
 */
final class Accountz {
  private Accountz() {
  }

  /** Every account name monitoring knows: configured, built in, or seen on a connection. */
  static TreeSet<String> names(ServerState server, Map<String, AccountStatistics.Snapshot> stats) {
    TreeSet<String> names = new TreeSet<>(List.of(AccountsOptions.GLOBAL,
        server.options().getAccounts().getSystemAccount()));
    names.addAll(server.options().getAccounts().getAccounts().keySet());
    names.addAll(stats.keySet());
    return names;
  }

  static JsonArray list(ServerState server, Map<String, AccountStatistics.Snapshot> stats) {
    return new JsonArray(List.copyOf(names(server, stats)));
  }

  /**
   * {@code account_detail} of {@code acc}. {@code sublist} is the routers' statistics of its
   * subject space (subscriptions include internal ones, such as the stream service's, as in
   * nats-server).
   */
  static JsonObject detail(ServerState server, String acc, AccountStatistics.Snapshot s, JsonObject sublist) {
    JsonObject d = new JsonObject()
        .put("account_name", acc)
        .put("update_time", Json.time(server.configLoadTime()))
        .put("expired", false)
        .put("complete", true)
        .put("jetstream_enabled", AccountsOptions.GLOBAL.equals(acc) && server.jetStream())
        .put("leafnode_connections", 0)
        .put("client_connections", s == null ? 0 : s.connections())
        .put("subscriptions", sublist.getLong("num_subscriptions", 0L));
    AccountOptions options = server.options().getAccounts().getAccounts().get(acc);
    if (options != null) {
      JsonArray exports = new JsonArray();
      for (ExportOptions e : options.getExports()) {
        exports.add(export(e));
      }
      if (!exports.isEmpty()) {
        d.put("exports", exports);
      }
      JsonArray imports = new JsonArray();
      for (ImportOptions i : options.getImports()) {
        imports.add(importJson(i));
      }
      if (!imports.isEmpty()) {
        d.put("imports", imports);
      }
    }
    return d.put("sublist_stats", sublist);
  }

  /** As nats-server 2.9.10 shows an export: no threshold, the accounts allowed as {@code approved_accounts}. */
  private static JsonObject export(ExportOptions e) {
    JsonObject j = new JsonObject().put("subject", e.subject()).put("type", e.service() ? "service" : "stream");
    if (e.service()) {
      j.put("response_type", switch (e.responseType()) {
        case "stream" -> "Streamed";
        case "chunked" -> "Chunked";
        default -> "Singleton";
      });
    }
    if (e.accounts() != null && !e.accounts().isEmpty()) {
      j.put("approved_accounts", new JsonArray(List.copyOf(e.accounts())));
    }
    return j;
  }

  /**
   * As nats-server 2.9.10 shows an import: a service by its local subject with the exporter's as
   * {@code to}; a stream by the exporter's subject with {@code local_subject} when prefixed.
   */
  private static JsonObject importJson(ImportOptions i) {
    JsonObject j = new JsonObject();
    if (i.service()) {
      j.put("subject", i.localSubject()).put("account", i.account()).put("to", i.subject());
    } else {
      j.put("subject", i.subject()).put("account", i.account());
      if (!i.localSubject().equals(i.subject())) {
        j.put("local_subject", i.localSubject());
      }
    }
    return j.put("type", i.service() ? "service" : "stream")
        .put("invalid", false).put("share", false).put("tracking", false);
  }

  /**
   * One {@code account_statz} entry: {@code sent} is what the account's clients were sent,
   * {@code received} what they published; {@code total_conns} is client plus leaf connections, as
   * in nats-server (not a running total).
   */
  static JsonObject statz(String acc, AccountStatistics.Snapshot s) {
    int conns = s == null ? 0 : s.connections();
    return new JsonObject()
        .put("acc", acc)
        .put("conns", conns)
        .put("leafnodes", 0)
        .put("total_conns", conns)
        .put("sent", new JsonObject().put("msgs", s == null ? 0 : s.outMsgs()).put("bytes", s == null ? 0 : s.outBytes()))
        .put("received", new JsonObject().put("msgs", s == null ? 0 : s.inMsgs())
            .put("bytes", s == null ? 0 : s.inBytes()))
        .put("slow_consumers", s == null ? 0 : s.slowConsumers());
  }
}
