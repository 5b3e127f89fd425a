package io.tern.common.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the top-level {@code tls} block into {@link TlsOptions}; {@link ConfigLoader} hands it over. */
public final class TlsConfigLoader {
  private TlsConfigLoader() {}

  @SuppressWarnings("unchecked")
  static void apply(Map<String, Object> parent, String key, Object value, TernOptions options, List<String> warnings) {
    ConfigPosition pos = parent instanceof ConfigMap m ? m.positionOf(key) : null;
    if (!(value instanceof Map<?, ?>)) {
      throw new ConfigException(pos, "tls: expected a map");
    }
    Map<String, Object> map = (Map<String, Object>) value;
    TlsOptions tls = new TlsOptions();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      ConfigPosition at = map instanceof ConfigMap m ? m.positionOf(e.getKey()) : pos;
      Object v = e.getValue();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "cert_file" -> tls.setCertFile(string(v, at));
        case "key_file" -> tls.setKeyFile(string(v, at));
        case "ca_file" -> tls.setCaFile(string(v, at));
        case "verify" -> tls.setVerify(bool(v, at));
        case "verify_and_map" -> tls.setVerifyAndMap(bool(v, at));
        case "timeout" -> {
          double seconds = v instanceof Long l ? l : v instanceof Double d ? d : 2.0;
          tls.setTimeout(Duration.ofNanos(Math.round(seconds * 1e9)));
        }
        default -> warnings.add((at == null ? "" : at + ": ") + "field \"" + e.getKey()
            + "\" is not supported yet, ignored");
      }
    }
    // nats-server's texts, reported at column 0 of the block's line as it does.
    ConfigPosition at0 = pos == null ? null : new ConfigPosition(pos.file(), pos.line(), 0);
    if (tls.getCertFile() == null) {
      throw new ConfigException(at0, "missing 'cert_file' in TLS configuration");
    }
    if (tls.getKeyFile() == null) {
      throw new ConfigException(at0, "missing 'key_file' in TLS configuration");
    }
    if (tls.isVerify() && tls.getCaFile() == null) {
      throw new ConfigException(pos, "verify requires 'ca_file' in TLS configuration");
    }
    options.setTls(tls);
  }

  private static String string(Object v, ConfigPosition pos) {
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(pos, "expected a string");
  }

  private static boolean bool(Object v, ConfigPosition pos) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(pos, "expected a boolean");
  }
}
