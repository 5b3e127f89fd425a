package io.tern.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code websocket} block: NATS over WebSocket for browsers and clients behind HTTP proxies.
 * Off unless a port is set. As in nats-server, a listener without TLS must say {@code no_tls: true}.
 */
public class WebSocketOptions {

  /** nats-server's handshake timeout when none is configured. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

  private String host;
  private int port;
  private String advertise;
  private boolean noTls;
  private TlsOptions tls;
  private boolean sameOrigin;
  private List<String> allowedOrigins = new ArrayList<>();
  private boolean compression;
  private Duration handshakeTimeout;
  private AuthorizationOptions authorization;
  private String noAuthUser;
  private String jwtCookie;
  private List<String> connectUrls = new ArrayList<>();

  /** Whether the listener is on: a port other than 0 was set (-1 picks a free port). */
  public boolean isEnabled() { return port != 0; }

  /** The interface to listen on; null means the server's client host. */
  public String getHost() { return host; }
  public WebSocketOptions setHost(String host) { this.host = host; return this; }

  /** 0 (the default) turns WebSocket off; -1 picks a free port. */
  public int getPort() { return port; }
  public WebSocketOptions setPort(int port) { this.port = port; return this; }

  /** {@code advertise}: the host:port other servers tell clients about (kept for clustering). */
  public String getAdvertise() { return advertise; }
  public WebSocketOptions setAdvertise(String advertise) { this.advertise = advertise; return this; }

  public boolean isNoTls() { return noTls; }
  public WebSocketOptions setNoTls(boolean noTls) { this.noTls = noTls; return this; }

  /** The {@code tls} block, or null. */
  public TlsOptions getTls() { return tls; }
  public WebSocketOptions setTls(TlsOptions tls) { this.tls = tls; return this; }

  /** Browsers' Origin must match the request's Host. */
  public boolean isSameOrigin() { return sameOrigin; }
  public WebSocketOptions setSameOrigin(boolean sameOrigin) { this.sameOrigin = sameOrigin; return this; }

  /** Origins (scheme://host[:port]) browsers may connect from; empty allows any. */
  public List<String> getAllowedOrigins() { return allowedOrigins; }
  public WebSocketOptions setAllowedOrigins(List<String> allowedOrigins) { this.allowedOrigins = allowedOrigins; return this; }

  /** Offer permessage-deflate to clients that ask for it. */
  public boolean isCompression() { return compression; }
  public WebSocketOptions setCompression(boolean compression) { this.compression = compression; return this; }

  /** How long a connection may take to complete the HTTP upgrade; nats-server's 2 seconds when unset. */
  public Duration getHandshakeTimeout() {
    return handshakeTimeout == null || handshakeTimeout.isZero() ? DEFAULT_HANDSHAKE_TIMEOUT : handshakeTimeout;
  }
  public WebSocketOptions setHandshakeTimeout(Duration handshakeTimeout) { this.handshakeTimeout = handshakeTimeout; return this; }

  /** The block's own {@code authorization}, or null when WebSocket clients use the server's. */
  public AuthorizationOptions getAuthorization() { return authorization; }
  public WebSocketOptions setAuthorization(AuthorizationOptions authorization) { this.authorization = authorization; return this; }

  public String getNoAuthUser() { return noAuthUser; }
  public WebSocketOptions setNoAuthUser(String noAuthUser) { this.noAuthUser = noAuthUser; return this; }

  /**
   * Whether WebSocket clients authenticate by this block rather than the server's (nats-server's
   * "auth override"): its {@code authorization} names a user or token, or it has a {@code no_auth_user}.
   */
  public boolean isAuthOverride() {
    return authorization != null && (authorization.getUser() != null || authorization.getToken() != null)
        || noAuthUser != null;
  }

  /** The cookie a browser's JWT may come in instead of CONNECT. */
  public String getJwtCookie() { return jwtCookie; }
  public WebSocketOptions setJwtCookie(String jwtCookie) { this.jwtCookie = jwtCookie; return this; }

  /**
   * WebSocket URLs of other servers, given to WebSocket clients in INFO {@code connect_urls} (where
   * nats-server puts its cluster's {@code ws_connect_urls}); empty on a single server, as there.
   */
  public List<String> getConnectUrls() { return connectUrls; }
  public WebSocketOptions setConnectUrls(List<String> connectUrls) { this.connectUrls = connectUrls; return this; }

  /**
   * Checks the block as nats-server does at startup.
   *
   * @throws IllegalArgumentException with nats-server's text
   */
  public void validate() {
    if (!isEnabled()) {
      return;
    }
    if (!noTls && tls == null) {
      throw new IllegalArgumentException("websocket requires TLS configuration");
    }
    if (tls != null && tls.getCertFile() == null) {
      throw new IllegalArgumentException("missing 'cert_file' in TLS configuration");
    }
    if (tls != null && tls.getKeyFile() == null) {
      throw new IllegalArgumentException("missing 'key_file' in TLS configuration");
    }
  }
}
