package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator mode with JetStream: an account whose JWT grants JetStream ({@code mem_storage} or
 * {@code disk_storage} non-zero) gets its own, with the claim's limits; the others get 10039.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorJetStreamIT {

  @TempDir
  Path dir;

  /** Account JWT JetStream limits: one stream, two consumers, 1 MiB memory, 10 MiB file. */
  private static void jetStream(JsonObject claims, int streams) {
    claims.getJsonObject("nats").getJsonObject("limits").put("mem_storage", 1L << 20)
        .put("disk_storage", 10L << 20).put("streams", streams).put("consumer", 2);
  }

  private String config(OperatorFixture op) {
    return "jetstream { store_dir: \"" + dir.resolve("js").toAbsolutePath() + "\" }\n" + op.memoryConfig();
  }

  private static int apiError(Throwable t) {
    return ((JetStreamApiException) t).getApiErrorCode();
  }

  private static StreamConfiguration stream(String name, String subject) {
    return StreamConfiguration.builder().name(name).subjects(subject).build();
  }

  @Test
  void anAccountJwtWithJetStreamLimitsGetsItsOwnJetStream() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> jetStream(c, 1));
    try (Broker broker = Brokers.start(config(op));
         Connection sys = AuthClients.connect(broker, o -> o.authHandler(op.user(op.sys).handler()));
         Connection a = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a).handler()));
         Connection b = AuthClients.connect(broker, o -> o.authHandler(op.user(op.b).handler()))) {
      var jsm = a.jetStreamManagement();
      jsm.addStream(stream("ORDERS", "orders"));
      PublishAck ack = a.jetStream().publish("orders", "one".getBytes(StandardCharsets.UTF_8));
      assertThat(ack.getStream()).isEqualTo("ORDERS");
      assertThat(ack.getSeqno()).isEqualTo(1);
      assertThat(jsm.getAccountStatistics().getLimits().getMaxStreams()).isEqualTo(1);
      assertThat(jsm.getAccountStatistics().getLimits().getMaxMemory()).isEqualTo(1L << 20);

      assertThatThrownBy(() -> jsm.addStream(stream("MORE", "more")))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10027));
      assertThatThrownBy(() -> b.jetStreamManagement().addStream(stream("ORDERS", "orders")))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10039));

      String accountA = JwtMinter.pub(op.a);
      Message jsz = sys.request("$SYS.REQ.ACCOUNT." + accountA + ".JSZ", new byte[0], AuthClients.WAIT);
      assertThat(jsz).isNotNull();
      JsonObject detail = new JsonObject(new String(jsz.getData(), StandardCharsets.UTF_8));
      // nats-server's "name" is the JWT's name ("A" here); Tern gives the public key in both.
      assertThat(detail.getJsonObject("data").getString("id")).isEqualTo(accountA);
      assertThat(detail.getJsonObject("data").getLong("storage")).isPositive();
      // The claim's storage limits are reported as reserved.
      assertThat(detail.getJsonObject("data").getLong("reserved_memory")).isEqualTo(1L << 20);
      assertThat(detail.getJsonObject("data").getLong("reserved_storage")).isEqualTo(10L << 20);
    }
  }

  /** An account JWT pushed later turns JetStream on for its account, and raised limits apply. */
  @Test
  void aClaimsUpdateEnablesJetStreamAndChangesLimits() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> jetStream(c, 1));
    try (Broker broker = Brokers.start("jetstream { store_dir: \"" + dir.resolve("js").toAbsolutePath() + "\" }\n"
            + op.fullConfig(dir.resolve("jwt")));
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()));
         Connection a = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a).handler()));
         Connection b = AuthClients.connect(broker, o -> o.authHandler(op.user(op.b).handler()))) {
      a.jetStreamManagement().addStream(stream("ONE", "one"));
      assertThatThrownBy(() -> b.jetStreamManagement().getAccountStatistics())
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10039));

      update(sys, op.putAccount(op.b, "B", c -> jetStream(c, 1)));
      update(sys, op.putAccount(op.a, "A", c -> jetStream(c, 2)));

      // Both apply after the update is answered: wait, boundedly, for B's JetStream to answer.
      long maxStreams = 0;
      for (int i = 0; i < 200 && maxStreams == 0; i++) {
        try {
          maxStreams = b.jetStreamManagement().getAccountStatistics().getLimits().getMaxStreams();
        } catch (JetStreamApiException notYet) {
          Thread.sleep(20);
        }
      }
      assertThat(maxStreams).isEqualTo(1);
      b.jetStreamManagement().addStream(stream("B1", "b1"));
      assertThat(b.jetStream().publish("b1", "x".getBytes(StandardCharsets.UTF_8)).getSeqno()).isEqualTo(1);
      a.jetStreamManagement().addStream(stream("TWO", "two"));
      assertThatThrownBy(() -> a.jetStreamManagement().addStream(stream("THREE", "three")))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10027));
    }
  }

  private static void update(Connection sys, String jwt) throws Exception {
    Message m = sys.request("$SYS.REQ.CLAIMS.UPDATE", jwt.getBytes(StandardCharsets.UTF_8), AuthClients.WAIT);
    assertThat(m).isNotNull();
    assertThat(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8)).getJsonObject("data")
        .getInteger("code")).isEqualTo(200);
  }
}
