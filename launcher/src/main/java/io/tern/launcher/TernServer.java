package io.tern.launcher;

import io.tern.common.config.JetStreamAccounts;
import io.tern.auth.AuthVerticle;
import io.tern.auth.ClaimsResponder;
import io.tern.common.bus.BusCodecs;
import io.tern.common.config.TernOptions;
import io.tern.gateway.GatewayVerticle;
import io.tern.gateway.MonitoringVerticle;
import io.tern.gateway.ServerState;
import io.tern.gateway.SystemAccountResponder;
import io.tern.router.RouterVerticle;
import io.tern.stream.StreamVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tern in embedded mode: every service deployed on one Vert.x instance, meeting on the local event
 * bus. Tests and the {@code tern} command start the broker through this class; it also carries the
 * operations a running server supports: {@link #lameDuck()} and {@link #reload(TernOptions)}.
 */
public final class TernServer implements AutoCloseable {

  private final Vertx vertx;
  private final ServerState state;
  private final MonitoringVerticle monitoring;
  private final LameDuck lameDuck;
  private final AuthVerticle auth;

  TernServer(Vertx vertx, ServerState state, MonitoringVerticle monitoring, AuthVerticle auth) {
    this.vertx = vertx;
    this.state = state;
    this.monitoring = monitoring;
    this.auth = auth;
    this.lameDuck = new LameDuck(vertx, state);
  }

  /**
   * Starts every service in this JVM (or, with clustering configured, the chosen services joined to
   * the cluster) and returns once the client port is listening.
   */
  public static TernServer start(TernOptions options) {
    options.validate();
    if (options.getCluster().isEnabled()) {
      return ClusteredStart.start(options);
    }
    if (!options.getServices().containsAll(TernOptions.ALL_SERVICES)) {
      throw new IllegalArgumentException("--services needs clustering (a cluster block, --cluster or --routes)");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    options.setGatewayInstances(EmbeddedLayout.gatewayInstances(options.getGatewayInstances(), cores));
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Math.max(2, cores))
        .setPreferNativeTransport(true));
    BusCodecs.register(vertx.eventBus());
    ServerState state = new ServerState(options);
    state.jetStream(options.getJetStream().isEnabled());
    if (options.getPort() > 0) {
      state.clientPort(options.getPort());
    }
    List<String> services = new ArrayList<>(List.of("auth", "stream",
        "router x" + options.getRouterPartitions(), "gateway x" + options.getGatewayInstances()));
    if (options.getMqtt().isEnabled()) {
      services.add("mqtt x" + options.getGatewayInstances());
    }
    MonitoringVerticle monitoring = options.getHttpPort() != 0 ? new MonitoringVerticle(state) : null;
    if (monitoring != null) {
      services.add("monitoring");
    }
    state.services(services);
    AuthVerticle auth = new AuthVerticle(options, true);
    Future<?> deployed = vertx.deployVerticle(auth);
    for (int p = 0; p < options.getRouterPartitions(); p++) {
      int partition = p;
      deployed = deployed.compose(id -> vertx.deployVerticle(new RouterVerticle(partition, true)));
    }
    // After the routers: the stream service subscribes through them before its start completes,
    // and before the gateways accept clients.
    if (options.getJetStream().isEnabled()) {
      deployed = deployed.compose(id -> vertx.deployVerticle(
          new StreamVerticle(options.getJetStream(), options.getRouterPartitions())
              .accounts(JetStreamAccounts.of(options), JetStreamAccounts.disabled(options))
              .systemAccount(options.getAccounts().getSystemAccount())));
    }
    // One deployment of several instances, so that they share the listener even on a random port.
    deployed = deployed.compose(id -> vertx.deployVerticle(() -> new GatewayVerticle(state, true),
        new DeploymentOptions().setInstances(options.getGatewayInstances())));
    if (options.getOperator().isEnabled()) {
      // Operator mode: the system account answers $SYS requests once routers and gateways run.
      String sys = options.getAccounts().getSystemAccount();
      deployed = deployed.compose(id -> vertx.deployVerticle(
          new ClaimsResponder(sys, options.getRouterPartitions(), true)));
      deployed = deployed.compose(id -> vertx.deployVerticle(new SystemAccountResponder(state, true)));
    }
    if (options.getMqtt().isEnabled()) {
      deployed = deployed.compose(id -> MqttDeployment.deploy(vertx, state, options, true,
          options.getJetStream().isEnabled()));
    }
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

  /** The MQTT port actually bound, or 0 when there is no MQTT listener. */
  public int mqttPort() {
    return state.mqttPort();
  }

  /** The WebSocket port actually bound, or 0 when WebSocket is off. */
  public int webSocketPort() {
    return state.webSocketPort();
  }

  /** The monitoring port actually bound, or 0 when monitoring is off. */
  public int httpPort() {
    return monitoring == null ? 0 : monitoring.actualPort();
  }

  /** The server's identity and counters. */
  public ServerState state() {
    return state;
  }

  /** The auth service, or null in a process that runs none: per-account connection counts. */
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

  /**
   * Lame duck mode, as nats-server's SIGUSR2: stop accepting clients, send every client INFO with
   * {@code "ldm":true}, wait {@code lame_duck_grace_period}, then close the clients spread over the
   * rest of {@code lame_duck_duration} (at most one second apart). The future completes once every
   * client is closed; the caller then closes the server (the {@code tern} command exits).
   */
  public Future<Void> lameDuck() {
    return lameDuck.start();
  }

  /**
   * Applies a re-read configuration to the running server, as nats-server's SIGHUP.
   *
   * @param fresh the options built anew (defaults, file, command-line flags)
   * @return what changed, one entry per option, in nats-server's {@code name = value} words
   * @throws IllegalArgumentException {@code config reload not supported for X: old=.., new=..}
   *     when an option that cannot change at runtime differs; nothing is applied then
   */
  public List<String> reload(TernOptions fresh) {
    List<String> changed = Reload.apply(state, fresh);
    // Users, accounts and mappings: new CONNECTs are checked against them, open connections are
    // re-checked, and the routers switch mappings and imports. A process without auth has none.
    if (auth != null) {
      await(auth.reload(fresh));
    }
    return changed;
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
