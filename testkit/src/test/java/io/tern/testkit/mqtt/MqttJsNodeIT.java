package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.websocket.NodeScripts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The npm {@code mqtt} client (MQTT.js) on Node against Tern, over TCP and over WebSocket on
 * {@code /mqtt}: the assertions live in {@code src/test/node/mqtt.test.mjs}. Skipped when node is
 * not installed.
 */
class MqttJsNodeIT {

  private static MqttTern tern;

  @BeforeAll
  static void start() throws Exception {
    NodeScripts.assumeNodeAndInstall();
    tern = MqttTern.start("", "websocket { port: -1, no_tls: true }");
  }

  @AfterAll
  static void stop() {
    if (tern != null) {
      tern.close();
    }
  }

  @Test
  @Timeout(180)
  void mqttJsPassesOverTcpAndWebSocket() throws Exception {
    try (var run = NodeScripts.start("mqtt.test.mjs", Integer.toString(tern.mqttPort()),
        Integer.toString(tern.tern.webSocketPort()))) {
      int code = run.exitCode(120);
      String output = run.output();
      assertThat(code).as(output).isZero();
      assertThat(output).contains("# fail 0").contains("# pass 4");
    }
  }
}
