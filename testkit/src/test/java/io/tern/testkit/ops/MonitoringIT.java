package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.tern.testkit.EmbeddedTern;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tern's monitoring endpoints with jnats clients: counts, sorting, paging, closed connections, Prometheus. */
@SuppressWarnings("try")
class MonitoringIT {

  private static Connection connect(EmbeddedTern tern, String name) throws Exception {
    return Nats.connect(new Options.Builder().server(tern.url()).connectionName(name)
        .connectionTimeout(Duration.ofSeconds(10)).noReconnect().build());
  }

  /** Polls until {@code /varz} shows {@code n} connections: the count follows the accept asynchronously. */
  private static JsonObject varzWithConnections(int port, int n) throws Exception {
    JsonObject varz = null;
    for (int i = 0; i < 200; i++) {
      varz = Http.json(port, "/varz");
      if (varz.getInteger("connections") == n) {
        return varz;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("varz never showed " + n + " connections: " + varz);
  }

  @Test
  @Timeout(60)
  void countsConnectionsMessagesAndSubscriptions() throws Exception {
    // Without JetStream, so that the stream service's own subscriptions are not in the counts.
    try (EmbeddedTern tern = EmbeddedTern.start("jetstream: disabled\n");
         Connection a = connect(tern, "a"); Connection b = connect(tern, "b")) {
      Subscription s1 = a.subscribe("orders.>");
      Subscription s2 = a.subscribe("jobs", "workers");
      a.flush(Duration.ofSeconds(5));
      for (int i = 0; i < 3; i++) {
        b.publish("orders.new", "abcd".getBytes(StandardCharsets.UTF_8));
      }
      b.flush(Duration.ofSeconds(5));
      for (int i = 0; i < 3; i++) {
        assertThat(s1.nextMessage(Duration.ofSeconds(5))).isNotNull();
      }
      int port = tern.httpPort();
      JsonObject varz = varzWithConnections(port, 2);
      assertThat(varz.getLong("in_msgs")).isEqualTo(3);
      assertThat(varz.getLong("out_msgs")).isEqualTo(3);
      assertThat(varz.getLong("in_bytes")).isEqualTo(12);
      assertThat(varz.getLong("subscriptions")).isEqualTo(2);
      assertThat(varz.getInteger("port")).isEqualTo(tern.port());
      assertThat(varz.getInteger("http_port")).isEqualTo(port);
      assertThat(varz.getJsonObject("http_req_stats").getLong("/varz")).isPositive();

      JsonObject connz = Http.json(port, "/connz?subs=1");
      assertThat(connz.getInteger("num_connections")).isEqualTo(2);
      JsonArray conns = connz.getJsonArray("connections");
      JsonObject ca = conns.getJsonObject(0);
      assertThat(ca.getString("name")).isEqualTo("a");
      assertThat(ca.getString("lang")).isEqualTo("java");
      assertThat(ca.getInteger("subscriptions")).isEqualTo(2);
      assertThat(ca.getJsonArray("subscriptions_list").getList()).containsExactlyInAnyOrder("orders.>", "jobs");
      assertThat(conns.getJsonObject(1).getLong("in_msgs")).isEqualTo(3);

      JsonObject detail = Http.json(port, "/connz?subs=detail&cid=" + ca.getLong("cid"));
      JsonArray subs = detail.getJsonArray("connections").getJsonObject(0).getJsonArray("subscriptions_list_detail");
      assertThat(subs).hasSize(2);
      JsonObject orders = subs.getJsonObject(0).getString("subject").equals("orders.>")
          ? subs.getJsonObject(0) : subs.getJsonObject(1);
      assertThat(orders.getLong("msgs")).isEqualTo(3);

      JsonObject subsz = Http.json(port, "/subsz");
      assertThat(subsz.getLong("num_subscriptions")).isEqualTo(2);
      assertThat(subsz.getLong("num_inserts")).isEqualTo(2);
      assertThat(subsz.getLong("num_matches")).isGreaterThanOrEqualTo(3);
      assertThat(subsz.containsKey("subscriptions_list")).isFalse();
      JsonObject tested = Http.json(port, "/subsz?subs=1&test=orders.new");
      assertThat(tested.getInteger("total")).isEqualTo(1);
      assertThat(tested.getJsonArray("subscriptions_list").getJsonObject(0).getString("subject")).isEqualTo("orders.>");
      JsonObject queue = Http.json(port, "/subsz?subs=1&test=jobs").getJsonArray("subscriptions_list").getJsonObject(0);
      assertThat(queue.getString("qgroup")).isEqualTo("workers");

      JsonObject statz = Http.json(port, "/accstatz").getJsonArray("account_statz").getJsonObject(0);
      assertThat(statz.getString("acc")).isEqualTo("$G");
      assertThat(statz.getInteger("conns")).isEqualTo(2);
      assertThat(Http.json(port, "/accountz?acc=$G").getJsonObject("account_detail").getInteger("client_connections"))
          .isEqualTo(2);
      assertThat(Http.get(port, "/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(Http.json(port, "/jsz").getBoolean("disabled")).isTrue();
      s2.unsubscribe();
    }
  }

  @Test
  @Timeout(60)
  void connzSortsPagesAndRemembersClosedConnections() throws Exception {
    try (EmbeddedTern tern = EmbeddedTern.start("")) {
      List<Connection> conns = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Connection c = connect(tern, "c" + i);
          conns.add(c);
          for (int k = 0; k <= i; k++) {
            c.subscribe("s." + k);
          }
          c.flush(Duration.ofSeconds(5));
        }
        int port = tern.httpPort();
        varzWithConnections(port, 4);
        JsonArray bySubs = Http.json(port, "/connz?sort=subs").getJsonArray("connections");
        assertThat(bySubs.stream().map(o -> ((JsonObject) o).getString("name")).toList())
            .containsExactly("c3", "c2", "c1", "c0");
        JsonObject page = Http.json(port, "/connz?sort=cid&offset=1&limit=2");
        assertThat(page.getInteger("total")).isEqualTo(4);
        assertThat(page.getInteger("num_connections")).isEqualTo(2);
        assertThat(page.getJsonArray("connections").getJsonObject(0).getString("name")).isEqualTo("c1");

        conns.remove(0).close();
        JsonObject closed = null;
        for (int i = 0; i < 200; i++) {
          closed = Http.json(port, "/connz?state=closed&subs=1");
          if (closed.getInteger("total") == 1) {
            break;
          }
          Thread.sleep(25);
        }
        JsonObject c0 = closed.getJsonArray("connections").getJsonObject(0);
        assertThat(c0.getString("name")).isEqualTo("c0");
        assertThat(c0.getString("reason")).isEqualTo("Client Closed");
        assertThat(c0.getString("stop")).isNotBlank();
        assertThat(c0.getJsonArray("subscriptions_list").getList()).containsExactly("s.0");
        assertThat(Http.json(port, "/connz?state=all").getInteger("total")).isEqualTo(4);
        assertThat(Http.json(port, "/connz?state=closed&sort=stop").getInteger("total")).isEqualTo(1);
      } finally {
        for (Connection c : conns) {
          c.close();
        }
      }
    }
  }

  @Test
  @Timeout(30)
  void badQueriesAnswer400InNatsServersWords() throws Exception {
    try (EmbeddedTern tern = EmbeddedTern.start("")) {
      int port = tern.httpPort();
      assertThat(Http.get(port, "/connz?sort=foo")).extracting(Http.Response::status, Http.Response::body)
          .containsExactly(400, "invalid sorting option: foo");
      assertThat(Http.get(port, "/connz?sort=stop").body()).isEqualTo("sort by stop only valid on closed connections");
      assertThat(Http.get(port, "/connz?state=foo").body()).isEqualTo("Error decoding state for foo");
      assertThat(Http.get(port, "/connz?limit=x").body())
          .isEqualTo("Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax");
      assertThat(Http.get(port, "/subsz?test=foo.*").body())
          .isEqualTo("invalid test subject, must be valid publish subject: foo.*");
      assertThat(Http.get(port, "/accountz?acc=NOPE").body()).isEqualTo("Account NOPE does not exist");
      assertThat(Http.get(port, "/nothing").status()).isEqualTo(404);
    }
  }

  @Test
  @Timeout(30)
  void metricsAreValidPrometheusTextAndMoveWithTraffic() throws Exception {
    try (EmbeddedTern tern = EmbeddedTern.start("jetstream: disabled\n");
         Connection c = connect(tern, "m"); Connection d = connect(tern, "n")) {
      Subscription sub = d.subscribe("x");
      d.flush(Duration.ofSeconds(5));
      c.publish("x", new byte[5]);
      c.flush(Duration.ofSeconds(5));
      assertThat(sub.nextMessage(Duration.ofSeconds(5))).isNotNull();
      varzWithConnections(tern.httpPort(), 2);
      Http.Response r = Http.get(tern.httpPort(), "/metrics");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
      PrometheusText before = PrometheusText.parse(r.body());
      assertThat(before.samples.stream().filter(s -> s.name().startsWith("gnatsd_varz_")))
          .allMatch(s -> s.labels().containsKey("server_id"));
      assertThat(before.types).containsEntry("gnatsd_varz_in_msgs", "gauge");
      assertThat(before.value("gnatsd_varz_connections")).isEqualTo(2);
      assertThat(before.value("gnatsd_varz_subscriptions")).isEqualTo(1);
      assertThat(before.value("gnatsd_varz_in_msgs")).isEqualTo(1);
      assertThat(before.value("gnatsd_varz_out_bytes")).isEqualTo(5);
      assertThat(before.value("gnatsd_varz_mem")).isPositive();
      assertThat(before.has("gnatsd_varz_cpu")).isTrue();
      assertThat(before.value("gnatsd_varz_slow_consumers")).isZero();
      assertThat(before.value("gnatsd_subsz_num_subscriptions")).isEqualTo(1);
      assertThat(before.samples).anyMatch(s -> s.name().equals("gnatsd_varz_version")
          && "2.9.10".equals(s.labels().get("value")) && s.value() == 1);
      // The JVM's own metrics come from Micrometer's binders.
      assertThat(before.samples).anyMatch(s -> s.name().equals("jvm_memory_used_bytes"));
      assertThat(before.has("jvm_threads_live_threads")).isTrue();

      for (int i = 0; i < 10; i++) {
        c.publish("x", new byte[7]);
      }
      c.flush(Duration.ofSeconds(5));
      for (int i = 0; i < 10; i++) {
        assertThat(sub.nextMessage(Duration.ofSeconds(5))).isNotNull();
      }
      PrometheusText after = null;
      for (int i = 0; i < 200; i++) {
        after = PrometheusText.parse(Http.get(tern.httpPort(), "/metrics").body());
        if (after.value("gnatsd_varz_out_msgs") == 11) {
          break;
        }
        Thread.sleep(25);
      }
      assertThat(after.value("gnatsd_varz_in_msgs")).isEqualTo(11);
      assertThat(after.value("gnatsd_varz_out_msgs")).isEqualTo(11);
      assertThat(after.value("gnatsd_varz_in_bytes")).isEqualTo(75);
      assertThat(after.value("gnatsd_varz_out_bytes")).isEqualTo(75);
      // Per account, as the exporter's accstatz collector names them.
      PrometheusText last = after;
      java.util.function.Function<String, Double> global = name -> last.samples.stream()
          .filter(s -> s.name().equals(name) && "$G".equals(s.labels().get("account"))).findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " for $G")).value();
      assertThat(global.apply("gnatsd_accstatz_received_messages")).isEqualTo(11);
      assertThat(global.apply("gnatsd_accstatz_sent_bytes")).isEqualTo(75);
      assertThat(global.apply("gnatsd_accstatz_current_connections")).isEqualTo(2);
      assertThat(global.apply("gnatsd_accstatz_subscriptions")).isEqualTo(1);
    }
  }

  @Test
  @Timeout(30)
  void httpBasePathPrefixesEveryEndpoint() throws Exception {
    TernOptions o = new TernOptions();
    ConfigLoader.apply(ConfigParser.parse("http_base_path: \"/nats\"", Path.of(".")), o);
    try (EmbeddedTern tern = EmbeddedTern.start(o.setHost("127.0.0.1").setPort(0).setHttpPort(-1))) {
      assertThat(Http.json(tern.httpPort(), "/nats/varz").getString("http_base_path")).isEqualTo("/nats");
      assertThat(Http.get(tern.httpPort(), "/varz").status()).isEqualTo(404);
    }
  }
}
