package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.mqtt.MqttTern.Client;
import io.tern.testkit.mqtt.MqttTern.Received;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic MQTT interoperability scenarios (Eclipse Paho's client test suite) with the Paho
 * Java client, adapted where Tern, like nats-server 2.9.10, refuses QoS 2 publishes and grants
 * QoS 1 for QoS 2 subscriptions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoInteropIT {

  static MqttTern tern;

  @BeforeAll
  static void start() {
    tern = MqttTern.startChosen();
  }

  @AfterAll
  static void stop() {
    tern.close();
  }

  @Test
  void basicQos0AndQos1RoundTripsWithDowngradedQos2Subscription() throws Exception {
    try (Client c = tern.client("basic")) {
      c.connect(true);
      c.paho.subscribe("TopicA/basic", 2);
      assertThat(c.paho.getTopic("TopicA/basic")).isNotNull();
      c.publish("TopicA/basic", "qos 0", 0, false);
      c.publish("TopicA/basic", "qos 1", 1, false);
      List<Received> got = List.of(c.next(), c.next());
      assertThat(got).extracting(Received::payload).containsExactlyInAnyOrder("qos 0", "qos 1");
      assertThat(got).filteredOn(r -> r.payload().equals("qos 1")).extracting(Received::qos).containsExactly(1);
      assertThat(got).filteredOn(r -> r.payload().equals("qos 0")).extracting(Received::qos).containsExactly(0);
    }
  }

  @Test
  void qos2SubscriptionIsGrantedQos1() throws Exception {
    try (Client c = tern.client("grant")) {
      c.connect(true);
      org.eclipse.paho.client.mqttv3.IMqttToken t = c.paho.subscribeWithResponse(new String[] {"g/a", "g/b"},
          new int[] {2, 0});
      assertThat(t.getGrantedQos()).containsExactly(1, 0);
    }
  }

  @Test
  void retainedMessagesAreSetReceivedAtTheLowerQosAndCleared() throws Exception {
    try (Client pub = tern.client("retain-pub"); Client sub = tern.client("retain-sub")) {
      pub.connect(true);
      pub.publish("ret/a", "r0", 0, true);
      pub.publish("ret/b", "r1", 1, true);
      pub.publish("ret/c/d", "r2", 1, true);
      sub.connect(true);
      sub.paho.subscribe("ret/+", 1);
      List<Received> got = List.of(sub.next(), sub.next());
      assertThat(got).extracting(Received::topic).containsExactlyInAnyOrder("ret/a", "ret/b");
      assertThat(got).allMatch(Received::retained);
      assertThat(got).filteredOn(r -> r.topic().equals("ret/a")).extracting(Received::qos).containsExactly(0);
      assertThat(got).filteredOn(r -> r.topic().equals("ret/b")).extracting(Received::qos).containsExactly(1);
      assertThat(sub.nextQuick()).isNull();
      // A live publish of a retained message reaches current subscribers without the retain flag.
      pub.publish("ret/a", "live", 0, true);
      Received live = sub.next();
      assertThat(live.payload()).isEqualTo("live");
      assertThat(live.retained()).isFalse();
      // Clearing: empty retained publishes.
      pub.publish("ret/a", "", 0, true);
      pub.publish("ret/b", "", 1, true);
      pub.publish("ret/c/d", "", 1, true);
      sub.drainAfterQuietPeriod();
      try (Client late = tern.client("retain-late")) {
        late.connect(true);
        late.paho.subscribe("ret/#", 1);
        assertThat(late.nextQuick()).isNull();
      }
    }
  }

  @Test
  void offlineMessagesAreQueuedForAPersistentSession() throws Exception {
    try (Client sub = tern.client("offline-sub"); Client pub = tern.client("offline-pub")) {
      sub.connect(false);
      sub.paho.subscribe("offline/#", 1);
      sub.paho.disconnect();
      pub.connect(true);
      pub.publish("offline/a", "q0", 0, false);
      pub.publish("offline/a", "q1-a", 1, false);
      pub.publish("offline/b", "q1-b", 1, false);
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(false);
      sub.connect(o);
      List<Received> got = List.of(sub.next(), sub.next());
      assertThat(got).extracting(Received::payload).containsExactly("q1-a", "q1-b");
      assertThat(sub.nextQuick()).as("QoS 0 messages are not kept for offline sessions").isNull();
      sub.paho.disconnect();
      // Reconnecting with a clean session drops it.
      sub.connect(true);
      sub.paho.disconnect();
      pub.publish("offline/a", "after-clean", 1, false);
      sub.connect(false);
      assertThat(sub.nextQuick()).isNull();
    }
  }

  @Test
  void willIsPublishedOnAbruptCloseOnly() throws Exception {
    try (Client watcher = tern.client("will-watch")) {
      watcher.connect(true);
      watcher.paho.subscribe("will/+", 1);
      // Graceful DISCONNECT: no will.
      try (Client polite = tern.client("will-polite")) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setWill("will/polite", "gone".getBytes(), 1, false);
        polite.connect(o);
        polite.paho.disconnect();
      }
      // Abrupt: a raw client that drops its socket.
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect("will-abrupt", true, 60, "will/abrupt", "died", 1, false));
        assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.CONNACK);
      }
      Received r = watcher.next();
      assertThat(r).isNotNull();
      assertThat(r.topic()).isEqualTo("will/abrupt");
      assertThat(r.payload()).isEqualTo("died");
      assertThat(watcher.nextQuick()).isNull();
    }
  }

  @Test
  void overlappingSubscriptionsDeliverOnceOrOncePerSubscription() throws Exception {
    try (Client c = tern.client("overlap")) {
      c.connect(true);
      c.paho.subscribe(new String[] {"ov/#", "ov/+"}, new int[] {2, 1});
      c.publish("ov/x", "overlap", 1, false);
      List<Received> got = c.drainAfterQuietPeriod();
      assertThat(got).hasSizeBetween(1, 2);
      assertThat(got).allMatch(r -> r.payload().equals("overlap"));
      assertThat(got).extracting(Received::qos).contains(1);
    }
  }

  @Test
  void keepaliveTimeoutClosesTheConnectionAndSendsTheWill() throws Exception {
    try (Client watcher = tern.client("ka-watch")) {
      watcher.connect(true);
      watcher.paho.subscribe("ka/will", 0);
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect("ka-silent", true, 1, "ka/will", "timed out", 0, false));
        assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.CONNACK);
        // Silent for longer than 1.5 x keepalive: the server closes and publishes the will.
        Received r = watcher.next();
        assertThat(r).isNotNull();
        assertThat(r.payload()).isEqualTo("timed out");
        assertThat(raw.readPacketType()).isEqualTo(-1);
      }
    }
  }

  @Test
  void unacknowledgedMessagesAreRedeliveredWithDupOnReconnect() throws Exception {
    try (Client pub = tern.client("redeliver-pub")) {
      pub.connect(true);
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect("redeliver-sub", false, 60, null, null, 0, false));
        assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.CONNACK);
        raw.send(RawMqttClient.subscribe(1, "redo/a", 1));
        assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.SUBACK);
        pub.publish("redo/a", "unacked", 1, false);
        RawMqttClient.Publish p = raw.readPublish();
        assertThat(p.payload()).isEqualTo("unacked");
        assertThat(p.dup()).isFalse();
        // Dropped without PUBACK.
      }
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect("redeliver-sub", false, 60, null, null, 0, false));
        assertThat(raw.readConnack()).isEqualTo(new int[] {1, 0});
        RawMqttClient.Publish p = raw.readPublish();
        assertThat(p.payload()).isEqualTo("unacked");
        assertThat(p.dup()).isTrue();
        assertThat(p.qos()).isEqualTo(1);
        raw.send(RawMqttClient.puback(p.packetId()));
        raw.send(RawMqttClient.disconnect());
      }
      try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
        raw.send(RawMqttClient.connect("redeliver-sub", true, 60, null, null, 0, false));
        assertThat(raw.readConnack()).isEqualTo(new int[] {0, 0});
        raw.send(RawMqttClient.disconnect());
      }
    }
  }

  @Test
  void zeroLengthClientIdNeedsACleanSession() throws Exception {
    try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
      raw.send(RawMqttClient.connect("", true, 60, null, null, 0, false));
      assertThat(raw.readConnack()).isEqualTo(new int[] {0, 0});
    }
    try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
      raw.send(RawMqttClient.connect("", false, 60, null, null, 0, false));
      assertThat(raw.readConnack()).isEqualTo(new int[] {0, 2});
      assertThat(raw.readPacketType()).isEqualTo(-1);
    }
  }

  @Test
  void subscribeFailureForATopicWithoutASubjectForm() throws Exception {
    try (Client c = tern.client("subfail")) {
      c.connect(true);
      org.eclipse.paho.client.mqttv3.IMqttToken t = c.paho.subscribeWithResponse(new String[] {"has.dot", "fine/x"},
          new int[] {1, 1});
      assertThat(t.getGrantedQos()).containsExactly(0x80, 1);
    }
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
    try (Client first = tern.client("same-id"); Client second = tern.client("same-id")) {
      first.connect(true);
      second.connect(true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!first.lost && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(first.lost).isTrue();
      assertThat(second.paho.isConnected()).isTrue();
    }
  }

  @Test
  void maxAckPendingBoundsUnacknowledgedDeliveries() throws Exception {
    try (MqttTern small = MqttTern.start("max_ack_pending: 2", "");
         RawMqttClient raw = RawMqttClient.connect(small.mqttPort())) {
      raw.send(RawMqttClient.connect("map-sub", true, 60, null, null, 0, false));
      assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.CONNACK);
      raw.send(RawMqttClient.subscribe(1, "map/a", 1));
      assertThat(raw.readPacketType()).isEqualTo(RawMqttClient.SUBACK);
      try (Client pub = small.client("map-pub")) {
        pub.connect(true);
        for (int i = 0; i < 4; i++) {
          pub.publish("map/a", "m" + i, 1, false);
        }
        RawMqttClient.Publish a = raw.readPublish();
        RawMqttClient.Publish b = raw.readPublish();
        assertThat(List.of(a.payload(), b.payload())).containsExactly("m0", "m1");
        assertThat(raw.readPacketType(500)).as("a third delivery while two are unacknowledged").isEqualTo(-2);
        raw.send(RawMqttClient.puback(a.packetId()));
        assertThat(raw.readPublish().payload()).isEqualTo("m2");
      }
    }
  }
}
