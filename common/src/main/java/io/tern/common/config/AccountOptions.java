package io.tern.common.config;

import java.util.ArrayList;
import java.util.List;

/** One account of the {@code accounts} block (or the implicit {@code $G}): its users and traffic rules. */
public final class AccountOptions {
  private final String name;
  private final List<UserOptions> users = new ArrayList<>();
  private final List<ExportOptions> exports = new ArrayList<>();
  private final List<ImportOptions> imports = new ArrayList<>();
  private final List<MappingOptions> mappings = new ArrayList<>();
  private PermissionsOptions defaultPermissions;
  private int maxConnections = -1;
  private int maxSubscriptions = -1;
  private int maxPayload = -1;
  private AccountJetStreamOptions jetStream;

  public AccountOptions(String name) {
    this.name = name;
  }

  public String getName() { return name; }
  public List<UserOptions> getUsers() { return users; }
  public List<ExportOptions> getExports() { return exports; }
  public List<ImportOptions> getImports() { return imports; }
  public List<MappingOptions> getMappings() { return mappings; }
  public PermissionsOptions getDefaultPermissions() { return defaultPermissions; }
  public AccountOptions setDefaultPermissions(PermissionsOptions p) { defaultPermissions = p; return this; }

  /** {@code limits { max_connections }}; -1 means unlimited. */
  public int getMaxConnections() { return maxConnections; }
  public AccountOptions setMaxConnections(int n) { maxConnections = n; return this; }
  /** {@code limits { max_subscriptions }} per connection of the account; -1 means unlimited. */
  public int getMaxSubscriptions() { return maxSubscriptions; }
  public AccountOptions setMaxSubscriptions(int n) { maxSubscriptions = n; return this; }
  /** {@code limits { max_payload }}; -1 means the server's. */
  public int getMaxPayload() { return maxPayload; }
  public AccountOptions setMaxPayload(int n) { maxPayload = n; return this; }

  /** The account's {@code jetstream} setting; null when it has none (or disables it). */
  public AccountJetStreamOptions getJetStream() { return jetStream; }
  public AccountOptions setJetStream(AccountJetStreamOptions js) { jetStream = js; return this; }
}
