package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client on WebSocket. Every data frame, text or binary, whole or a fragment, is handed to the
 * NATS parser as bytes, so an operation may span frames and a frame may hold several operations;
 * everything written goes out as one binary frame per write, as nats-server does.
 */
final class WebSocketTransport implements ClientTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);
  static final String X_FORWARDED_FOR = "X-Forwarded-For";

  private final ServerWebSocket ws;
  private final ChannelHandlerContext channel;
  private final String remoteHost;
  private final int remotePort;
  private final String jwtCookie;

  WebSocketTransport(ServerWebSocket ws) {
    this(ws, null);
  }

  /** A transport whose handshake's {@code jwtCookieName} cookie (may be null) stands in for CONNECT's jwt. */
  WebSocketTransport(ServerWebSocket ws, String jwtCookieName) {
    this.ws = ws;
    this.channel = ((WebSocketInternal) ws).channelHandlerContext();
    SocketAddress remote = ws.remoteAddress();
    String forwarded = forwardedFor(ws.headers().get(X_FORWARDED_FOR));
    this.remoteHost = forwarded != null ? forwarded : remote == null ? "" : remote.hostAddress();
    this.remotePort = remote == null ? 0 : remote.port();
    this.jwtCookie = jwtCookieName == null ? null : WebSocketAuth.cookie(ws.headers().get("Cookie"), jwtCookieName);
  }

  @Override
  public String jwtCookie() {
    return jwtCookie;
  }

  /** The first address of an {@code X-Forwarded-For} header when it is an IP address, else null. */
  static String forwardedFor(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String first = (comma < 0 ? header : header.substring(0, comma)).trim();
    return NetUtil.isValidIpV4Address(first) || NetUtil.isValidIpV6Address(first) ? first : null;
  }

  @Override
  public void start(Handler<ByteBuf> onData, Handler<Void> onClose) {
    // Vert.x hands each data frame over as a heap buffer of its own: nothing to release here.
    ws.handler(data -> onData.handle(((BufferInternal) data).getByteBuf()));
    ws.closeHandler(onClose);
    ws.exceptionHandler(this::onException);
  }

  /**
   * Protocol violations (unmasked, oversized or over-inflating frames) arrive here: the client is
   * done, told why with the close status RFC 6455 gives the violation.
   */
  private void onException(Throwable e) {
    if (ws.isClosed()) {
      return;
    }
    LOG.debug("{}:{}: {}", remoteHost, remotePort, e.toString());
    short status = 1002;
    if (e instanceof CorruptedWebSocketFrameException c) {
      status = (short) c.closeStatus().code();
    } else if (e instanceof DecoderException) {
      // Netty's inflater past its allocation cap.
      status = 1009;
    }
    String reason = e.getMessage() == null ? "protocol error" : e.getMessage();
    // A close reason has to fit in a control frame: 123 bytes after the status code.
    ws.close(status, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public Future<Void> write(ByteBuf bytes) {
    // Straight to the channel, past Vert.x's heap copy of pooled buffers; the frame encoder
    // (and the deflate encoder, when negotiated) release the buffer.
    Promise<Void> written = Promise.promise();
    channel.writeAndFlush(new BinaryWebSocketFrame(bytes)).addListener(f -> {
      if (f.isSuccess()) {
        written.complete();
      } else {
        written.fail(f.cause());
      }
    });
    return written.future();
  }

  /** Writes the final {@code -ERR} and closes with the status nats-server gives that error. */
  @Override
  public void end(Buffer last) {
    WebSocketCloseStatus status = WebSocketCloseStatus.afterError(last.getBytes());
    if (last.length() > 0) {
      write(((BufferInternal) last).getByteBuf());
    }
    ws.close(status.code(), status.reason());
  }

  @Override
  public void close() {
    ws.close();
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
    return "WEBSOCKET";
  }
}
