package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttConfigTest {

  private static TernOptions load(String text, List<String> warnings) {
    TernOptions o = new TernOptions();
    warnings.addAll(ConfigLoader.apply(ConfigParser.parse(text, Path.of(".")), o));
    return o;
  }

  @Test
  void readsTheMqttBlock() {
    List<String> warnings = new java.util.ArrayList<>();
    TernOptions o = load("server_name: s\nmqtt { listen: \"127.0.0.1:1884\", no_auth_user: dev, ack_wait: \"5s\","
        + " max_ack_pending: 10, authorization { user: dev, password: pw }, js_domain: x }", warnings);
    MqttOptions m = o.getMqtt();
    assertThat(m.isEnabled()).isTrue();
    assertThat(m.getHost()).isEqualTo("127.0.0.1");
    assertThat(m.getPort()).isEqualTo(1884);
    assertThat(m.getNoAuthUser()).isEqualTo("dev");
    assertThat(m.getAckWait()).isEqualTo(Duration.ofSeconds(5));
    assertThat(m.getMaxAckPending()).isEqualTo(10);
    assertThat(m.getAuthorization().getUser()).isEqualTo("dev");
    assertThat(warnings).anyMatch(w -> w.contains("\"js_domain\" is not supported yet"));
    assertThat(o.getInactiveBlocks()).doesNotContainKey("mqtt");
    o.validate();
  }

  @Test
  void defaultsAreNatsServers() {
    MqttOptions m = load("mqtt { port: 1883 }", new java.util.ArrayList<>()).getMqtt();
    assertThat(m.getAckWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.getMaxAckPending()).isEqualTo(1024);
    assertThat(new TernOptions().getMqtt().isEnabled()).isFalse();
  }

  @Test
  void refusesWhatNatsServerRefuses() {
    assertThatThrownBy(() -> load("mqtt { port: 1883, max_ack_pending: 70000 }", new java.util.ArrayList<>()))
        .hasMessageContaining("invalid value 70000, should be in [0..65535] range");
    assertThatThrownBy(() -> load("mqtt { port: \"x\" }", new java.util.ArrayList<>()))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load("mqtt { port: 1883 }", new java.util.ArrayList<>()).validate())
        .hasMessage("mqtt requires server name to be explicitly set");
  }
}
