package io.tern.testkit.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.EmbeddedTern;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NATS over WebSocket at the frame level: the NATS parser sees bytes whatever the framing, text
 * frames are taken, the server answers in binary frames, and RFC 6455 violations and oversized or
 * over-inflating frames close the connection.
 */
@SuppressWarnings("try")
class WebSocketIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CONNECT = "CONNECT {\"verbose\":false,\"protocol\":1,\"headers\":true}\r\n";

  private static EmbeddedTern tern;
  private static EmbeddedTern strictOrigin;
  private static Vertx vertx;
  private static WebSocketClient client;

  @BeforeAll
  static void start() {
    tern = EmbeddedTern.start("websocket { port: -1, no_tls: true, compression: true }");
    strictOrigin = EmbeddedTern.start(
        "websocket { port: -1, no_tls: true, same_origin: true, allowed_origins: [\"http://127.0.0.1:1234\"] }");
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(8 << 20).setMaxMessageSize(8 << 20));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close();
    }
    if (tern != null) {
      tern.close();
    }
    if (strictOrigin != null) {
      strictOrigin.close();
    }
  }

  // ---- a client session: every byte received, every frame's type, and how it closed ----

  private static final class Session implements AutoCloseable {
    final WebSocket ws;
    private final StringBuilder received = new StringBuilder();
    final List<WebSocketFrameType> frameTypes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();

    Session(WebSocket ws) {
      this.ws = ws;
      ws.frameHandler(f -> {
        if (f.isBinary() || f.isText() || f.isContinuation()) {
          frameTypes.add(f.type());
          synchronized (received) {
            received.append(f.binaryData().toString(StandardCharsets.ISO_8859_1));
            received.notifyAll();
          }
        }
      });
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    }

    /** Waits until everything received contains {@code text}; returns it all. */
    String await(String text) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (received) {
        while (received.indexOf(text) < 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("never received " + text.strip() + "; got: " + received);
          }
          TimeUnit.NANOSECONDS.timedWait(received, left);
        }
        return received.toString();
      }
    }

    void send(String text) throws Exception {
      get(ws.writeBinaryMessage(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))));
    }

    short closeStatus() throws Exception {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      ws.close();
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  private static Session open(EmbeddedTern server, WebSocketConnectOptions extra) throws Exception {
    WebSocketConnectOptions o = extra.setHost("127.0.0.1").setPort(server.webSocketPort()).setURI("/");
    // Handlers go on in the connect callback, on the event loop, before any frame can arrive.
    return get(client.connect(o).map(Session::new));
  }

  private static Session open() throws Exception {
    return open(tern, new WebSocketConnectOptions());
  }

  // ---- framing ----

  @Test
  @Timeout(30)
  void infoComesFirstInABinaryFrameWithoutWebSocketUrlsOnASingleServer() throws Exception {
    try (Session s = open()) {
      String info = s.await("\r\n");
      assertThat(info).startsWith("INFO {").endsWith("} \r\n");
      JsonObject json = new JsonObject(info.substring(5, info.length() - 3));
      assertThat(json.getInteger("port")).isEqualTo(tern.port());
      // nats-server gives WebSocket clients their cluster's ws URLs as connect_urls, and never
      // sends ws_connect_urls to a client: a single server sends neither.
      assertThat(json.containsKey("connect_urls")).isFalse();
      assertThat(json.containsKey("ws_connect_urls")).isFalse();
      assertThat(s.frameTypes).containsOnly(WebSocketFrameType.BINARY);
    }
  }

  @Test
  @Timeout(30)
  void oneOperationSplitOverSeveralFramesIsParsedWhole() throws Exception {
    try (Session s = open()) {
      s.send(CONNECT + "SUB split 1\r\nPU");
      s.send("B split 5\r\nhel");
      s.send("lo\r");
      s.send("\nPI");
      s.send("NG\r\n");
      String all = s.await("PONG\r\n");
      assertThat(all).contains("MSG split 1 5\r\nhello\r\nPONG\r\n");
    }
  }

  @Test
  @Timeout(30)
  void aFragmentedMessageWithContinuationFramesIsParsedWhole() throws Exception {
    try (Session s = open()) {
      get(s.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(CONNECT + "SUB frag 1\r\nPUB fr"), false)));
      get(s.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ag 2\r\nhi"), false)));
      get(s.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\r\nPING\r\n"), true)));
      assertThat(s.await("PONG\r\n")).contains("MSG frag 1 2\r\nhi\r\nPONG\r\n");
    }
  }

  @Test
  @Timeout(30)
  void severalOperationsInOneFrameAreAllParsedInOrder() throws Exception {
    try (Session s = open()) {
      s.send(CONNECT + "SUB many.* 1\r\nPUB many.a 1\r\na\r\nHPUB many.b 12 13\r\nNATS/1.0\r\n\r\nb\r\n"
          + "PUB many.c 1\r\nc\r\nPING\r\n");
      String all = s.await("PONG\r\n");
      assertThat(all).contains("MSG many.a 1 1\r\na\r\nHMSG many.b 1 12 13\r\nNATS/1.0\r\n\r\nb\r\n"
          + "MSG many.c 1 1\r\nc\r\nPONG\r\n");
    }
  }

  @Test
  @Timeout(30)
  void textFramesAreTakenAndTheServerAnswersInBinaryFrames() throws Exception {
    try (Session s = open()) {
      get(s.ws.writeTextMessage(CONNECT + "SUB text 1\r\nPUB text 3\r\nabc\r\nPING\r\n"));
      assertThat(s.await("PONG\r\n")).contains("MSG text 1 3\r\nabc\r\n");
      assertThat(s.frameTypes).isNotEmpty().containsOnly(WebSocketFrameType.BINARY);
    }
  }

  @Test
  @Timeout(30)
  void webSocketAndTcpClientsShareOneSubjectSpace() throws Exception {
    Options options = new Options.Builder().server("nats://127.0.0.1:" + tern.port())
        .connectionTimeout(WAIT).noReconnect().build();
    try (Session s = open(); Connection tcp = Nats.connect(options)) {
      Subscription fromWs = tcp.subscribe("mixed.tcp");
      tcp.flush(WAIT);
      s.send(CONNECT + "SUB mixed.ws 1\r\nPING\r\n");
      s.await("PONG\r\n");
      tcp.publish("mixed.ws", "to-ws".getBytes(StandardCharsets.UTF_8));
      assertThat(s.await("to-ws")).contains("MSG mixed.ws 1 5\r\nto-ws\r\n");
      s.send("PUB mixed.tcp 7\r\nfrom-ws\r\n");
      var m = fromWs.nextMessage(WAIT);
      assertThat(m).isNotNull();
      assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("from-ws");
    }
  }

  // ---- authentication, as for TCP ----

  @Test
  @Timeout(30)
  void authenticationAppliesToWebSocketClientsAsToTcpOnes() throws Exception {
    EmbeddedTern guarded = EmbeddedTern.start("authorization { user: alice, password: s3cret }\n"
        + "websocket { port: -1, no_tls: true }");
    try (guarded; Session good = open(guarded, new WebSocketConnectOptions());
        Session bad = open(guarded, new WebSocketConnectOptions())) {
      assertThat(new JsonObject(good.await("\r\n").substring(5).strip()).getBoolean("auth_required")).isTrue();
      // Operations sent with CONNECT wait for the auth service's answer, then run in order.
      good.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"s3cret\"}\r\n"
          + "SUB auth 1\r\nPUB auth 2\r\nok\r\nPING\r\n");
      assertThat(good.await("PONG\r\n")).contains("MSG auth 1 2\r\nok\r\n");
      bad.await("\r\n");
      bad.send("CONNECT {\"verbose\":false,\"user\":\"alice\",\"pass\":\"wrong\"}\r\nPING\r\n");
      assertThat(bad.await("-ERR")).endsWith("-ERR 'Authorization Violation'\r\n");
      assertThat(bad.closeStatus()).isEqualTo((short) 1008);
      assertThat(bad.ws.closeReason()).isEqualTo("Authentication Failure");
    }
  }

  // ---- violations ----

  @Test
  @Timeout(30)
  void aNatsProtocolErrorIsReportedInAFrameBeforeTheClose() throws Exception {
    try (Session s = open()) {
      s.send(CONNECT + "FOO\r\n");
      assertThat(s.await("-ERR")).endsWith("-ERR 'Unknown Protocol Operation'\r\n");
      // nats-server's close after this error: 1002 "Protocol Violation".
      assertThat(s.closeStatus()).isEqualTo((short) 1002);
      assertThat(s.ws.closeReason()).isEqualTo("Protocol Violation");
    }
  }

  @Test
  @Timeout(30)
  void anUnmaskedClientFrameIsRefusedWithProtocolError() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(tern.webSocketPort(), "", WAIT)) {
      assertThat(raw.response).startsWith("HTTP/1.1 101");
      raw.send(RawWebSocket.OP_BINARY, false, false, (CONNECT + "PING\r\n").getBytes(StandardCharsets.US_ASCII));
      RawWebSocket.Frame close = raw.readUntilClose();
      assertThat(close.closeStatus()).isEqualTo(1002);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  @Timeout(30)
  void aFrameOverTheLimitClosesWithMessageTooBig() throws Exception {
    try (Session s = open()) {
      s.await("\r\n");
      // The limit is max_payload + max_control_line + 64 KiB: 1 MiB + 68 KiB by default.
      byte[] big = new byte[2 << 20];
      s.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(big), true));
      assertThat(s.closeStatus()).isEqualTo((short) 1009);
    }
  }

  @Test
  @Timeout(60)
  void aDecompressionBombClosesTheConnectionAndTheServerCarriesOn() throws Exception {
    String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover\r\n";
    try (RawWebSocket raw = RawWebSocket.connect(tern.webSocketPort(), offer, WAIT)) {
      assertThat(raw.response).startsWith("HTTP/1.1 101").containsIgnoringCase("permessage-deflate");
      // 256 MiB of zeros in a frame of a few hundred KiB: well under the frame limit, far over
      // what one frame may inflate to. Without the cap the zeros would reach the parser instead.
      byte[] bomb = deflatedZeros(256);
      assertThat(bomb.length).isLessThan(1 << 20);
      raw.send(RawWebSocket.OP_BINARY, true, true, bomb);
      RawWebSocket.Frame close = raw.readUntilClose();
      assertThat(close.closeStatus()).isEqualTo(1009);
      assertThat(raw.closedByServer()).isTrue();
    }
    // Compressed traffic within bounds still works, on a new connection.
    // Netty's client refuses a server_no_context_takeover it did not ask for, and nats-server (like
    // Tern) always answers with it: Netty-based clients have to opt in, as against nats-server.
    WebSocketClient deflating = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true).setCompressionRequestServerNoContext(true)
        .setCompressionAllowClientNoContext(true));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(tern.webSocketPort()).setURI("/");
    try (Session s = get(deflating.connect(o).map(Session::new))) {
      // As nats-server: no context takeover either way, whatever the client offered.
      assertThat(s.ws.headers().get("Sec-WebSocket-Extensions"))
          .contains("permessage-deflate").contains("server_no_context_takeover").contains("client_no_context_takeover");
      String payload = "z".repeat(100_000);
      s.send(CONNECT + "SUB squeeze 1\r\nPUB squeeze 100000\r\n" + payload + "\r\nPING\r\n");
      assertThat(s.await("PONG\r\n")).contains("MSG squeeze 1 100000\r\n" + payload + "\r\n");
    }
  }

  /** A raw permessage-deflate payload: {@code mib} MiB of zeros, without the final 00 00 ff ff. */
  private static byte[] deflatedZeros(int mib) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] zeros = new byte[1 << 20];
    byte[] chunk = new byte[64 * 1024];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < mib; i++) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
    }
    int n;
    while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(chunk, 0, n);
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, all.length - 4);
  }

  // ---- handshake ----

  @Test
  @Timeout(30)
  void aConnectionThatNeverUpgradesIsClosedAfterTheHandshakeTimeout() throws Exception {
    EmbeddedTern impatient = EmbeddedTern.start("websocket { port: -1, no_tls: true, handshake_timeout: \"300ms\" }");
    try (impatient; var socket = new java.net.Socket("127.0.0.1", impatient.webSocketPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      // Nothing sent: the server gives up after handshake_timeout.
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  @Timeout(30)
  void theMqttPathIsReserved() {
    assertThatThrownBy(() -> get(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(tern.webSocketPort()).setURI("/mqtt"))))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(404));
  }

  @Test
  @Timeout(30)
  void anyOtherPathUpgrades() throws Exception {
    try (Session s = open(tern, new WebSocketConnectOptions().setURI("/any/path?x=1"))) {
      assertThat(s.await("\r\n")).startsWith("INFO ");
    }
  }

  @Test
  @Timeout(30)
  void originsAreCheckedAsNatsServerDoes() throws Exception {
    // same_origin and allowed_origins both set: an Origin must pass both; no Origin passes.
    try (Session s = open(strictOrigin, new WebSocketConnectOptions().setAllowOriginHeader(false))) {
      assertThat(s.await("\r\n")).startsWith("INFO ");
    }
    for (String origin : List.of("http://evil.example", "http://127.0.0.1:1234",
        "http://127.0.0.1:" + strictOrigin.webSocketPort())) {
      assertThatThrownBy(() -> open(strictOrigin, new WebSocketConnectOptions().addHeader("Origin", origin)))
          .as(origin)
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
    }
  }

  @Test
  @Timeout(30)
  void xForwardedForIsTheClientIpInInfoAndConnz() throws Exception {
    EmbeddedTern monitored = EmbeddedTern.start("websocket { port: -1, no_tls: true }");
    try (monitored; Session s = open(monitored,
        new WebSocketConnectOptions().addHeader("X-Forwarded-For", "203.0.113.7, 10.0.0.1"))) {
      JsonObject info = new JsonObject(s.await("\r\n").substring(5).strip());
      assertThat(info.getString("client_ip")).isEqualTo("203.0.113.7");
      s.send(CONNECT + "PING\r\n");
      s.await("PONG\r\n");
      HttpResponse<String> connz = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitored.httpPort() + "/connz"))
              .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
      JsonArray conns = new JsonObject(connz.body()).getJsonArray("connections");
      assertThat(conns).hasSize(1);
      assertThat(conns.getJsonObject(0).getString("ip")).isEqualTo("203.0.113.7");
      assertThat(conns.getJsonObject(0).getString("type")).isEqualTo("websocket");
      HttpResponse<String> varz = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitored.httpPort() + "/varz"))
              .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject ws = new JsonObject(varz.body()).getJsonObject("websocket");
      assertThat(ws.getInteger("port")).isEqualTo(monitored.webSocketPort());
      assertThat(ws.getBoolean("no_tls")).isTrue();
    }
  }

  @Test
  @Timeout(30)
  void withATlsBlockTheListenerSpeaksWss() throws Exception {
    String dir = java.nio.file.Path.of("src/test/resources/tls").toAbsolutePath().toString().replace('\\', '/');
    EmbeddedTern secure = EmbeddedTern.start("websocket { port: -1, tls { cert_file: \"" + dir
        + "/server-cert.pem\", key_file: \"" + dir + "/server-key.pem\" } }");
    WebSocketClient tlsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(dir + "/server-cert.pem")));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(secure.webSocketPort()).setURI("/");
    try (secure; Session s = get(tlsClient.connect(o).map(Session::new))) {
      assertThat(s.ws.isSsl()).isTrue();
      assertThat(s.await("\r\n")).startsWith("INFO ");
      s.send(CONNECT + "SUB tls 1\r\nPUB tls 6\r\nsecret\r\nPING\r\n");
      assertThat(s.await("PONG\r\n")).contains("MSG tls 1 6\r\nsecret\r\n");
      // A plain ws:// client gets no WebSocket out of a TLS listener.
      assertThatThrownBy(() -> open(secure, new WebSocketConnectOptions())).isInstanceOf(Exception.class);
    }
  }

  @Test
  void withoutNoTlsOrATlsBlockTheServerRefusesToStartAsNatsServerDoes() throws Exception {
    assertThatThrownBy(() -> EmbeddedTern.start("websocket { port: -1 }"))
        .hasMessageContaining("websocket requires TLS configuration");
    // Without a websocket block /varz has an empty websocket entry, as nats-server 2.9.10's.
    EmbeddedTern plain = EmbeddedTern.start("");
    try (plain) {
      assertThat(plain.webSocketPort()).isZero();
      HttpResponse<String> varz = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.httpPort() + "/varz"))
              .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(new JsonObject(varz.body()).getJsonObject("websocket")).isEmpty();
    }
  }
}
