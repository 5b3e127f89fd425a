package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client on plain TCP. Reads arrive as Netty's own (pooled) buffers rather than Vert.x's heap
 * copies, and writes go to the channel as they are.
 */
final class TcpTransport implements ClientTransport {
  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

  private final NetSocketInternal socket;
  private final String remoteHost;
  private final int remotePort;
  private io.netty.handler.ssl.SslHandler sslHandler;

  TcpTransport(NetSocket socket) {
    this.socket = (NetSocketInternal) socket;
    SocketAddress remote = socket.remoteAddress();
    this.remoteHost = remote == null ? "" : remote.hostAddress();
    this.remotePort = remote == null ? 0 : remote.port();
  }

  @Override
  public void start(Handler<ByteBuf> onData, Handler<Void> onClose) {
    socket.messageHandler(msg -> {
      if (msg instanceof ByteBuf bb) {
        try {
          onData.handle(bb);
        } finally {
          bb.release();
        }
      }
    });
    socket.closeHandler(onClose);
    socket.exceptionHandler(e -> LOG.debug("{}:{}: {}", remoteHost, remotePort, e.toString()));
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public Future<Void> write(ByteBuf bytes) {
    return socket.writeMessage(bytes);
  }

  /**
   * Writes {@code last} (the -ERR), then reads and drops what still arrives for a moment before
   * closing: closing with unread input makes the kernel send a reset, which can destroy the -ERR
   * before the client reads it (a client still sending an oversized payload, say).
   */
  @Override
  public void end(Buffer last) {
    socket.write(last);
    socket.handler(ignored -> { });
    socket.messageHandler(msg -> io.netty.util.ReferenceCountUtil.release(msg));
    socket.resume();
    socket.channelHandlerContext().executor().schedule(() -> {
      socket.close();
    }, CLOSE_LINGER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** How long a connection ended with -ERR keeps draining its input before the close. */
  private static final long CLOSE_LINGER_MILLIS = 200;

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public int remotePort() {
    return remotePort;
  }

  @Override
  public String connectionType() {
    return "STANDARD";
  }

  /**
   * Puts a TLS handler in front of the pipeline. Called on the event loop right after INFO was
   * written, so INFO (already past that point) goes out in plain text and the client's handshake,
   * which cannot start before it has INFO, meets the handler.
   */
  @Override
  public Future<Void> upgradeToTls(ClientTls tls) {
    io.netty.channel.Channel channel = socket.channelHandlerContext().channel();
    sslHandler = tls.newHandler(channel.alloc());
    channel.pipeline().addFirst("ssl", sslHandler);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    sslHandler.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        done.tryComplete();
      } else {
        done.tryFail(f.cause());
      }
    });
    return done.future();
  }

  @Override
  public java.util.List<java.security.cert.Certificate> peerCertificates() {
    if (sslHandler == null) {
      return java.util.List.of();
    }
    try {
      return java.util.List.of(sslHandler.engine().getSession().getPeerCertificates());
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return java.util.List.of();
    }
  }
}
