package io.tern.gateway;

import io.tern.common.config.TernOptions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What all gateway instances of one process share: the server's identity, the options, the
 * connection count and id sequence, and the counters monitoring reports.
 */
public final class ServerState {

  /** The nats-server version whose protocol and API Tern implements; clients read it from INFO. */
  public static final String PROTOCOL_VERSION = "2.9.10";

  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final TernOptions options;
  private final String serverId;
  private final String serverName;
  private final Instant start = Instant.now();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong nextCid = new AtomicLong();
  private final AtomicLong totalConnections = new AtomicLong();
  final LongAdder inMsgs = new LongAdder();
  final LongAdder inBytes = new LongAdder();
  final LongAdder outMsgs = new LongAdder();
  final LongAdder outBytes = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
  final LongAdder staleConnections = new LongAdder();
  final Map<Long, ClientConnection> clients = new ConcurrentHashMap<>();
  final AccountStatistics accounts = new AccountStatistics();
  /** The system account's event publisher, when one runs (operator mode); null otherwise. */
  volatile SystemEvents systemEvents;
  private volatile int clientPort;
  private volatile int webSocketPort;
  private volatile boolean jetStream;

  // ---- operations: monitoring, lame duck, protocol trace (not read per message) ----
  final List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
  private final List<ConnectionSource> connectionSources = new CopyOnWriteArrayList<>();
  private volatile int mqttPort;
  private final java.util.Map<Integer, io.vertx.core.net.SocketAddress> mqttWebSocketPeers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ClosedConnections closedConnections;
  private volatile boolean lameDuck;
  private volatile Instant configLoadTime = start;
  /** Guards the per-read protocol trace in {@link ClientConnection}; set from {@code -V} or a reload. */
  volatile boolean trace;
  private volatile List<String> services = List.of();
  /** Distributed mode: every gateway process's advertised client URL, this one's included. */
  private volatile List<String> clusterUrls = List.of();
  private volatile ClusterFacts clusterFacts;

  public ServerState(TernOptions options) {
    this.options = options;
    this.serverId = newServerId();
    this.serverName = options.getServerName() != null ? options.getServerName() : serverId;
    this.closedConnections = new ClosedConnections(options.getMaxClosedClients());
    this.trace = options.isTrace();
  }

  /** A 56-character id starting with N, shaped like nats-server's server nkey. */
  private static String newServerId() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder("N");
    while (sb.length() < 56) {
      sb.append(BASE32.charAt(random.nextInt(BASE32.length())));
    }
    return sb.toString();
  }

  public TernOptions options() { return options; }
  public String serverId() { return serverId; }
  public String serverName() { return serverName; }
  public Instant start() { return start; }

  public int clientPort() { return clientPort; }
  public void clientPort(int port) { this.clientPort = port; }

  /** The MQTT port actually bound, or 0 when there is no MQTT listener. */
  public int mqttPort() { return mqttPort; }
  public void mqttPort(int port) { this.mqttPort = port; }
  /** MQTT-over-WebSocket clients' addresses by the local port of their loopback hop (MqttWebSocketBridge). */
  public java.util.Map<Integer, io.vertx.core.net.SocketAddress> mqttWebSocketPeers() { return mqttWebSocketPeers; }
  /** The WebSocket client behind an MQTT connection from loopback port {@code port}, or null. */
  public io.vertx.core.net.SocketAddress mqttWebSocketPeer(int port) { return mqttWebSocketPeers.get(port); }
  /** The WebSocket port bound, or 0 when WebSocket is off. */
  public int webSocketPort() { return webSocketPort; }
  public void webSocketPort(int port) { this.webSocketPort = port; }

  public boolean jetStream() { return jetStream; }
  public void jetStream(boolean enabled) { this.jetStream = enabled; }

  /** The next client id, shared by every listener (NATS and MQTT). */
  public long nextCid() { return nextCid.incrementAndGet(); }

  /** Takes a connection slot, or returns false when {@code max_connections} is reached. */
  public boolean tryAddConnection() {
    totalConnections.incrementAndGet();
    if (connections.incrementAndGet() > options.getMaxConnections()) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot taken with {@link #tryAddConnection()}. */
  public void removeConnection() { connections.decrementAndGet(); }

  /** Adds a closed non-NATS connection's message counts to the server's totals. */
  public void addClosedCounts(long inMsgs, long inBytes, long outMsgs, long outBytes) {
    this.inMsgs.add(inMsgs);
    this.inBytes.add(inBytes);
    this.outMsgs.add(outMsgs);
    this.outBytes.add(outBytes);
  }

  /** Listeners other than the NATS gateways (MQTT) whose connections monitoring lists too. */
  public List<ConnectionSource> connectionSources() { return connectionSources; }

  public int connectionCount() { return connections.get(); }
  public long totalConnections() { return totalConnections.get(); }
  public long inMsgs() { return inMsgs.sum(); }
  public long inBytes() { return inBytes.sum(); }
  public long outMsgs() { return outMsgs.sum(); }
  public long outBytes() { return outBytes.sum(); }
  public long slowConsumers() { return slowConsumers.sum(); }
  public long staleConnections() { return staleConnections.sum(); }

  /**
   * Per-account counters (connections, subscriptions, messages and bytes in and out), by account
   * name: what {@code /accountz} and {@code /accstatz} report.
   */
  public Map<String, AccountStatistics.Snapshot> accountStatistics() {
    return accounts.snapshot(clients.values());
  }

  /** Number of subscriptions held by all connections. */
  public int subscriptionCount() {
    int n = 0;
    for (ClientConnection c : clients.values()) {
      n += c.subscriptionCount();
    }
    return n;
  }

  /** Recently closed connections for {@code /connz?state=closed}. */
  public ClosedConnections closedConnections() { return closedConnections; }

  /** Whether the server is in lame duck mode (no new clients; existing ones being closed). */
  public boolean lameDuck() { return lameDuck; }
  public void lameDuck(boolean on) { this.lameDuck = on; }

  /** When the configuration was last (re)loaded; {@code /varz config_load_time}. */
  public Instant configLoadTime() { return configLoadTime; }
  public void configLoadTime(Instant t) { this.configLoadTime = t; }

  /** Turns the protocol trace ({@code -V}) on or off for every connection. */
  public void trace(boolean on) { this.trace = on; }

  /** The gateway instances of this process, for monitoring and lame duck mode. */
  public List<GatewayVerticle> gateways() { return gateways; }

  /** Distributed mode: the client URLs INFO {@code connect_urls} lists besides the configured ones. */
  public List<String> clusterUrls() { return clusterUrls; }
  public void clusterUrls(List<String> urls) { this.clusterUrls = List.copyOf(urls); }

  /** Distributed mode: the cluster this process joined; null in embedded mode. */
  public ClusterFacts clusterFacts() { return clusterFacts; }
  public void clusterFacts(ClusterFacts facts) { this.clusterFacts = facts; }

  /** The services running in this process, for {@code /varz} and the startup log. */
  public List<String> services() { return services; }
  public void services(List<String> list) { this.services = List.copyOf(list); }
}
