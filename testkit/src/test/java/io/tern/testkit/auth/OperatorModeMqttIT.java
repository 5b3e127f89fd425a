package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.FreePort;
import io.tern.testkit.ReferenceServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT clients in operator mode: the user JWT goes in the CONNECT password, as nats-server takes
 * it. MQTT cannot sign the nonce, so only a bearer JWT passes; {@code allowed_connection_types}
 * must allow {@code MQTT}; the client's messages stay in the JWT's account.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OperatorModeMqttIT {

  /** The broker {@code tern.broker} names, in operator mode with MQTT and JetStream (which nats-server's MQTT needs). */
  private record Started(Broker broker, int mqttPort) implements AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }

  private static Started start(OperatorFixture op) throws Exception {
    Path store = Files.createTempDirectory("op-mqtt");
    String jetStream = "server_name: op-mqtt\njetstream { store_dir: \"" + store + "\" }\n";
    if (Brokers.kind().equals("nats-server")) {
      int port = FreePort.find();
      ReferenceServer ref = ReferenceServer.start(op.memoryConfig() + jetStream
          + "mqtt { host: 127.0.0.1, port: " + port + " }\n");
      return new Started(ref, port);
    }
    EmbeddedTern tern = EmbeddedTern.start(op.memoryConfig() + jetStream + "mqtt { host: 127.0.0.1, port: -1 }\n");
    return new Started(tern, tern.server().mqttPort());
  }

  /** The fixture with JetStream allowed in A and B (nats-server's MQTT keeps its state there). */
  private static OperatorFixture fixture() throws Exception {
    OperatorFixture op = new OperatorFixture();
    for (var acc : new Object[][] {{op.a, "A"}, {op.b, "B"}}) {
      op.putAccount((io.nats.client.NKey) acc[0], (String) acc[1], c -> c.getJsonObject("nats").getJsonObject("limits")
          .put("mem_storage", -1).put("disk_storage", -1).put("streams", -1).put("consumer", -1));
    }
    return op;
  }

  private static JwtMinter.UserCreds mqttUser(OperatorFixture op, io.nats.client.NKey account, boolean bearer,
      String... types) {
    return op.user(account, account, c -> {
      JsonObject nats = c.getJsonObject("nats");
      if (bearer) {
        nats.put("bearer_token", true);
      }
      if (types.length > 0) {
        nats.put("allowed_connection_types", new JsonArray(java.util.List.of((Object[]) types)));
      }
    });
  }

  private static MqttClient mqtt(int port, String clientId, String user, String password) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.toCharArray());
    }
    try {
      client.connect(o);
    } catch (MqttException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /**
   * Sends a CONNECT (clean session, user {@code anyone}, {@code password} if not null) on a raw
   * socket; returns the CONNACK's return code, or -1 if the server closed without one.
   */
  private static int connackCode(int port, String password) throws java.io.IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    body.write(0x82 | (password != null ? 0x40 : 0));
    body.write(0);
    body.write(30);
    writeString(body, "raw-" + System.nanoTime());
    writeString(body, "anyone");
    if (password != null) {
      writeString(body, password);
    }
    byte[] b = body.toByteArray();
    java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
    packet.write(0x10);
    int len = b.length;
    do {
      int digit = len % 128;
      len /= 128;
      packet.write(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    packet.write(b);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(packet.toByteArray());
      byte[] ack = socket.getInputStream().readNBytes(4);
      return ack.length == 4 && ack[0] == 0x20 ? ack[3] : -1;
    }
  }

  private static void writeString(java.io.ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.write(b, 0, b.length);
  }

  @Test
  void aBearerJwtInThePasswordConnectsInItsAccount() throws Exception {
    OperatorFixture op = fixture();
    JwtMinter.UserCreds mqttA = mqttUser(op, op.a, true, "MQTT");
    try (Started s = start(op);
         Connection natsA = AuthClients.connect(s.broker(), b -> b.authHandler(op.user(op.a).handler()));
         Connection natsB = AuthClients.connect(s.broker(), b -> b.authHandler(op.user(op.b).handler()))) {
      Subscription inA = natsA.subscribe("sensors.t1");
      Subscription inB = natsB.subscribe("sensors.t1");
      natsA.flush(AuthClients.WAIT);
      natsB.flush(AuthClients.WAIT);
      MqttClient client = mqtt(s.mqttPort(), "jwt-a", "whoever", mqttA.jwt());
      try {
        client.publish("sensors/t1", "21C".getBytes(StandardCharsets.UTF_8), 1, false);
        Message m = inA.nextMessage(Duration.ofSeconds(5));
        assertThat(m).as("account A hears its MQTT client").isNotNull();
        assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("21C");
        natsB.publish("sensors.t1", "to-b".getBytes(StandardCharsets.UTF_8));
        natsB.flush(AuthClients.WAIT);
        assertThat(inB.nextMessage(Duration.ofSeconds(2)).getData()).asString(StandardCharsets.UTF_8).isEqualTo("to-b");
        assertThat(inB.nextMessage(Duration.ofMillis(300))).as("account B hears nothing from A's client").isNull();
        client.disconnect();
      } finally {
        client.close();
      }
    }
  }

  @Test
  void aNonBearerJwtWrongConnectionTypesOrNoJwtAreNotAuthorized() throws Exception {
    OperatorFixture op = fixture();
    try (Started s = start(op)) {
      // nats-server sends CONNACK 5 and closes at once (Paho then reports a lost connection): a raw client.
      assertThat(connackCode(s.mqttPort(), mqttUser(op, op.a, false).jwt())).as("needs a nonce signature")
          .isEqualTo(5);
      assertThat(connackCode(s.mqttPort(), mqttUser(op, op.a, true, "STANDARD", "WEBSOCKET").jwt()))
          .as("MQTT not allowed").isEqualTo(5);
      assertThat(connackCode(s.mqttPort(), null)).as("no JWT").isEqualTo(5);
      assertThat(connackCode(s.mqttPort(), "not a jwt")).as("garbage").isEqualTo(5);
      assertThat(connackCode(s.mqttPort(), mqttUser(op, op.a, true).jwt())).as("no connection types: any").isZero();
      assertThat(connackCode(s.mqttPort(), mqttUser(op, op.a, true, "MQTT").jwt())).isZero();
    }
  }
}
