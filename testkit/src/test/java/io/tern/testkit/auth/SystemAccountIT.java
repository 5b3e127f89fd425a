package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.ReferenceServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The system account in operator mode: server pings, per-account statistics (each account's own
 * message and byte counts, also on {@code /accstatz}) and connect/disconnect advisories.
 */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemAccountIT {

  private static Broker startWithMonitoring(String config) {
    return Brokers.kind().equals("nats-server") ? ReferenceServer.startWithMonitoring(config) : Brokers.start(config);
  }

  private static JsonObject json(Message m) {
    assertThat(m).isNotNull();
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }

  private static JsonObject http(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  private static JsonObject entry(JsonArray statz, String account) {
    for (Object o : statz) {
      if (o instanceof JsonObject j && account.equals(j.getString("acc"))) {
        return j;
      }
    }
    throw new AssertionError("no statistics for " + account + " in " + statz);
  }

  /** Asks for an account's statistics until its received count shows {@code msgs} (counts follow asynchronously). */
  private static JsonObject accountStatz(Connection sys, String account, long msgs) throws Exception {
    JsonObject last = null;
    for (int i = 0; i < 100; i++) {
      Message m = sys.request("$SYS.REQ.ACCOUNT." + account + ".STATZ", new byte[0], AuthClients.WAIT);
      last = entry(json(m).getJsonObject("data").getJsonArray("account_statz"), account);
      if (last.getJsonObject("received").getLong("msgs") == msgs) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("statz never showed " + msgs + " messages: " + last);
  }

  @Test
  void accountStatisticsCountEachAccountsOwnTraffic() throws Exception {
    OperatorFixture op = new OperatorFixture();
    String a = JwtMinter.pub(op.a);
    String b = JwtMinter.pub(op.b);
    try (Broker broker = startWithMonitoring(op.memoryConfig());
         Connection sys = AuthClients.connect(broker, x -> x.authHandler(op.user(op.sys).handler()));
         Connection ca = AuthClients.connect(broker, x -> x.authHandler(op.user(op.a).handler()));
         Connection cb = AuthClients.connect(broker, x -> x.authHandler(op.user(op.b).handler()))) {
      Subscription inA = ca.subscribe("data");
      ca.flush(AuthClients.WAIT);
      for (int i = 0; i < 3; i++) {
        ca.publish("data", AuthClients.utf8("hello"));
      }
      for (int i = 0; i < 3; i++) {
        AuthClients.next(inA);
      }
      cb.publish("other", AuthClients.utf8("hi"));
      cb.flush(AuthClients.WAIT);

      JsonObject statA = accountStatz(sys, a, 3);
      assertThat(statA.getInteger("conns")).isEqualTo(1);
      assertThat(statA.getJsonObject("received").getLong("bytes")).isEqualTo(15);
      assertThat(statA.getJsonObject("sent").getLong("msgs")).isEqualTo(3);
      assertThat(statA.getJsonObject("sent").getLong("bytes")).isEqualTo(15);
      JsonObject statB = accountStatz(sys, b, 1);
      assertThat(statB.getJsonObject("received").getLong("bytes")).isEqualTo(2);
      assertThat(statB.getJsonObject("sent").getLong("msgs")).isZero();

      JsonObject accountz = http(broker.httpPort(), "/accountz");
      assertThat(accountz.getString("system_account")).isEqualTo(JwtMinter.pub(op.sys));
      assertThat(accountz.getJsonArray("accounts")).contains(a, b, "$G");
      JsonObject detail = http(broker.httpPort(), "/accountz?acc=" + a).getJsonObject("account_detail");
      assertThat(detail.getInteger("client_connections")).isEqualTo(1);

      JsonArray conns = http(broker.httpPort(), "/connz?auth=1&acc=" + a).getJsonArray("connections");
      assertThat(conns).hasSize(1);
      assertThat(conns.getJsonObject(0).getString("account")).isEqualTo(a);
      assertThat(conns.getJsonObject(0).getString("authorized_user")).startsWith("U");
      assertThat(conns.getJsonObject(0).getString("issuer_key")).isEqualTo(a);

      JsonArray http = http(broker.httpPort(), "/accstatz").getJsonArray("account_statz");
      assertThat(entry(http, a).getJsonObject("received").getLong("msgs")).isEqualTo(3);
      assertThat(entry(http, a).getJsonObject("received").getLong("bytes")).isEqualTo(15);
      assertThat(entry(http, b).getJsonObject("received").getLong("msgs")).isEqualTo(1);
      assertThat(entry(http, b).getJsonObject("received").getLong("bytes")).isEqualTo(2);

      // Each account may ask for its own statistics: nats-server imports this from the system account.
      JsonObject own = json(ca.request("$SYS.REQ.ACCOUNT.PING.STATZ", new byte[0], AuthClients.WAIT));
      JsonArray ownStatz = own.getJsonObject("data").getJsonArray("account_statz");
      assertThat(ownStatz).hasSize(1);
      assertThat(entry(ownStatz, a).getJsonObject("received").getLong("msgs")).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void serverPingsAnswerInTheSystemAccount() throws Exception {
    OperatorFixture op = new OperatorFixture();
    try (Broker broker = Brokers.start(op.memoryConfig());
         Connection sys = AuthClients.connect(broker, x -> x.authHandler(op.user(op.sys).handler()))) {
      JsonObject statsz = json(sys.request("$SYS.REQ.SERVER.PING", new byte[0], AuthClients.WAIT));
      assertThat(statsz.getJsonObject("server").getString("id")).isNotBlank();
      assertThat(statsz.getJsonObject("statsz").getInteger("connections")).isPositive();
      JsonObject varz = json(sys.request("$SYS.REQ.SERVER.PING.VARZ", new byte[0], AuthClients.WAIT));
      assertThat(varz.getJsonObject("data").getString("server_id"))
          .isEqualTo(varz.getJsonObject("server").getString("id"));
      JsonObject connz = json(sys.request("$SYS.REQ.SERVER.PING.CONNZ", new byte[0], AuthClients.WAIT));
      assertThat(connz.getJsonObject("data").getInteger("num_connections")).isPositive();
      // The server also publishes its statistics by itself (within a few seconds of starting).
      Subscription published = sys.subscribe("$SYS.SERVER.*.STATSZ");
      JsonObject event = json(published.nextMessage(Duration.ofSeconds(40)));
      assertThat(event.getJsonObject("statsz").getInteger("connections")).isPositive();
    }
  }

  @Test
  void connectAndDisconnectAdvisoriesNameTheAccount() throws Exception {
    OperatorFixture op = new OperatorFixture();
    String a = JwtMinter.pub(op.a);
    try (Broker broker = Brokers.start(op.memoryConfig());
         Connection sys = AuthClients.connect(broker, x -> x.authHandler(op.user(op.sys).handler()))) {
      Subscription connects = sys.subscribe("$SYS.ACCOUNT." + a + ".CONNECT");
      Subscription disconnects = sys.subscribe("$SYS.ACCOUNT." + a + ".DISCONNECT");
      sys.flush(AuthClients.WAIT);
      try (Connection ca = AuthClients.connect(broker, x -> x.authHandler(op.user(op.a).handler()))) {
        JsonObject event = json(AuthClients.next(connects));
        assertThat(event.getString("type")).isEqualTo("io.nats.server.advisory.v1.client_connect");
        assertThat(event.getJsonObject("client").getString("acc")).isEqualTo(a);
        ca.publish("x", AuthClients.utf8("abc"));
        ca.flush(AuthClients.WAIT);
      }
      JsonObject event = json(AuthClients.next(disconnects));
      assertThat(event.getString("type")).isEqualTo("io.nats.server.advisory.v1.client_disconnect");
      assertThat(event.getJsonObject("client").getString("acc")).isEqualTo(a);
      // Counted from the client's side: what it sent, unlike the account statistics.
      assertThat(event.getJsonObject("sent").getLong("msgs")).isEqualTo(1);
      assertThat(event.getJsonObject("sent").getLong("bytes")).isEqualTo(3);
      assertThat(event.getJsonObject("received").getLong("msgs")).isZero();
    }
  }

  @Test
  void jszRequestsAnswerForTheServerAndRefuseAnAccountWithoutJetStream() throws Exception {
    OperatorFixture op = new OperatorFixture();
    String store = java.nio.file.Files.createTempDirectory("sys-jsz").toString();
    try (Broker broker = Brokers.start(op.memoryConfig() + "server_name: jsz1\njetstream { store_dir: \"" + store
        + "\" }\n");
         Connection sys = AuthClients.connect(broker, x -> x.authHandler(op.user(op.sys).handler()))) {
      JsonObject server = json(sys.request("$SYS.REQ.SERVER.PING.JSZ", new byte[0], AuthClients.WAIT));
      assertThat(server.getJsonObject("server").getBoolean("jetstream")).isTrue();
      assertThat(server.getJsonObject("data").getString("server_id"))
          .isEqualTo(server.getJsonObject("server").getString("id"));
      assertThat(server.getJsonObject("data").getInteger("streams")).isZero();
      assertThat(server.getJsonObject("data").getJsonObject("api").getInteger("errors")).isZero();
      // B's JWT has no JetStream limits: nats-server 2.9.10 answers as for an unknown account.
      String b = JwtMinter.pub(op.b);
      JsonObject account = json(sys.request("$SYS.REQ.ACCOUNT." + b + ".JSZ", new byte[0], AuthClients.WAIT));
      assertThat(account.containsKey("data")).isTrue();
      assertThat(account.getValue("data")).isNull();
      assertThat(account.getJsonObject("error")).isEqualTo(new JsonObject().put("code", 500)
          .put("description", "account \"" + b + "\" not found"));
    }
  }
}
