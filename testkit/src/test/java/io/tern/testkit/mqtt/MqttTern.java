package io.tern.testkit.mqtt;

import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.FreePort;
import io.tern.testkit.ReferenceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Tern (or, for the tests that start it with {@link #startChosen()}, the broker {@code tern.broker}
 * names) with an MQTT listener on a free port, and Paho clients that record what they receive.
 */
final class MqttTern implements AutoCloseable {
  /** Tern when it is the broker under test, else null. */
  final EmbeddedTern tern;
  final Broker broker;
  private final int mqttPort;
  private final Path tempDir;

  private MqttTern(EmbeddedTern tern) {
    this.tern = tern;
    this.broker = tern;
    this.mqttPort = tern.server().mqttPort();
    this.tempDir = null;
  }

  private MqttTern(Broker broker, int mqttPort, Path tempDir) {
    this.tern = null;
    this.broker = broker;
    this.mqttPort = mqttPort;
    this.tempDir = tempDir;
  }

  /**
   * Starts the broker {@code -Dtern.broker} chooses: Tern as {@link #start()}, or nats-server with
   * MQTT and JetStream (which its MQTT needs) on a fresh store.
   */
  static MqttTern startChosen() {
    return startChosen("");
  }

  /** As {@link #startChosen()}, with {@code extraTop} at the config's top level for either broker. */
  static MqttTern startChosen(String extraTop) {
    if (!Brokers.kind().equals("nats-server")) {
      return start("", extraTop);
    }
    try {
      Path dir = Files.createTempDirectory("nats-mqtt");
      int port = FreePort.find();
      // nats-server 2.9.10 resends unacknowledged QoS 1 messages only when ack_wait (30 s by
      // default) runs out, not when the session reconnects (Tern does both): a short one lets the
      // redelivery scenarios pass against it too.
      Broker ref = ReferenceServer.start(extraTop + "\nserver_name: ref-mqtt\njetstream { store_dir: \"" + dir + "\" }\n"
          + "mqtt { host: 127.0.0.1, port: " + port + ", ack_wait: \"2s\" }\n");
      return new MqttTern(ref, port, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts Tern with {@code extraMqtt} inside the {@code mqtt} block and {@code extraTop} at top
   * level; JetStream (which holds MQTT sessions, as in nats-server) on a fresh store.
   */
  static MqttTern start(String extraMqtt, String extraTop) {
    return new MqttTern(EmbeddedTern.start(config(extraMqtt, extraTop + "\njetstream: enabled\n")));
  }

  /** The config text with a fixed MQTT port: for restarts on the same port and store. */
  static String config(String extraMqtt, String extraTop) {
    return "server_name: tern-mqtt\n" + extraTop + "\nmqtt { host: 127.0.0.1, port: -1\n" + extraMqtt + "\n}\n";
  }

  /** Starts Tern with {@code config} as it is. */
  static MqttTern startWith(String config) {
    return new MqttTern(EmbeddedTern.start(config));
  }

  static MqttTern start() {
    return start("", "");
  }

  int mqttPort() {
    return mqttPort;
  }

  String uri() {
    return "tcp://127.0.0.1:" + mqttPort();
  }

  /** A message as a Paho callback saw it. */
  record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {}

  /** A Paho client whose arrivals go into a queue. */
  final class Client implements AutoCloseable {
    final MqttClient paho;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    volatile boolean lost;

    Client(String clientId, String serverUri) throws MqttException {
      paho = new MqttClient(serverUri, clientId, new MemoryPersistence());
      paho.setCallback(new MqttCallback() {
        @Override
        public void connectionLost(Throwable cause) {
          lost = true;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
          received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
              message.getQos(), message.isRetained(), message.isDuplicate()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
      });
    }

    Client connect(boolean cleanSession) throws MqttException {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(cleanSession);
      o.setAutomaticReconnect(false);
      o.setConnectionTimeout(5);
      paho.connect(o);
      return this;
    }

    Client connect(MqttConnectOptions o) throws MqttException {
      paho.connect(o);
      return this;
    }

    void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
      paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    Received next() throws InterruptedException {
      return received.poll(5, TimeUnit.SECONDS);
    }

    /** Waits briefly for anything more; used to show that nothing else arrives. */
    Received nextQuick() throws InterruptedException {
      return received.poll(300, TimeUnit.MILLISECONDS);
    }

    List<Received> drainAfterQuietPeriod() throws InterruptedException {
      List<Received> all = new java.util.ArrayList<>();
      Received r;
      while ((r = nextQuick()) != null) {
        all.add(r);
      }
      return all;
    }

    @Override
    public void close() {
      try {
        if (paho.isConnected()) {
          paho.disconnect(1000);
        }
        paho.close(true);
      } catch (MqttException e) {
        // closing is best effort in tests
      }
    }
  }

  Client client(String clientId) throws MqttException {
    return new Client(clientId, uri());
  }

  /** A Paho client over WebSocket, on the WebSocket listener's {@code /mqtt} path. */
  Client webSocketClient(String clientId) throws MqttException {
    return new Client(clientId, "ws://127.0.0.1:" + tern.webSocketPort() + "/mqtt");
  }

  @Override
  public void close() {
    broker.close();
    if (tempDir != null) {
      try (java.util.stream.Stream<Path> files = Files.walk(tempDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temp dir is harmless
      }
    }
  }
}
