package io.tern.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.util.AttributeKey;
import io.tern.common.config.TernOptions;
import io.tern.common.config.TlsOptions;
import io.tern.common.config.WebSocketOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket listener of one gateway instance: an HTTP server (sharing the port with the other
 * instances') that upgrades GET requests and hands each WebSocket to the gateway as a
 * {@link WebSocketTransport}, except those on {@code /mqtt}, which go to the MQTT listener
 * through the {@link MqttWebSocketBridge} (subprotocol {@code mqtt}, as nats-server).
 *
 * <p>Vert.x's own permessage-deflate inflates without a bound. With {@code compression: true} this
 * listener swaps it, on each new connection, for Netty's with a cap on what one frame may inflate
 * to, so a decompression bomb fails the connection instead of filling the heap.
 */
final class WebSocketListener {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketListener.class);
  private static final AttributeKey<Boolean> UPGRADED = AttributeKey.valueOf("tern.ws.upgraded");
  /** The path nats-server gives MQTT over WebSocket. */
  static final String MQTT_PATH = "/mqtt";
  /** The pipeline name Vert.x gives its WebSocket extension handler. */
  private static final String VERTX_EXTENSION_HANDLER = "webSocketExtensionHandler";

  private final Vertx vertx;
  private final WebSocketOptions ws;
  private final int frameLimit;
  private final WebSocketOrigins origins;
  private final Consumer<WebSocketTransport> accept;
  private final MqttWebSocketBridge mqtt;
  private HttpServer http;

  WebSocketListener(Vertx vertx, TernOptions options, Consumer<WebSocketTransport> accept, MqttWebSocketBridge mqtt) {
    this.mqtt = mqtt;
    this.vertx = vertx;
    this.ws = options.getWebSocket();
    this.frameLimit = frameLimit(options);
    this.origins = new WebSocketOrigins(ws.isSameOrigin(), ws.getAllowedOrigins());
    this.accept = accept;
  }

  /**
   * The largest frame, and the most one compressed frame may inflate to: room for one maximal
   * message with its control line, and for the batches clients make of small ones (nats.ws flushes
   * at 32 KiB).
   */
  static int frameLimit(TernOptions o) {
    long limit = (long) o.getMaxPayload() + o.getMaxControlLine() + 64 * 1024;
    return (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(64 * 1024, limit));
  }

  Future<HttpServer> listen(String defaultHost) {
    HttpServerOptions httpOptions = new HttpServerOptions()
        .setHost(ws.getHost() != null ? ws.getHost() : defaultHost)
        .setPort(Math.max(0, ws.getPort()))
        .setReuseAddress(true)
        .setTcpNoDelay(true)
        // Without h2c sniffing the HTTP connection exists from the first byte, so the handshake
        // timer runs also for a client that sends nothing.
        .setHttp2ClearTextEnabled(false)
        .setAcceptUnmaskedFrames(false)
        .setMaxWebSocketFrameSize(frameLimit)
        .setMaxWebSocketMessageSize(frameLimit)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketSubProtocols(java.util.List.of("mqtt"))
        // Lets the frame decoder accept compressed frames; the inflater itself is replaced below.
        .setPerMessageWebSocketCompressionSupported(ws.isCompression());
    TlsOptions tls = ws.getTls();
    if (tls != null) {
      httpOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.getCertFile()).setKeyPath(tls.getKeyFile()));
      if (tls.getCaFile() != null) {
        httpOptions.setTrustOptions(new PemTrustOptions().addCertPath(tls.getCaFile()));
      }
      if (tls.isVerify()) {
        httpOptions.setClientAuth(ClientAuth.REQUIRED);
      }
    }
    http = vertx.createHttpServer(httpOptions)
        .connectionHandler(this::onConnection)
        .webSocketHandshakeHandler(this::onHandshake)
        .webSocketHandler(socket -> {
          ((io.vertx.core.internal.http.WebSocketInternal) socket).channelHandlerContext().channel()
              .attr(UPGRADED).set(Boolean.TRUE);
          if (MQTT_PATH.equals(socket.path())) {
            mqtt.accept(socket);
            return;
          }
          accept.accept(new WebSocketTransport(socket, ws.getJwtCookie()));
        })
        .requestHandler(req -> req.response().setStatusCode(400).end("Bad Request\n"));
    return http.listen();
  }

  private void onConnection(HttpConnection conn) {
    Channel channel = ((ConnectionBase) conn).channelHandlerContext().channel();
    if (ws.isCompression()) {
      channel.pipeline().replace(VERTX_EXTENSION_HANDLER, VERTX_EXTENSION_HANDLER,
          new WebSocketServerExtensionHandler(new NoContextTakeoverDeflate(frameLimit)));
    }
    long timeout = ws.getHandshakeTimeout().toMillis();
    long timer = vertx.setTimer(Math.max(1, timeout), id -> {
      if (channel.attr(UPGRADED).get() == null) {
        LOG.debug("{}: websocket handshake timeout", channel.remoteAddress());
        conn.close();
      }
    });
    conn.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private void onHandshake(ServerWebSocketHandshake handshake) {
    if (MQTT_PATH.equals(handshake.path()) && !mqtt.available()) {
      handshake.reject(404);
      return;
    }
    String refusal = origins.refusal(handshake.headers().get("Origin"), handshake.headers().get("Host"),
        handshake.isSsl());
    if (refusal != null) {
      LOG.info("{} - websocket handshake error: {}", handshake.remoteAddress(), refusal);
      handshake.reject(403);
      return;
    }
    handshake.accept();
  }

  int actualPort() {
    return http == null ? -1 : http.actualPort();
  }

  Future<Void> close() {
    mqtt.close();
    return http == null ? Future.succeededFuture() : http.close();
  }
}
