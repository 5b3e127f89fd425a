package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /connz} rtt measured with a server PING (Go duration text) and {@code /healthz} with
 * JetStream enabled and its {@code js-enabled-only}/{@code js-server-only} options, on Tern and nats-server.
 */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RttAndHealthIT {

  @TempDir
  Path store;

  private String config() throws Exception {
    Path dir = Files.createDirectories(store.resolve("js"));
    return "jetstream { store_dir: \"" + dir + "\" }\n";
  }

  @Test
  void connzShowsTheRoundTripTimeOfAServerPing() throws Exception {
    try (Broker broker = Brokers.startWithMonitoring(config());
         Connection nc = Nats.connect(new Options.Builder().server(broker.url()).connectionName("rtt")
             .connectionTimeout(Duration.ofSeconds(10)).noReconnect().build())) {
      nc.flush(Duration.ofSeconds(5));
      String rtt = "0s";
      // The first /connz may ask for the PING (nats-server does, as Tern); the first timer PING
      // comes within about 2 seconds anyway.
      for (int i = 0; i < 200 && rtt.equals("0s"); i++) {
        JsonObject c = Http.json(broker.httpPort(), "/connz").getJsonArray("connections").getJsonObject(0);
        rtt = c.getString("rtt");
        if (rtt.equals("0s")) {
          Thread.sleep(50);
        }
      }
      assertThat(rtt).matches("\\d+(\\.\\d+)?(ns|\u00b5s|ms|s)");
      assertThat(rtt).isNotEqualTo("0s");
    }
  }

  @Test
  void healthzChecksJetStreamAndItsOptions() throws Exception {
    try (Broker broker = Brokers.startWithMonitoring(config())) {
      int port = broker.httpPort();
      for (String query : new String[] {"", "?js-enabled-only=true", "?js-server-only=true", "?js-enabled=1"}) {
        Http.Response r = Http.get(port, "/healthz" + query);
        assertThat(r.status()).as(query).isEqualTo(200);
        assertThat(r.json()).as(query).isEqualTo(new JsonObject().put("status", "ok"));
      }
      Http.Response bad = Http.get(port, "/healthz?js-enabled-only=maybe");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo(
          "Error decoding boolean for 'js-enabled-only': strconv.ParseBool: parsing \"maybe\": invalid syntax");
    }
  }
}
