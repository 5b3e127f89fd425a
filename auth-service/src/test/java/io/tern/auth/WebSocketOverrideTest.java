package io.tern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The websocket block's own credentials replace the server's for WebSocket connections only. */
class WebSocketOverrideTest {

  private static UserDirectory directory(String config) {
    TernOptions o = new TernOptions();
    ConfigLoader.apply(ConfigParser.parse(config, null), o);
    return new UserDirectory(o);
  }

  private static JsonObject ws() {
    return new JsonObject().put("type", "WEBSOCKET");
  }

  @Test
  void theBlocksTokenIsTheOnlyOneForWebSocketClients() {
    UserDirectory d = directory("authorization { token: tcp }\nwebsocket { port: 1, no_tls: true, "
        + "authorization { token: web } }");
    assertThat(d.authenticate(ws().put("auth_token", "web"))).isNotNull();
    assertThat(d.authenticate(ws().put("auth_token", "tcp"))).isNull();
    assertThat(d.authenticate(new JsonObject().put("type", "STANDARD").put("auth_token", "tcp"))).isNotNull();
    assertThat(d.authenticate(new JsonObject().put("type", "STANDARD").put("auth_token", "web"))).isNull();
  }

  @Test
  void theBlocksNoAuthUserBindsAnonymousWebSocketClients() {
    UserDirectory d = directory("accounts { A { users [{user: a, password: a}] }, B { users [{user: b, password: b}] } }\n"
        + "no_auth_user: a\nwebsocket { port: 1, no_tls: true, no_auth_user: b }");
    assertThat(d.authenticate(ws()).account()).isEqualTo("B");
    assertThat(d.authenticate(new JsonObject().put("type", "STANDARD")).account()).isEqualTo("A");
    assertThat(d.authenticate(ws().put("user", "a").put("pass", "a")).account()).isEqualTo("A");
    assertThat(d.authenticate(ws().put("user", "a").put("pass", "x"))).isNull();
  }

  @Test
  void withoutAnOverrideWebSocketClientsUseTheServersRules() {
    UserDirectory d = directory("authorization { user: u, password: p }\nwebsocket { port: 1, no_tls: true, "
        + "authorization { timeout: 3 } }");
    assertThat(d.authenticate(ws().put("user", "u").put("pass", "p"))).isNotNull();
    assertThat(d.authenticate(ws())).isNull();
  }
}
