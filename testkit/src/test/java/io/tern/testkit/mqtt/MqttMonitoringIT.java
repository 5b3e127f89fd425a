package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.mqtt.MqttTern.Client;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT clients in /connz (type mqtt, mqtt_client, filter) and the /varz mqtt block. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttMonitoringIT {

  static String get(MqttTern tern, String path) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + tern.tern.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  static String connz(MqttTern tern, String query) throws Exception {
    return get(tern, "/connz?" + query);
  }

  @Test
  void connzListsMqttClientsAndFiltersByClientId() throws Exception {
    try (MqttTern tern = MqttTern.start("ack_wait: \"10s\"\nmax_ack_pending: 100", "");
         Client a = tern.client("meter-1"); Client b = tern.client("meter-2")) {
      a.connect(true);
      b.connect(true);
      a.paho.subscribe("m/#", 1);
      JsonObject all = new JsonObject(connz(tern, "subs=1"));
      assertThat(all.getInteger("num_connections")).isEqualTo(2);
      JsonObject one = new JsonObject(connz(tern, "mqtt_client=meter-1&subs=1"));
      JsonArray list = one.getJsonArray("connections");
      assertThat(list.size()).isEqualTo(1);
      JsonObject c = list.getJsonObject(0);
      assertThat(c.getString("type")).isEqualTo("mqtt");
      assertThat(c.getString("mqtt_client")).isEqualTo("meter-1");
      assertThat(c.getJsonArray("subscriptions_list").getList()).containsExactly("m", "m.>");
      JsonObject varz = new JsonObject(get(tern, "/varz"));
      JsonObject mqtt = varz.getJsonObject("mqtt");
      assertThat(mqtt.getInteger("port")).isEqualTo(tern.mqttPort());
      assertThat(mqtt.getLong("ack_wait")).isEqualTo(10_000_000_000L);
      assertThat(mqtt.getInteger("max_ack_pending")).isEqualTo(100);
      a.paho.disconnect();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      JsonArray closed;
      do {
        closed = new JsonObject(connz(tern, "state=closed&mqtt_client=meter-1")).getJsonArray("connections");
      } while (closed.isEmpty() && System.nanoTime() < deadline);
      assertThat(closed.getJsonObject(0).getString("reason")).isEqualTo("Client Closed");
    }
  }
}
