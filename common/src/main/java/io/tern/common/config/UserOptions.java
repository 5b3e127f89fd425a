package io.tern.common.config;

/** One entry of a {@code users} list: a user/password or an nkey, with optional permissions. */
public final class UserOptions {
  private String user;
  private String password;
  private String nkey;
  private PermissionsOptions permissions;
  private String account = "$G";
  private java.util.List<String> allowedConnectionTypes;

  public String getUser() { return user; }
  public UserOptions setUser(String user) { this.user = user; return this; }
  /** Plain text, or a bcrypt hash when it starts with {@code $2a$}, {@code $2b$} or {@code $2y$}. */
  public String getPassword() { return password; }
  public UserOptions setPassword(String password) { this.password = password; return this; }
  /** The user's public nkey ({@code U...}); such a user signs the INFO nonce instead of a password. */
  public String getNkey() { return nkey; }
  public UserOptions setNkey(String nkey) { this.nkey = nkey; return this; }
  /** Null when the user has none (default permissions may then apply). */
  public PermissionsOptions getPermissions() { return permissions; }
  public UserOptions setPermissions(PermissionsOptions permissions) { this.permissions = permissions; return this; }
  /** The account the user belongs to; {@code $G} for the top-level {@code authorization} users. */
  public String getAccount() { return account; }
  public UserOptions setAccount(String account) { this.account = account; return this; }

  /** {@code allowed_connection_types}: STANDARD, WEBSOCKET, ...; null allows every type. */
  public java.util.List<String> getAllowedConnectionTypes() { return allowedConnectionTypes; }
  public UserOptions setAllowedConnectionTypes(java.util.List<String> types) {
    this.allowedConnectionTypes = types;
    return this;
  }

  /** The name the user is known by: the user name or the nkey. */
  public String name() {
    return user != null ? user : nkey;
  }
}
