package io.tern.launcher;

import io.tern.common.config.ConfigException;
import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.tern.gateway.ServerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tern} command: nats-server's flags (single or double dash), then every service in
 * this process. Precedence is defaults, then the config file ({@code -c}), then flags.
 */
@Command(name = "tern", sortOptions = false, usageHelpWidth = 110,
    description = "A NATS-compatible message broker.", subcommands = StreamCommand.class)
public final class Main implements Callable<Integer> {

  static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger("tern");

  @Option(names = {"-a", "--addr", "--net", "-addr", "-net"}, paramLabel = "<host>",
      description = "Bind to host address (default: 0.0.0.0)")
  String addr;
  @Option(names = {"-p", "--port", "-port"}, paramLabel = "<port>",
      description = "Use port for clients (default: 4222; -1 for a random port)")
  Integer port;
  @Option(names = {"-n", "--name", "--server_name", "-name", "-server_name"}, paramLabel = "<server_name>",
      description = "Server name (default: the server id)")
  String name;
  @Option(names = {"-P", "--pid", "-pid"}, paramLabel = "<file>", description = "File to store PID")
  Path pidFile;
  @Option(names = {"-m", "--http_port", "-http_port"}, paramLabel = "<port>",
      description = "Use port for http monitoring (0 turns it off, -1 for a random port)")
  Integer httpPort;
  @Option(names = {"-ms", "--https_port", "-https_port"}, paramLabel = "<port>",
      description = "Use port for https monitoring (refused: no TLS yet)")
  Integer httpsPort;
  @Option(names = {"-c", "--config", "-config"}, paramLabel = "<file>", description = "Configuration file")
  Path config;
  @Option(names = {"-t"}, description = "Test configuration and exit")
  boolean testConfig;
  @Option(names = {"-sl", "--signal", "-signal"}, paramLabel = "<signal>[=<pid>]",
      description = "Send signal to tern process (ldm, stop, quit, term, reopen, reload); pid can be a PID or a PID file")
  String signal;
  @Option(names = {"--client_advertise", "-client_advertise"}, paramLabel = "<string>",
      description = "Client URL to advertise to other servers")
  String clientAdvertise;
  @Option(names = {"-l", "--log", "-log"}, paramLabel = "<file>", description = "File to redirect log output")
  Path logFile;
  @Option(names = {"-T", "--logtime", "-logtime"}, arity = "0..1", paramLabel = "<bool>",
      description = "Timestamp log entries (default: true)")
  Boolean logtime;
  @Option(names = {"-D", "--debug", "-debug"}, description = "Enable debugging output")
  boolean debug;
  @Option(names = {"-V", "--trace", "-trace"}, description = "Trace the raw protocol")
  boolean trace;
  @Option(names = {"-VV"}, description = "Verbose trace (same as -V here)")
  boolean verboseTrace;
  @Option(names = {"-DV"}, description = "Debug and trace")
  boolean debugAndTrace;
  @Option(names = {"-DVV"}, description = "Debug and verbose trace (same as -DV here)")
  boolean debugAndVerboseTrace;
  @Option(names = {"--log_size_limit", "-log_size_limit"}, paramLabel = "<limit>",
      description = "Logfile size limit in bytes (default: none)")
  Long logSizeLimit;
  @Option(names = {"-js", "--jetstream", "-jetstream"}, description = "Enable JetStream functionality")
  boolean jetstream;
  @Option(names = {"-sd", "--store_dir", "-store_dir"}, paramLabel = "<dir>", description = "Set the storage directory")
  Path storeDir;
  @Option(names = {"--user", "-user"}, paramLabel = "<user>", description = "User required for connections")
  String user;
  @Option(names = {"--pass", "-pass"}, paramLabel = "<password>", description = "Password required for connections")
  String pass;
  @Option(names = {"--auth", "-auth"}, paramLabel = "<token>", description = "Authorization token required for connections")
  String authToken;
  @Option(names = {"--ping_interval", "-ping_interval"}, paramLabel = "<duration>",
      description = "Interval between server pings (e.g. 2m)")
  String pingInterval;
  @Option(names = {"--services", "-services"}, paramLabel = "<list>", split = ",",
      description = "Services to run in this process: gateway,router,stream,auth (default: all; others need clustering)")
  List<String> services;
  @Option(names = {"--cluster", "-cluster"}, paramLabel = "<cluster-url>",
      description = "Cluster URL to listen on for other processes (e.g. nats://0.0.0.0:6222)")
  String clusterUrl;
  @Option(names = {"--routes", "-routes"}, paramLabel = "<rurl-1, rurl-2>",
      description = "Routes to join the cluster through (comma separated, e.g. nats-route://127.0.0.1:6222)")
  String routes;
  @Option(names = {"--cluster_name", "-cluster_name"}, paramLabel = "<string>", description = "Cluster name (default: tern)")
  String clusterName;
  @Option(names = {"--cluster_advertise", "-cluster_advertise"}, paramLabel = "<string>",
      description = "Cluster address to advertise to the other processes (host or host:port)")
  String clusterAdvertise;
  @Option(names = {"--partitions", "-partitions"}, paramLabel = "<n>",
      description = "Router partitions in the cluster, the same on every process (default: 16)")
  Integer partitions;
  @Option(names = {"-h", "--help", "-help"}, usageHelp = true, description = "Show this message")
  boolean help;
  @Option(names = {"-v", "--version", "-version"}, versionHelp = true, description = "Show version")
  boolean version;

  private TernServer server;

  public static void main(String[] args) {
    int code = commandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The {@code tern} command line over {@code main}, configured as {@link #main} runs it. */
  static CommandLine commandLine(Main main) {
    CommandLine cl = new CommandLine(main)
        .setPosixClusteredShortOptionsAllowed(false)
        .setCaseInsensitiveEnumValuesAllowed(true)
        // "--services stream": the value, not the "tern stream" subcommand.
        .setAllowSubcommandsAsOptionParameters(true);
    cl.getCommandSpec().version("tern: v" + VERSION + " (NATS protocol " + ServerState.PROTOCOL_VERSION + ")");
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    if (signal != null) {
      try {
        SignalSender.send(signal, pidFile != null ? pidFile : pidFileFromConfig());
        return 0;
      } catch (SignalSender.SignalException e) {
        System.err.println("tern: " + e.getMessage());
        return 1;
      }
    }
    List<String> warnings = new ArrayList<>();
    TernOptions options;
    try {
      options = buildOptions(warnings);
      if (testConfig) {
        options.validate();
      }
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("tern: " + e.getMessage());
      return 1;
    }
    if (testConfig) {
      warnings.forEach(w -> System.err.println("tern: warning: " + w));
      System.err.println("tern: configuration file " + (config == null ? "" : config) + " is valid");
      return 0;
    }
    LogSetup.apply(options);
    warnings.forEach(w -> LOG.warn("{}", w));
    JvmTuning.apply();
    try {
      server = TernServer.start(options);
    } catch (RuntimeException e) {
      LOG.error("{}", e.getMessage());
      return 1;
    }
    JvmTuning.compactAfterStart();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Initiating Shutdown...");
      server.close();
      deletePidFile(server.state().options().getPidFile());
      LOG.info("Server Exiting..");
      stopped.countDown();
    }, "tern-shutdown"));
    // Signal handlers before "Server is ready": whoever waits for that line may signal at once.
    Signals.install(this);
    writePidFile(options.getPidFile());
    logStartup(options);
    stopped.await();
    return 0;
  }

  /** Defaults, then the config file, then flags: what the server starts with and what a reload rebuilds. */
  TernOptions buildOptions(List<String> warnings) {
    TernOptions options = new TernOptions();
    if (config != null) {
      options.setConfigFile(config);
      warnings.addAll(ConfigLoader.apply(ConfigParser.parse(config), options));
    }
    applyFlags(options);
    return options;
  }

  private void applyFlags(TernOptions o) {
    if (addr != null) {
      o.setHost(addr);
    }
    if (port != null) {
      o.setPort(port == -1 ? 0 : port);
    }
    if (name != null) {
      o.setServerName(name);
    }
    if (pidFile != null) {
      o.setPidFile(pidFile);
    }
    if (httpPort != null) {
      o.setHttpPort(httpPort);
    }
    if (httpsPort != null) {
      o.setHttpsPort(httpsPort);
    }
    if (clientAdvertise != null) {
      o.setClientAdvertise(clientAdvertise);
    }
    if (logFile != null) {
      o.setLogFile(logFile);
    }
    if (logtime != null) {
      o.setLogtime(logtime);
    }
    if (logSizeLimit != null) {
      o.setLogSizeLimit(logSizeLimit);
    }
    if (debug || debugAndTrace || debugAndVerboseTrace) {
      o.setDebug(true);
    }
    if (trace || verboseTrace || debugAndTrace || debugAndVerboseTrace) {
      o.setTrace(true);
    }
    if (jetstream) {
      o.getJetStream().setEnabled(true);
    }
    if (storeDir != null) {
      o.getJetStream().setStoreDir(storeDir);
    }
    if (user != null) {
      o.getAuthorization().setUser(user);
    }
    if (pass != null) {
      o.getAuthorization().setPassword(pass);
    }
    if (authToken != null) {
      o.getAuthorization().setToken(authToken);
    }
    if (pingInterval != null) {
      o.setPingInterval(io.tern.common.config.Durations.parse(pingInterval));
    }
    applyClusterFlags(o);
  }

  private void applyClusterFlags(TernOptions o) {
    if (services != null) {
      List<String> chosen = new ArrayList<>();
      for (String s : services) {
        String name = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.equals("all")) {
          chosen.addAll(TernOptions.ALL_SERVICES);
        } else if (TernOptions.ALL_SERVICES.contains(name)) {
          chosen.add(name);
        } else if (!name.isEmpty()) {
          throw new IllegalArgumentException("unknown service \"" + s.trim() + "\" (expected gateway, router, stream, auth)");
        }
      }
      o.setServices(chosen.stream().distinct().toList());
    }
    io.tern.common.config.ClusterOptions c = o.getCluster();
    if (clusterUrl != null) {
      c.setListen(clusterUrl);
    }
    if (routes != null) {
      c.getRoutes().clear();
      for (String r : routes.split(",")) {
        if (!r.isBlank()) {
          c.addRoute(r);
        }
      }
      c.setEnabled(true);
    }
    if (clusterName != null) {
      c.setName(clusterName).setEnabled(true);
    }
    if (clusterAdvertise != null) {
      c.setAdvertise(clusterAdvertise);
    }
    if (partitions != null) {
      c.setPartitions(partitions);
    }
  }

  private Path pidFileFromConfig() {
    if (config == null) {
      return null;
    }
    try {
      TernOptions o = new TernOptions();
      ConfigLoader.apply(ConfigParser.parse(config), o);
      return o.getPidFile();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void logStartup(TernOptions options) {
    ServerState s = server.state();
    LOG.info("Starting tern");
    LOG.info("  Version:  {} (NATS protocol {})", VERSION, ServerState.PROTOCOL_VERSION);
    LOG.info("  Name:     {}", s.serverName());
    LOG.info("  ID:       {}", s.serverId());
    LOG.info("  Services: {}", String.join(", ", s.services()));
    if (options.getConfigFile() != null) {
      LOG.info("Using configuration file: {}", options.getConfigFile());
    }
    if (server.httpPort() > 0) {
      LOG.info("Starting http monitor on {}:{}", options.getHttpHost(), server.httpPort());
    }
    LOG.info("Listening for client connections on {}:{}", options.getHost(), server.clientPort());
    if (server.webSocketPort() > 0) {
      var ws = options.getWebSocket();
      LOG.info("Listening for websocket clients on {}://{}:{}", ws.getTls() != null ? "wss" : "ws",
          ws.getHost() != null ? ws.getHost() : options.getHost(), server.webSocketPort());
      if (ws.getTls() == null) {
        LOG.warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
      }
    }
    if (options.isDebug() || options.isTrace()) {
      LOG.debug("Debug and/or trace logging is on");
    }
    LOG.info("Server is ready");
  }

  // ---- signals ----

  /** SIGHUP, {@code --signal reload}: re-reads the config file and applies what can change. */
  void reload() {
    LOG.info("Reloading server configuration");
    if (config == null) {
      LOG.error("Failed to reload server configuration: config reload not supported without a config file");
      return;
    }
    try {
      List<String> warnings = new ArrayList<>();
      TernOptions fresh = buildOptions(warnings);
      warnings.forEach(w -> LOG.warn("{}", w));
      List<String> changed = server.reload(fresh);
      LogSetup.apply(server.state().options());
      changed.forEach(c -> LOG.info("Reloaded: {}", c));
      LOG.info("Reloaded server configuration");
    } catch (RuntimeException e) {
      LOG.error("Failed to reload server configuration: {}", e.getMessage());
    }
  }

  /** SIGUSR2, {@code --signal ldm}: lame duck mode, then exit. */
  void lameDuck() {
    server.lameDuck().onComplete(ar -> new Thread(() -> System.exit(0), "tern-exit").start());
  }

  /** SIGUSR1, {@code --signal reopen}: re-opens the log file. */
  void reopenLog() {
    LogSetup.apply(server.state().options());
    LOG.info("File log re-opened");
  }

  private static void writePidFile(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(file, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      LOG.error("Could not write pidfile: {}", e.toString());
    }
  }

  private static void deletePidFile(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // the process is exiting; a stale pid file is harmless
      }
    }
  }

}
