package io.tern.launcher;

import io.tern.auth.AuthVerticle;
import io.tern.common.bus.BusCodecs;
import io.tern.common.config.TernOptions;
import io.tern.gateway.GatewayVerticle;
import io.tern.gateway.MonitoringVerticle;
import io.tern.gateway.ServerState;
import io.tern.router.RouterVerticle;
import io.tern.stream.StreamVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tern in embedded mode: every service deployed on one Vert.x instance, meeting on the local event
 * bus. Tests and the {@code tern} command start the broker through this class.
 */
public final class TernServer implements AutoCloseable {

  private final Vertx vertx;
  private final ServerState state;
  private final MonitoringVerticle monitoring;
  private final AuthVerticle auth;

  private TernServer(Vertx vertx, ServerState state, MonitoringVerticle monitoring, AuthVerticle auth) {
    this.vertx = vertx;
    this.state = state;
    this.monitoring = monitoring;
    this.auth = auth;
  }

  /** Starts every service in this JVM and returns once the client port is listening. */
  public static TernServer start(TernOptions options) {
    options.validate();
    int cores = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Math.max(2, cores))
        .setPreferNativeTransport(true));
    BusCodecs.register(vertx.eventBus());
    ServerState state = new ServerState(options);
    state.jetStream(false);
    if (options.getPort() > 0) {
      state.clientPort(options.getPort());
    }
    MonitoringVerticle monitoring = options.getHttpPort() != 0 ? new MonitoringVerticle(state) : null;
    AuthVerticle auth = new AuthVerticle(options, true);
    Future<?> deployed = vertx.deployVerticle(auth)
        .compose(id -> vertx.deployVerticle(new StreamVerticle(options.getJetStream())));
    for (int p = 0; p < options.getRouterPartitions(); p++) {
      int partition = p;
      deployed = deployed.compose(id -> vertx.deployVerticle(new RouterVerticle(partition, true)));
    }
    // One deployment of several instances, so that they share the listener even on a random port.
    deployed = deployed.compose(id -> vertx.deployVerticle(() -> new GatewayVerticle(state, true),
        new DeploymentOptions().setInstances(options.getGatewayInstances())));
    if (monitoring != null) {
      deployed = deployed.compose(id -> vertx.deployVerticle(monitoring));
    }
    try {
      deployed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      vertx.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("Tern failed to start: " + cause.getMessage(), cause);
    }
    return new TernServer(vertx, state, monitoring, auth);
  }

  /** The client port actually bound (useful when the options asked for port 0). */
  public int clientPort() {
    return state.clientPort();
  }

  /** The monitoring port actually bound, or 0 when monitoring is off. */
  public int httpPort() {
    return monitoring == null ? 0 : monitoring.actualPort();
  }

  /** The server's identity and counters. */
  public ServerState state() {
    return state;
  }

  /**
   * Applies the users, accounts and mappings of {@code options} at runtime: new CONNECTs are checked
   * against them and the routers switch mappings and imports; open connections stay.
   */
  public void reload(TernOptions options) {
    await(auth.reload(options));
  }

  /** The auth service: per-account connection counts ({@link AuthVerticle#connectionsByAccount()}). */
  public AuthVerticle auth() {
    return auth;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Closing is best effort; the process is going away.
    }
  }
}
