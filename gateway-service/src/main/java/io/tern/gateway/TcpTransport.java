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

  @Override
  public void end(Buffer last) {
    socket.end(last);
  }

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
}
