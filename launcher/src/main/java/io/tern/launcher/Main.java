package io.tern.launcher;

import ch.qos.logback.classic.Level;
import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tern} command: nats-server's flags, then every chosen service in this process. */
@Command(name = "tern", mixinStandardHelpOptions = true, version = "tern 0.1.0 (NATS protocol " + io.tern.gateway.ServerState.PROTOCOL_VERSION + ")",
    description = "A NATS-compatible message broker.", sortOptions = false)
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger("tern");

  @Option(names = {"-a", "--addr", "--net"}, description = "Bind to host address (default: 0.0.0.0)")
  String addr;
  @Option(names = {"-p", "--port"}, description = "Use port for clients (default: 4222)")
  Integer port;
  @Option(names = {"-m", "--http_port"}, description = "Use port for http monitoring (default: 8222)")
  Integer httpPort;
  @Option(names = {"-n", "--name", "--server_name"}, description = "Server name (default: the server id)")
  String name;
  @Option(names = {"-c", "--config"}, description = "Configuration file")
  Path config;
  @Option(names = {"-D", "--debug"}, description = "Enable debugging output")
  boolean debug;
  @Option(names = {"-V", "--trace"}, description = "Trace the raw protocol")
  boolean trace;
  @Option(names = {"-t"}, description = "Test the configuration and exit")
  boolean testConfig;

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    TernOptions options = new TernOptions();
    if (config != null) {
      options.setConfigFile(config);
      List<String> warnings = ConfigLoader.apply(ConfigParser.parse(config), options);
      warnings.forEach(w -> LOG.warn("{}: {}", config, w));
    }
    if (testConfig) {
      System.out.println("tern: configuration file " + config + " test is successful");
      return 0;
    }
    if (addr != null) {
      options.setHost(addr);
    }
    if (port != null) {
      options.setPort(port == -1 ? 0 : port);
    }
    if (httpPort != null) {
      options.setHttpPort(httpPort);
    }
    if (name != null) {
      options.setServerName(name);
    }
    options.setDebug(options.isDebug() || debug).setTrace(options.isTrace() || trace);
    configureLogging(options);
    JvmTuning.apply();
    TernServer server = TernServer.start(options);
    LOG.info("Starting tern (NATS protocol {}), server id {}", io.tern.gateway.ServerState.PROTOCOL_VERSION,
        server.state().serverId());
    LOG.info("Listening for client connections on {}:{}", options.getHost(), server.clientPort());
    if (server.httpPort() > 0) {
      LOG.info("Starting http monitor on {}:{}", options.getHttpHost(), server.httpPort());
    }
    if (server.webSocketPort() > 0) {
      var ws = options.getWebSocket();
      LOG.info("Listening for websocket clients on {}://{}:{}", ws.getTls() != null ? "wss" : "ws",
          ws.getHost() != null ? ws.getHost() : options.getHost(), server.webSocketPort());
      if (ws.getTls() == null) {
        LOG.warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
      }
    }
    LOG.info("Server is ready");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Server Exiting..");
      server.close();
      stopped.countDown();
    }, "tern-shutdown"));
    stopped.await();
    return 0;
  }

  private static void configureLogging(TernOptions options) {
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      if (options.isTrace()) {
        root.setLevel(Level.TRACE);
      } else if (options.isDebug()) {
        root.setLevel(Level.DEBUG);
      }
    }
  }
}
