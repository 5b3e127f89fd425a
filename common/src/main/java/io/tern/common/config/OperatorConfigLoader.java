package io.tern.common.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the operator-mode keys into {@link OperatorOptions}: {@code operator} (a JWT, a file holding
 * one, or a list of them), {@code resolver} and {@code resolver_preload}. Errors use nats-server
 * 2.9.10's words where it was checked. Signatures are checked by the auth service, not here.
 */
public final class OperatorConfigLoader {

  private OperatorConfigLoader() {}

  /** Applies one top-level key; returns false when the key is not one of this loader's. */
  public static boolean applyTopLevel(Map<String, Object> block, String key, Object value, TernOptions options,
                                      List<String> warnings) {
    OperatorOptions op = options.getOperator();
    ConfigPosition pos = block instanceof ConfigMap m ? m.positionOf(key) : null;
    switch (key.toLowerCase(Locale.ROOT)) {
      case "operator", "operators", "root", "roots", "root_operators", "root_operator" -> {
        for (Object o : value instanceof List<?> l ? l : List.of(value)) {
          if (!(o instanceof String s)) {
            throw new ConfigException(pos, "error parsing operator JWT: expected a string");
          }
          String jwt = readJwt(s, pos);
          op.getOperatorJwts().add(jwt);
          if (op.getOperatorSystemAccount() == null) {
            op.setOperatorSystemAccount(claims(jwt, pos).getJsonObject("nats", new JsonObject())
                .getString("system_account"));
          }
        }
      }
      case "resolver", "account_resolver", "accounts_resolver" -> applyResolver(value, pos, op);
      case "resolver_preload" -> {
        if (!(value instanceof Map<?, ?> m)) {
          throw new ConfigException(pos, "preload should be a map of account_public_key:account_jwt");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
          ConfigPosition at = m instanceof ConfigMap cm ? cm.positionOf((String) e.getKey()) : pos;
          if (!(e.getValue() instanceof String jwt) || jwt.split("\\.", -1).length != 3) {
            throw new ConfigException(at, "invalid account JWT");
          }
          op.getPreload().put((String) e.getKey(), jwt);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Operator mode needs authentication from every client and a nonce in INFO to sign. */
  public static void finish(TernOptions options) {
    OperatorOptions op = options.getOperator();
    if (!op.isEnabled()) {
      return;
    }
    options.getAuthorization().setUsersConfigured(true).setNonceRequired(true);
    AccountsOptions accounts = options.getAccounts();
    if (AccountsOptions.SYSTEM.equals(accounts.getSystemAccount()) && op.getOperatorSystemAccount() != null) {
      accounts.setSystemAccount(op.getOperatorSystemAccount());
    }
  }

  private static void applyResolver(Object value, ConfigPosition pos, OperatorOptions op) {
    if (value instanceof String s) {
      String upper = s.trim().toUpperCase(Locale.ROOT);
      if (upper.equals("MEM") || upper.equals("MEMORY")) {
        op.setResolverType(OperatorOptions.ResolverType.MEMORY);
        return;
      }
      throw new ConfigException(pos, "URL account resolvers are not supported, use MEMORY or the built-in resolver");
    }
    if (!(value instanceof Map<?, ?> raw)) {
      throw badResolver(pos);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) raw;
    OperatorOptions.ResolverType type = null;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      ConfigPosition at = map instanceof ConfigMap cm ? cm.positionOf(e.getKey()) : pos;
      Object v = e.getValue();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "type" -> {
          String t = v instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
          type = switch (t) {
            case "full" -> OperatorOptions.ResolverType.FULL;
            case "cache" -> OperatorOptions.ResolverType.CACHE;
            default -> throw badResolver(pos);
          };
        }
        case "dir" -> {
          if (!(v instanceof String s) || s.isEmpty()) {
            throw new ConfigException(pos, "dir has no value and needs to point to a directory");
          }
          op.setDir(Path.of(s));
        }
        case "allow_delete" -> op.setAllowDelete(Boolean.TRUE.equals(v));
        case "limit" -> op.setLimit(v instanceof Long l ? (int) Math.min(Integer.MAX_VALUE, l) : op.getLimit());
        case "interval" -> {
          if (v instanceof String s) {
            op.setInterval(Durations.parse(s));
          }
        }
        case "ttl", "timeout" -> {
          // Peer sync and cache expiry: meaningful with several servers; one store is shared here.
        }
        default -> throw new ConfigException(at, "unknown field \"" + e.getKey() + "\"");
      }
    }
    if (type == null) {
      throw badResolver(pos);
    }
    if (op.getDir() == null) {
      throw new ConfigException(pos, "dir has no value and needs to point to a directory");
    }
    op.setResolverType(type);
  }

  private static ConfigException badResolver(ConfigPosition pos) {
    return new ConfigException(pos, "error parsing account resolver, should be MEM or  URL(\"url\") or a map "
        + "containing dir and type state=[FULL|CACHE])");
  }

  /** A JWT given inline, or read from the file it names (the first line that looks like one). */
  private static String readJwt(String value, ConfigPosition pos) {
    String v = value.trim();
    if (v.startsWith("eyJ") || v.indexOf('.') > 0 && !Files.exists(Path.of(v))) {
      return v;
    }
    try {
      for (String line : Files.readAllLines(Path.of(v), StandardCharsets.UTF_8)) {
        String l = line.trim();
        if (l.startsWith("eyJ")) {
          return l;
        }
      }
    } catch (IOException e) {
      throw new ConfigException(pos, "error parsing operator JWT: " + e.getMessage());
    }
    throw new ConfigException(pos, "error parsing operator JWT: no JWT in " + v);
  }

  private static JsonObject claims(String jwt, ConfigPosition pos) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new ConfigException(pos, "error parsing operator JWT: expected 3 chunks");
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new ConfigException(pos, "error parsing operator JWT: " + e.getMessage());
    }
  }
}
