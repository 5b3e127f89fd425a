package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.ReferenceServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same client activity against Tern and Debian's nats-server 2.9.10, then every monitoring
 * endpoint's JSON compared by shape: nats-server's field names must all be in Tern's answer with
 * the same JSON types.
 */
@SuppressWarnings("try")
class MonitoringDifferentialIT {

  /** Both servers without JetStream: /jsz then has the same shape on both (real stream statistics are still to come). */
  private static final String CONFIG = "jetstream: disabled\n";

  /**
   * Where Tern deliberately differs: nats-server's $G account imports the system account's
   * services, which Tern (without a system account) does not have.
   */
  private static final Set<String> IGNORED = Set.of("account_detail.imports");

  private static final List<String> ENDPOINTS = List.of(
      "/varz", "/connz", "/connz?subs=1", "/connz?subs=detail&state=all", "/connz?state=closed&subs=1",
      "/connz?auth=1", "/subsz", "/subsz?subs=1", "/subsz?subs=1&test=orders.new", "/healthz",
      "/healthz?js-enabled-only=true", "/jsz", "/accountz", "/accountz?acc=$G", "/accstatz",
      "/accstatz?unused=1", "/routez", "/gatewayz", "/leafz");

  @Test
  @Timeout(90)
  void everyEndpointHasNatsServersFieldsAndTypes() throws Exception {
    assumeTrue(ReferenceServer.available(), "nats-server is not installed");
    Map<String, JsonObject> reference;
    try (ReferenceServer ref = ReferenceServer.startWithMonitoring(CONFIG)) {
      reference = afterActivity(ref);
    }
    Map<String, JsonObject> tern;
    try (EmbeddedTern t = EmbeddedTern.start(CONFIG)) {
      tern = afterActivity(t);
    }
    StringBuilder report = new StringBuilder();
    for (String endpoint : ENDPOINTS) {
      List<String> diffs = JsonShape.differences(reference.get(endpoint), tern.get(endpoint), IGNORED);
      diffs.forEach(d -> report.append(endpoint).append(": ").append(d).append('\n'));
    }
    assertThat(report.toString()).isEmpty();
  }

  /** Two clients: subscriptions (plain and queue), publishes, one closed connection; then every endpoint. */
  private static Map<String, JsonObject> afterActivity(Broker broker) throws Exception {
    Options.Builder opts = new Options.Builder().server(broker.url()).connectionName("diff")
        .connectionTimeout(Duration.ofSeconds(10)).noReconnect();
    try (Connection sub = Nats.connect(opts.build()); Connection pub = Nats.connect(opts.build())) {
      Subscription orders = sub.subscribe("orders.>");
      sub.subscribe("jobs", "workers");
      sub.flush(Duration.ofSeconds(5));
      Connection gone = Nats.connect(opts.build());
      gone.subscribe("gone");
      gone.flush(Duration.ofSeconds(5));
      gone.close();
      for (int i = 0; i < 3; i++) {
        pub.publish("orders.new", "hello".getBytes(StandardCharsets.UTF_8));
      }
      pub.flush(Duration.ofSeconds(5));
      for (int i = 0; i < 3; i++) {
        assertThat(orders.nextMessage(Duration.ofSeconds(5))).isNotNull();
      }
      awaitClosed(broker.httpPort());
      Map<String, JsonObject> answers = new LinkedHashMap<>();
      for (String endpoint : ENDPOINTS) {
        answers.put(endpoint, Http.json(broker.httpPort(), endpoint));
      }
      return answers;
    }
  }

  private static void awaitClosed(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (Http.json(port, "/connz?state=closed").getInteger("total") >= 1) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the closed connection never showed in /connz?state=closed");
  }
}
