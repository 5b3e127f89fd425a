package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tern.testkit.EmbeddedTern;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user JWT's {@code allowed_connection_types} over WebSocket (Tern only: the reference server
 * runner does not expose a WebSocket port).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorModeWebSocketIT {

  private static Connection connect(String url, JwtMinter.UserCreds creds) throws Exception {
    return Nats.connect(new Options.Builder().server(url).authHandler(creds.handler())
        .connectionTimeout(Duration.ofSeconds(3)).noReconnect().errorListener(new io.nats.client.ErrorListener() { })
        .build());
  }

  @Test
  void connectionTypesDecideTheTransport() throws Exception {
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds wsOnly = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("allowed_connection_types", new JsonArray().add("WEBSOCKET")));
    JwtMinter.UserCreds tcpOnly = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("allowed_connection_types", new JsonArray().add("STANDARD")));
    try (EmbeddedTern tern = EmbeddedTern.start(op.memoryConfig() + "websocket { port: -1, no_tls: true }\n")) {
      String ws = "ws://127.0.0.1:" + tern.webSocketPort();
      try (Connection c = connect(ws, wsOnly)) {
        assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
      try (Connection c = connect(tern.url(), tcpOnly)) {
        assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
      assertThatThrownBy(() -> connect(tern.url(), wsOnly)).hasMessageContaining("Authorization Violation");
      assertThatThrownBy(() -> connect(ws, tcpOnly)).hasMessageContaining("Authorization Violation");
    }
  }
}
