package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.mqtt.MqttTern.Client;
import io.tern.testkit.mqtt.MqttTern.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT state held in the stream service survives a broker restart on the same store: a persistent
 * session with its subscriptions and queued QoS 1 messages, and retained messages.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MqttDurabilityIT {

  private static final int MESSAGES = 1000;

  @TempDir
  Path store;

  private String config() {
    return MqttTern.config("", "jetstream { store_dir: \"" + store.toAbsolutePath() + "\" }");
  }

  @Test
  void offlinePersistentSessionGetsEveryQueuedMessageAfterARestart() throws Exception {
    try (MqttTern tern = MqttTern.startWith(config())) {
      try (Client sub = tern.client("durable-sub")) {
        sub.connect(false);
        sub.paho.subscribe("dur/#", 1);
      }
      publishQos1(tern.uri(), "durable-pub", MESSAGES);
      try (Client pub = tern.client("retainer")) {
        pub.connect(true);
        pub.publish("keep/me", "retained across restarts", 1, true);
      }
    }

    try (MqttTern tern = MqttTern.startWith(config())) {
      try (Client sub = tern.client("durable-sub")) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        // Paho acknowledges each message after the callback; the session sends up to max_ack_pending.
        org.eclipse.paho.client.mqttv3.IMqttToken token = sub.paho.connectWithResult(o);
        assertThat(token.getSessionPresent()).isTrue();
        Set<String> payloads = new HashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
          Received r = sub.received.poll(30, TimeUnit.SECONDS);
          assertThat(r).as("message %d of %d", i + 1, MESSAGES).isNotNull();
          assertThat(r.qos()).isEqualTo(1);
          assertThat(r.topic()).startsWith("dur/");
          payloads.add(r.payload());
        }
        assertThat(payloads).hasSize(MESSAGES);
        assertThat(sub.nextQuick()).isNull();
      }
      try (Client late = tern.client("late")) {
        late.connect(true);
        late.paho.subscribe("keep/+", 1);
        Received r = late.next();
        assertThat(r).isNotNull();
        assertThat(r.payload()).isEqualTo("retained across restarts");
        assertThat(r.retained()).isTrue();
        assertThat(r.qos()).isEqualTo(1);
      }
      // Once acknowledged, the queue is empty: a further reconnect brings nothing.
      try (Client sub = tern.client("durable-sub")) {
        sub.connect(false);
        assertThat(sub.nextQuick()).isNull();
      }
    }
  }

  @Test
  void aPersistentSessionGetsQueuedThenLiveMessagesInOrderOnce() throws Exception {
    try (MqttTern tern = MqttTern.startWith(config())) {
      try (Client sub = tern.client("mixed-sub")) {
        sub.connect(false);
        sub.paho.subscribe("dur/#", 1);
      }
      // 500 while away (read back from the stream), then 500 while connected (announced).
      publishQos1(tern.uri(), "mixed-pub-1", 500);
      try (Client sub = tern.client("mixed-sub")) {
        sub.connect(false);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          Received r = sub.received.poll(30, TimeUnit.SECONDS);
          assertThat(r).as("queued message %d", i).isNotNull();
          got.add(r.payload());
        }
        publishQos1(tern.uri(), "mixed-pub-2", 500);
        for (int i = 0; i < 500; i++) {
          Received r = sub.received.poll(30, TimeUnit.SECONDS);
          assertThat(r).as("live message %d", i).isNotNull();
          got.add(r.payload());
        }
        assertThat(sub.nextQuick()).isNull();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          expected.add("m" + i);
        }
        // One publisher per batch: each batch in its publish order.
        assertThat(got.subList(0, 500)).containsExactlyElementsOf(expected);
        assertThat(got.subList(500, 1000)).containsExactlyElementsOf(expected);
      }
      try (Client sub = tern.client("mixed-sub")) {
        sub.connect(false);
        assertThat(sub.nextQuick()).as("everything was acknowledged").isNull();
      }
    }
  }

  /** Publishes {@code count} QoS 1 messages, many in flight, and waits for every PUBACK. */
  static void publishQos1(String uri, String clientId, int count) throws Exception {
    MqttAsyncClient pub = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    // Paho frees an in-flight slot after completing the token, so the window stays well below it.
    o.setMaxInflight(1000);
    o.setAutomaticReconnect(false);
    pub.connect(o).waitForCompletion(10_000);
    IMqttDeliveryToken[] tokens = new IMqttDeliveryToken[count];
    for (int i = 0; i < count; i++) {
      if (i >= 100) {
        tokens[i - 100].waitForCompletion(30_000);
      }
      tokens[i] = pub.publish("dur/" + (i % 10), ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
    }
    for (IMqttDeliveryToken t : tokens) {
      t.waitForCompletion(30_000);
    }
    pub.disconnect().waitForCompletion(5_000);
    pub.close();
  }
}
