package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketOriginsTest {

  @Test
  void withoutChecksEveryOriginPasses() {
    WebSocketOrigins any = new WebSocketOrigins(false, List.of());
    assertThat(any.refusal("http://evil.example", "127.0.0.1:8080", false)).isNull();
    assertThat(any.refusal(null, "127.0.0.1:8080", false)).isNull();
  }

  @Test
  void sameOriginComparesHostAndPortWithDefaultPorts() {
    WebSocketOrigins same = new WebSocketOrigins(true, List.of());
    assertThat(same.refusal("http://example.com:8080", "example.com:8080", false)).isNull();
    assertThat(same.refusal("http://example.com", "example.com:80", false)).isNull();
    assertThat(same.refusal("https://example.com", "example.com", true)).isNull();
    assertThat(same.refusal("http://example.com:8081", "example.com:8080", false))
        .isEqualTo("origin not allowed: not same origin");
    assertThat(same.refusal("http://other.com:8080", "example.com:8080", false))
        .isEqualTo("origin not allowed: not same origin");
    // Not a browser: no Origin header, nothing to compare.
    assertThat(same.refusal(null, "example.com:8080", false)).isNull();
  }

  @Test
  void allowedOriginsNeedSchemeHostAndPort() {
    WebSocketOrigins listed = new WebSocketOrigins(false, List.of("http://a.example", "https://b.example:8443"));
    assertThat(listed.refusal("http://a.example", "x:1", false)).isNull();
    assertThat(listed.refusal("http://a.example:80", "x:1", false)).isNull();
    assertThat(listed.refusal("https://b.example:8443", "x:1", false)).isNull();
    assertThat(listed.refusal("https://a.example", "x:1", false))
        .isEqualTo("origin not allowed: not in the allowed list");
    assertThat(listed.refusal("http://b.example:8443", "x:1", false))
        .isEqualTo("origin not allowed: not in the allowed list");
    assertThatThrownBy(() -> new WebSocketOrigins(false, List.of("not a url")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bothChecksApplyWhenBothAreSet() {
    WebSocketOrigins both = new WebSocketOrigins(true, List.of("http://good.example:8080"));
    assertThat(both.refusal("http://good.example:8080", "good.example:8080", false)).isNull();
    assertThat(both.refusal("http://good.example:8080", "127.0.0.1:8080", false)).contains("not same origin");
    assertThat(both.refusal("http://127.0.0.1:8080", "127.0.0.1:8080", false)).contains("not in the allowed list");
  }

  @Test
  void xForwardedForGivesItsFirstAddressWhenItIsOne() {
    assertThat(WebSocketTransport.forwardedFor("203.0.113.7, 10.0.0.1")).isEqualTo("203.0.113.7");
    assertThat(WebSocketTransport.forwardedFor(" 2001:db8::1 ")).isEqualTo("2001:db8::1");
    assertThat(WebSocketTransport.forwardedFor("unknown, 10.0.0.1")).isNull();
    assertThat(WebSocketTransport.forwardedFor("")).isNull();
    assertThat(WebSocketTransport.forwardedFor(null)).isNull();
  }

  @Test
  void theFrameLimitLeavesRoomForOneMaximalMessage() {
    var o = new io.tern.common.config.TernOptions();
    assertThat(WebSocketListener.frameLimit(o)).isEqualTo((1 << 20) + 4096 + 65536);
    assertThat(WebSocketListener.frameLimit(o.setMaxPayload(100))).isEqualTo(100 + 4096 + 65536);
  }
}
