package io.tern.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the {@code websocket} (alias {@code ws}) block of a parsed config to
 * {@link WebSocketOptions}, with nats-server's key names and error texts. Unknown keys are warnings,
 * as everywhere in Tern's config loading.
 */
public final class WebSocketConfigLoader {

  private WebSocketConfigLoader() {}

  /** Applies {@code block.get(key)}, which must be a map, to {@code ws}; warnings go to {@code warnings}. */
  public static void apply(Map<String, Object> block, String key, WebSocketOptions ws, List<String> warnings) {
    Map<String, Object> map = map(block, key);
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      String name = entry.getKey();
      Object value = entry.getValue();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "listen" -> listen(map, name, ws);
        case "host", "net" -> ws.setHost(string(map, name));
        case "port" -> ws.setPort(port(map, name, value));
        case "advertise" -> ws.setAdvertise(string(map, name));
        case "no_tls" -> ws.setNoTls(bool(map, name));
        case "tls" -> ws.setTls(tls(map, name));
        case "same_origin" -> ws.setSameOrigin(bool(map, name));
        case "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin" ->
            ws.setAllowedOrigins(strings(map, name));
        case "compression", "compress" -> ws.setCompression(bool(map, name));
        case "handshake_timeout" -> ws.setHandshakeTimeout(duration(map, name));
        case "authorization", "authentication" -> ws.setAuthorization(authorization(map, name, warnings));
        case "no_auth_user" -> ws.setNoAuthUser(string(map, name));
        case "jwt_cookie" -> ws.setJwtCookie(string(map, name));
        default -> {
          if (!(map instanceof ConfigMap c && c.isUsedAsVariable(name))) {
            warnings.add(prefix(map, name) + "unknown field \"" + name + "\"");
          }
        }
      }
    }
  }

  private static void listen(Map<String, Object> map, String name, WebSocketOptions ws) {
    Object value = map.get(name);
    if (value instanceof Long l) {
      ws.setPort(port(map, name, l));
      return;
    }
    String s = string(map, name);
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw error(map, name, "could not parse address string \"" + s + "\"");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      ws.setPort(Integer.parseInt(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw error(map, name, "could not parse port \"" + s.substring(colon + 1) + "\"");
    }
    if (!host.isEmpty()) {
      ws.setHost(host);
    }
  }

  private static TlsOptions tls(Map<String, Object> block, String name) {
    Map<String, Object> map = map(block, name);
    TlsOptions tls = new TlsOptions();
    for (String key : map.keySet()) {
      switch (key.toLowerCase(Locale.ROOT)) {
        case "cert_file" -> tls.setCertFile(string(map, key));
        case "key_file" -> tls.setKeyFile(string(map, key));
        case "ca_file" -> tls.setCaFile(string(map, key));
        case "verify" -> tls.setVerify(bool(map, key));
        default -> throw error(map, key, "error parsing tls config, unknown field [\"" + key + "\"]");
      }
    }
    if (tls.getCertFile() == null) {
      throw error(block, name, "missing 'cert_file' in TLS configuration");
    }
    if (tls.getKeyFile() == null) {
      throw error(block, name, "missing 'key_file' in TLS configuration");
    }
    return tls;
  }

  private static AuthorizationOptions authorization(Map<String, Object> block, String name, List<String> warnings) {
    Map<String, Object> map = map(block, name);
    AuthorizationOptions auth = new AuthorizationOptions();
    for (String key : map.keySet()) {
      switch (key.toLowerCase(Locale.ROOT)) {
        case "user", "username" -> auth.setUser(string(map, key));
        case "pass", "password" -> auth.setPassword(string(map, key));
        case "token" -> auth.setToken(string(map, key));
        case "timeout" -> {
          Object v = map.get(key);
          double seconds = v instanceof Long l ? l : v instanceof Double d ? d : 1.0;
          auth.setTimeout(Duration.ofNanos(Math.round(seconds * 1e9)));
        }
        default -> warnings.add(prefix(map, key) + "field \"" + key + "\" is not supported yet, ignored");
      }
    }
    return auth;
  }

  // ---- typed reads, with nats-server's wording for wrong types ----

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> block, String name) {
    Object value = block.get(name);
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw error(block, name, "Expected " + name + " to be a map/struct, got " + value);
  }

  private static String string(Map<String, Object> block, String name) {
    Object value = block.get(name);
    if (value instanceof String s) {
      return s;
    }
    throw error(block, name, name + ": expected a string, got " + value);
  }

  private static boolean bool(Map<String, Object> block, String name) {
    Object value = block.get(name);
    if (value instanceof Boolean b) {
      return b;
    }
    throw error(block, name, name + ": expected a boolean, got " + value);
  }

  private static int port(Map<String, Object> block, String name, Object value) {
    if (value instanceof Long l && l >= -1 && l <= 65535) {
      return (int) (long) l;
    }
    throw error(block, name, name + ": expected a port number, got " + value);
  }

  private static List<String> strings(Map<String, Object> block, String name) {
    Object value = block.get(name);
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      out.add(s);
      return out;
    }
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw error(block, name, "error parsing allowed origins: unsupported type " + o);
        }
        out.add(s);
      }
      return out;
    }
    throw error(block, name, "error parsing allowed origins: unsupported type " + value);
  }

  /** A Go duration string, or a whole number of seconds (nats-server accepts both here). */
  private static Duration duration(Map<String, Object> block, String name) {
    Object value = block.get(name);
    if (value instanceof Long seconds) {
      return Duration.ofSeconds(seconds);
    }
    if (value instanceof String s) {
      try {
        return Durations.parse(s);
      } catch (IllegalArgumentException e) {
        throw error(block, name, "error parsing handshake timeout: " + e.getMessage());
      }
    }
    throw error(block, name, "error parsing handshake timeout: unsupported type " + value);
  }

  private static ConfigException error(Map<String, Object> block, String name, String reason) {
    return new ConfigException(position(block, name), reason);
  }

  private static ConfigPosition position(Map<String, Object> block, String name) {
    return block instanceof ConfigMap c ? c.positionOf(name) : null;
  }

  private static String prefix(Map<String, Object> block, String name) {
    ConfigPosition p = position(block, name);
    return p == null ? "" : p + ": ";
  }
}
