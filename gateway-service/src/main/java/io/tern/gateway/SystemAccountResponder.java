package io.tern.gateway;

import io.tern.common.bus.RouterLink;
import io.tern.gateway.monitor.AccountStatz;
import io.tern.gateway.monitor.Json;
import io.tern.gateway.monitor.MonitoringEndpoints;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * This process's gateways as one server in the system account, as nats-server answers there:
 * {@code $SYS.REQ.SERVER.PING[.STATSZ|.VARZ|.CONNZ|.SUBSZ|.JSZ|.HEALTHZ|.ACCOUNTZ|.IDZ]} (and the same
 * under {@code $SYS.REQ.SERVER.<id>.}), {@code $SYS.REQ.ACCOUNT.<acc>.STATZ|CONNS|CONNZ|INFO|SUBSZ|JSZ}
 * with the account's own message and byte counts; and it publishes {@code $SYS.ACCOUNT.<acc>.CONNECT}
 * and {@code .DISCONNECT} advisories as clients come and go, and {@code $SYS.SERVER.<id>.STATSZ}
 * at nats-server's intervals. Deployed after the gateways in operator mode.
 */
public final class SystemAccountResponder extends VerticleBase implements SystemEvents {
  private static final String CONNECT_TYPE = "io.nats.server.advisory.v1.client_connect";
  private static final String DISCONNECT_TYPE = "io.nats.server.advisory.v1.client_disconnect";
  /** nats-server 2.9.10 publishes its statsz soon after start, then at doubling intervals up to 30 s. */
  private static final long FIRST_STATSZ_MS = 250;
  private static final long MAX_STATSZ_MS = 30_000;

  private final ServerState server;
  private final boolean localOnly;
  private MonitoringEndpoints endpoints;
  private RouterLink link;
  private Context ctx;
  private long seq;
  private long statszDelayMs = FIRST_STATSZ_MS;
  private long statszTimer = -1;

  public SystemAccountResponder(ServerState server, boolean localOnly) {
    this.server = server;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    ctx = context;
    endpoints = new MonitoringEndpoints(vertx, server, () -> server.options().getHttpPort());
    String nodeId = "sys-" + (localOnly ? server.serverId() : server.serverId() + "-" + UUID.randomUUID());
    link = new RouterLink(vertx, nodeId, server.options().getRouterPartitions(), localOnly);
    return link.start().compose(v -> {
      link.bindAccount(server.options().getAccounts().getSystemAccount());
      link.subscribe("$SYS.REQ.SERVER.PING", null, m -> serverRequest(m, "STATSZ"));
      link.subscribe("$SYS.REQ.SERVER.PING.*", null, m -> serverRequest(m, lastToken(m.subject())));
      link.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".*", null,
          m -> serverRequest(m, lastToken(m.subject())));
      link.subscribe("$SYS.REQ.ACCOUNT.*.*", null, this::accountRequest);
      return link.barrier();
    }).onSuccess(v -> {
      server.systemEvents = this;
      scheduleStatsz();
    });
  }

  /** {@code $SYS.SERVER.<id>.STATSZ}, on nats-server's schedule. */
  private void scheduleStatsz() {
    statszTimer = vertx.setTimer(statszDelayMs, id -> {
      statszDelayMs = Math.min(MAX_STATSZ_MS, statszDelayMs * 2);
      endpoints.json("/varz", MultiMap.caseInsensitiveMultiMap()).onSuccess(varz ->
          publish("$SYS.SERVER." + server.serverId() + ".STATSZ",
              new JsonObject().put("server", serverBlock()).put("statsz", statsz(varz))));
      scheduleStatsz();
    });
  }

  @Override
  public Future<?> stop() {
    server.systemEvents = null;
    if (statszTimer >= 0) {
      vertx.cancelTimer(statszTimer);
    }
    return link == null ? Future.succeededFuture() : link.stop();
  }

  // ---- server requests ----

  private void serverRequest(RouterLink.Message m, String kind) {
    String path = switch (kind.toUpperCase(Locale.ROOT)) {
      case "VARZ" -> "/varz";
      case "CONNZ" -> "/connz";
      case "SUBSZ" -> "/subsz";
      case "JSZ" -> "/jsz";
      case "HEALTHZ" -> "/healthz";
      case "ACCOUNTZ" -> "/accountz";
      case "STATSZ", "IDZ" -> null;
      default -> "";
    };
    if ("".equals(path)) {
      return;
    }
    if ("IDZ".equalsIgnoreCase(kind)) {
      reply(m, serverBlock().put("seq", 0));
      return;
    }
    if (path == null) {
      endpoints.json("/varz", MultiMap.caseInsensitiveMultiMap()).onSuccess(varz ->
          reply(m, new JsonObject().put("server", serverBlock()).put("statsz", statsz(varz))));
      return;
    }
    endpoints.json(path, MultiMap.caseInsensitiveMultiMap()).onSuccess(data ->
        reply(m, new JsonObject().put("server", serverBlock()).put("data", data)));
  }

  private JsonObject statsz(JsonObject varz) {
    return new JsonObject()
        .put("start", varz.getValue("start"))
        .put("mem", varz.getValue("mem"))
        .put("cores", varz.getValue("cores"))
        .put("cpu", varz.getValue("cpu"))
        .put("connections", varz.getValue("connections"))
        .put("total_connections", varz.getValue("total_connections"))
        .put("active_accounts", server.accountStatistics().values().stream().filter(s -> s.connections() > 0).count())
        .put("subscriptions", varz.getValue("subscriptions"))
        .put("sent", new JsonObject().put("msgs", varz.getValue("out_msgs")).put("bytes", varz.getValue("out_bytes")))
        .put("received", new JsonObject().put("msgs", varz.getValue("in_msgs")).put("bytes", varz.getValue("in_bytes")))
        .put("slow_consumers", varz.getValue("slow_consumers"))
        .put("active_servers", 1);
  }

  // ---- account requests ----

  private void accountRequest(RouterLink.Message m) {
    String[] t = m.subject().split("\\.");
    if (t.length != 5) {
      return;
    }
    String acc = t[3];
    switch (t[4]) {
      case "STATZ" -> {
        JsonArray entries = AccountStatz.entries(server, Set.of(acc), unused(m));
        if (!entries.isEmpty()) {
          // As nats-server: an account with no connections here gets no answer unless unused ones are asked for.
          reply(m, new JsonObject().put("server", serverBlock()).put("data", new JsonObject()
              .put("server_id", server.serverId()).put("now", Json.time(Instant.now())).put("account_statz", entries)));
        }
      }
      case "CONNS" -> {
        JsonArray entries = AccountStatz.entries(server, Set.of(acc), true);
        JsonObject e = entries.isEmpty() ? new JsonObject() : entries.getJsonObject(0);
        reply(m, new JsonObject().put("server", serverBlock()).put("acc", acc)
            .put("conns", e.getInteger("conns", 0)).put("leafnodes", 0)
            .put("total_conns", e.getLong("total_conns", 0L))
            .put("sent", e.getJsonObject("sent")).put("received", e.getJsonObject("received")));
      }
      case "CONNZ" -> reply(m, new JsonObject().put("server", serverBlock()).put("data", connz(acc)));
      case "SUBSZ" -> reply(m, new JsonObject().put("server", serverBlock()).put("data", new JsonObject()
          .put("server_id", server.serverId()).put("now", Json.time(Instant.now()))
          .put("num_subscriptions", subscriptions(acc))));
      case "INFO" -> reply(m, new JsonObject().put("server", serverBlock()).put("data", new JsonObject()
          .put("account_name", acc).put("update_time", Json.time(server.configLoadTime()))
          .put("expired", false).put("complete", true).put("jetstream_enabled", false)
          .put("leafnode_connections", 0).put("client_connections", connections(acc))
          .put("subscriptions", subscriptions(acc))
          .put("system_account", server.options().getAccounts().getSystemAccount())));
      case "JSZ" -> accountJsz(m, acc);
      default -> {
        // CLAIMS.* has six tokens and is the auth service's; other kinds are not answered.
      }
    }
  }

  /**
   * {@code $SYS.REQ.ACCOUNT.<acc>.JSZ}: nats-server's account detail (name, id, memory, storage,
   * reserved, api counters) from the account's own JetStream; an account without JetStream gets
   * nats-server's "account not found" error.
   */
  private void accountJsz(RouterLink.Message m, String acc) {
    if (!server.jetStream()) {
      accountNotFound(m, acc);
      return;
    }
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(2000);
    vertx.eventBus().<JsonObject>request(io.tern.common.bus.Addresses.STREAM_STATS,
            new JsonObject().put("account", acc), opts)
        .map(r -> r.body()).otherwise(new JsonObject()).onSuccess(st -> {
          if (!st.getBoolean("enabled", false)) {
            accountNotFound(m, acc);
            return;
          }
          JsonObject limits = st.getJsonObject("limits", new JsonObject());
          reply(m, new JsonObject()
            .put("server", serverBlock()).put("data", new JsonObject().put("name", acc).put("id", acc)
                .put("memory", st.getLong("memory", 0L)).put("storage", st.getLong("storage", 0L))
                .put("reserved_memory", reserved(limits, "max_memory"))
                .put("reserved_storage", reserved(limits, "max_storage")).put("accounts", 0).put("ha_assets", 0)
                .put("api", st.getJsonObject("api", new JsonObject().put("total", 0).put("errors", 0)))));
        });
  }

  /** nats-server reports an account's storage limits as reserved (0 when unlimited). */
  private static long reserved(JsonObject limits, String key) {
    return Math.max(0L, limits.getLong(key, 0L));
  }

  private void accountNotFound(RouterLink.Message m, String acc) {
    reply(m, new JsonObject().put("server", serverBlock()).putNull("data").put("error", new JsonObject()
        .put("code", 500).put("description", "account \"" + acc + "\" not found")));
  }

  private boolean unused(RouterLink.Message m) {
    try {
      return m.payload() != null && m.payload().length > 0
          && new JsonObject(new String(m.payload(), StandardCharsets.UTF_8)).getBoolean("unused", false);
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  /** The account's open connections here, read without synchronisation (monitoring-grade). */
  private JsonObject connz(String acc) {
    JsonArray list = new JsonArray();
    for (ClientConnection c : server.clients.values()) {
      if (acc.equals(c.account)) {
        list.add(new JsonObject().put("cid", c.cid).put("kind", "Client").put("type", "nats")
            .put("ip", c.remoteHost).put("port", c.remotePort)
            .put("start", Json.time(Instant.ofEpochMilli(c.startMillis)))
            .put("in_msgs", c.inMsgs).put("out_msgs", c.outMsgs).put("in_bytes", c.inBytes).put("out_bytes", c.outBytes)
            .put("subscriptions", c.subscriptionCount()).put("account", acc));
      }
    }
    return new JsonObject().put("server_id", server.serverId()).put("now", Json.time(Instant.now()))
        .put("num_connections", list.size()).put("total", list.size()).put("offset", 0).put("limit", 1024)
        .put("connections", list);
  }

  private int connections(String acc) {
    int n = 0;
    for (ClientConnection c : server.clients.values()) {
      n += acc.equals(c.account) ? 1 : 0;
    }
    return n;
  }

  private int subscriptions(String acc) {
    int n = 0;
    for (ClientConnection c : server.clients.values()) {
      n += acc.equals(c.account) ? c.subscriptionCount() : 0;
    }
    return n;
  }

  // ---- events ----

  @Override
  public void connected(ClientConnection c) {
    JsonObject client = client(c);
    String acc = c.account;
    ctx.runOnContext(v -> publish("$SYS.ACCOUNT." + acc + ".CONNECT", event(CONNECT_TYPE, client)));
  }

  @Override
  public void disconnected(ClientConnection c) {
    JsonObject client = client(c).put("stop", Json.time(Instant.now()));
    // nats-server's advisory counts from the client's side: "sent" is what the client published.
    JsonObject e = new JsonObject()
        .put("sent", new JsonObject().put("msgs", c.inMsgs).put("bytes", c.inBytes))
        .put("received", new JsonObject().put("msgs", c.outMsgs).put("bytes", c.outBytes))
        .put("reason", c.closeReason() == null ? "Client Closed" : c.closeReason());
    String acc = c.account;
    ctx.runOnContext(v -> {
      JsonObject ev = event(DISCONNECT_TYPE, client);
      e.forEach(f -> ev.put(f.getKey(), f.getValue()));
      publish("$SYS.ACCOUNT." + acc + ".DISCONNECT", ev);
    });
  }

  private JsonObject client(ClientConnection c) {
    JsonObject j = new JsonObject().put("start", Json.time(Instant.ofEpochMilli(c.startMillis)))
        .put("host", c.remoteHost).put("id", c.cid).put("acc", c.account);
    if (c.user != null) {
      j.put("user", c.user);
    }
    if (c.opts.name != null) {
      j.put("name", c.opts.name);
    }
    if (c.opts.lang != null) {
      j.put("lang", c.opts.lang);
    }
    if (c.opts.version != null) {
      j.put("ver", c.opts.version);
    }
    return j.put("server", server.serverName()).put("kind", "Client")
        .put("client_type", "WEBSOCKET".equals(c.connectionType()) ? "websocket" : "nats");
  }

  private JsonObject event(String type, JsonObject client) {
    return new JsonObject().put("type", type).put("id", UUID.randomUUID().toString().replace("-", ""))
        .put("timestamp", Json.time(Instant.now())).put("server", serverBlock()).put("client", client);
  }

  // ---- output ----

  private JsonObject serverBlock() {
    return new JsonObject().put("name", server.serverName()).put("host", server.options().getHost())
        .put("id", server.serverId()).put("ver", ServerState.PROTOCOL_VERSION).put("jetstream", server.jetStream())
        .put("flags", 0).put("seq", ++seq).put("time", Json.time(Instant.now()));
  }

  private void reply(RouterLink.Message m, JsonObject body) {
    if (m.reply() != null && !m.reply().isEmpty()) {
      publish(m.reply(), body);
    }
  }

  private void publish(String subject, JsonObject body) {
    link.publish(subject, null, null, body.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String lastToken(String subject) {
    return subject.substring(subject.lastIndexOf('.') + 1);
  }
}
