package io.tern.auth;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.ExportOptions;
import io.tern.common.config.ImportOptions;
import io.tern.common.config.MappingOptions;
import io.tern.common.config.PermissionsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A verified account JWT: the account's public key (its name in Tern), the keys that may sign its
 * users (scoped ones with their permission template), user revocations, default permissions,
 * limits, exports, imports (with activation tokens) and mappings.
 */
final class AccountClaims {
  final Jwt jwt;
  final String publicKey;
  /** Signing keys; the value is a scoped key's template, or null for a plain signing key. */
  final Map<String, JsonObject> signingKeys = new HashMap<>();
  final Map<String, Long> revocations = new HashMap<>();
  final PermissionsOptions defaultPermissions;
  final long maxConnections;
  final long maxSubscriptions;
  final long maxPayload;
  /** {@code limits.data}: parsed, not enforced (nats-server 2.9.10 does not enforce it either). */
  final long maxData;
  /**
   * The account's JetStream limits ({@code mem_storage}, {@code disk_storage}, {@code streams},
   * {@code consumer}); null when JetStream is off for it, as nats-server decides: both storage
   * limits absent or 0.
   */
  final io.tern.common.config.AccountJetStreamOptions jetStream;

  AccountClaims(Jwt jwt) {
    this.jwt = jwt;
    this.publicKey = jwt.subject();
    JsonObject nats = jwt.nats();
    for (Object k : nats.getJsonArray("signing_keys", new JsonArray())) {
      if (k instanceof String s) {
        signingKeys.put(s, null);
      } else if (k instanceof JsonObject scoped && scoped.getString("key") != null) {
        signingKeys.put(scoped.getString("key"), scoped.getJsonObject("template", new JsonObject()));
      }
    }
    JsonObject revs = nats.getJsonObject("revocations", new JsonObject());
    for (String user : revs.fieldNames()) {
      Number at = revs.getNumber(user);
      revocations.put(user, at == null ? 0 : at.longValue());
    }
    defaultPermissions = JwtPermissions.read(nats.getJsonObject("default_permissions"));
    JsonObject limits = nats.getJsonObject("limits", new JsonObject());
    maxConnections = limit(limits, "conn");
    maxSubscriptions = limit(limits, "subs");
    maxPayload = limit(limits, "payload");
    maxData = limit(limits, "data");
    jetStream = jetStreamLimits(limits);
  }

  private static io.tern.common.config.AccountJetStreamOptions jetStreamLimits(JsonObject limits) {
    long mem = limits.getNumber("mem_storage", 0).longValue();
    long disk = limits.getNumber("disk_storage", 0).longValue();
    if (mem == 0 && disk == 0) {
      return null;
    }
    return new io.tern.common.config.AccountJetStreamOptions(mem, disk, limit(limits, "streams"),
        limit(limits, "consumer"));
  }

  String name() {
    return jwt.name();
  }

  /** Whether {@code key} may issue this account's users: the account itself or one of its signing keys. */
  boolean mayIssueUsers(String key) {
    return publicKey.equals(key) || signingKeys.containsKey(key);
  }

  /** nats-server's rule: a user is revoked when its (or the {@code *}) revocation is at or after its issue time. */
  boolean revoked(String userKey, long issuedAt) {
    Long t = revocations.get(userKey);
    if (t != null && t >= issuedAt) {
      return true;
    }
    Long all = revocations.get("*");
    return all != null && all >= issuedAt;
  }

  /** The exports of this account as the router's account machinery knows them. */
  List<ExportOptions> exports(Map<String, AccountClaims> known) {
    List<ExportOptions> out = new ArrayList<>();
    for (Object o : jwt.nats().getJsonArray("exports", new JsonArray())) {
      if (o instanceof JsonObject e && e.getString("subject") != null) {
        boolean service = "service".equalsIgnoreCase(e.getString("type", "stream"));
        String response = e.getString("response_type", "Singleton").toLowerCase(Locale.ROOT);
        // A token-required export is open to exactly the accounts holding a valid activation.
        List<String> accounts = e.getBoolean("token_req", false) ? new ArrayList<>() : null;
        if (accounts != null) {
          for (AccountClaims importer : known.values()) {
            for (JsonObject imp : importer.importsOf(publicKey)) {
              if (activationValid(imp, importer.publicKey, e.getString("subject"))) {
                accounts.add(importer.publicKey);
              }
            }
          }
        }
        out.add(new ExportOptions(service, e.getString("subject"), accounts, response));
      }
    }
    return out;
  }

  private List<JsonObject> importsOf(String exporter) {
    List<JsonObject> out = new ArrayList<>();
    for (Object o : jwt.nats().getJsonArray("imports", new JsonArray())) {
      if (o instanceof JsonObject i && exporter.equals(i.getString("account"))) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * An activation token is a JWT the exporter (or one of its signing keys) issued to the importer
   * for the exported subject; it may expire.
   */
  private boolean activationValid(JsonObject imp, String importer, String exportSubject) {
    Jwt token = Jwt.tryDecode(imp.getString("token"));
    if (token == null || !token.signedBy(NKeys.PREFIX_ACCOUNT) || !mayIssueUsers(token.issuer())
        || !importer.equals(token.subject()) || token.outOfTime(System.currentTimeMillis() / 1000)) {
      return false;
    }
    String subject = token.nats().getString("subject");
    return subject != null && (subject.equals(exportSubject)
        || io.tern.common.subject.Subjects.matches(subject, exportSubject));
  }

  /** The imports of this account whose exporter is known and exports the subject to it. */
  List<ImportOptions> imports(Map<String, AccountClaims> known) {
    List<ImportOptions> out = new ArrayList<>();
    for (Object o : jwt.nats().getJsonArray("imports", new JsonArray())) {
      if (!(o instanceof JsonObject i) || i.getString("subject") == null) {
        continue;
      }
      AccountClaims exporter = known.get(i.getString("account"));
      boolean service = "service".equalsIgnoreCase(i.getString("type", "stream"));
      if (exporter == null || !exporter.exportsTo(service, i.getString("subject"), publicKey, known)) {
        continue;
      }
      String local = i.getString("local_subject");
      String to = i.getString("to");
      if (service) {
        out.add(new ImportOptions(true, exporter.publicKey, i.getString("subject"), null, local != null ? local : to));
      } else {
        // For streams the old "to" is a prefix; "local_subject" is the whole local subject.
        out.add(new ImportOptions(false, exporter.publicKey, i.getString("subject"), local == null ? to : null, local));
      }
    }
    return out;
  }

  private boolean exportsTo(boolean service, String subject, String importer, Map<String, AccountClaims> known) {
    for (ExportOptions e : exports(known)) {
      if (e.service() == service && e.allows(importer)
          && (e.subject().equals(subject) || io.tern.common.subject.Subjects.matches(subject, e.subject()))) {
        return true;
      }
    }
    return false;
  }

  /** The account options the router and the auth service's account machinery act on. */
  AccountOptions toAccountOptions(Map<String, AccountClaims> known) {
    AccountOptions a = new AccountOptions(publicKey);
    a.getExports().addAll(exports(known));
    a.getImports().addAll(imports(known));
    JsonObject mappings = jwt.nats().getJsonObject("mappings", new JsonObject());
    for (String source : mappings.fieldNames()) {
      List<MappingOptions.Destination> dests = new ArrayList<>();
      for (Object d : mappings.getJsonArray(source, new JsonArray())) {
        if (d instanceof JsonObject m && m.getString("subject") != null) {
          dests.add(new MappingOptions.Destination(m.getString("subject"), m.getInteger("weight", 100)));
        }
      }
      if (!dests.isEmpty()) {
        a.getMappings().add(new MappingOptions(source, dests));
      }
    }
    a.setDefaultPermissions(defaultPermissions);
    a.setMaxConnections(clamp(maxConnections)).setMaxSubscriptions(clamp(maxSubscriptions))
        .setMaxPayload(clamp(maxPayload));
    a.setJetStream(jetStream);
    return a;
  }

  private static int clamp(long v) {
    return v < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, v);
  }

  private static long limit(JsonObject limits, String key) {
    Number n = limits.getNumber(key);
    return n == null ? -1 : n.longValue();
  }
}
