package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.AuthorizationOptions;
import io.tern.common.config.TernOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketAuthTest {

  @Test
  void theJwtCookieIsFoundByNameAndUnquoted() {
    assertThat(WebSocketAuth.cookie("a=1; jwt=abc.def; b=2", "jwt")).isEqualTo("abc.def");
    assertThat(WebSocketAuth.cookie("jwt=\"q.v\"", "jwt")).isEqualTo("q.v");
    assertThat(WebSocketAuth.cookie("xjwt=1; jwt=2; jwt=3", "jwt")).isEqualTo("2");
    assertThat(WebSocketAuth.cookie("a=1", "jwt")).isNull();
    assertThat(WebSocketAuth.cookie(null, "jwt")).isNull();
    assertThat(WebSocketAuth.cookie("jwt=1", null)).isNull();
  }

  @Test
  void anOverrideRequiresAuthForWebSocketClientsOnly() {
    TernOptions o = new TernOptions();
    o.getWebSocket().setPort(-1).setNoTls(true)
        .setAuthorization(new AuthorizationOptions().setUser("u").setPassword("p").setTimeout(Duration.ofMillis(300)));
    assertThat(WebSocketAuth.required(o, "WEBSOCKET")).isTrue();
    assertThat(WebSocketAuth.announced(o, "WEBSOCKET")).isTrue();
    assertThat(WebSocketAuth.required(o, "STANDARD")).isFalse();
    assertThat(WebSocketAuth.announced(o, "STANDARD")).isFalse();
    assertThat(WebSocketAuth.timeout(o, "WEBSOCKET")).isEqualTo(Duration.ofMillis(300));
    assertThat(WebSocketAuth.timeout(o, "STANDARD")).isEqualTo(o.getAuthTimeout());
  }
}
