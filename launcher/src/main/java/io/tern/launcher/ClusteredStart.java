package io.tern.launcher;

import io.tern.common.config.JetStreamAccounts;
import io.tern.auth.AuthVerticle;
import io.tern.auth.ClaimsResponder;
import io.tern.common.bus.BusCodecs;
import io.tern.common.config.ClusterOptions;
import io.tern.common.config.TernOptions;
import io.tern.gateway.ClusterFacts;
import io.tern.gateway.GatewayVerticle;
import io.tern.gateway.MonitoringVerticle;
import io.tern.gateway.ServerState;
import io.tern.gateway.SystemAccountResponder;
import io.tern.stream.StreamVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Distributed mode: joins the Hazelcast-clustered event bus and deploys the services this process
 * runs ({@code --services}), every consumer cluster-wide. Router partitions are placed by
 * {@link PartitionPlacement}; gateways learn each other's client URLs from {@link ClusterMembers}.
 */
final class ClusteredStart {

  private ClusteredStart() {
  }

  static TernServer start(TernOptions options) {
    int cores = Runtime.getRuntime().availableProcessors();
    // Every process must agree on the partition count, so it comes from the cluster options.
    options.setRouterPartitions(options.getCluster().getPartitions());
    boolean gateway = options.runs("gateway");
    if (gateway && options.getPort() == 0) {
      // The client URL is part of this node's metadata, published when it joins: fix the port first.
      options.setPort(freePort(options.getHost()));
    }
    String clientUrl = gateway ? ClusterSetup.clientUrl(options, options.getPort()) : null;
    String wsUrl = gateway ? ClusterSetup.webSocketUrl(options, clientUrl) : null;
    ClusterSetup.Clustered clustered;
    try {
      clustered = ClusterSetup.start(options, clientUrl, wsUrl, Math.max(2, cores))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("Tern failed to join the cluster: " + cause.getMessage(), cause);
    }
    Vertx vertx = clustered.vertx();
    BusCodecs.register(vertx.eventBus());
    ServerState state = new ServerState(options);
    state.jetStream(false);
    if (options.getPort() > 0) {
      state.clientPort(options.getPort());
    }
    ClusterOptions c = options.getCluster();
    ClusterFacts facts = new ClusterFacts(c.getName(), c.getHost(), c.getPort(), routeAddresses(c.getRoutes()), clientUrl, wsUrl);
    state.clusterFacts(facts);
    List<String> services = new ArrayList<>();
    ClusterMembers members = new ClusterMembers(clustered.manager());
    members.onMemberCount(facts::members);
    Future<?> deployed = Future.succeededFuture();
    AuthVerticle auth = options.runs("auth") ? new AuthVerticle(options, false) : null;
    if (auth != null) {
      services.add("auth");
      deployed = deployed.compose(id -> vertx.deployVerticle(auth));
    }
    if (options.runs("stream")) {
      services.add("stream");
      deployed = deployed.compose(id -> vertx.deployVerticle(new StreamVerticle(options.getJetStream(), options.getRouterPartitions(), false)
          .accounts(JetStreamAccounts.of(options), JetStreamAccounts.disabled(options))
              .systemAccount(options.getAccounts().getSystemAccount())));
    }
    if (options.runs("router")) {
      services.add("router (" + options.getRouterPartitions() + " partitions in the cluster)");
      PartitionPlacement placement = new PartitionPlacement(vertx, members.nodeId(), options.getRouterPartitions());
      members.onRouters(placement::onRouters);
    }
    if (gateway) {
      services.add("gateway x" + options.getGatewayInstances());
      members.onGatewayUrls(urls -> {
        state.clusterUrls(urls.client());
        facts.wsUrls(urls.ws());
        // In lame duck mode the clients already got their last INFO, the one with "ldm":true.
        if (!state.lameDuck()) {
          state.gateways().forEach(GatewayVerticle::refreshInfo);
        }
      });
    }
    // Listeners first: the first membership poll runs as the verticle starts.
    deployed = deployed.compose(id -> vertx.deployVerticle(members));
    if (gateway) {
      deployed = deployed.compose(id -> vertx.deployVerticle(() -> new GatewayVerticle(state, false),
          new DeploymentOptions().setInstances(options.getGatewayInstances())));
      if (options.getMqtt().isEnabled()) {
        services.add("mqtt x" + options.getGatewayInstances());
        deployed = deployed.compose(id -> MqttDeployment.deploy(vertx, state, options, false, true));
      }
    }
    if (options.getOperator().isEnabled()) {
      String sys = options.getAccounts().getSystemAccount();
      if (auth != null) {
        deployed = deployed.compose(id -> vertx.deployVerticle(
            new ClaimsResponder(sys, options.getRouterPartitions(), false)));
      }
      if (gateway) {
        deployed = deployed.compose(id -> vertx.deployVerticle(new SystemAccountResponder(state, false)));
      }
    }
    MonitoringVerticle monitoring = options.getHttpPort() != 0 ? new MonitoringVerticle(state) : null;
    if (monitoring != null) {
      services.add("monitoring");
      deployed = deployed.compose(id -> vertx.deployVerticle(monitoring));
    }
    services.add("cluster " + options.getCluster().getName() + " as " + members.nodeId());
    state.services(services);
    try {
      deployed.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      vertx.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("Tern failed to start: " + cause.getMessage(), cause);
    }
    return new TernServer(vertx, state, monitoring, auth);
  }

  /** The routes as nats-server's {@code /varz} lists them: {@code host:port}, no scheme. */
  static List<String> routeAddresses(List<String> routes) {
    List<String> list = new ArrayList<>();
    for (String r : routes) {
      int scheme = r.indexOf("://");
      String hostPort = scheme >= 0 ? r.substring(scheme + 3) : r;
      int at = hostPort.lastIndexOf('@');
      list.add(at >= 0 ? hostPort.substring(at + 1) : hostPort);
    }
    return list;
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free client port: " + e.getMessage(), e);
    }
  }
}
