package io.tern.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a Tern process is configured with: nats-server's options under their NATS names,
 * plus Tern's own knobs for how many verticle instances each tier runs. Defaults are
 * nats-server's. Built from defaults, then the config file, then command-line flags.
 */
public class TernOptions {

  /** nats-server's default {@code max_payload}: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
  /** nats-server's default {@code max_control_line}: 4096 (the docs still say 1024). */
  public static final int DEFAULT_MAX_CONTROL_LINE = 4096;
  /** nats-server's default {@code max_pending}: 64 MiB. */
  public static final long DEFAULT_MAX_PENDING = 64L * 1024 * 1024;
  /** nats-server's default {@code max_connections}: 64K. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64 * 1024;

  /** nats-server's default {@code lame_duck_duration}: 2 minutes. */
  public static final Duration DEFAULT_LAME_DUCK_DURATION = Duration.ofMinutes(2);
  /** nats-server's default {@code lame_duck_grace_period}: 10 seconds. */
  public static final Duration DEFAULT_LAME_DUCK_GRACE_PERIOD = Duration.ofSeconds(10);
  /** How many closed connections {@code /connz?state=closed} remembers (nats-server's default). */
  public static final int DEFAULT_MAX_CLOSED_CLIENTS = 10_000;

  private String host = "0.0.0.0";
  private int port = 4222;
  private String httpHost;
  private int httpPort = 8222;
  private String serverName;
  private int maxPayload = DEFAULT_MAX_PAYLOAD;
  private int maxControlLine = DEFAULT_MAX_CONTROL_LINE;
  private long maxPending = DEFAULT_MAX_PENDING;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxSubscriptions;
  private Duration pingInterval = Duration.ofMinutes(2);
  private int pingMax = 2;
  private Duration writeDeadline = Duration.ofSeconds(10);
  private Duration authTimeout = Duration.ofSeconds(2);
  private boolean debug;
  private boolean trace;
  private AuthorizationOptions authorization = new AuthorizationOptions();
  private JetStreamOptions jetStream = new JetStreamOptions();
  private MqttOptions mqtt = new MqttOptions();
  private final ClusterOptions cluster = new ClusterOptions();
  private List<String> services = ALL_SERVICES;
  private WebSocketOptions webSocket = new WebSocketOptions();
  private AccountsOptions accounts = new AccountsOptions();
  private final OperatorOptions operator = new OperatorOptions();
  private TlsOptions tls;
  private List<String> connectUrls = new ArrayList<>();
  private int gatewayInstances = Math.max(1, Runtime.getRuntime().availableProcessors());
  private int routerPartitions = Math.max(1, Runtime.getRuntime().availableProcessors());
  private Path configFile;
  private Duration lameDuckDuration = DEFAULT_LAME_DUCK_DURATION;
  private Duration lameDuckGracePeriod = DEFAULT_LAME_DUCK_GRACE_PERIOD;
  private boolean logtime = true;
  private Path logFile;
  private long logSizeLimit;
  private Path pidFile;
  private int httpsPort;
  private String httpBasePath = "";
  private String clientAdvertise;
  private int maxClosedClients = DEFAULT_MAX_CLOSED_CLIENTS;
  private final Map<String, Object> inactiveBlocks = new LinkedHashMap<>();

  public String getHost() { return host; }
  public TernOptions setHost(String host) { this.host = host; return this; }

  public int getPort() { return port; }
  /** The client port; 0 picks a free one, -1 as in nats-server also means a random port. */
  public TernOptions setPort(int port) { this.port = port; return this; }

  public String getHttpHost() { return httpHost == null ? host : httpHost; }
  public TernOptions setHttpHost(String httpHost) { this.httpHost = httpHost; return this; }

  public int getHttpPort() { return httpPort; }
  /** The monitoring port; 0 turns monitoring off, -1 picks a free port. */
  public TernOptions setHttpPort(int httpPort) { this.httpPort = httpPort; return this; }

  public String getServerName() { return serverName; }
  public TernOptions setServerName(String serverName) { this.serverName = serverName; return this; }

  public int getMaxPayload() { return maxPayload; }
  public TernOptions setMaxPayload(int maxPayload) { this.maxPayload = maxPayload; return this; }

  public int getMaxControlLine() { return maxControlLine; }
  public TernOptions setMaxControlLine(int maxControlLine) { this.maxControlLine = maxControlLine; return this; }

  public long getMaxPending() { return maxPending; }
  public TernOptions setMaxPending(long maxPending) { this.maxPending = maxPending; return this; }

  public int getMaxConnections() { return maxConnections; }
  public TernOptions setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; return this; }

  /** 0 means unlimited, as in nats-server. */
  public int getMaxSubscriptions() { return maxSubscriptions; }
  public TernOptions setMaxSubscriptions(int maxSubscriptions) { this.maxSubscriptions = maxSubscriptions; return this; }

  public Duration getPingInterval() { return pingInterval; }
  public TernOptions setPingInterval(Duration pingInterval) { this.pingInterval = pingInterval; return this; }

  public int getPingMax() { return pingMax; }
  public TernOptions setPingMax(int pingMax) { this.pingMax = pingMax; return this; }

  public Duration getWriteDeadline() { return writeDeadline; }
  public TernOptions setWriteDeadline(Duration writeDeadline) { this.writeDeadline = writeDeadline; return this; }

  public Duration getAuthTimeout() { return authTimeout; }
  public TernOptions setAuthTimeout(Duration authTimeout) { this.authTimeout = authTimeout; return this; }

  public boolean isDebug() { return debug; }
  public TernOptions setDebug(boolean debug) { this.debug = debug; return this; }

  public boolean isTrace() { return trace; }
  public TernOptions setTrace(boolean trace) { this.trace = trace; return this; }

  public AuthorizationOptions getAuthorization() { return authorization; }
  public TernOptions setAuthorization(AuthorizationOptions authorization) { this.authorization = authorization; return this; }

  /** Every service a process can run; {@code --services} picks some of them. */
  public static final List<String> ALL_SERVICES = List.of("gateway", "router", "stream", "auth");

  /** Distributed mode: the {@code cluster} block and flags. */
  public ClusterOptions getCluster() { return cluster; }

  /** The services this process runs ({@code --services}; all of them by default). */
  public List<String> getServices() { return services; }
  public TernOptions setServices(List<String> services) { this.services = List.copyOf(services); return this; }
  public boolean runs(String service) { return services.contains(service); }

  public JetStreamOptions getJetStream() { return jetStream; }
  public TernOptions setJetStream(JetStreamOptions jetStream) { this.jetStream = jetStream; return this; }

  /** The {@code mqtt} block; its listener runs when its port is set. */
  public MqttOptions getMqtt() { return mqtt; }
  public TernOptions setMqtt(MqttOptions mqtt) { this.mqtt = mqtt; return this; }
  /** The {@code websocket} block; off unless its port is set. */
  public WebSocketOptions getWebSocket() { return webSocket; }
  public TernOptions setWebSocket(WebSocketOptions webSocket) { this.webSocket = webSocket; return this; }
  /** Users, accounts, imports/exports and mappings: what the auth service owns. */
  public AccountsOptions getAccounts() { return accounts; }
  public TernOptions setAccounts(AccountsOptions accounts) { this.accounts = accounts; return this; }
  /** Operator mode: trusted operators and the account resolver. */
  public OperatorOptions getOperator() { return operator; }

  /** TLS for client connections; null when clients connect in plain text. */
  public TlsOptions getTls() { return tls; }
  public TernOptions setTls(TlsOptions tls) { this.tls = tls; return this; }

  /** Extra client URLs advertised in INFO {@code connect_urls}. */
  public List<String> getConnectUrls() { return connectUrls; }
  public TernOptions setConnectUrls(List<String> connectUrls) { this.connectUrls = connectUrls; return this; }

  /** Gateway verticle instances (one event loop each); defaults to the number of cores. */
  public int getGatewayInstances() { return gatewayInstances; }
  public TernOptions setGatewayInstances(int gatewayInstances) { this.gatewayInstances = gatewayInstances; return this; }

  /** Router partitions; every publishing connection is pinned to one of them. */
  public int getRouterPartitions() { return routerPartitions; }
  public TernOptions setRouterPartitions(int routerPartitions) { this.routerPartitions = routerPartitions; return this; }

  /**
   * Checks the combination of options as nats-server does at startup.
   *
   * @throws IllegalArgumentException with nats-server's text when they cannot work together
   */
  public TernOptions validate() {
    if (maxPayload > maxPending) {
      throw new IllegalArgumentException(
          "max_payload (" + maxPayload + ") cannot be higher than max_pending (" + maxPending + ")");
    }
    if (httpsPort != 0) {
      throw new IllegalArgumentException("https monitoring needs TLS, which Tern does not support yet");
    }
    if (maxControlLine <= 0) {
      throw new IllegalArgumentException("max_control_line must be positive");
    }
    if (mqtt.isEnabled() && (serverName == null || serverName.isEmpty())) {
      throw new IllegalArgumentException("mqtt requires server name to be explicitly set");
    }
    webSocket.validate();
    WebSocketAuthCheck.check(this);
    return this;
  }

  public Duration getLameDuckDuration() { return lameDuckDuration; }
  public TernOptions setLameDuckDuration(Duration d) { this.lameDuckDuration = d; return this; }

  public Duration getLameDuckGracePeriod() { return lameDuckGracePeriod; }
  public TernOptions setLameDuckGracePeriod(Duration d) { this.lameDuckGracePeriod = d; return this; }

  /** Whether log lines carry a timestamp ({@code logtime}, {@code -T}); true by default. */
  public boolean isLogtime() { return logtime; }
  public TernOptions setLogtime(boolean logtime) { this.logtime = logtime; return this; }

  /** {@code log_file} ({@code -l}); null logs to standard error. */
  public Path getLogFile() { return logFile; }
  public TernOptions setLogFile(Path logFile) { this.logFile = logFile; return this; }

  /** {@code logfile_size_limit} in bytes; 0 means no rotation. */
  public long getLogSizeLimit() { return logSizeLimit; }
  public TernOptions setLogSizeLimit(long logSizeLimit) { this.logSizeLimit = logSizeLimit; return this; }

  /** {@code pid_file} ({@code -P}); null writes none. */
  public Path getPidFile() { return pidFile; }
  public TernOptions setPidFile(Path pidFile) { this.pidFile = pidFile; return this; }

  /** {@code https_port}; Tern has no TLS yet, so anything but 0 is refused at startup. */
  public int getHttpsPort() { return httpsPort; }
  public TernOptions setHttpsPort(int httpsPort) { this.httpsPort = httpsPort; return this; }

  /** {@code http_base_path}: a prefix for every monitoring endpoint, "" by default. */
  public String getHttpBasePath() { return httpBasePath; }
  public TernOptions setHttpBasePath(String httpBasePath) { this.httpBasePath = httpBasePath; return this; }

  /** {@code client_advertise}: the host:port other servers would advertise for this one. */
  public String getClientAdvertise() { return clientAdvertise; }
  public TernOptions setClientAdvertise(String clientAdvertise) { this.clientAdvertise = clientAdvertise; return this; }

  public int getMaxClosedClients() { return maxClosedClients; }
  public TernOptions setMaxClosedClients(int maxClosedClients) { this.maxClosedClients = maxClosedClients; return this; }

  /**
   * Blocks that were read and checked but that Tern does not act on yet ({@code websocket},
   * {@code mqtt}, {@code tls}, {@code mappings}, {@code cluster}, {@code accounts}, ...), by
   * their lower-case name, as parsed.
   */
  public Map<String, Object> getInactiveBlocks() { return inactiveBlocks; }

  public Path getConfigFile() { return configFile; }
  public TernOptions setConfigFile(Path configFile) { this.configFile = configFile; return this; }
}
