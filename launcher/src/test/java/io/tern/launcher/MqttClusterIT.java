package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed mode with MQTT: one process runs auth, routers and the stream service, two run
 * gateways with MQTT listeners. A persistent session made on one gateway, with messages queued
 * for it while it is away, is resumed on the other: its state lives in the stream service.
 */
class MqttClusterIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(180)
  void aPersistentSessionMovesToAnotherGateway() throws Exception {
    int[] hz = {TernProcess.freePort(), TernProcess.freePort(), TernProcess.freePort()};
    int[] mqtt = {0, TernProcess.freePort(), TernProcess.freePort()};
    String routes = "nats-route://127.0.0.1:" + hz[0];
    String[] names = {"core", "gw1", "gw2"};
    try (ClusterProcesses cluster = new ClusterProcesses(dir)) {
      ClusterProcesses.Node[] nodes = new ClusterProcesses.Node[3];
      for (int i = 0; i < 3; i++) {
        boolean gateway = i > 0;
        int client = gateway ? TernProcess.freePort() : 0;
        Path conf = dir.resolve(names[i] + ".conf");
        Files.writeString(conf, gateway
            ? "server_name: " + names[i] + "\nmqtt { host: 127.0.0.1, port: " + mqtt[i] + " }\n" : "");
        nodes[i] = cluster.start(names[i], client, hz[i], "-c", conf.toString(),
            "--services", gateway ? "gateway" : "auth,router,stream",
            "-a", "127.0.0.1", "-p", gateway ? Integer.toString(client) : "-1", "-m", "0",
            "--cluster", "nats://127.0.0.1:" + hz[i], "--routes", routes, "--cluster_name", "mq-" + hz[0],
            "--partitions", "4");
        if (i == 0) {
          cluster.awaitReady(90);
        }
      }
      cluster.awaitReady(90);
      ClusterIT.awaitFlowing(nodes[1], nodes[2], 60);

      String gw1 = "tcp://127.0.0.1:" + mqtt[1];
      String gw2 = "tcp://127.0.0.1:" + mqtt[2];
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      MqttClient roamer = client(gw1, "roamer", received);
      roamer.connect(options(false));
      roamer.subscribe("roam/#", 1);
      roamer.disconnect();
      roamer.close();

      // Published on the other gateway, which learns of the session through the stream's subjects.
      MqttClient pub = client(gw2, "roam-pub", new LinkedBlockingQueue<>());
      pub.connect(options(true));
      for (int i = 0; i < 50; i++) {
        pub.publish("roam/" + (i % 3), ("r" + i).getBytes(StandardCharsets.UTF_8), 1, false);
      }
      pub.disconnect();
      pub.close();

      MqttClient back = client(gw2, "roamer", received);
      MqttConnectOptions o = options(false);
      assertThat(back.connectWithResult(o).getSessionPresent()).isTrue();
      for (int i = 0; i < 50; i++) {
        String m = received.poll(30, TimeUnit.SECONDS);
        assertThat(m).as("message %d of 50\n%s\n%s", i, nodes[1].log(), nodes[2].log()).isEqualTo("r" + i);
      }
      // Live, while connected to gw2, from a publisher on gw1: announced across gateways.
      MqttClient pub1 = client(gw1, "roam-pub-1", new LinkedBlockingQueue<>());
      pub1.connect(options(true));
      for (int i = 0; i < 20; i++) {
        pub1.publish("roam/live", ("l" + i).getBytes(StandardCharsets.UTF_8), 1, false);
      }
      pub1.disconnect();
      pub1.close();
      for (int i = 0; i < 20; i++) {
        assertThat(received.poll(30, TimeUnit.SECONDS)).as("live message %d", i).isEqualTo("l" + i);
      }
      back.disconnect();
      back.close();

      // A second connection with the same client id, on the other gateway, takes over.
      MqttClient first = client(gw1, "twice", new LinkedBlockingQueue<>());
      java.util.concurrent.CountDownLatch lost = new java.util.concurrent.CountDownLatch(1);
      first.setCallback(new MqttCallback() {
        @Override
        public void connectionLost(Throwable cause) {
          lost.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
      });
      first.connect(options(true));
      MqttClient second = client(gw2, "twice", new LinkedBlockingQueue<>());
      second.connect(options(true));
      assertThat(lost.await(30, TimeUnit.SECONDS)).as("the first connection is closed").isTrue();
      assertThat(second.isConnected()).isTrue();
      second.disconnect();
      second.close();
      first.close();
    }
  }

  private static MqttConnectOptions options(boolean clean) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(clean);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(30);
    return o;
  }

  private static MqttClient client(String uri, String id, BlockingQueue<String> into) throws Exception {
    MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
    c.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        into.add(new String(message.getPayload(), StandardCharsets.UTF_8));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    });
    return c;
  }
}
