package io.tern.testkit.mqtt;

import io.tern.testkit.EmbeddedTern;
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

/** Tern with an MQTT listener on a free port, and Paho clients that record what they receive. */
final class MqttTern implements AutoCloseable {
  final EmbeddedTern tern;

  private MqttTern(EmbeddedTern tern) {
    this.tern = tern;
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
    return tern.server().mqttPort();
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
    tern.close();
  }
}
