package io.tern.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Identity and multi-tenancy settings the auth service owns: the top-level {@code authorization}
 * users and default permissions, {@code no_auth_user}, {@code accounts} (always with {@code $G}) and
 * top-level {@code mappings}, which belong to {@code $G}.
 */
public final class AccountsOptions {
  /** The global account every connection is in unless its user belongs to another. */
  public static final String GLOBAL = "$G";
  /** The default system account. */
  public static final String SYSTEM = "$SYS";

  private final Map<String, AccountOptions> accounts = new LinkedHashMap<>();
  private final List<UserOptions> users = new ArrayList<>();
  private PermissionsOptions defaultPermissions;
  private String noAuthUser;
  private String systemAccount = SYSTEM;

  public AccountsOptions() {
    accounts.put(GLOBAL, new AccountOptions(GLOBAL));
  }

  /** Every account by name, {@code $G} included. */
  public Map<String, AccountOptions> getAccounts() { return accounts; }

  /** The account named {@code name}, created when absent. */
  public AccountOptions account(String name) {
    return accounts.computeIfAbsent(name, AccountOptions::new);
  }

  /** Users of the top-level {@code authorization} block; they are in {@code $G}. */
  public List<UserOptions> getUsers() { return users; }

  /** Every configured user, top-level and per account. */
  public List<UserOptions> allUsers() {
    List<UserOptions> all = new ArrayList<>(users);
    for (AccountOptions a : accounts.values()) {
      all.addAll(a.getUsers());
    }
    return all;
  }

  public PermissionsOptions getDefaultPermissions() { return defaultPermissions; }
  public AccountsOptions setDefaultPermissions(PermissionsOptions p) { defaultPermissions = p; return this; }

  /** The user an anonymous connection becomes. */
  public String getNoAuthUser() { return noAuthUser; }
  public AccountsOptions setNoAuthUser(String user) { noAuthUser = user; return this; }

  public String getSystemAccount() { return systemAccount; }
  public AccountsOptions setSystemAccount(String name) { systemAccount = name; return this; }

  /** Whether any nkey user exists, so that INFO must carry a nonce. */
  public boolean hasNkeyUsers() {
    return allUsers().stream().anyMatch(u -> u.getNkey() != null);
  }
}
