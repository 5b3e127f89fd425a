package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketConfigLoaderTest {

  private static List<String> apply(String text, TernOptions options) {
    return ConfigLoader.apply(ConfigParser.parse(text, null, name -> null), options);
  }

  @Test
  void offUntilAPortIsSet() {
    TernOptions o = new TernOptions();
    assertThat(o.getWebSocket().isEnabled()).isFalse();
    o.validate();
  }

  @Test
  void mapsTheBlock() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("websocket {\n host: 127.0.0.1\n port: 8080\n no_tls: true\n same_origin: true\n"
        + " allowed_origins: [\"http://a.example\", \"https://b.example:8443\"]\n compression: true\n"
        + " handshake_timeout: \"3s\"\n advertise: \"ws.example:80\"\n}", o);
    assertThat(warnings).isEmpty();
    WebSocketOptions ws = o.getWebSocket();
    assertThat(ws.isEnabled()).isTrue();
    assertThat(ws.getHost()).isEqualTo("127.0.0.1");
    assertThat(ws.getPort()).isEqualTo(8080);
    assertThat(ws.isNoTls()).isTrue();
    assertThat(ws.isSameOrigin()).isTrue();
    assertThat(ws.getAllowedOrigins()).containsExactly("http://a.example", "https://b.example:8443");
    assertThat(ws.isCompression()).isTrue();
    assertThat(ws.getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(ws.getAdvertise()).isEqualTo("ws.example:80");
    o.validate();
  }

  @Test
  void wsAliasListenAndSecondsAsNatsServerTakesThem() {
    TernOptions o = new TernOptions();
    apply("ws { listen: \"0.0.0.0:9090\", no_tls: true, handshake_timeout: 5, compress: false, allowed_origins: \"http://x\" }", o);
    WebSocketOptions ws = o.getWebSocket();
    assertThat(ws.getHost()).isEqualTo("0.0.0.0");
    assertThat(ws.getPort()).isEqualTo(9090);
    assertThat(ws.getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ws.getAllowedOrigins()).containsExactly("http://x");
    assertThat(new WebSocketOptions().getHandshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void withoutTlsOrNoTlsStartupFailsWithNatsServersText() {
    TernOptions o = new TernOptions();
    apply("websocket { port: 8080 }", o);
    assertThatThrownBy(o::validate).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("websocket requires TLS configuration");
  }

  @Test
  void aTlsBlockNeedsCertAndKeyLikeNatsServer() {
    TernOptions o = new TernOptions();
    apply("websocket { port: 8443, tls { cert_file: \"c.pem\", key_file: \"k.pem\", ca_file: \"ca.pem\", verify: true } }", o);
    TlsOptions tls = o.getWebSocket().getTls();
    assertThat(tls.getCertFile()).isEqualTo("c.pem");
    assertThat(tls.getKeyFile()).isEqualTo("k.pem");
    assertThat(tls.getCaFile()).isEqualTo("ca.pem");
    assertThat(tls.isVerify()).isTrue();
    o.validate();
    // nats-server: "d.conf:2:26: missing 'cert_file' in TLS configuration"
    assertThatThrownBy(() -> apply("websocket {\n port: 8443, tls { key_file: \"k.pem\" } }", new TernOptions()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("<config>:2:14: missing 'cert_file' in TLS configuration");
  }

  @Test
  void unknownKeysWarnAndTheAuthKeysAreRead() {
    TernOptions o = new TernOptions();
    List<String> warnings = apply("websocket { port: 1, no_tls: true, foo: 1, no_auth_user: bob, jwt_cookie: jwt,"
        + " authorization { user: u, password: p, timeout: 0.5 } }", o);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).endsWith("unknown field \"foo\"");
    assertThat(o.getWebSocket().getNoAuthUser()).isEqualTo("bob");
    assertThat(o.getWebSocket().getJwtCookie()).isEqualTo("jwt");
    assertThat(o.getWebSocket().getAuthorization().getUser()).isEqualTo("u");
    assertThat(o.getWebSocket().getAuthorization().getTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.getWebSocket().isAuthOverride()).isTrue();
  }

  @Test
  void onlyAUserATokenOrANoAuthUserOverrideTheServersAuth() {
    TernOptions o = new TernOptions();
    apply("websocket { port: 1, no_tls: true, authorization { timeout: 2 }, jwt_cookie: c }", o);
    assertThat(o.getWebSocket().isAuthOverride()).isFalse();
    TernOptions t = new TernOptions();
    apply("websocket { port: 1, no_tls: true, authorization { token: t } }", t);
    assertThat(t.getWebSocket().isAuthOverride()).isTrue();
  }

  @Test
  void theBlocksAuthIsCheckedAtStartupWithNatsServersTexts() {
    TernOptions noUsers = new TernOptions();
    apply("websocket { port: 1, no_tls: true, no_auth_user: ghost }", noUsers);
    assertThatThrownBy(noUsers::validate).hasMessage("no_auth_user: \"ghost\" present, but users are not defined");
    TernOptions unknown = new TernOptions();
    apply("authorization { users [{user: a, password: a}] }\n"
        + "websocket { port: 1, no_tls: true, no_auth_user: ghost }", unknown);
    assertThatThrownBy(unknown::validate).hasMessage(
        "no_auth_user: \"ghost\" not present as user in authorization block or account configuration");
    TernOptions withUsers = new TernOptions();
    apply("authorization { users [{user: a, password: a}] }\n"
        + "websocket { port: 1, no_tls: true, authorization { user: x, password: y } }", withUsers);
    assertThatThrownBy(withUsers::validate)
        .hasMessage("websocket authentication username not compatible with presence of users/nkeys");
    TernOptions token = new TernOptions();
    apply("accounts { A { users [{user: a, password: a}] } }\n"
        + "websocket { port: 1, no_tls: true, authorization { token: x } }", token);
    assertThatThrownBy(token::validate)
        .hasMessage("websocket authentication token not compatible with presence of users/nkeys");
    TernOptions fine = new TernOptions();
    apply("accounts { A { users [{user: a, password: a}] } }\n"
        + "websocket { port: 1, no_tls: true, no_auth_user: a }", fine);
    fine.validate();
  }

  @Test
  void aJwtCookieNeedsOperatorModeAsInNatsServer() {
    TernOptions plain = new TernOptions();
    apply("websocket { port: 1, no_tls: true, jwt_cookie: my_jwt }", plain);
    assertThatThrownBy(plain::validate).hasMessage(
        "trusted operators or trusted keys configuration is required for JWT authentication via cookie \"my_jwt\"");
    TernOptions operator = new TernOptions();
    apply("websocket { port: 1, no_tls: true, jwt_cookie: my_jwt }", operator);
    operator.getOperator().getOperatorJwts().add("an operator JWT");
    operator.validate();
  }

  @Test
  void wrongTypesAreErrorsWithThePosition() {
    assertThatThrownBy(() -> apply("websocket { port: \"x\" }", new TernOptions()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("<config>:1:13: port:");
    assertThatThrownBy(() -> apply("websocket: 8080", new TernOptions()))
        .isInstanceOf(ConfigException.class);
  }
}
