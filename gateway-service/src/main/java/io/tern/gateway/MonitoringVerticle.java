package io.tern.gateway;

import io.tern.common.config.TernOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * The monitoring HTTP endpoint (default port 8222) with nats-server's {@code /varz},
 * {@code /connz} and {@code /healthz}. The full set arrives with the operations issue.
 */
public final class MonitoringVerticle extends VerticleBase {

  private final ServerState server;
  private HttpServer http;

  public MonitoringVerticle(ServerState server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    TernOptions o = server.options();
    int port = o.getHttpPort() < 0 ? 0 : o.getHttpPort();
    http = vertx.createHttpServer().requestHandler(this::handle);
    return http.listen(port, o.getHttpHost());
  }

  /** The bound port. */
  public int actualPort() {
    return http == null ? -1 : http.actualPort();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    JsonObject body;
    switch (path) {
      case "/varz" -> body = varz();
      case "/connz" -> body = connz();
      case "/healthz" -> body = new JsonObject().put("status", "ok");
      case "/" -> {
        WebPage.serveIndex(req);
        return;
      }
      default -> {
        if (path.startsWith(WebPage.ASSETS)) {
          WebPage.serve(req, path);
          return;
        }
        req.response().setStatusCode(404).end("404 page not found\n");
        return;
      }
    }
    req.response().putHeader("Content-Type", "application/json").end(body.encodePrettily());
  }

  private JsonObject varz() {
    TernOptions o = server.options();
    long inMsgs = server.inMsgs();
    long inBytes = server.inBytes();
    long outMsgs = server.outMsgs();
    long outBytes = server.outBytes();
    for (ClientConnection c : server.clients.values()) {
      inMsgs += c.inMsgs;
      inBytes += c.inBytes;
      outMsgs += c.outMsgs;
      outBytes += c.outBytes;
    }
    Instant now = Instant.now();
    return new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerState.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("host", o.getHost())
        .put("port", server.clientPort())
        .put("max_connections", o.getMaxConnections())
        .put("ping_interval", o.getPingInterval().toNanos())
        .put("ping_max", o.getPingMax())
        .put("http_port", actualPort())
        .put("max_control_line", o.getMaxControlLine())
        .put("max_payload", o.getMaxPayload())
        .put("max_pending", o.getMaxPending())
        .put("write_deadline", o.getWriteDeadline().toNanos())
        .put("start", server.start().toString())
        .put("now", now.toString())
        .put("uptime", formatUptime(Duration.between(server.start(), now)))
        .put("mem", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("connections", server.connectionCount())
        .put("total_connections", server.totalConnections())
        .put("in_msgs", inMsgs)
        .put("out_msgs", outMsgs)
        .put("in_bytes", inBytes)
        .put("out_bytes", outBytes)
        .put("slow_consumers", server.slowConsumers())
        .put("stale_connections", server.staleConnections())
        .put("subscriptions", server.subscriptionCount())
        .mergeIn(WebSocketMonitoring.varz(server));
  }

  private JsonObject connz() {
    JsonArray list = new JsonArray();
    for (ClientConnection c : server.clients.values()) {
      list.add(new JsonObject()
          .put("cid", c.cid)
          .put("kind", "Client")
          .put("type", WebSocketMonitoring.connzType(c))
          .put("ip", c.remoteHost)
          .put("port", c.remotePort)
          .put("start", Instant.ofEpochMilli(c.startMillis).toString())
          .put("last_activity", Instant.ofEpochMilli(c.lastActivityMillis).toString())
          .put("pending_bytes", c.pendingBytes())
          .put("in_msgs", c.inMsgs)
          .put("out_msgs", c.outMsgs)
          .put("in_bytes", c.inBytes)
          .put("out_bytes", c.outBytes)
          .put("subscriptions", c.subscriptionCount())
          .put("name", c.opts.name)
          .put("lang", c.opts.lang)
          .put("version", c.opts.version));
    }
    return new JsonObject()
        .put("server_id", server.serverId())
        .put("now", Instant.now().toString())
        .put("num_connections", list.size())
        .put("total", list.size())
        .put("offset", 0)
        .put("limit", 1024)
        .put("connections", list);
  }

  /** nats-server's uptime format: 1d2h3m4s. */
  static String formatUptime(Duration d) {
    long s = d.getSeconds();
    long days = s / 86400;
    long h = (s % 86400) / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    StringBuilder sb = new StringBuilder();
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (days > 0 || h > 0) {
      sb.append(h).append('h');
    }
    if (days > 0 || h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(sec).append('s').toString();
  }

  @Override
  public Future<?> stop() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
