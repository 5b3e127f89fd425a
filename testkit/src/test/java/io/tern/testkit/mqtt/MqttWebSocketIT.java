package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.mqtt.MqttTern.Client;
import io.tern.testkit.mqtt.MqttTern.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT over WebSocket on {@code /mqtt} with Paho's {@code ws://} transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttWebSocketIT {

  static MqttTern tern;

  @BeforeAll
  static void start() {
    tern = MqttTern.start("", "websocket { host: 127.0.0.1, port: -1, no_tls: true }");
  }

  @AfterAll
  static void stop() {
    tern.close();
  }

  @Test
  void qos0AndQos1BetweenWebSocketAndTcpClients() throws Exception {
    try (Client ws = tern.webSocketClient("paho-ws"); Client tcp = tern.client("paho-tcp")) {
      ws.connect(true);
      tcp.connect(true);
      ws.paho.subscribe("wsq/+", 1);
      tcp.paho.subscribe("tcpq", 1);
      tcp.publish("wsq/a", "to ws 0", 0, false);
      tcp.publish("wsq/b", "to ws 1", 1, false);
      List<Received> got = List.of(ws.next(), ws.next());
      assertThat(got).extracting(Received::payload, Received::qos)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("to ws 0", 0),
              org.assertj.core.groups.Tuple.tuple("to ws 1", 1));
      ws.publish("tcpq", "from ws", 1, false);
      Received r = tcp.next();
      assertThat(r.payload()).isEqualTo("from ws");
      assertThat(r.qos()).isEqualTo(1);
    }
  }

  @Test
  void persistentSessionOverWebSocketKeepsQueuedMessages() throws Exception {
    try (Client ws = tern.webSocketClient("paho-ws-durable")) {
      ws.connect(false);
      ws.paho.subscribe("wsd", 1);
      ws.paho.disconnect();
      try (Client pub = tern.client("paho-ws-pub")) {
        pub.connect(true);
        for (int i = 0; i < 20; i++) {
          pub.publish("wsd", "m" + i, 1, false);
        }
      }
      ws.connect(false);
      for (int i = 0; i < 20; i++) {
        Received r = ws.next();
        assertThat(r).as("message %d", i).isNotNull();
        assertThat(r.payload()).isEqualTo("m" + i);
      }
    }
  }

  @Test
  void connzShowsTheWebSocketClientsOwnAddress() throws Exception {
    try (Client ws = tern.webSocketClient("paho-ws-connz")) {
      ws.connect(true);
      JsonArray list = new JsonObject(MqttMonitoringIT.connz(tern, "mqtt_client=paho-ws-connz"))
          .getJsonArray("connections");
      assertThat(list.size()).isEqualTo(1);
      int port = list.getJsonObject(0).getInteger("port");
      // The loopback hop to the MQTT listener is not what monitoring shows.
      assertThat(tern.tern.server().state().mqttWebSocketPeers().keySet()).doesNotContain(port);
      assertThat(tern.tern.server().state().mqttWebSocketPeers().values())
          .anySatisfy(a -> assertThat(a.port()).isEqualTo(port));
    }
  }
}
