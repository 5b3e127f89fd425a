package io.tern.auth;

import io.tern.common.config.AccountOptions;
import io.tern.common.config.AccountsOptions;
import io.tern.common.config.ImportOptions;
import io.tern.common.config.OperatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's trust and its account resolver: which keys may sign accounts (the operators and
 * their signing keys), and the verified account JWTs, from {@code resolver_preload} and, with the
 * full or cache resolver, from {@code <dir>/<account>.jwt}, where updates are written through.
 * The full resolver refuses accounts beyond {@code limit}; the cache resolver keeps at most
 * {@code limit} files, deleting the least recently used one (by CONNECT lookups and updates), as
 * nats-server's cache evicts from its directory; an evicted account stays known until a restart, as
 * nats-server keeps an account it has registered. Used from the auth service's context only.
 */
final class JwtAccounts {
  private static final Logger LOG = LoggerFactory.getLogger(JwtAccounts.class);

  private final OperatorOptions options;
  private final Set<String> trustedKeys = new HashSet<>();
  private final Map<String, AccountClaims> accounts = new LinkedHashMap<>();
  /** Cache resolver: the accounts with a file in the directory, least recently used first. */
  private final Map<String, Boolean> cachedFiles = new LinkedHashMap<>(16, 0.75f, true);

  JwtAccounts(OperatorOptions options) {
    this.options = options;
    for (String text : options.getOperatorJwts()) {
      Jwt op = Jwt.decode(text);
      if (!"operator".equals(op.type()) || !op.issuer().equals(op.subject()) || !op.signedBy(NKeys.PREFIX_OPERATOR)) {
        throw new IllegalArgumentException("operator JWT is not a self-signed operator");
      }
      trustedKeys.add(op.subject());
      for (Object k : op.nats().getJsonArray("signing_keys", new io.vertx.core.json.JsonArray())) {
        trustedKeys.add(String.valueOf(k));
      }
    }
    Path dir = options.getDir();
    if (dir != null && options.getResolverType() != OperatorOptions.ResolverType.MEMORY) {
      try {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            if (f.getFileName().toString().endsWith(".jwt")) {
              String error = put(Files.readString(f, StandardCharsets.UTF_8), false);
              if (error != null) {
                LOG.warn("ignoring account JWT {}: {}", f, error);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    options.getPreload().forEach((key, jwt) -> {
      String error = put(jwt, true);
      if (error != null) {
        LOG.warn("ignoring preloaded account JWT for {}: {}", key, error);
      }
    });
  }

  /** A verified account, or null when unknown. */
  AccountClaims account(String publicKey) {
    cachedFiles.get(publicKey);
    return accounts.get(publicKey);
  }

  Map<String, AccountClaims> all() {
    return accounts;
  }

  boolean isFull() {
    return options.getResolverType() == OperatorOptions.ResolverType.FULL
        || options.getResolverType() == OperatorOptions.ResolverType.CACHE;
  }

  /** Whether {@code key} is a trusted operator key (an operator or one of its signing keys). */
  boolean trusts(String key) {
    return trustedKeys.contains(key);
  }

  boolean allowDelete() {
    return options.isAllowDelete();
  }

  /**
   * Verifies and stores an account JWT (written to the resolver directory when there is one); an
   * older JWT never replaces a newer one. Returns null when stored, else the reason it was not.
   */
  String put(String text, boolean persist) {
    Jwt jwt = Jwt.tryDecode(text);
    if (jwt == null || !"account".equals(jwt.type())) {
      return "invalid account JWT";
    }
    if (NKeys.decodePublic(jwt.subject(), NKeys.PREFIX_ACCOUNT) == null) {
      return "invalid account public key";
    }
    if (!trustedKeys.contains(jwt.issuer()) || !jwt.signedBy(NKeys.PREFIX_OPERATOR)) {
      return "not trusted";
    }
    AccountClaims old = accounts.get(jwt.subject());
    if (old != null && old.jwt.issuedAt() > jwt.issuedAt()) {
      return "jwt update is older than the stored one";
    }
    if (options.getResolverType() == OperatorOptions.ResolverType.FULL && !accounts.containsKey(jwt.subject())
        && accounts.size() >= options.getLimit()) {
      return "resolver limit reached";
    }
    accounts.put(jwt.subject(), new AccountClaims(jwt));
    if (persist && isFull() && options.getDir() != null) {
      write(jwt.subject(), jwt.text());
    }
    if (isCache() && options.getDir() != null) {
      cachedFiles.put(jwt.subject(), Boolean.TRUE);
      evictCachedFiles();
    }
    return null;
  }

  private boolean isCache() {
    return options.getResolverType() == OperatorOptions.ResolverType.CACHE;
  }

  private void evictCachedFiles() {
    var it = cachedFiles.keySet().iterator();
    while (cachedFiles.size() > Math.max(1, options.getLimit()) && it.hasNext()) {
      String key = it.next();
      it.remove();
      deleteFile(key);
    }
  }

  private void deleteFile(String key) {
    try {
      Files.deleteIfExists(options.getDir().resolve(key + ".jwt"));
    } catch (IOException e) {
      LOG.warn("could not delete account JWT {}: {}", key, e.toString());
    }
  }

  /** Removes accounts (full resolver with {@code allow_delete}); returns those removed. */
  List<String> delete(List<String> keys) {
    List<String> removed = new ArrayList<>();
    for (String k : keys) {
      if (accounts.remove(k) != null) {
        removed.add(k);
        cachedFiles.remove(k);
        if (options.getDir() != null) {
          deleteFile(k);
        }
      }
    }
    return removed;
  }

  private void write(String key, String text) {
    try {
      Path target = options.getDir().resolve(key + ".jwt");
      Path tmp = options.getDir().resolve(key + ".jwt.tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("could not store account JWT {}: {}", key, e.toString());
    }
  }

  /**
   * The service imports nats-server 2.9.10 gives every account in operator mode: its users ask
   * {@code $SYS.REQ.ACCOUNT.PING.STATZ|CONNZ} (and {@code $SYS.REQ.SERVER.PING.CONNZ}) and the system
   * account answers for their own account only.
   */
  private static List<ImportOptions> systemImports(String account, String systemAccount) {
    String prefix = "$SYS.REQ.ACCOUNT." + account + ".";
    return List.of(
        new ImportOptions(true, systemAccount, prefix + "STATZ", null, "$SYS.REQ.ACCOUNT.PING.STATZ"),
        new ImportOptions(true, systemAccount, prefix + "CONNZ", null, "$SYS.REQ.ACCOUNT.PING.CONNZ"),
        new ImportOptions(true, systemAccount, prefix + "CONNZ", null, "$SYS.REQ.SERVER.PING.CONNZ"));
  }

  /** The accounts as the account machinery knows them: named by public key, plus {@code $G}. */
  AccountsOptions toAccountsOptions(String systemAccount) {
    AccountsOptions out = new AccountsOptions();
    out.setSystemAccount(systemAccount);
    for (AccountClaims a : accounts.values()) {
      AccountOptions converted = a.toAccountOptions(accounts);
      AccountOptions target = out.account(a.publicKey);
      target.getExports().addAll(converted.getExports());
      target.getImports().addAll(converted.getImports());
      target.getMappings().addAll(converted.getMappings());
      target.setDefaultPermissions(converted.getDefaultPermissions());
      target.setMaxConnections(converted.getMaxConnections()).setMaxSubscriptions(converted.getMaxSubscriptions())
          .setMaxPayload(converted.getMaxPayload());
      // The stream service starts the account's JetStream from this.
      target.setJetStream(converted.getJetStream());
      if (!a.publicKey.equals(systemAccount)) {
        target.getImports().addAll(systemImports(a.publicKey, systemAccount));
      }
    }
    return out;
  }
}
