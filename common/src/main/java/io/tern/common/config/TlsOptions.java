package io.tern.common.config;

import java.time.Duration;

/**
 * The top-level {@code tls} block for client connections: the server's PEM certificate and key,
 * the CA that client certificates must chain to, whether clients must present one
 * ({@code verify}) and whether its subject names the user ({@code verify_and_map}).
 */
public final class TlsOptions {
  private String certFile;
  private String keyFile;
  private String caFile;
  private boolean verify;
  private boolean verifyAndMap;
  private Duration timeout = Duration.ofSeconds(2);

  public String getCertFile() { return certFile; }
  public TlsOptions setCertFile(String f) { certFile = f; return this; }
  public String getKeyFile() { return keyFile; }
  public TlsOptions setKeyFile(String f) { keyFile = f; return this; }
  public String getCaFile() { return caFile; }
  public TlsOptions setCaFile(String f) { caFile = f; return this; }
  /** Whether a client certificate is required (and verified against the CA). */
  public boolean isVerify() { return verify || verifyAndMap; }
  public TlsOptions setVerify(boolean b) { verify = b; return this; }
  /** Whether the client certificate's subject DN, email or DNS name is the user name. */
  public boolean isVerifyAndMap() { return verifyAndMap; }
  public TlsOptions setVerifyAndMap(boolean b) { verifyAndMap = b; return this; }
  /** TLS handshake timeout (nats-server's {@code tls { timeout }}, in seconds there). */
  public Duration getTimeout() { return timeout; }
  public TlsOptions setTimeout(Duration d) { timeout = d; return this; }
}
