package io.tern.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator mode (nats-server's decentralised JWT auth): the trusted operator JWTs and the account
 * resolver that finds account JWTs, {@code resolver: MEMORY} with {@code resolver_preload}, or the
 * built-in {@code resolver { type: full|cache, dir, allow_delete, interval, limit }} that keeps them
 * on disk. The JWTs are kept as text; the auth service verifies them.
 */
public final class OperatorOptions {

  /** Where account JWTs come from. */
  public enum ResolverType {
    /** No resolver configured. */
    NONE,
    /** Only the preloaded accounts, in memory. */
    MEMORY,
    /** Every account JWT pushed to the server, kept in {@link #getDir()}. */
    FULL,
    /** As FULL but bounded by {@link #getLimit()}. */
    CACHE
  }

  private final List<String> operatorJwts = new ArrayList<>();
  private String operatorSystemAccount;
  private ResolverType resolverType = ResolverType.NONE;
  private Path dir;
  private boolean allowDelete;
  private Duration interval = Duration.ofMinutes(2);
  private int limit = 1000;
  private final Map<String, String> preload = new LinkedHashMap<>();

  /** Whether an {@code operator} is configured, which puts the server in operator mode. */
  public boolean isEnabled() { return !operatorJwts.isEmpty(); }

  /** The operator JWTs (read from their files when the config named files). */
  public List<String> getOperatorJwts() { return operatorJwts; }

  /** The {@code system_account} the (first) operator JWT names, or null. */
  public String getOperatorSystemAccount() { return operatorSystemAccount; }
  public OperatorOptions setOperatorSystemAccount(String a) { operatorSystemAccount = a; return this; }

  public ResolverType getResolverType() { return resolverType; }
  public OperatorOptions setResolverType(ResolverType t) { resolverType = t; return this; }

  /** Directory of the full or cache resolver. */
  public Path getDir() { return dir; }
  public OperatorOptions setDir(Path dir) { this.dir = dir; return this; }

  /** Whether {@code $SYS.REQ.CLAIMS.DELETE} may remove account JWTs (full resolver). */
  public boolean isAllowDelete() { return allowDelete; }
  public OperatorOptions setAllowDelete(boolean b) { allowDelete = b; return this; }

  /** How often a full resolver would sync with peers (kept for the config; one store is shared here). */
  public Duration getInterval() { return interval; }
  public OperatorOptions setInterval(Duration d) { interval = d; return this; }

  /** How many account JWTs a resolver keeps. */
  public int getLimit() { return limit; }
  public OperatorOptions setLimit(int n) { limit = n; return this; }

  /** {@code resolver_preload}: account public key to account JWT. */
  public Map<String, String> getPreload() { return preload; }
}
