package io.tern.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a parsed config (see {@link ConfigParser}) to {@link TernOptions}, key names matched without
 * regard to case as nats-server does.
 *
 * <p>Problems that make a value unusable (wrong type, bad duration, conflicting settings) are
 * {@link ConfigException}s naming the key's position. Keys Tern does not know are warnings, never
 * errors, worded as nats-server words them: {@code file:line:col: unknown field "foo"}. nats-server
 * itself refuses such files; keys it knows that Tern does not implement yet give a
 * {@code ... field "x" is not supported yet} warning.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** nats-server's top-level keys (2.9.10) that Tern accepts but does not act on yet. */
  private static final Set<String> NOT_SUPPORTED_TOP_LEVEL = Set.of(
      "trace_verbose", "disable_sublist_cache",
      "no_sublist_cache", "https",
      "syslog", "remote_syslog",
      "ports_file_dir", "prof_port", "max_traced_msg_len", "max_sub_tokens",
      "max_subscription_tokens", "ocsp", "allow_non_tls",
      "operator", "operators", "roots", "root", "root_operators", "root_operator", "resolver",
      "account_resolver", "accounts_resolver", "resolver_tls", "resolver_preload", "resolver_pinned_accounts",
      "no_system_account", "no_system", "no_sys_acc",
      "no_header_support", "trusted", "trusted_keys", "connect_error_reports", "reconnect_error_reports",
      "server_tags", "default_js_domain",
      // Newer nats-server releases know this one; 2.9.10 calls it an unknown field.
      "max_closed_clients");

  private static final Set<String> NOT_SUPPORTED_AUTHORIZATION = Set.of();

  private static final Set<String> NOT_SUPPORTED_JETSTREAM = Set.of(
      "domain", "extension_hint", "limits", "unique_tag",
      "max_outstanding_catchup");

  private ConfigLoader() {}

  /** Parses {@code file} and applies it to fresh defaults; warnings are logged. */
  public static TernOptions load(Path file) {
    TernOptions options = new TernOptions().setConfigFile(file);
    for (String warning : apply(ConfigParser.parse(file), options)) {
      LOG.warn("{}", warning);
    }
    return options;
  }

  /**
   * Applies the keys of {@code config} to {@code options}.
   *
   * @return warnings: unknown keys and keys not supported yet, each with its position when known
   * @throws ConfigException for a value that cannot be used
   */
  public static List<String> apply(Map<String, Object> config, TernOptions options) {
    List<String> warnings = new ArrayList<>();
    boolean storeDirSet = false;
    for (Map.Entry<String, Object> entry : config.entrySet()) {
      Field f = new Field(config, entry.getKey(), entry.getValue());
      switch (f.lowerName) {
        case "listen" -> {
          HostPort hp = f.hostPort();
          options.setHost(hp.host.isEmpty() ? "0.0.0.0" : hp.host).setPort(hp.port);
        }
        case "host", "net" -> options.setHost(f.string());
        case "port" -> options.setPort(f.intValue());
        case "server_name" -> options.setServerName(f.string());
        case "http" -> {
          HostPort hp = f.hostPort();
          options.setHttpHost(hp.host.isEmpty() ? null : hp.host).setHttpPort(hp.port);
        }
        case "http_port", "monitor_port" -> options.setHttpPort(f.intValue());
        case "max_payload" -> options.setMaxPayload(f.int32Value());
        case "max_control_line" -> options.setMaxControlLine(f.int32Value());
        case "max_pending" -> options.setMaxPending(f.longValue());
        case "max_connections", "max_conn" -> options.setMaxConnections(f.intValue());
        case "max_subscriptions", "max_subs" -> options.setMaxSubscriptions(f.intValue());
        case "ping_interval" -> options.setPingInterval(f.duration(warnings));
        case "ping_max" -> options.setPingMax(f.intValue());
        case "write_deadline" -> options.setWriteDeadline(f.duration(warnings));
        case "debug" -> options.setDebug(f.bool());
        case "trace" -> options.setTrace(f.bool());
        case "authorization" -> applyAuthorization(f, options, warnings);
        case "tls" -> TlsConfigLoader.apply(config, entry.getKey(), entry.getValue(), options, warnings);
        case "store_dir", "storedir" -> {
          if (storeDirSet) {
            throw f.error("Duplicate 'store_dir' configuration");
          }
          storeDirSet = true;
          options.getJetStream().setStoreDir(Path.of(f.string()));
        }
        case "websocket", "ws" -> WebSocketConfigLoader.apply(config, entry.getKey(), options.getWebSocket(), warnings);
        case "jetstream" -> storeDirSet |= applyJetStream(f, options.getJetStream(), storeDirSet, warnings);
        case "lame_duck_duration" -> {
          Duration d = f.duration(warnings);
          if (d.compareTo(Duration.ofSeconds(30)) < 0) {
            throw f.errorAtColumnZero("invalid lame_duck_duration of " + Durations.format(d)
                + ", minimum is 30 seconds");
          }
          options.setLameDuckDuration(d);
        }
        case "lame_duck_grace_period" -> {
          Duration d = f.duration(warnings);
          if (d.isNegative()) {
            throw f.errorAtColumnZero("invalid lame_duck_grace_period, needs to be positive");
          }
          options.setLameDuckGracePeriod(d);
        }
        case "logtime" -> options.setLogtime(f.bool());
        case "logfile", "log_file" -> options.setLogFile(Path.of(f.string()));
        case "logfile_size_limit", "log_size_limit" -> options.setLogSizeLimit(f.longValue());
        case "pidfile", "pid_file" -> options.setPidFile(Path.of(f.string()));
        case "https_port" -> options.setHttpsPort(f.intValue());
        case "http_base_path" -> options.setHttpBasePath(f.string());
        case "client_advertise" -> options.setClientAdvertise(f.string());
        case "mqtt" -> MqttConfig.apply(f.map(), f.position, options.getMqtt(), warnings);
        case "cluster" -> {
          InactiveBlocks.checkListenerBlock(f.name, f.map(), f.position);
          ClusterConfig.apply(f.map(), options.getCluster(), f.position, warnings);
        }
        case "gateway", "leafnodes", "leaf" -> {
          InactiveBlocks.checkListenerBlock(f.name, f.map(), f.position);
          inactive(options, f, warnings);
        }
        default -> {
          if (!AccountsConfigLoader.applyTopLevel(config, entry.getKey(), entry.getValue(), options, warnings)) {
            f.warnUnknownOrUnsupported(NOT_SUPPORTED_TOP_LEVEL, warnings);
          }
        }
      }
    }
    AccountsConfigLoader.finish(options);
    return warnings;
  }

  /** Stores a checked block Tern does not act on yet, with a warning saying so. */
  private static void inactive(TernOptions options, Field f, List<String> warnings) {
    options.getInactiveBlocks().put(f.lowerName, f.value);
    warnings.add(f.prefix() + "field \"" + f.name + "\" is read and checked but not active yet");
  }

  private static void applyAuthorization(Field block, TernOptions options, List<String> warnings) {
    Map<String, Object> map = block.map();
    AuthorizationOptions auth = options.getAuthorization();
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      Field f = new Field(map, entry.getKey(), entry.getValue());
      switch (f.lowerName) {
        case "user", "username" -> auth.setUser(f.string());
        case "pass", "password" -> auth.setPassword(f.string());
        case "token" -> auth.setToken(f.string());
        case "timeout" -> {
          // Seconds, possibly fractional; nats-server quietly takes 1 second for any other type.
          double seconds = f.value instanceof Long l ? l : f.value instanceof Double d ? d : 1.0;
          Duration timeout = Duration.ofNanos(Math.round(seconds * 1e9));
          auth.setTimeout(timeout);
          options.setAuthTimeout(timeout);
        }
        default -> {
          if (!AccountsConfigLoader.applyAuthorization(map, entry.getKey(), entry.getValue(), options, warnings)) {
            f.warnUnknownOrUnsupported(NOT_SUPPORTED_AUTHORIZATION, warnings);
          }
        }
      }
    }
    if ((auth.getUser() != null || auth.getPassword() != null) && auth.getToken() != null) {
      throw block.error("Cannot have a user/pass and token");
    }
  }

  /** @return whether the block set the store directory */
  private static boolean applyJetStream(Field f, JetStreamOptions js, boolean storeDirSet, List<String> warnings) {
    if (f.value instanceof Boolean b) {
      js.setEnabled(b);
      return false;
    }
    if (f.value instanceof String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "enabled", "enable" -> js.setEnabled(true);
        case "disabled", "disable" -> js.setEnabled(false);
        default -> throw f.error("Expected 'enabled' or 'disabled' for string value, got '" + s + "'");
      }
      return false;
    }
    if (!(f.value instanceof Map)) {
      throw f.error("Expected map, bool or string to define JetStream, got " + typeName(f.value));
    }
    Map<String, Object> map = f.map();
    boolean enabled = true;
    boolean setsStoreDir = false;
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      Field k = new Field(map, entry.getKey(), entry.getValue());
      switch (k.lowerName) {
        case "store", "store_dir", "storedir" -> {
          if (storeDirSet || setsStoreDir) {
            throw k.error("Duplicate 'store_dir' configuration");
          }
          setsStoreDir = true;
          js.setStoreDir(Path.of(k.string()));
        }
        case "max_memory_store", "max_mem_store", "max_mem" -> js.setMaxMemoryStore(k.storageSize());
        case "max_file_store", "max_file" -> js.setMaxFileStore(k.storageSize());
        case "enable", "enabled" -> enabled = k.bool();
        case "sync_interval", "sync" -> js.setSyncInterval(
            k.value instanceof String str && str.equalsIgnoreCase("always") ? null : k.duration(warnings));
        case "key", "ek", "encryption_key", "cipher" -> applyEncryption(k, js.getEncryption());
        default -> k.warnUnknownOrUnsupported(NOT_SUPPORTED_JETSTREAM, warnings);
      }
    }
    js.setEnabled(enabled);
    return setsStoreDir;
  }

  private static void applyEncryption(Field k, JetStreamEncryptionOptions enc) {
    if (k.lowerName.equals("cipher")) {
      try {
        enc.setCipher(JetStreamEncryptionOptions.Cipher.parse(k.string()));
      } catch (IllegalArgumentException e) {
        throw k.error(e.getMessage());
      }
    } else {
      enc.setKey(k.string());
    }
  }

  private static String typeName(Object value) {
    if (value instanceof String) return "string";
    if (value instanceof Long) return "integer";
    if (value instanceof Double) return "float";
    if (value instanceof Boolean) return "boolean";
    if (value instanceof Map) return "map";
    if (value instanceof List) return "array";
    if (value instanceof java.time.Instant) return "datetime";
    return value == null ? "nothing" : value.getClass().getSimpleName();
  }

  private record HostPort(String host, int port) {}

  /** One key of a block with its value and position, and the typed reads the loader needs. */
  private static final class Field {
    final String name;
    final String lowerName;
    final Object value;
    final ConfigPosition position;
    final boolean usedAsVariable;

    Field(Map<String, Object> block, String name, Object value) {
      this.name = name;
      this.lowerName = name.toLowerCase(Locale.ROOT);
      this.value = value;
      ConfigMap parsed = block instanceof ConfigMap m ? m : null;
      this.position = parsed == null ? null : parsed.positionOf(name);
      this.usedAsVariable = parsed != null && parsed.isUsedAsVariable(name);
    }

    /** nats-server reports some value errors at column 0 of the key's line. */
    ConfigException errorAtColumnZero(String reason) {
      return new ConfigException(position == null ? null : new ConfigPosition(position.file(), position.line(), 0), reason);
    }

    ConfigException error(String reason) {
      return new ConfigException(position, reason);
    }

    private ConfigException typeError(String expected) {
      String shown = value instanceof String s ? " \"" + s + "\"" : value instanceof Map || value instanceof List
          ? "" : " " + value;
      return error(name + ": expected " + expected + ", got " + typeName(value) + shown);
    }

    String string() {
      if (value instanceof String s) {
        return s;
      }
      throw typeError("a string");
    }

    boolean bool() {
      if (value instanceof Boolean b) {
        return b;
      }
      throw typeError("a boolean");
    }

    long longValue() {
      if (value instanceof Long l) {
        return l;
      }
      throw typeError("an integer");
    }

    int intValue() {
      long l = longValue();
      if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
        throw error(name + " value is too big");
      }
      return (int) l;
    }

    /** nats-server's check for max_payload and max_control_line, which are int32 there. */
    int int32Value() {
      long l = longValue();
      if (l > Integer.MAX_VALUE) {
        throw error(name + " value is too big");
      }
      return (int) l;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      if (value instanceof Map) {
        return (Map<String, Object>) value;
      }
      throw typeError("a map");
    }

    /** A Go duration string, or (deprecated in nats-server, with a warning) an integer number of seconds. */
    Duration duration(List<String> warnings) {
      if (value instanceof String s) {
        try {
          return Durations.parse(s);
        } catch (IllegalArgumentException e) {
          throw error("error parsing " + lowerName + ": " + e.getMessage());
        }
      }
      if (value instanceof Long seconds) {
        warnings.add(prefix() + "invalid use of field \"" + lowerName + "\": " + lowerName
            + " should be converted to a duration");
        return Duration.ofSeconds(seconds);
      }
      throw typeError("a duration string");
    }

    /** {@code port} alone or a {@code host:port} string, split as Go's net.SplitHostPort does. */
    HostPort hostPort() {
      if (value instanceof Long l) {
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
          throw error(name + " value is too big");
        }
        return new HostPort("", (int) (long) l);
      }
      if (!(value instanceof String s)) {
        throw error("expected port or host:port, got " + typeName(value));
      }
      String host;
      String port;
      if (s.startsWith("[")) {
        int end = s.indexOf(']');
        if (end < 0 || end + 1 >= s.length() || s.charAt(end + 1) != ':') {
          throw error("could not parse address string \"" + s + "\"");
        }
        host = s.substring(1, end);
        port = s.substring(end + 2);
      } else {
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.substring(0, colon).contains(":") || s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
          throw error("could not parse address string \"" + s + "\"");
        }
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      }
      try {
        return new HostPort(host, Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw error("could not parse port \"" + port + "\"");
      }
    }

    /** An integer, or a string number with a binary K/M/G/T suffix (the only string form nats-server takes). */
    long storageSize() {
      if (value instanceof Long l) {
        return l;
      }
      if (!(value instanceof String s)) {
        throw error(lowerName + " must be int64 or string");
      }
      if (s.isEmpty()) {
        return 0;
      }
      long number;
      String digits = s.substring(0, s.length() - 1);
      try {
        number = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error(lowerName + ": invalid size \"" + s + "\"");
      }
      int shift = switch (s.charAt(s.length() - 1)) {
        case 'K' -> 10;
        case 'M' -> 20;
        case 'G' -> 30;
        case 'T' -> 40;
        default -> throw error(lowerName + " sizes defined as strings must end in K, M, G, T");
      };
      return number << shift;
    }

    void warnUnknownOrUnsupported(Set<String> notSupported, List<String> warnings) {
      if (notSupported.contains(lowerName)) {
        warnings.add(prefix() + "field \"" + name + "\" is not supported yet, ignored");
      } else if (!usedAsVariable) {
        warnings.add(prefix() + "unknown field \"" + name + "\"");
      }
    }

    private String prefix() {
      return position == null ? "" : position + ": ";
    }
  }
}
