package io.tern.common.config;

import java.time.Duration;

/** The top-level {@code authorization} block: a single user/password or a token. */
public class AuthorizationOptions {
  private String user;
  private String password;
  private String token;
  private Duration timeout;
  private PermissionsOptions permissions;
  private boolean usersConfigured;
  private boolean nonceRequired;

  public String getUser() { return user; }
  public AuthorizationOptions setUser(String user) { this.user = user; return this; }

  public String getPassword() { return password; }
  public AuthorizationOptions setPassword(String password) { this.password = password; return this; }

  public String getToken() { return token; }
  public AuthorizationOptions setToken(String token) { this.token = token; return this; }

  /** {@code authorization { timeout }}; when null the top-level auth timeout applies. */
  public Duration getTimeout() { return timeout; }
  public AuthorizationOptions setTimeout(Duration timeout) { this.timeout = timeout; return this; }

  /** Permissions of the single {@code user}; null when none. */
  public PermissionsOptions getPermissions() { return permissions; }
  public AuthorizationOptions setPermissions(PermissionsOptions permissions) { this.permissions = permissions; return this; }

  /** Set by the loader when a {@code users} list exists (top level or in an account). */
  public boolean isUsersConfigured() { return usersConfigured; }
  public AuthorizationOptions setUsersConfigured(boolean b) { this.usersConfigured = b; return this; }

  /** Whether INFO must carry a {@code nonce} for nkey users to sign. */
  public boolean isNonceRequired() { return nonceRequired; }
  public AuthorizationOptions setNonceRequired(boolean b) { this.nonceRequired = b; return this; }

  /** Whether clients must authenticate, which puts {@code auth_required} in INFO. */
  public boolean isRequired() {
    return user != null || token != null || usersConfigured;
  }
}
