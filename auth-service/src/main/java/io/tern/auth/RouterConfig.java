package io.tern.auth;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
import io.tern.common.config.ExportOptions;
import io.tern.common.config.ImportOptions;
import io.tern.common.config.MappingOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The part of the account configuration routers act on, as the JSON published on
 * {@code tern.accounts}: per account its mappings, who imports its streams (with prefix/to), and
 * its service imports; plus the secret that signs cross-account reply subjects.
 */
final class RouterConfig {
  private RouterConfig() {
  }

  static JsonObject build(AccountsOptions options, String secret, long version) {
    JsonArray accounts = new JsonArray();
    for (AccountOptions a : options.getAccounts().values()) {
      JsonObject acc = new JsonObject().put("name", a.getName());
      JsonArray mappings = new JsonArray();
      for (MappingOptions m : a.getMappings()) {
        JsonArray dests = new JsonArray();
        for (MappingOptions.Destination d : m.destinations()) {
          dests.add(new JsonObject().put("subject", d.subject()).put("weight", d.weight()));
        }
        mappings.add(new JsonObject().put("source", m.source()).put("destinations", dests));
      }
      JsonArray streamExports = new JsonArray();
      for (AccountOptions importer : options.getAccounts().values()) {
        for (ImportOptions imp : importer.getImports()) {
          if (!imp.service() && imp.account().equals(a.getName())) {
            streamExports.add(new JsonObject().put("subject", imp.subject()).put("account", importer.getName())
                .put("local", imp.localSubject()));
          }
        }
      }
      JsonArray serviceImports = new JsonArray();
      for (ImportOptions imp : a.getImports()) {
        if (imp.service()) {
          AccountOptions exporter = options.getAccounts().get(imp.account());
          ExportOptions export = serviceExport(exporter, imp);
          JsonObject si = new JsonObject().put("local", imp.localSubject()).put("account", imp.account())
              .put("subject", imp.subject()).put("response", export == null ? "singleton" : export.responseType());
          if (export != null && export.responseThreshold() != null) {
            si.put("threshold_ms", Math.max(1, export.responseThreshold().toMillis()));
          }
          serviceImports.add(si);
        }
      }
      acc.put("mappings", mappings).put("stream_exports", streamExports).put("service_imports", serviceImports);
      if (a.getJetStream() != null) {
        // For the stream service: an account JWT's JetStream limits (-1 unlimited).
        var js = a.getJetStream();
        acc.put("jetstream", new JsonObject().put("max_memory", js.getMaxMemory()).put("max_storage", js.getMaxStore())
            .put("max_streams", js.getMaxStreams()).put("max_consumers", js.getMaxConsumers()));
      }
      accounts.add(acc);
    }
    return new JsonObject().put("version", version).put("secret", secret).put("accounts", accounts);
  }

  /** The service export {@code imp} imports (its response type and threshold), or null. */
  private static ExportOptions serviceExport(AccountOptions exporter, ImportOptions imp) {
    if (exporter != null) {
      for (ExportOptions ex : exporter.getExports()) {
        if (ex.service() && (ex.subject().equals(imp.subject())
            || io.tern.common.subject.Subjects.matches(imp.subject(), ex.subject()))) {
          return ex;
        }
      }
    }
    return null;
  }
}
