package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.mqtt.MqttTern.Client;
import io.tern.testkit.mqtt.MqttTern.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT and NATS clients see each other's messages, with nats-server's subject mapping and header. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttNatsInteropIT {

  static MqttTern tern;
  static Connection nc;

  @BeforeAll
  static void start() throws Exception {
    tern = MqttTern.startChosen();
    nc = Nats.connect(new Options.Builder().server(tern.broker.url()).noReconnect().build());
  }

  @AfterAll
  static void stop() throws Exception {
    nc.close();
    tern.close();
  }

  @Test
  void mqttPublishOnABIsSeenByANatsSubscriberOnADotBWithTheNmqttPubHeader() throws Exception {
    Subscription sub = nc.subscribe("a.b");
    nc.flush(Duration.ofSeconds(5));
    try (Client c = tern.client("to-nats")) {
      c.connect(true);
      c.publish("a/b", "from mqtt", 1, false);
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m).isNotNull();
      assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("from mqtt");
      assertThat(m.getHeaders().getFirst("Nmqtt-Pub")).isEqualTo("1");
      c.publish("a/b", "qos0", 0, false);
      m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m.getHeaders().getFirst("Nmqtt-Pub")).isEqualTo("0");
    }
    sub.unsubscribe();
  }

  @Test
  void emptyLevelsArriveOnNatsServersSubjects() throws Exception {
    // Not ">": that also hears the MQTT layer's own traffic ($MQTT.*, $JS.API.*), as on nats-server.
    Subscription sub = nc.subscribe("/.>");
    nc.flush(Duration.ofSeconds(5));
    try (Client c = tern.client("levels")) {
      c.connect(true);
      c.publish("/lead//x/", "levels", 0, false);
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m.getSubject()).isEqualTo("/.lead./.x./");
    }
    sub.unsubscribe();
  }

  @Test
  void natsPublishOnADotBReachesMqttSubscribersOfABAndWildcardsAtQos0() throws Exception {
    try (Client c = tern.client("from-nats")) {
      c.connect(true);
      c.paho.subscribe(new String[] {"n/b", "n/+/c", "n/#"}, new int[] {1, 0, 0});
      nc.publish("n.b", "one".getBytes(StandardCharsets.UTF_8));
      nc.flush(Duration.ofSeconds(5));
      java.util.List<Received> got = c.drainAfterQuietPeriod();
      // "n/b" and "n/#" both match: one delivery per subscription, all at QoS 0 (NATS messages have no QoS).
      assertThat(got).extracting(Received::topic).containsOnly("n/b").hasSize(2);
      assertThat(got).extracting(Received::qos).containsOnly(0);
      nc.publish("n", "parent".getBytes(StandardCharsets.UTF_8));
      nc.publish("n.x.c", "deep".getBytes(StandardCharsets.UTF_8));
      nc.flush(Duration.ofSeconds(5));
      got = c.drainAfterQuietPeriod();
      assertThat(got).extracting(Received::topic).containsExactlyInAnyOrder("n", "n/x/c", "n/x/c");
    }
  }

  @Test
  void natsRequestReplyFromAnMqttResponderIsNotPossibleButPlainFanOutIs() throws Exception {
    // An MQTT client receiving a NATS publish on a subject with an empty-level marker sees the MQTT topic.
    try (Client c = tern.client("marker")) {
      c.connect(true);
      c.paho.subscribe("+/m/#", 0);
      nc.publish("/.m./.k", "marker".getBytes(StandardCharsets.UTF_8));
      nc.flush(Duration.ofSeconds(5));
      Received r = c.next();
      assertThat(r.topic()).isEqualTo("/m//k");
    }
  }

  @Test
  void filtersStartingWithAWildcardDoNotMatchDollarTopics() throws Exception {
    // MQTT 3.1.1 4.7.2. nats-server 2.9.10 does not apply it: its "#" subscribers also get its own
    // $MQTT/sess/... records (observed), so this is Tern's behaviour only.
    Assumptions.assumeTrue(tern.tern != null, "nats-server 2.9.10 delivers $ topics to #");
    try (Client c = tern.client("dollar")) {
      c.connect(true);
      c.paho.subscribe(new String[] {"#", "+/x", "$app/x"}, new int[] {0, 0, 0});
      nc.publish("$app.x", "dollar".getBytes(StandardCharsets.UTF_8));
      nc.publish("plain.x", "plain".getBytes(StandardCharsets.UTF_8));
      nc.flush(Duration.ofSeconds(5));
      java.util.List<Received> got = c.drainAfterQuietPeriod();
      // "$app/x" once (its own filter), "plain/x" for "#" and "+/x".
      assertThat(got).extracting(Received::topic).containsExactlyInAnyOrder("$app/x", "plain/x", "plain/x");
    }
  }
}
