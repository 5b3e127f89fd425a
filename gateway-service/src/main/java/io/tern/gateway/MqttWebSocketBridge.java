package io.tern.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSocket on the WebSocket listener's {@code /mqtt} path: each WebSocket is joined to
 * a loopback connection to this process's MQTT listener, its binary messages carried as the MQTT
 * byte stream both ways (frames need not align with packets). The MQTT listener learns the
 * client's real address from {@link ServerState#mqttWebSocketPeer}, keyed by the loopback
 * connection's local port, for monitoring and logs.
 *
 * <p>Why a loopback hop: vertx-mqtt builds its endpoints on its own Netty pipeline and offers no
 * way to run one over a WebSocket that another server upgraded.
 */
final class MqttWebSocketBridge {
  private static final Logger LOG = LoggerFactory.getLogger(MqttWebSocketBridge.class);

  private final ServerState server;
  private final NetClient client;

  MqttWebSocketBridge(Vertx vertx, ServerState server) {
    this.server = server;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
  }

  /** Whether an MQTT listener runs to take WebSocket clients. */
  boolean available() {
    return server.mqttPort() > 0;
  }

  void accept(ServerWebSocket ws) {
    ws.pause();
    SocketAddress peer = ws.remoteAddress();
    client.connect(server.mqttPort(), mqttHost()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("{} - mqtt over websocket: cannot reach the MQTT listener: {}", peer, ar.cause().getMessage());
        ws.close((short) 1011);
        return;
      }
      NetSocket socket = ar.result();
      int localPort = socket.localAddress().port();
      if (peer != null) {
        server.mqttWebSocketPeers().put(localPort, peer);
      }
      socket.closeHandler(v -> {
        server.mqttWebSocketPeers().remove(localPort);
        if (!ws.isClosed()) {
          ws.close();
        }
      });
      ws.closeHandler(v -> socket.close());
      ws.exceptionHandler(t -> socket.close());
      socket.handler(buf -> {
        ws.writeBinaryMessage(buf);
        if (ws.writeQueueFull()) {
          socket.pause();
          ws.drainHandler(v -> socket.resume());
        }
      });
      ws.binaryMessageHandler(buf -> {
        socket.write(buf);
        if (socket.writeQueueFull()) {
          ws.pause();
          socket.drainHandler(v -> ws.resume());
        }
      });
      ws.resume();
    });
  }

  private String mqttHost() {
    String host = server.options().getMqtt().getHost();
    if (host == null) {
      host = server.options().getHost();
    }
    return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  void close() {
    client.close();
  }
}
