package io.tern.common.config;

import io.tern.common.subject.SubjectTransform;
import io.tern.common.subject.Subjects;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the security and multi-tenancy parts of a config into {@link AccountsOptions}:
 * {@code authorization { users, default_permissions }}, {@code accounts}, {@code mappings},
 * {@code no_auth_user} and {@code system_account}. {@link ConfigLoader} hands it those keys.
 * Errors are {@link ConfigException}s with nats-server's wording where it was checked.
 */
public final class AccountsConfigLoader {

  private AccountsConfigLoader() {}

  /**
   * Applies one top-level key; returns false when the key is not one of this loader's.
   */
  public static boolean applyTopLevel(Map<String, Object> block, String key, Object value, TernOptions options,
                                      List<String> warnings) {
    AccountsOptions accounts = options.getAccounts();
    ConfigPosition pos = position(block, key);
    switch (key.toLowerCase(Locale.ROOT)) {
      case "accounts" -> {
        parseAccounts(value, pos, accounts, warnings);
        checkImports(accounts, pos);
      }
      case "mappings", "maps" -> accounts.account(AccountsOptions.GLOBAL).getMappings()
          .addAll(parseMappings(value, pos));
      case "no_auth_user" -> accounts.setNoAuthUser(string(value, key, pos));
      case "system_account", "system" -> accounts.setSystemAccount(string(value, key, pos));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Applies one key of the {@code authorization} block; returns false when it is not one of this loader's. */
  public static boolean applyAuthorization(Map<String, Object> block, String key, Object value,
                                           TernOptions options, List<String> warnings) {
    AccountsOptions accounts = options.getAccounts();
    ConfigPosition pos = position(block, key);
    switch (key.toLowerCase(Locale.ROOT)) {
      case "users" -> accounts.getUsers().addAll(parseUsers(value, pos, AccountsOptions.GLOBAL, warnings));
      case "default_permissions", "default_permission" ->
          accounts.setDefaultPermissions(parsePermissions(value, pos, warnings));
      case "permissions" -> options.getAuthorization().setPermissions(parsePermissions(value, pos, warnings));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Checks what needs the whole file (users known, {@code no_auth_user}) and marks auth as required. */
  public static void finish(TernOptions options) {
    AccountsOptions accounts = options.getAccounts();
    List<UserOptions> users = accounts.allUsers();
    Set<String> names = new HashSet<>();
    for (UserOptions u : users) {
      if (!names.add(u.name())) {
        throw new ConfigException(null, "Duplicate user \"" + u.name() + "\" detected");
      }
    }
    String noAuth = accounts.getNoAuthUser();
    if (noAuth != null && !names.contains(noAuth)) {
      throw new ConfigException(null, "no_auth_user: \"" + noAuth
          + "\" not present as user or nkey in authorization block or account configuration");
    }
    if (!users.isEmpty() && (options.getAuthorization().getUser() != null
        || options.getAuthorization().getToken() != null)) {
      throw new ConfigException(null, "Can not have a single user/pass and a users array");
    }
    options.getAuthorization().setUsersConfigured(!users.isEmpty());
    options.getAuthorization().setNonceRequired(accounts.hasNkeyUsers());
  }

  // ---- accounts ----

  private static void parseAccounts(Object value, ConfigPosition pos, AccountsOptions out, List<String> warnings) {
    if (value instanceof List<?> names) {
      for (Object n : names) {
        out.account(string(n, "accounts", pos));
      }
      return;
    }
    Map<String, Object> map = map(value, "accounts", pos);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String name = e.getKey();
      ConfigPosition at = position(map, name);
      AccountOptions account = out.account(name);
      if (e.getValue() == null) {
        continue;
      }
      Map<String, Object> body = map(e.getValue(), name, at);
      for (Map.Entry<String, Object> f : body.entrySet()) {
        ConfigPosition fp = position(body, f.getKey());
        Object v = f.getValue();
        switch (f.getKey().toLowerCase(Locale.ROOT)) {
          case "users" -> account.getUsers().addAll(parseUsers(v, fp, name, warnings));
          case "exports" -> {
            for (Object x : list(v, "exports", fp)) {
              account.getExports().add(parseExport(map(x, "exports", fp), fp));
            }
          }
          case "imports" -> {
            for (Object x : list(v, "imports", fp)) {
              account.getImports().add(parseImport(map(x, "imports", fp), fp));
            }
          }
          case "mappings", "maps" -> account.getMappings().addAll(parseMappings(v, fp));
          case "default_permissions", "default_permission" ->
              account.setDefaultPermissions(parsePermissions(v, fp, warnings));
          case "limits" -> parseLimits(map(v, "limits", fp), account, fp, warnings);
          case "jetstream" -> account.setJetStream(AccountJetStreamOptions.parse(v, fp));
          default -> warnings.add(prefix(fp) + "field \"" + f.getKey() + "\" is not supported yet, ignored");
        }
      }
    }
  }

  private static void parseLimits(Map<String, Object> map, AccountOptions account, ConfigPosition pos,
                                  List<String> warnings) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      ConfigPosition at = position(map, e.getKey());
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "max_connections", "max_conn" -> account.setMaxConnections(integer(e.getValue(), e.getKey(), at));
        case "max_subscriptions", "max_subs" -> account.setMaxSubscriptions(integer(e.getValue(), e.getKey(), at));
        case "max_payload", "max_pay" -> account.setMaxPayload(integer(e.getValue(), e.getKey(), at));
        default -> warnings.add(prefix(at) + "field \"" + e.getKey() + "\" is not supported yet, ignored");
      }
    }
  }

  private static ExportOptions parseExport(Map<String, Object> map, ConfigPosition pos) {
    String stream = null;
    String service = null;
    List<String> accounts = null;
    String response = null;
    java.time.Duration threshold = null;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "stream" -> stream = string(v, "stream", pos);
        case "service" -> service = string(v, "service", pos);
        case "accounts" -> accounts = strings(v, "accounts", pos);
        case "response", "response_type" -> response = string(v, "response", pos).toLowerCase(Locale.ROOT);
        case "threshold", "response_threshold", "response_max_time", "response_time" ->
            threshold = ResponseThresholds.parse(v, pos);
        default -> {
          // latency, account_token_position: accepted, not acted on
        }
      }
    }
    if ((stream == null) == (service == null)) {
      throw new ConfigException(pos, "Detected stream and service in export, or neither");
    }
    if (stream != null && (response != null || threshold != null)) {
      throw new ConfigException(pos, "Detected response directive on non-service");
    }
    String subject = stream != null ? stream : service;
    if (!Subjects.isValidSubject(subject)) {
      throw new ConfigException(pos, "invalid export subject \"" + subject + "\"");
    }
    if (response != null && !Set.of("singleton", "stream", "chunked").contains(response)) {
      throw new ConfigException(pos, "Unknown response type: \"" + response + "\"");
    }
    return new ExportOptions(service != null, subject, accounts, response == null ? "singleton" : response,
        threshold);
  }

  private static ImportOptions parseImport(Map<String, Object> map, ConfigPosition pos) {
    Map<String, Object> stream = null;
    Map<String, Object> service = null;
    String prefix = null;
    String to = null;
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "stream" -> stream = map(v, "stream", pos);
        case "service" -> service = map(v, "service", pos);
        case "prefix" -> prefix = string(v, "prefix", pos);
        case "to" -> to = string(v, "to", pos);
        default -> {
          // share, allow_trace: accepted, not acted on
        }
      }
    }
    if ((stream == null) == (service == null)) {
      throw new ConfigException(pos, "Detected stream and service in import, or neither");
    }
    Map<String, Object> src = stream != null ? stream : service;
    String account = null;
    String subject = null;
    for (Map.Entry<String, Object> e : src.entrySet()) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "account" -> account = string(e.getValue(), "account", pos);
        case "subject" -> subject = string(e.getValue(), "subject", pos);
        default -> {
        }
      }
    }
    if (account == null || subject == null) {
      throw new ConfigException(pos, "Expect an account name and a subject");
    }
    if (service != null && prefix != null) {
      throw new ConfigException(pos, "Detected a prefix in a service import");
    }
    return new ImportOptions(service != null, account, subject, prefix, to);
  }

  /**
   * Imports must name an existing account that exports a covering subject to the importer, and
   * must not form a cycle (a message flowing back into the account it left).
   */
  private static void checkImports(AccountsOptions accounts, ConfigPosition pos) {
    for (AccountOptions a : accounts.getAccounts().values()) {
      for (ImportOptions imp : a.getImports()) {
        String kind = imp.service() ? "service" : "stream";
        AccountOptions from = accounts.getAccounts().get(imp.account());
        if (from == null) {
          throw new ConfigException(pos, "Error adding " + kind + " import \"" + imp.subject()
              + "\": account \"" + imp.account() + "\" not found");
        }
        boolean exported = false;
        for (ExportOptions ex : from.getExports()) {
          if (ex.service() == imp.service() && Subjects.matches(imp.subject(), ex.subject())
              || ex.service() == imp.service() && ex.subject().equals(imp.subject())) {
            exported |= ex.allows(a.getName());
          }
        }
        if (!exported) {
          throw new ConfigException(pos, "Error adding " + kind + " import \"" + imp.subject()
              + "\": " + kind + " import not authorized");
        }
        if (formsCycle(accounts, a.getName(), imp)) {
          throw new ConfigException(pos, "Error adding " + kind + " import \"" + imp.subject()
              + "\": import forms a cycle");
        }
      }
    }
  }

  /**
   * Whether a message can go round: for a stream import, published in the exporter, copied into the
   * importer, and from there back to the exporter; for a service import, sent from the importer to
   * the exporter and from there back to the importer.
   */
  private static boolean formsCycle(AccountsOptions accounts, String importer, ImportOptions start) {
    record Hop(String account, String subject) {}
    Deque<Hop> todo = new ArrayDeque<>();
    Set<Hop> seen = new HashSet<>();
    String origin = start.service() ? importer : start.account();
    todo.add(start.service() ? new Hop(start.account(), start.subject())
        : new Hop(importer, start.localSubject()));
    while (!todo.isEmpty()) {
      Hop h = todo.poll();
      if (h.account.equals(origin)) {
        return true;
      }
      if (!seen.add(h) || seen.size() > 10_000) {
        continue;
      }
      for (AccountOptions next : accounts.getAccounts().values()) {
        for (ImportOptions imp : next.getImports()) {
          if (imp.service() != start.service()) {
            continue;
          }
          if (start.service()) {
            // h.account sends requests on h.subject: an import of its own forwards them further.
            if (next.getName().equals(h.account) && Subjects.overlaps(imp.localSubject(), h.subject)) {
              todo.add(new Hop(imp.account(), imp.subject()));
            }
          } else if (imp.account().equals(h.account) && Subjects.overlaps(imp.subject(), h.subject)) {
            todo.add(new Hop(next.getName(), imp.localSubject()));
          }
        }
      }
    }
    return false;
  }

  // ---- mappings ----

  private static List<MappingOptions> parseMappings(Object value, ConfigPosition pos) {
    Map<String, Object> map = map(value, "mappings", pos);
    List<MappingOptions> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      ConfigPosition at = position(map, e.getKey());
      String source = e.getKey();
      if (!Subjects.isValidSubject(source)) {
        throw new ConfigException(at, "invalid mapping source subject \"" + source + "\"");
      }
      List<MappingOptions.Destination> dests = new ArrayList<>();
      if (e.getValue() instanceof String s) {
        dests.add(new MappingOptions.Destination(s, 100));
      } else if (!(e.getValue() instanceof List<?>) && !(e.getValue() instanceof Map<?, ?>)) {
        // nats-server's words for a destination that is neither a subject nor weighted entries.
        throw new ConfigException(at, "Expected an entry for the mapping destination");
      } else {
        for (Object o : e.getValue() instanceof Map<?, ?> one ? List.of(one) : list(e.getValue(), source, at)) {
          Map<String, Object> d = map(o, source, at);
          String dest = null;
          int weight = 100;
          for (Map.Entry<String, Object> f : d.entrySet()) {
            switch (f.getKey().toLowerCase(Locale.ROOT)) {
              case "destination", "dest" -> dest = string(f.getValue(), "destination", at);
              case "weight" -> weight = weight(f.getValue(), at);
              case "cluster" -> throw new ConfigException(at, "cluster scoped mappings are not supported");
              default -> throw new ConfigException(at, "Unknown field \"" + f.getKey() + "\" for mapping destination");
            }
          }
          if (dest == null) {
            throw new ConfigException(at, "Missing 'destination' field in mapping");
          }
          dests.add(new MappingOptions.Destination(dest, weight));
        }
      }
      int total = 0;
      for (MappingOptions.Destination d : dests) {
        total += d.weight();
        try {
          SubjectTransform.compile(source, d.subject());
        } catch (IllegalArgumentException bad) {
          throw new ConfigException(at, "invalid mapping destination \"" + d.subject() + "\": " + bad.getMessage());
        }
      }
      if (total > 100) {
        throw new ConfigException(at, "Mapping destination weights for \"" + source + "\" add up to over 100%");
      }
      out.add(new MappingOptions(source, dests));
    }
    return out;
  }

  private static int weight(Object v, ConfigPosition pos) {
    String s = v instanceof String str ? str.trim() : String.valueOf(v);
    if (s.endsWith("%")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      int w = Integer.parseInt(s);
      if (w < 0 || w > 100) {
        throw new ConfigException(pos, "Invalid weight \"" + v + "\" for mapping destination");
      }
      return w;
    } catch (NumberFormatException e) {
      throw new ConfigException(pos, "Invalid weight \"" + v + "\" for mapping destination");
    }
  }

  // ---- users and permissions ----

  private static List<UserOptions> parseUsers(Object value, ConfigPosition pos, String account, List<String> warnings) {
    List<UserOptions> users = new ArrayList<>();
    for (Object o : list(value, "users", pos)) {
      Map<String, Object> map = map(o, "users", pos);
      UserOptions u = new UserOptions().setAccount(account);
      for (Map.Entry<String, Object> e : map.entrySet()) {
        ConfigPosition at = position(map, e.getKey());
        switch (e.getKey().toLowerCase(Locale.ROOT)) {
          case "user", "username" -> u.setUser(string(e.getValue(), "user", at));
          case "pass", "password" -> u.setPassword(string(e.getValue(), "password", at));
          case "nkey" -> u.setNkey(string(e.getValue(), "nkey", at));
          case "permission", "permissions" -> u.setPermissions(parsePermissions(e.getValue(), at, warnings));
          case "allowed_connection_types", "connection_types", "clients" ->
              u.setAllowedConnectionTypes(connectionTypes(e.getValue(), at));
          default -> warnings.add(prefix(at) + "field \"" + e.getKey() + "\" is not supported yet, ignored");
        }
      }
      if (u.getNkey() != null) {
        if (u.getUser() != null || u.getPassword() != null) {
          throw new ConfigException(pos, "Nkey users do not take usernames or passwords");
        }
        if (!u.getNkey().startsWith("U")) {
          throw new ConfigException(pos, "Not a valid public nkey for a user");
        }
      } else if (u.getUser() == null) {
        throw new ConfigException(pos, "User entry requires a user");
      }
      users.add(u);
    }
    return users;
  }

  /** nats-server 2.9's connection types; anything else is refused as it refuses it. */
  private static final Set<String> CONNECTION_TYPES =
      Set.of("STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS");

  private static List<String> connectionTypes(Object v, ConfigPosition pos) {
    List<String> types = new ArrayList<>();
    for (String t : strings(v, "allowed_connection_types", pos)) {
      String upper = t.toUpperCase(Locale.ROOT);
      if (!CONNECTION_TYPES.contains(upper)) {
        throw new ConfigException(pos, "invalid connection types [\"" + t + "\"]");
      }
      types.add(upper);
    }
    return types;
  }

  /** A {@code permissions} block. */
  public static PermissionsOptions parsePermissions(Object value, ConfigPosition pos, List<String> warnings) {
    Map<String, Object> map = map(value, "permissions", pos);
    PermissionsOptions p = new PermissionsOptions();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      ConfigPosition at = position(map, e.getKey());
      Object v = e.getValue();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "pub", "publish", "import" -> {
          List<String>[] ad = allowDeny(v, e.getKey(), at, false);
          p.setPublishAllow(ad[0]).setPublishDeny(ad[1]);
        }
        case "sub", "subscribe", "export" -> {
          List<String>[] ad = allowDeny(v, e.getKey(), at, true);
          p.setSubscribeAllow(ad[0]).setSubscribeDeny(ad[1]);
        }
        case "allow_responses", "publish_allow_responses", "resp" -> parseResponses(v, p, at);
        default -> warnings.add(prefix(at) + "unknown field \"" + e.getKey() + "\"");
      }
    }
    return p;
  }

  private static void parseResponses(Object v, PermissionsOptions p, ConfigPosition pos) {
    if (v instanceof Boolean b) {
      p.setAllowResponses(b);
      return;
    }
    Map<String, Object> map = map(v, "allow_responses", pos);
    p.setAllowResponses(true);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "max", "max_msgs", "max_messages", "max_responses" -> p.setResponseMax(integer(e.getValue(), "max", pos));
        case "expires", "expiration", "ttl" -> {
          Object x = e.getValue();
          Duration d;
          try {
            d = x instanceof Long secs ? Duration.ofSeconds(secs) : Durations.parse(string(x, "expires", pos));
          } catch (IllegalArgumentException bad) {
            throw new ConfigException(pos, "error parsing expires: " + bad.getMessage());
          }
          p.setResponseExpires(d);
        }
        default -> throw new ConfigException(pos, "Unknown field \"" + e.getKey() + "\" for allow_responses");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String>[] allowDeny(Object v, String key, ConfigPosition pos, boolean subscribe) {
    List<String> allow = null;
    List<String> deny = null;
    if (v instanceof Map<?, ?>) {
      Map<String, Object> map = (Map<String, Object>) v;
      for (Map.Entry<String, Object> e : map.entrySet()) {
        switch (e.getKey().toLowerCase(Locale.ROOT)) {
          case "allow" -> allow = strings(e.getValue(), "allow", pos);
          case "deny" -> deny = strings(e.getValue(), "deny", pos);
          default -> throw new ConfigException(pos, "Unknown field name \"" + e.getKey()
              + "\" parsing subject permissions");
        }
      }
    } else {
      allow = strings(v, key, pos);
    }
    for (List<String> l : new List[] {allow, deny}) {
      if (l != null) {
        for (String s : l) {
          checkPermissionSubject(s, subscribe, pos);
        }
      }
    }
    return new List[] {allow, deny};
  }

  private static void checkPermissionSubject(String entry, boolean subscribe, ConfigPosition pos) {
    String[] parts = entry.trim().split("\\s+");
    boolean ok = parts.length == 1 || subscribe && parts.length == 2;
    if (!ok || !Subjects.isValidSubject(parts[0])) {
      throw new ConfigException(pos, "subject \"" + entry + "\" is not a valid subject");
    }
  }

  // ---- value helpers ----

  private static ConfigPosition position(Map<String, Object> block, String key) {
    return block instanceof ConfigMap m ? m.positionOf(key) : null;
  }

  private static String prefix(ConfigPosition pos) {
    return pos == null ? "" : pos + ": ";
  }

  private static String string(Object v, String key, ConfigPosition pos) {
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(pos, key + ": expected a string");
  }

  private static int integer(Object v, String key, ConfigPosition pos) {
    if (v instanceof Long l && l <= Integer.MAX_VALUE && l >= Integer.MIN_VALUE) {
      return (int) (long) l;
    }
    throw new ConfigException(pos, key + ": expected an integer");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v, String key, ConfigPosition pos) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new ConfigException(pos, key + ": expected a map");
  }

  private static List<?> list(Object v, String key, ConfigPosition pos) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Map<?, ?>) {
      return List.of(v);
    }
    throw new ConfigException(pos, key + ": expected an array");
  }

  private static List<String> strings(Object v, String key, ConfigPosition pos) {
    List<String> out = new ArrayList<>();
    if (v instanceof String s) {
      out.add(s);
      return out;
    }
    for (Object o : list(v, key, pos)) {
      out.add(string(o, key, pos));
    }
    return out;
  }
}
