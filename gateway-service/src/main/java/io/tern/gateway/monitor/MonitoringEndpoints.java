package io.tern.gateway.monitor;

import io.tern.gateway.WebPage;

import io.tern.common.bus.Addresses;
import io.tern.common.config.AccountsOptions;
import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.GatewayVerticle;
import io.tern.gateway.ServerState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * nats-server's monitoring endpoints: {@code /varz}, {@code /connz}, {@code /subsz}
 * ({@code /subscriptionsz}), {@code /accountz}, {@code /accstatz}, {@code /jsz}, {@code /healthz},
 * {@code /routez}, {@code /gatewayz}, {@code /leafz}, plus {@code /metrics} (Prometheus), all under
 * {@code http_base_path}.
 *
 * <p>Connection state is copied on each gateway's own event loop and the routers' trie statistics
 * are asked of each partition over the event bus, so nothing here reads another loop's live state.
 */
public final class MonitoringEndpoints {

  private static final long GATHER_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final ServerState server;
  private final IntSupplier httpPort;
  private final String basePath;
  /** Requests per endpoint; touched only on the monitoring verticle's event loop. */
  private final Map<String, Long> httpReqStats = new TreeMap<>();
  private final Prometheus prometheus;

  public MonitoringEndpoints(Vertx vertx, ServerState server, IntSupplier httpPort) {
    this.vertx = vertx;
    this.server = server;
    this.httpPort = httpPort;
    this.prometheus = new Prometheus(server.serverId());
    String base = server.options().getHttpBasePath();
    base = base == null ? "" : base.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.basePath = base.isEmpty() || base.startsWith("/") ? base : "/" + base;
  }

  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (!basePath.isEmpty()) {
      if (!path.startsWith(basePath)) {
        notFound(req);
        return;
      }
      path = path.substring(basePath.length());
      if (path.isEmpty()) {
        path = "/";
      }
    }
    if (path.equals("/") && !req.params().contains("json")) {
      WebPage.serveIndex(req);
      return;
    }
    if (path.startsWith(WebPage.ASSETS)) {
      WebPage.serve(req, path);
      return;
    }
    Query q = new Query(req.params());
    Future<?> answer;
    // Counted before it is served, as nats-server does: a /varz shows itself in http_req_stats.
    httpReqStats.merge(path, 1L, Long::sum);
    try {
      answer = answer(path, q);
    } catch (BadRequest e) {
      badRequest(req, e.getMessage());
      return;
    }
    if (answer == null) {
      httpReqStats.computeIfPresent(path, (p, n) -> n > 1 ? n - 1 : null);
      notFound(req);
      return;
    }
    answer.onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof BadRequest e) {
          badRequest(req, e.getMessage());
        } else {
          req.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
              .end(String.valueOf(ar.cause().getMessage()));
        }
        return;
      }
      Object body = ar.result();
      if (body instanceof Healthz.Health h) {
        req.response().setStatusCode(h.status()).putHeader("Content-Type", "application/json").end(h.json().encode());
      } else if (body instanceof JsonObject json) {
        req.response().putHeader("Content-Type", "application/json").end(json.encodePrettily());
      } else if (body instanceof Html html) {
        req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html.text);
      } else {
        req.response().putHeader("Content-Type", Prometheus.CONTENT_TYPE).end(String.valueOf(body));
      }
    });
  }

  /**
   * The JSON of endpoint {@code path} ({@code /varz}, {@code /connz}, ...) for {@code params}, as
   * the system account's {@code $SYS.REQ.SERVER.PING.*} requests ask for it; null when unknown.
   */
  public Future<JsonObject> json(String path, MultiMap params) {
    Future<?> answer = answer(path, new Query(params));
    return answer == null ? null : answer.map(body -> body instanceof Healthz.Health h ? h.json()
        : body instanceof JsonObject j ? j : new JsonObject());
  }

  private Future<?> answer(String path, Query q) {
    return switch (path) {
      case "/" -> Future.succeededFuture(index());
      case "/varz" -> varz();
      case "/connz" -> connz(q);
      case "/subsz", "/subscriptionsz" -> subsz(q);
      case "/accountz" -> accountz(q);
      case "/accstatz" -> accstatz(q);
      case "/jsz" -> jsz();
      case "/healthz" -> healthz(q);
      case "/routez" -> Future.succeededFuture(header().put("num_routes", 0).put("routes", new JsonArray()));
      case "/gatewayz" -> Future.succeededFuture(header().put("outbound_gateways", new JsonObject())
          .put("inbound_gateways", new JsonObject()));
      case "/leafz" -> Future.succeededFuture(header().put("leafnodes", 0).putNull("leafs"));
      case "/metrics" -> metrics();
      default -> null;
    };
  }

  private record Html(String text) {}

  private Html index() {
    StringBuilder sb = new StringBuilder("<html lang=\"en\"><head><title>Tern monitoring</title></head><body>\n");
    for (String e : List.of("varz", "connz", "routez", "gatewayz", "leafz", "subsz", "accountz", "accstatz",
        "jsz", "healthz", "metrics")) {
      sb.append("<a href=\"").append(basePath).append('/').append(e).append("\">").append(e).append("</a><br>\n");
    }
    return new Html(sb.append("</body></html>\n").toString());
  }

  private JsonObject header() {
    return new JsonObject().put("server_id", server.serverId()).put("now", Json.time(Instant.now()));
  }

  // ---- gathering ----

  private Future<List<ConnectionSnapshot>> openConnections() {
    List<Future<List<ConnectionSnapshot>>> parts = new ArrayList<>();
    for (GatewayVerticle g : server.gateways()) {
      parts.add(g.snapshot());
    }
    for (io.tern.gateway.ConnectionSource source : server.connectionSources()) {
      parts.add(source.snapshot());
    }
    return Future.all(parts).map(cf -> {
      List<ConnectionSnapshot> all = new ArrayList<>();
      for (int i = 0; i < cf.size(); i++) {
        List<ConnectionSnapshot> part = cf.resultAt(i);
        all.addAll(part);
      }
      return all;
    });
  }

  private Future<List<JsonObject>> routerStats() {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(GATHER_TIMEOUT_MS);
    List<Future<JsonObject>> parts = new ArrayList<>();
    for (int p = 0; p < server.options().getRouterPartitions(); p++) {
      parts.add(vertx.eventBus().<JsonObject>request(Addresses.routerStats(p), null, opts).map(m -> m.body()));
    }
    return Future.all(parts).map(cf -> {
      List<JsonObject> list = new ArrayList<>();
      for (int i = 0; i < cf.size(); i++) {
        list.add(cf.resultAt(i));
      }
      return list;
    });
  }

  // ---- endpoints ----

  private Future<JsonObject> varz() {
    return openConnections().map(open -> {
      long subs = 0;
      for (ConnectionSnapshot c : open) {
        subs += c.subscriptions().size();
      }
      return Varz.build(server, open, subs, httpPort.getAsInt(), httpReqStats);
    });
  }

  private Future<JsonObject> connz(Query q) {
    Connz.validate(q);
    return openConnections().map(open ->
        Connz.build(server.serverId(), q, open, server.closedConnections().list()));
  }

  private Future<JsonObject> subsz(Query q) {
    Subsz.validate(q);
    Future<List<ConnectionSnapshot>> open = q.bool("subs") ? openConnections() : Future.succeededFuture(List.of());
    return Future.all(routerStats(), open).map(cf ->
        Subsz.build(server.serverId(), q, Subsz.stats(cf.resultAt(0)), cf.resultAt(1)));
  }

  private Future<JsonObject> accountz(Query q) {
    String acc = q.string("acc");
    var stats = server.accountStatistics();
    if (acc == null) {
      return Future.succeededFuture(header().put("system_account", server.options().getAccounts().getSystemAccount())
          .put("accounts", Accountz.list(server, stats)));
    }
    if (!Accountz.names(server, stats).contains(acc)) {
      throw new BadRequest("Account " + acc + " does not exist");
    }
    return routerStats().map(partitions -> {
      List<JsonObject> ofAccount = new ArrayList<>();
      for (JsonObject p : partitions) {
        JsonObject a = p.getJsonObject("accounts", new JsonObject()).getJsonObject(acc);
        if (a != null) {
          ofAccount.add(a);
        }
      }
      return header().put("system_account", server.options().getAccounts().getSystemAccount())
          .put("account_detail", Accountz.detail(server, acc, stats.get(acc), Subsz.stats(ofAccount)));
    });
  }

  private Future<JsonObject> accstatz(Query q) {
    boolean unused = q.bool("unused");
    String acc = q.string("acc");
    var stats = server.accountStatistics();
    JsonArray list = new JsonArray();
    for (String name : Accountz.names(server, stats)) {
      var s = stats.get(name);
      if ((acc != null && !acc.equals(name)) || ((s == null || s.connections() == 0) && !unused)) {
        continue;
      }
      list.add(Accountz.statz(name, s));
    }
    return Future.succeededFuture(header().put("account_statz", list));
  }

  /** JetStream's statistics, as the stream service reports them (zeros while it does not answer). */
  private Future<JsonObject> jsz() {
    JsonObject j = header();
    var js = server.options().getJetStream();
    JsonObject config = new JsonObject()
        .put("max_memory", server.jetStream() ? Math.max(0, js.getMaxMemoryStore()) : 0)
        .put("max_storage", server.jetStream() ? Math.max(0, js.getMaxFileStore()) : 0);
    if (!server.jetStream()) {
      return Future.succeededFuture(j.put("disabled", true).put("config", config).put("memory", 0)
          .put("storage", 0).put("reserved_memory", 0).put("reserved_storage", 0).put("accounts", 0)
          .put("ha_assets", 0).put("api", new JsonObject().put("total", 0).put("errors", 0))
          .put("streams", 0).put("consumers", 0).put("messages", 0).put("bytes", 0));
    }
    if (js.getStoreDir() != null) {
      config.put("store_dir", js.getStoreDir().toString());
    }
    JsonObject zeros = new JsonObject().put("memory", 0).put("storage", 0).put("accounts", 0)
        .put("api", new JsonObject().put("total", 0).put("errors", 0)).put("streams", 0).put("consumers", 0)
        .put("messages", 0).put("bytes", 0);
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(GATHER_TIMEOUT_MS);
    return vertx.eventBus().<JsonObject>request(Addresses.STREAM_STATS, null, opts).map(m -> m.body())
        .otherwise(zeros)
        .map(st -> j.put("config", config)
            .put("memory", st.getLong("memory", 0L)).put("storage", st.getLong("storage", 0L))
            .put("reserved_memory", 0).put("reserved_storage", 0)
            .put("accounts", st.getInteger("accounts", 0)).put("ha_assets", 0)
            .put("api", st.getJsonObject("api"))
            .put("streams", st.getInteger("streams", 0)).put("consumers", st.getInteger("consumers", 0))
            .put("messages", st.getLong("messages", 0L)).put("bytes", st.getLong("bytes", 0L)));
  }

  /** See {@link Healthz}: routers, then JetStream when the config enables it. */
  private Future<Healthz.Health> healthz(Query q) {
    Healthz.validate(q);
    return Healthz.check(vertx, server.options(), routerStats(), server.clusterFacts() != null);
  }

  private Future<String> metrics() {
    return Future.all(varz(), routerStats()).map(cf -> {
      var stats = server.accountStatistics();
      return prometheus.scrape(cf.resultAt(0), Subsz.stats(cf.resultAt(1)), server.closedConnections().list().size(),
          Accountz.names(server, stats), stats);
    });
  }

  /** Releases what {@code /metrics} holds (the JVM's GC listeners). */
  public void close() {
    prometheus.close();
  }

  private static void badRequest(HttpServerRequest req, String message) {
    req.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
  }

  private static void notFound(HttpServerRequest req) {
    req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("404 page not found\n");
  }
}
