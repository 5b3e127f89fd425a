package io.tern.gateway.monitor;

import io.tern.gateway.WebSocketMonitoring;

import io.tern.common.config.TernOptions;
import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.ServerState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /varz}: nats-server 2.9.10's fields in its order, plus a {@code tern} object of our own. */
final class Varz {
  private Varz() {
  }

  static JsonObject build(ServerState server, List<ConnectionSnapshot> open, long subscriptions, int httpPort,
                          Map<String, Long> httpReqStats) {
    TernOptions o = server.options();
    long inMsgs = server.inMsgs();
    long inBytes = server.inBytes();
    long outMsgs = server.outMsgs();
    long outBytes = server.outBytes();
    for (ConnectionSnapshot c : open) {
      inMsgs += c.inMsgs();
      inBytes += c.inBytes();
      outMsgs += c.outMsgs();
      outBytes += c.outBytes();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    Instant now = Instant.now();
    JsonObject stats = new JsonObject();
    httpReqStats.forEach(stats::put);
    JsonObject tern = new JsonObject()
        .put("services", new JsonArray(server.services()))
        .put("config_file", o.getConfigFile() == null ? "" : o.getConfigFile().toString())
        .put("lame_duck_mode", server.lameDuck());
    return new JsonObject()
        .put("server_id", server.serverId())
        .put("server_name", server.serverName())
        .put("version", ServerState.PROTOCOL_VERSION)
        .put("proto", 1)
        .put("go", "tern")
        .put("host", o.getHost())
        .put("port", server.clientPort())
        .put("max_connections", o.getMaxConnections())
        .put("ping_interval", o.getPingInterval().toNanos())
        .put("ping_max", o.getPingMax())
        .put("http_host", o.getHttpHost())
        .put("http_port", httpPort)
        .put("http_base_path", o.getHttpBasePath())
        .put("https_port", o.getHttpsPort())
        .put("auth_timeout", Json.goFloat(o.getAuthTimeout().toNanos() / 1e9))
        .put("max_control_line", o.getMaxControlLine())
        .put("max_payload", o.getMaxPayload())
        .put("max_pending", o.getMaxPending())
        .put("cluster", server.clusterFacts() == null ? new JsonObject() : server.clusterFacts().varz())
        .put("gateway", new JsonObject())
        .put("leaf", new JsonObject())
        .put("mqtt", mqtt(server))
        .put("websocket", WebSocketMonitoring.varz(server).getJsonObject("websocket", new JsonObject()))
        .put("jetstream", jetstream(server))
        .put("tls_timeout", 2)
        .put("write_deadline", o.getWriteDeadline().toNanos())
        .put("start", Json.time(server.start()))
        .put("now", Json.time(now))
        .put("uptime", Json.uptime(Duration.between(server.start(), now)))
        .put("mem", residentMemory())
        .put("cores", cores)
        .put("gomaxprocs", cores)
        .put("cpu", cpuPercent(cores))
        .put("connections", open.size())
        .put("total_connections", server.totalConnections())
        .put("routes", server.clusterFacts() == null ? 0 : server.clusterFacts().members() - 1)
        .put("remotes", 0)
        .put("leafnodes", 0)
        .put("in_msgs", inMsgs)
        .put("out_msgs", outMsgs)
        .put("in_bytes", inBytes)
        .put("out_bytes", outBytes)
        .put("slow_consumers", server.slowConsumers())
        .put("subscriptions", subscriptions)
        .put("http_req_stats", stats)
        .put("config_load_time", Json.time(server.configLoadTime()))
        .put("system_account", "$SYS")
        .put("tern", tern);
  }

  /** nats-server's MQTTOptsVarz: empty when there is no MQTT listener. */
  private static JsonObject mqtt(ServerState server) {
    io.tern.common.config.MqttOptions m = server.options().getMqtt();
    if (!m.isEnabled()) {
      return new JsonObject();
    }
    JsonObject j = new JsonObject()
        .put("host", m.getHost() == null ? server.options().getHost() : m.getHost())
        .put("port", server.mqttPort() > 0 ? server.mqttPort() : m.getPort());
    if (m.getNoAuthUser() != null) {
      j.put("no_auth_user", m.getNoAuthUser());
    }
    return j.put("tls_timeout", 2).put("ack_wait", m.getAckWait().toNanos()).put("max_ack_pending", m.getMaxAckPending());
  }

  private static JsonObject jetstream(ServerState server) {
    if (!server.jetStream()) {
      return new JsonObject();
    }
    var js = server.options().getJetStream();
    return new JsonObject()
        .put("config", new JsonObject()
            .put("max_memory", Math.max(0, js.getMaxMemoryStore()))
            .put("max_storage", Math.max(0, js.getMaxFileStore()))
            .put("store_dir", js.getStoreDir() == null ? "" : js.getStoreDir().toString()))
        .put("stats", new JsonObject().put("memory", 0).put("storage", 0).put("reserved_memory", 0)
            .put("reserved_storage", 0).put("accounts", 0).put("ha_assets", 0)
            .put("api", new JsonObject().put("total", 0).put("errors", 0)));
  }

  /** The resident set size as nats-server reports {@code mem}; the heap in use where /proc is missing. */
  static long residentMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the heap figure
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Percent of one core, as nats-server's {@code cpu} (may exceed 100 on several cores). */
  static double cpuPercent(int cores) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      if (load >= 0) {
        return Math.round(load * cores * 10000) / 100.0;
      }
    }
    return 0;
  }
}
