package io.tern.common.config;

/** A {@code tls} block: the server's certificate and key (PEM files) and, to verify clients, a CA. */
public class TlsOptions {
  private String certFile;
  private String keyFile;
  private String caFile;
  private boolean verify;

  public String getCertFile() { return certFile; }
  public TlsOptions setCertFile(String certFile) { this.certFile = certFile; return this; }

  public String getKeyFile() { return keyFile; }
  public TlsOptions setKeyFile(String keyFile) { this.keyFile = keyFile; return this; }

  public String getCaFile() { return caFile; }
  public TlsOptions setCaFile(String caFile) { this.caFile = caFile; return this; }

  /** Require and verify a client certificate. */
  public boolean isVerify() { return verify; }
  public TlsOptions setVerify(boolean verify) { this.verify = verify; return this; }
}
