package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * How one client's bytes travel: plain TCP, or WebSocket frames. {@link ClientConnection} runs
 * the same NATS protocol over either.
 */
interface ClientTransport {

  /**
   * Starts delivering what the client sends to {@code onData} (the buffer is released after the
   * call) and calls {@code onClose} once when the connection ends.
   */
  void start(Handler<ByteBuf> onData, Handler<Void> onClose);

  /** Stops reading from the client (back-pressure, or while authentication is pending). */
  void pause();

  void resume();

  /** Writes {@code bytes} (ownership passes to the transport); completes once written to the kernel. */
  Future<Void> write(ByteBuf bytes);

  /** Writes {@code last} and closes. */
  void end(Buffer last);

  void close();

  String remoteHost();

  int remotePort();

  /** The connection type as /connz and allowed_connection_types name it: STANDARD, WEBSOCKET, ... */
  String connectionType();

  /** Starts TLS on the connection after the plain-text INFO (transports that cannot, fail). */
  default Future<Void> upgradeToTls(ClientTls tls) {
    return Future.failedFuture(connectionType() + " connections cannot upgrade to TLS");
  }

  /** WebSocket: the JWT from the handshake's {@code jwt_cookie} cookie, used when CONNECT has none; else null. */
  default String jwtCookie() {
    return null;
  }

  /** The client's certificate chain once TLS is up; empty without one. */
  default java.util.List<java.security.cert.Certificate> peerCertificates() {
    return java.util.List.of();
  }
}
