package io.tern.gateway;

import io.tern.common.config.TernOptions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
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
  private volatile int clientPort;
  private volatile boolean jetStream;

  public ServerState(TernOptions options) {
    this.options = options;
    this.serverId = newServerId();
    this.serverName = options.getServerName() != null ? options.getServerName() : serverId;
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

  public boolean jetStream() { return jetStream; }
  public void jetStream(boolean enabled) { this.jetStream = enabled; }

  long nextCid() { return nextCid.incrementAndGet(); }

  /** Takes a connection slot, or returns false when {@code max_connections} is reached. */
  boolean tryAddConnection() {
    totalConnections.incrementAndGet();
    if (connections.incrementAndGet() > options.getMaxConnections()) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void removeConnection() { connections.decrementAndGet(); }

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
}
