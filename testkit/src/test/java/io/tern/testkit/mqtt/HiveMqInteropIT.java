package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient.Mqtt3Publishes;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic MQTT interoperability scenarios with the HiveMQ MQTT client (MQTT 3.1.1): basic QoS
 * 0/1, retained messages, offline queueing, will, overlapping subscriptions, keepalive,
 * redelivery on reconnect, zero-length client id and subscribe failure. QoS 2 is as nats-server
 * 2.9.10 has it: subscriptions are granted QoS 1, publishes refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HiveMqInteropIT {

  static MqttTern tern;

  @BeforeAll
  static void start() {
    tern = MqttTern.startChosen();
  }

  @AfterAll
  static void stop() {
    tern.close();
  }

  /** A HiveMQ blocking client whose publishes stream is open from before it connects. */
  static final class Hive implements AutoCloseable {
    final Mqtt3BlockingClient client;
    final Mqtt3Publishes publishes;

    Hive(String clientId, int port, boolean manualAck) {
      var builder = Mqtt3Client.builder().serverHost("127.0.0.1").serverPort(port);
      if (clientId != null) {
        builder = builder.identifier(clientId);
      }
      client = builder.buildBlocking();
      publishes = client.publishes(MqttGlobalPublishFilter.ALL, manualAck);
    }

    Mqtt3ConnAck connect(boolean cleanSession) {
      return client.connectWith().cleanSession(cleanSession).keepAlive(60).send();
    }

    void publish(String topic, String payload, MqttQos qos, boolean retain) {
      client.publishWith().topic(topic).qos(qos).retain(retain)
          .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    Mqtt3SubAck subscribe(String filter, MqttQos qos) {
      return client.subscribeWith().topicFilter(filter).qos(qos).send();
    }

    Mqtt3Publish next() throws InterruptedException {
      Optional<Mqtt3Publish> p = publishes.receive(5, TimeUnit.SECONDS);
      assertThat(p).as("a message within 5 s").isPresent();
      return p.get();
    }

    Optional<Mqtt3Publish> nextQuick() throws InterruptedException {
      return publishes.receive(300, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      publishes.close();
      if (client.getState().isConnected()) {
        client.disconnect();
      }
    }
  }

  static Hive hive(String clientId) {
    return new Hive(clientId, tern.mqttPort(), false);
  }

  static String text(Mqtt3Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void basicQos0AndQos1() throws Exception {
    try (Hive c = hive("hive-basic")) {
      c.connect(true);
      Mqtt3SubAck ack = c.subscribe("hive/basic", MqttQos.EXACTLY_ONCE);
      assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
      c.publish("hive/basic", "q0", MqttQos.AT_MOST_ONCE, false);
      c.publish("hive/basic", "q1", MqttQos.AT_LEAST_ONCE, false);
      List<Mqtt3Publish> got = List.of(c.next(), c.next());
      assertThat(got).extracting(HiveMqInteropIT::text).containsExactlyInAnyOrder("q0", "q1");
      for (Mqtt3Publish p : got) {
        assertThat(p.getQos()).isEqualTo(text(p).equals("q0") ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE);
        assertThat(p.getTopic().toString()).isEqualTo("hive/basic");
      }
    }
  }

  @Test
  void retainedMessagesSetReceivedAndCleared() throws Exception {
    try (Hive pub = hive("hive-ret-pub")) {
      pub.connect(true);
      pub.publish("hive/ret/a", "ra", MqttQos.AT_MOST_ONCE, true);
      pub.publish("hive/ret/b", "rb", MqttQos.AT_LEAST_ONCE, true);
      try (Hive sub = hive("hive-ret-sub")) {
        sub.connect(true);
        sub.subscribe("hive/ret/+", MqttQos.AT_LEAST_ONCE);
        List<Mqtt3Publish> got = List.of(sub.next(), sub.next());
        assertThat(got).allMatch(Mqtt3Publish::isRetain);
        assertThat(got).extracting(HiveMqInteropIT::text).containsExactlyInAnyOrder("ra", "rb");
        // Delivered at the lower of the publish and subscription QoS.
        assertThat(got).filteredOn(p -> text(p).equals("ra")).extracting(Mqtt3Publish::getQos)
            .containsExactly(MqttQos.AT_MOST_ONCE);
        assertThat(got).filteredOn(p -> text(p).equals("rb")).extracting(Mqtt3Publish::getQos)
            .containsExactly(MqttQos.AT_LEAST_ONCE);
      }
      pub.publish("hive/ret/a", "", MqttQos.AT_MOST_ONCE, true);
      pub.publish("hive/ret/b", "", MqttQos.AT_LEAST_ONCE, true);
      try (Hive sub = hive("hive-ret-sub2")) {
        sub.connect(true);
        sub.subscribe("hive/ret/+", MqttQos.AT_LEAST_ONCE);
        assertThat(sub.nextQuick()).isEmpty();
      }
    }
  }

  @Test
  void offlineMessagesAreQueuedForAPersistentSession() throws Exception {
    try (Hive sub = hive("hive-offline")) {
      sub.connect(false);
      sub.subscribe("hive/offline/#", MqttQos.AT_LEAST_ONCE);
      sub.client.disconnect();
    }
    try (Hive pub = hive("hive-offline-pub")) {
      pub.connect(true);
      pub.publish("hive/offline/1", "one", MqttQos.AT_LEAST_ONCE, false);
      pub.publish("hive/offline/2", "two", MqttQos.AT_LEAST_ONCE, false);
      pub.publish("hive/offline/0", "zero", MqttQos.AT_MOST_ONCE, false);
    }
    try (Hive sub = hive("hive-offline")) {
      Mqtt3ConnAck ack = sub.connect(false);
      assertThat(ack.isSessionPresent()).isTrue();
      List<String> got = new ArrayList<>(List.of(text(sub.next()), text(sub.next())));
      // QoS 0 messages are not kept for an offline session (nor by nats-server).
      sub.nextQuick().ifPresent(p -> got.add(text(p)));
      assertThat(got).containsExactly("one", "two");
    }
  }

  @Test
  void willIsPublishedOnAbruptDisconnectOnly() throws Exception {
    try (Hive watcher = hive("hive-will-watch"); TcpProxy proxy = new TcpProxy(tern.mqttPort())) {
      watcher.connect(true);
      watcher.subscribe("hive/will/+", MqttQos.AT_LEAST_ONCE);
      Mqtt3BlockingClient polite = Mqtt3Client.builder().identifier("hive-will-polite").serverHost("127.0.0.1")
          .serverPort(tern.mqttPort()).buildBlocking();
      polite.connectWith().willPublish().topic("hive/will/polite").payload("x".getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().send();
      polite.disconnect();
      Mqtt3BlockingClient dropped = Mqtt3Client.builder().identifier("hive-will-dropped").serverHost("127.0.0.1")
          .serverPort(proxy.port()).buildBlocking();
      dropped.connectWith().willPublish().topic("hive/will/dropped")
          .payload("gone".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().send();
      proxy.cutAll();
      Mqtt3Publish will = watcher.next();
      assertThat(will.getTopic().toString()).isEqualTo("hive/will/dropped");
      assertThat(text(will)).isEqualTo("gone");
      assertThat(watcher.nextQuick()).isEmpty();
    }
  }

  @Test
  void overlappingSubscriptionsDeliverAtLeastOnceAtTheHighestQos() throws Exception {
    try (Hive c = hive("hive-overlap")) {
      c.connect(true);
      c.subscribe("hive/overlap/#", MqttQos.AT_MOST_ONCE);
      c.subscribe("hive/overlap/+", MqttQos.AT_LEAST_ONCE);
      c.publish("hive/overlap/a", "both", MqttQos.AT_LEAST_ONCE, false);
      List<Mqtt3Publish> got = new ArrayList<>(List.of(c.next()));
      c.nextQuick().ifPresent(got::add);
      // MQTT 3.1.1 allows one copy at the highest QoS or one per subscription (Tern: one per).
      assertThat(got).hasSizeBetween(1, 2).allMatch(p -> text(p).equals("both"));
      assertThat(got).extracting(Mqtt3Publish::getQos).contains(MqttQos.AT_LEAST_ONCE);
    }
  }

  @Test
  void keepaliveWithPingsKeepsTheConnection() throws Exception {
    try (Hive c = hive("hive-keepalive")) {
      c.client.connectWith().cleanSession(true).keepAlive(1).send();
      c.subscribe("hive/ka", MqttQos.AT_LEAST_ONCE);
      // Well past 1.5 x keepalive: the client's PINGREQs keep it connected.
      Thread.sleep(3000);
      assertThat(c.client.getState().isConnected()).isTrue();
      c.publish("hive/ka", "alive", MqttQos.AT_LEAST_ONCE, false);
      assertThat(text(c.next())).isEqualTo("alive");
    }
  }

  @Test
  void unacknowledgedMessagesAreRedeliveredOnReconnect() throws Exception {
    try (Hive sub = new Hive("hive-redeliver", tern.mqttPort(), true)) {
      sub.connect(false);
      sub.subscribe("hive/redeliver", MqttQos.AT_LEAST_ONCE);
      try (Hive pub = hive("hive-redeliver-pub")) {
        pub.connect(true);
        pub.publish("hive/redeliver", "again", MqttQos.AT_LEAST_ONCE, false);
      }
      Mqtt3Publish first = sub.next();
      assertThat(text(first)).isEqualTo("again");
      // Not acknowledged: the server keeps it for the session.
      sub.client.disconnect();
    }
    try (Hive sub = new Hive("hive-redeliver", tern.mqttPort(), true)) {
      assertThat(sub.connect(false).isSessionPresent()).isTrue();
      Mqtt3Publish again = sub.next();
      assertThat(text(again)).isEqualTo("again");
      assertThat(again.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      again.acknowledge();
      sub.client.disconnect();
    }
    try (Hive sub = hive("hive-redeliver")) {
      sub.connect(false);
      assertThat(sub.nextQuick()).as("acknowledged: not sent again").isEmpty();
      sub.client.disconnect();
    }
    try (Hive cleanup = hive("hive-redeliver")) {
      cleanup.connect(true);
    }
  }

  @Test
  void zeroLengthClientIdOnlyWithCleanSession() throws Exception {
    try (Hive c = new Hive(null, tern.mqttPort(), false)) {
      Mqtt3ConnAck ack = c.connect(true);
      assertThat(ack.getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
      c.subscribe("hive/anon", MqttQos.AT_LEAST_ONCE);
      c.publish("hive/anon", "hi", MqttQos.AT_LEAST_ONCE, false);
      assertThat(text(c.next())).isEqualTo("hi");
    }
    try (Hive c = new Hive(null, tern.mqttPort(), false)) {
      assertThatThrownBy(() -> c.connect(false)).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
          e -> assertThat(e.getMqttMessage().getReturnCode())
              .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
    }
  }

  @Test
  void subscribeFailureForAFilterWithoutASubjectForm() throws Exception {
    try (Hive c = hive("hive-subfail")) {
      c.connect(true);
      // HiveMQ's client turns a SUBACK with a failure code into an exception carrying the SUBACK.
      assertThatThrownBy(() -> c.client.subscribeWith()
          .addSubscription().topicFilter("hive/ok").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .addSubscription().topicFilter("hive/bad.level").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
          .send()).isInstanceOfSatisfying(Mqtt3SubAckException.class, e -> assertThat(e.getMqttMessage().getReturnCodes())
              .containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1, Mqtt3SubAckReturnCode.FAILURE));
      // The connection stays usable.
      c.publish("hive/ok", "still here", MqttQos.AT_LEAST_ONCE, false);
      assertThat(text(c.next())).isEqualTo("still here");
    }
  }
}
