package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-account counters from real traffic in two accounts: {@code /accstatz} (connections, sent and
 * received messages and bytes) and {@code /accountz?acc=X} (connections, subscriptions, exports
 * and imports), with nats-server 2.9.10's field names.
 */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountCountersIT {

  private static final String CONFIG = """
      jetstream: disabled
      accounts {
        A {
          users [{user: a, password: a}]
          exports [{service: "svc.>", response_type: stream, response_threshold: "5s"}]
        }
        B {
          users [{user: b, password: b}]
          imports [{service: {account: A, subject: "svc.>"}}]
        }
      }
      """;

  private static Connection connect(Broker broker, String user) throws Exception {
    return Nats.connect(new Options.Builder().server(broker.url()).userInfo(user, user)
        .connectionTimeout(Duration.ofSeconds(10)).noReconnect().build());
  }

  private static JsonObject statz(JsonObject accstatz, String acc) {
    JsonArray list = accstatz.getJsonArray("account_statz");
    for (int i = 0; i < list.size(); i++) {
      if (acc.equals(list.getJsonObject(i).getString("acc"))) {
        return list.getJsonObject(i);
      }
    }
    return null;
  }

  /** Polls {@code /accstatz} until account {@code acc} reports {@code received} messages (counts follow reads). */
  private static JsonObject statzWhenReceived(int port, String acc, long received) throws Exception {
    JsonObject s = null;
    for (int i = 0; i < 200; i++) {
      s = statz(Http.json(port, "/accstatz"), acc);
      if (s != null && s.getJsonObject("received").getLong("msgs") == received) {
        return s;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(acc + " never showed " + received + " received messages: " + s);
  }

  @Test
  void countersFollowTheTrafficOfEachAccount() throws Exception {
    try (Broker broker = Brokers.startWithMonitoring(CONFIG);
         Connection a1 = connect(broker, "a"); Connection a2 = connect(broker, "a");
         Connection b1 = connect(broker, "b")) {
      int port = broker.httpPort();
      Subscription inA = a1.subscribe("news.>");
      a1.subscribe("other");
      a1.flush(Duration.ofSeconds(5));
      Subscription inB = b1.subscribe("news.>");
      b1.flush(Duration.ofSeconds(5));
      byte[] ten = "0123456789".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 4; i++) {
        a2.publish("news.a", ten);
      }
      a2.flush(Duration.ofSeconds(5));
      b1.publish("news.b", ten);
      b1.flush(Duration.ofSeconds(5));
      for (int i = 0; i < 4; i++) {
        assertThat(inA.nextMessage(Duration.ofSeconds(5))).isNotNull();
      }
      assertThat(inB.nextMessage(Duration.ofSeconds(5))).isNotNull();

      JsonObject a = statzWhenReceived(port, "A", 4);
      assertThat(a.getInteger("conns")).isEqualTo(2);
      assertThat(a.getInteger("total_conns")).isEqualTo(2);
      assertThat(a.getInteger("leafnodes")).isZero();
      assertThat(a.getJsonObject("received").getLong("bytes")).isEqualTo(40);
      assertThat(a.getJsonObject("sent").getLong("msgs")).isEqualTo(4);
      assertThat(a.getJsonObject("sent").getLong("bytes")).isEqualTo(40);
      JsonObject b = statzWhenReceived(port, "B", 1);
      assertThat(b.getInteger("conns")).isEqualTo(1);
      assertThat(b.getJsonObject("received").getLong("bytes")).isEqualTo(10);
      assertThat(b.getJsonObject("sent").getLong("msgs")).isEqualTo(1);
      assertThat(b.containsKey("slow_consumers")).isTrue();

      // An account without connections appears only with unused=1.
      JsonObject all = Http.json(port, "/accstatz");
      assertThat(statz(all, "$SYS")).isNull();
      assertThat(statz(Http.json(port, "/accstatz?unused=1"), "$G")).isNotNull();

      JsonObject list = Http.json(port, "/accountz");
      assertThat(list.getJsonArray("accounts").getList()).contains("$G", "$SYS", "A", "B");
      assertThat(list.getString("system_account")).isEqualTo("$SYS");

      JsonObject detailA = Http.json(port, "/accountz?acc=A").getJsonObject("account_detail");
      assertThat(detailA.getString("account_name")).isEqualTo("A");
      assertThat(detailA.getInteger("client_connections")).isEqualTo(2);
      assertThat(detailA.getLong("subscriptions")).isGreaterThanOrEqualTo(2);
      assertThat(detailA.getJsonObject("sublist_stats").getLong("num_subscriptions"))
          .isEqualTo(detailA.getLong("subscriptions"));
      JsonObject export = detailA.getJsonArray("exports").getJsonObject(0);
      assertThat(export.getString("subject")).isEqualTo("svc.>");
      assertThat(export.getString("type")).isEqualTo("service");
      assertThat(export.getString("response_type")).isEqualTo("Streamed");
      // nats-server 2.9.10 does not show the threshold.
      assertThat(export.containsKey("response_threshold")).isFalse();
      JsonObject detailB = Http.json(port, "/accountz?acc=B").getJsonObject("account_detail");
      assertThat(detailB.getInteger("client_connections")).isEqualTo(1);
      JsonArray imports = detailB.getJsonArray("imports");
      boolean found = false;
      for (int i = 0; i < imports.size(); i++) {
        JsonObject imp = imports.getJsonObject(i);
        if (imp.getString("subject").equals("svc.>")) {
          found = true;
          assertThat(imp.getString("account")).isEqualTo("A");
          assertThat(imp.getString("type")).isEqualTo("service");
          assertThat(imp.getString("to")).isEqualTo("svc.>");
        }
      }
      assertThat(found).isTrue();

      // Closing a connection takes it out of the open counts.
      a2.close();
      for (int i = 0; i < 200 && statz(Http.json(port, "/accstatz"), "A").getInteger("conns") != 1; i++) {
        Thread.sleep(25);
      }
      assertThat(statz(Http.json(port, "/accstatz"), "A").getInteger("conns")).isEqualTo(1);
      assertThat(Http.get(port, "/accountz?acc=NOPE").status()).isEqualTo(400);
    }
  }
}
