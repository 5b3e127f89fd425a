package io.tern.common.config;

import java.time.Duration;

/** The top-level {@code authorization} block: a single user/password or a token. */
public class AuthorizationOptions {
  private String user;
  private String password;
  private String token;
  private Duration timeout;

  public String getUser() { return user; }
  public AuthorizationOptions setUser(String user) { this.user = user; return this; }

  public String getPassword() { return password; }
  public AuthorizationOptions setPassword(String password) { this.password = password; return this; }

  public String getToken() { return token; }
  public AuthorizationOptions setToken(String token) { this.token = token; return this; }

  /** {@code authorization { timeout }}; when null the top-level auth timeout applies. */
  public Duration getTimeout() { return timeout; }
  public AuthorizationOptions setTimeout(Duration timeout) { this.timeout = timeout; return this; }

  /** Whether clients must authenticate, which puts {@code auth_required} in INFO. */
  public boolean isRequired() {
    return user != null || token != null;
  }
}
