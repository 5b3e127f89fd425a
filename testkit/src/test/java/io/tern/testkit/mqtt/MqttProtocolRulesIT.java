package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MQTT 3.1.1 rules a server must enforce itself, with raw packets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttProtocolRulesIT {

  static MqttTern tern;

  @BeforeAll
  static void start() {
    tern = MqttTern.startChosen();
  }

  @AfterAll
  static void stop() {
    tern.close();
  }

  private RawMqttClient connected(String clientId) throws Exception {
    RawMqttClient raw = RawMqttClient.connect(tern.mqttPort());
    raw.send(RawMqttClient.connect(clientId, true, 60, null, null, 0, false));
    assertThat(raw.readConnack()).isEqualTo(new int[] {0, 0});
    return raw;
  }

  @Test
  void aSecondConnectClosesTheConnection() throws Exception {
    try (RawMqttClient raw = connected("twice")) {
      raw.send(RawMqttClient.connect("twice", true, 60, null, null, 0, false));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void anUnsupportedProtocolLevelGetsReturnCode1ThenClose() throws Exception {
    // nats-server 2.9.10 answers 20 02 00 01 for levels 3 and 5; for level 5 Tern's CONNACK is in
    // MQTT 5's layout (a properties length follows), the return code at the same place.
    for (int level : new int[] {3, 5}) {
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect(level, "level" + level, true, 60, null, null, 0, false, null, null));
        assertThat(raw.readConnack()[1]).as("level %d", level).isEqualTo(1);
        assertThat(raw.readPacketType()).isEqualTo(-1);
      }
    }
  }

  @Test
  void mqtt31IsRefused() throws Exception {
    // nats-server closes an MQIsdp CONNECT without a CONNACK; Tern answers 0x01 first.
    try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
      raw.send(mqisdp(RawMqttClient.connect(3, "mqisdp", true, 60, null, null, 0, false, null, null)));
      int type = raw.readPacketType();
      if (type == RawMqttClient.CONNACK) {
        assertThat(raw.lastBody()[1]).isEqualTo((byte) 1);
        type = raw.readPacketType();
      }
      assertThat(type).isEqualTo(-1);
    }
  }

  private static byte[] mqisdp(byte[] connect) {
    // Rebuild with protocol name "MQIsdp" (length 6) instead of "MQTT".
    byte[] body = java.util.Arrays.copyOfRange(connect, 2, connect.length);
    byte[] rest = java.util.Arrays.copyOfRange(body, 6, body.length);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x10);
    out.write(8 + rest.length);
    out.write(0);
    out.write(6);
    out.writeBytes("MQIsdp".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(rest);
    return out.toByteArray();
  }

  @Test
  void wildcardTopicsInPublishCloseTheConnection() throws Exception {
    try (RawMqttClient raw = connected("wild-pub")) {
      raw.send(RawMqttClient.publish("a/+/b", "x", 0, 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void anEmptyTopicClosesTheConnection() throws Exception {
    try (RawMqttClient raw = connected("empty-pub")) {
      raw.send(RawMqttClient.publish("", "x", 0, 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void anEmptyFilterClosesTheConnection() throws Exception {
    try (RawMqttClient raw = connected("empty-sub")) {
      raw.send(RawMqttClient.subscribe(1, "", 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void aNulInATopicClosesTheConnection() throws Exception {
    // As MQTT 3.1.1 (1.5.3) requires; nats-server 2.9.10 keeps the connection open (observed).
    Assumptions.assumeTrue(tern.tern != null, "Tern's rule; nats-server does not close");
    try (RawMqttClient raw = connected("nul-pub")) {
      raw.send(RawMqttClient.publish("a\u0000b", "x", 0, 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void illFormedUtf8InAFilterClosesTheConnection() throws Exception {
    try (RawMqttClient raw = connected("bad-utf8")) {
      raw.send(RawMqttClient.subscribe(1, new byte[] {'a', '/', (byte) 0xC3, (byte) 0x28}, 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void aQos2PublishIsRefusedByClosingAsNatsServer29Does() throws Exception {
    try (RawMqttClient raw = connected("qos2-pub")) {
      raw.send(RawMqttClient.publish("q2/t", "x", 2, 7));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void aDotInAPublishTopicClosesTheConnection() throws Exception {
    try (RawMqttClient raw = connected("dot-pub")) {
      raw.send(RawMqttClient.publish("a.b", "x", 0, 0));
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void pingGetsPingresp() throws Exception {
    try (RawMqttClient raw = connected("pinger")) {
      raw.send(RawMqttClient.pingreq());
      assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.PINGRESP);
    }
  }
}
