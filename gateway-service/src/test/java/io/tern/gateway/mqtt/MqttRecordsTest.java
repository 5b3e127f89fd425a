package io.tern.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.gateway.mqtt.MqttSessionStore.RetainedMessage;
import io.tern.gateway.mqtt.MqttSessionStore.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttRecordsTest {

  @Test
  void queuedMessagesKeepTopicPayloadAndRetainFlag() {
    byte[] payload = {0, 1, 2, (byte) 0xFF};
    StoredMessage m = MqttRecords.decodeQueued(MqttRecords.encodeQueued(
        new StoredMessage("a.b", "a/b", payload, true)));
    assertThat(m.topic()).isEqualTo("a/b");
    assertThat(m.subject()).isEqualTo("a.b");
    assertThat(m.payload()).containsExactly(payload);
    assertThat(m.retain()).isTrue();
    StoredMessage leading = MqttRecords.decodeQueued(MqttRecords.encodeQueued(
        new StoredMessage("/.x", "/x", new byte[0], false)));
    assertThat(leading.subject()).isEqualTo("/.x");
    assertThat(leading.payload()).isEmpty();
    assertThat(leading.retain()).isFalse();
  }

  @Test
  void retainedMessagesKeepQosAndAnEmptyRecordClears() {
    RetainedMessage r = MqttRecords.decodeRetained("t.ü", MqttRecords.encodeRetained(
        new RetainedMessage("t.ü", "t/ü", "x".getBytes(StandardCharsets.UTF_8), 1)));
    assertThat(r.topic()).isEqualTo("t/ü");
    assertThat(r.qos()).isEqualTo(1);
    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("x");
    assertThat(MqttRecords.decodeRetained("t", new byte[0])).isNull();
  }

  @Test
  void sessionRecordsKeepSubscriptionOrder() {
    Map<String, Integer> subs = new LinkedHashMap<>();
    subs.put("z/#", 1);
    subs.put("a/+", 0);
    MqttRecords.SessionRecord rec = MqttRecords.decodeSession(MqttRecords.encodeSession("dev 1.x", subs));
    assertThat(rec.clientId()).isEqualTo("dev 1.x");
    assertThat(rec.subscriptions()).containsExactly(Map.entry("z/#", 1), Map.entry("a/+", 0));
    assertThat(MqttRecords.decodeSession(new byte[0])).isNull();
  }

  @Test
  void clientIdHashIsOneSubjectToken() {
    String h = MqttRecords.hash("a.b c*>");
    assertThat(h).hasSize(32).matches("[0-9a-f]+");
    assertThat(MqttRecords.hash("a.b c*>")).isEqualTo(h);
    assertThat(MqttRecords.hash("other")).isNotEqualTo(h);
  }

  @Test
  void packetIdentifiersComeFromSequencesAndStayInRange() {
    assertThat(JetStreamMqttSessionStore.packetId(1)).isEqualTo(1);
    assertThat(JetStreamMqttSessionStore.packetId(65535)).isEqualTo(65535);
    assertThat(JetStreamMqttSessionStore.packetId(65536)).isEqualTo(1);
  }
}
