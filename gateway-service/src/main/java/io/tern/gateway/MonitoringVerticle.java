package io.tern.gateway;

import io.tern.gateway.monitor.MonitoringEndpoints;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;

/**
 * The monitoring HTTP listener (default port 8222) with nats-server's endpoints; see
 * {@link MonitoringEndpoints} for what each one answers.
 */
public final class MonitoringVerticle extends VerticleBase {

  private final ServerState server;
  private HttpServer http;
  private MonitoringEndpoints endpoints;

  public MonitoringVerticle(ServerState server) {
    this.server = server;
  }

  @Override
  public Future<?> start() {
    int port = server.options().getHttpPort() < 0 ? 0 : server.options().getHttpPort();
    endpoints = new MonitoringEndpoints(vertx, server, this::actualPort);
    http = vertx.createHttpServer().requestHandler(endpoints::handle);
    return http.listen(port, server.options().getHttpHost());
  }

  /** The bound port. */
  public int actualPort() {
    return http == null ? -1 : http.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (endpoints != null) {
      endpoints.close();
    }
    return http == null ? Future.succeededFuture() : http.close();
  }
}
