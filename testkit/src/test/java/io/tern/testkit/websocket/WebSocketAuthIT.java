package io.tern.testkit.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.FreePort;
import io.tern.testkit.RawClient;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The websocket block's own authentication, on the broker chosen by {@code tern.broker} (Tern or
 * nats-server): its {@code authorization} user/password or token and timeout, its
 * {@code no_auth_user}, and what WebSocket clients are told in INFO; TCP clients keep the server's rules.
 */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketAuthIT {

  private static final Duration READ = Duration.ofSeconds(10);

  /** A WebSocket NATS client on a raw socket: text in, text out. */
  private static final class Client implements AutoCloseable {
    final RawWebSocket ws;
    final StringBuilder seen = new StringBuilder();
    boolean closed;

    Client(int port, String headers) throws IOException {
      ws = RawWebSocket.connect(port, headers, READ);
      assertThat(ws.response).startsWith("HTTP/1.1 101");
    }

    void send(String text) throws IOException {
      ws.send(RawWebSocket.OP_BINARY, false, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads frames until what arrived contains {@code text} (or the connection closed); returns all of it. */
    String await(String text) throws IOException {
      for (int guard = 0; guard < 1000 && !seen.toString().contains(text) && !closed; guard++) {
        RawWebSocket.Frame f = ws.read();
        if (f == null || f.opcode() == RawWebSocket.OP_CLOSE) {
          closed = true;
        } else {
          seen.append(new String(f.payload(), StandardCharsets.UTF_8));
        }
      }
      return seen.toString();
    }

    JsonObject info() throws IOException {
      String all = await("\r\n");
      return new JsonObject(all.substring(5, all.indexOf("\r\n")).strip());
    }

    @Override
    public void close() throws IOException {
      ws.close();
    }
  }

  /** The /varz websocket block. */
  private static JsonObject varzWebSocket(Broker broker) throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + broker.httpPort() + "/varz")).timeout(READ).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonObject("websocket");
  }

  private static String ws(int port, String body) {
    return "websocket { port: " + port + ", no_tls: true" + (body.isEmpty() ? "" : ", " + body) + " }\n";
  }

  @Test
  void theBlocksUserAndPasswordGuardWebSocketClientsOnly() throws Exception {
    int port = FreePort.find();
    try (Broker broker = Brokers.startWithMonitoring(ws(port,
        "authorization { user: wsuser, password: wspass, timeout: 0.5 }"))) {
      if (broker.httpPort() > 0) {
        assertThat(varzWebSocket(broker).getDouble("auth_timeout")).isEqualTo(0.5);
      }
      // TCP clients need no credentials: the server has none.
      try (RawClient tcp = RawClient.connect(broker)) {
        assertThat(tcp.info().containsKey("auth_required")).isFalse();
        tcp.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectLine("PONG");
      }
      try (Client good = new Client(port, "")) {
        assertThat(good.info().getBoolean("auth_required")).isTrue();
        good.send("CONNECT {\"verbose\":false,\"user\":\"wsuser\",\"pass\":\"wspass\"}\r\nSUB a 1\r\nPUB a 2\r\nok\r\nPING\r\n");
        assertThat(good.await("PONG\r\n")).contains("MSG a 1 2\r\nok\r\n").doesNotContain("-ERR");
      }
      try (Client none = new Client(port, "")) {
        none.info();
        none.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertThat(none.await("-ERR")).contains("-ERR 'Authorization Violation'");
      }
      try (Client wrong = new Client(port, "")) {
        wrong.info();
        wrong.send("CONNECT {\"verbose\":false,\"user\":\"wsuser\",\"pass\":\"nope\"}\r\nPING\r\n");
        assertThat(wrong.await("-ERR")).contains("-ERR 'Authorization Violation'");
      }
      // The block's timeout (0.5s) ends a client that never sends CONNECT.
      try (Client silent = new Client(port, "")) {
        silent.info();
        assertThat(silent.await("-ERR")).contains("-ERR 'Authentication Timeout'");
      }
    }
  }

  @Test
  void theBlocksTokenIsTheOnlyOneWebSocketClientsMayUse() throws Exception {
    int port = FreePort.find();
    try (Broker broker = Brokers.start("authorization { token: tcptoken }\n" + ws(port,
        "authorization { token: wstoken }"))) {
      try (Client good = new Client(port, "")) {
        assertThat(good.info().getBoolean("auth_required")).isTrue();
        good.send("CONNECT {\"verbose\":false,\"auth_token\":\"wstoken\"}\r\nPING\r\n");
        assertThat(good.await("PONG\r\n")).doesNotContain("-ERR");
      }
      try (Client tcpToken = new Client(port, "")) {
        tcpToken.info();
        tcpToken.send("CONNECT {\"verbose\":false,\"auth_token\":\"tcptoken\"}\r\nPING\r\n");
        assertThat(tcpToken.await("-ERR")).contains("-ERR 'Authorization Violation'");
      }
      try (RawClient tcp = RawClient.connect(broker)) {
        tcp.send("CONNECT {\"verbose\":false,\"auth_token\":\"wstoken\"}\r\nPING\r\n")
            .expectErr("Authorization Violation");
      }
    }
  }

  @Test
  void theBlocksNoAuthUserPicksTheAccountOfAnonymousWebSocketClients() throws Exception {
    int port = FreePort.find();
    String config = """
        accounts {
          A { users [{user: a, password: a}] }
          B { users [{user: b, password: b}] }
        }
        no_auth_user: a
        """ + ws(port, "no_auth_user: b");
    try (Broker broker = Brokers.startWithMonitoring(config);
         RawClient inA = RawClient.connect(broker);
         RawClient inB = RawClient.connect(broker)) {
      assertThat(varzWebSocket(broker).getString("no_auth_user")).isEqualTo("b");
      // An anonymous TCP client is a (account A) and is not told auth is required.
      assertThat(inA.info().containsKey("auth_required")).isFalse();
      inA.send("CONNECT {\"verbose\":false}\r\nSUB x 1\r\nPING\r\n").expectLine("PONG");
      inB.send("CONNECT {\"verbose\":false,\"user\":\"b\",\"pass\":\"b\"}\r\nSUB x 1\r\nPING\r\n").expectLine("PONG");
      try (Client anonymous = new Client(port, "")) {
        // nats-server 2.9.10 announces auth_required to WebSocket clients here, though it lets them in.
        assertThat(anonymous.info().getBoolean("auth_required")).isTrue();
        anonymous.send("CONNECT {\"verbose\":false}\r\nPUB x 7\r\nfrom-ws\r\nPING\r\n");
        assertThat(anonymous.await("PONG\r\n")).doesNotContain("-ERR");
      }
      // It was b, in account B: B's subscriber has the message, A's has not.
      assertThat(inB.readMsg().payloadText()).isEqualTo("from-ws");
      inA.send("PING\r\n").expectLine("PONG");
      // A named user still works over WebSocket.
      try (Client named = new Client(port, "")) {
        named.info();
        named.send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\"}\r\nPUB x 2\r\nto\r\nPING\r\n");
        assertThat(named.await("PONG\r\n")).doesNotContain("-ERR");
      }
      assertThat(inA.readMsg().payloadText()).isEqualTo("to");
    }
  }

  @Test
  void aJwtCookieStandsInForTheConnectJwt() throws Exception {
    // nats-server accepts jwt_cookie only in operator mode; the reference runner has no WebSocket port: Tern only.
    Assumptions.assumeTrue(Brokers.kind().equals("tern"), "the reference runner exposes no WebSocket port");
    io.tern.testkit.auth.OperatorSetups.WithBearerUser op = io.tern.testkit.auth.OperatorSetups.withBearerUser();
    CopyOnWriteArrayList<String> jwts = new CopyOnWriteArrayList<>();
    try (EmbeddedTern tern = EmbeddedTern.start(op.config()
        + "websocket { port: -1, no_tls: true, jwt_cookie: my_jwt }")) {
      tern.server().vertx().eventBus().addOutboundInterceptor(ctx -> {
        if (ctx.message().address().equals("tern.auth.connect") && ctx.message().body() instanceof JsonObject j) {
          jwts.add(String.valueOf(j.getString("jwt")));
        }
        ctx.next();
      });
      int port = tern.webSocketPort();
      try (Client c = new Client(port, "Cookie: other=1; my_jwt=\"" + op.userJwt() + "\"\r\n")) {
        c.info();
        c.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertThat(c.await("PONG\r\n")).doesNotContain("-ERR");
      }
      try (Client c = new Client(port, "Cookie: my_jwt=eyJ0eXAi.cookie\r\n")) {
        c.info();
        c.send("CONNECT {\"verbose\":false,\"jwt\":\"" + op.userJwt() + "\"}\r\nPING\r\n");
        assertThat(c.await("PONG\r\n")).doesNotContain("-ERR");
      }
      try (Client c = new Client(port, "")) {
        c.info();
        c.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertThat(c.await("Authorization Violation")).contains("-ERR");
      }
    }
    assertThat(jwts).containsExactly(op.userJwt(), op.userJwt(), "null");
  }
}
