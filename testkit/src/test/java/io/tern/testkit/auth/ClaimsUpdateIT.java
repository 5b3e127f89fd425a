package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full account resolver: account JWTs pushed over {@code $SYS.REQ.CLAIMS.UPDATE} by a system
 * account user apply to connected clients at once and are still there after a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClaimsUpdateIT {

  @TempDir
  Path dir;

  private static JsonObject request(Connection sys, String subject, String body) throws Exception {
    Message m = sys.request(subject, body.getBytes(StandardCharsets.UTF_8), AuthClients.WAIT);
    assertThat(m).as("answer on " + subject).isNotNull();
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }

  /**
   * A removed export is gone for a connected importer at once. (Changed account default permissions
   * reach connected clients in Tern, not in nats-server 2.9.10, so this shows the export.)
   */
  @Test
  void anUpdatedAccountJwtTakesAnExportFromAConnectedImporter() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("exports", new JsonArray()
        .add(new JsonObject().put("name", "feed").put("subject", "feed.>").put("type", "stream"))));
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").put("imports", new JsonArray()
        .add(new JsonObject().put("name", "feed").put("subject", "feed.>").put("account", JwtMinter.pub(op.a))
            .put("type", "stream"))));
    try (Broker broker = Brokers.start(op.fullConfig(dir.resolve("jwt")));
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()));
         RawClient a = OperatorModeIT.rawConnect(broker, op.user(op.a), true);
         RawClient b = OperatorModeIT.rawConnect(broker, op.user(op.b), true)) {
      a.expectLine("PONG");
      b.expectLine("PONG");
      b.send("SUB feed.> 1\r\nPING\r\n").expectLine("PONG");
      a.send("PUB feed.x 2\r\nv1\r\nPING\r\n").expectLine("PONG");
      b.expectMsg("feed.x", "1", null, "v1");
      String updated = op.putAccount(op.a, "A", c -> { });
      JsonObject answer = request(sys, "$SYS.REQ.CLAIMS.UPDATE", updated);
      assertThat(answer.getJsonObject("data").getInteger("code")).isEqualTo(200);
      assertThat(answer.getJsonObject("data").getString("message")).isEqualTo("jwt updated");
      assertThat(answer.getJsonObject("data").getString("account")).isEqualTo(JwtMinter.pub(op.a));
      a.send("PUB feed.x 2\r\nv2\r\nPING\r\n").expectLine("PONG");
      b.expectNothing(Duration.ofMillis(300));
    }
  }

  /**
   * Tern also applies changed default permissions to connected clients (nats-server 2.9.10 does
   * not). Gateways recheck their clients after the update is answered, so this waits, boundedly,
   * for the first refused publish.
   */
  @Test
  void anUpdatedAccountJwtTakesADefaultPermissionFromAConnectedClient() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Brokers.kind().equals("tern"));
    OperatorFixture op = new OperatorFixture();
    try (Broker broker = Brokers.start(op.fullConfig(dir.resolve("jwt")));
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()));
         RawClient a = OperatorModeIT.rawConnect(broker, op.user(op.a), true)) {
      a.expectLine("PONG");
      a.send("PUB news 2\r\nok\r\nPING\r\n").expectLine("PONG");
      String updated = op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("default_permissions",
          new JsonObject().put("pub", new JsonObject().put("deny", new JsonArray().add("news")))
              .put("sub", new JsonObject())));
      assertThat(request(sys, "$SYS.REQ.CLAIMS.UPDATE", updated).getJsonObject("data").getInteger("code"))
          .isEqualTo(200);
      String line = "PONG";
      for (int i = 0; i < 200 && line.equals("PONG"); i++) {
        line = a.send("PUB news 2\r\nno\r\nPING\r\n").readLine();
        if (line.equals("PONG")) {
          Thread.sleep(10);
        }
      }
      assertThat(line).isEqualTo("-ERR 'Permissions Violation for Publish to \"news\"'");
    }
  }

  @Test
  void revokingAConnectedUserDisconnectsIt() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey userKey = OperatorFixture.newUserKey();
    io.vertx.core.json.JsonObject claims = JwtMinter.user(op.a, userKey, "soon-revoked");
    claims.put("iat", Instant.now().getEpochSecond() - 60);
    JwtMinter.UserCreds creds = new JwtMinter.UserCreds(JwtMinter.sign(op.a, claims), JwtMinter.seed(userKey));
    try (Broker broker = Brokers.start(op.fullConfig(dir.resolve("jwt")));
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()));
         RawClient a = OperatorModeIT.rawConnect(broker, creds, true)) {
      a.expectLine("PONG");
      String updated = op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("revocations",
          new JsonObject().put(JwtMinter.pub(userKey), Instant.now().getEpochSecond())));
      assertThat(request(sys, "$SYS.REQ.ACCOUNT." + JwtMinter.pub(op.a) + ".CLAIMS.UPDATE", updated)
          .getJsonObject("data").getInteger("code")).isEqualTo(200);
      a.timeout(Duration.ofSeconds(10)).expectErr("User Authentication Revoked").expectClosed();
    }
  }

  @Test
  void pushedAccountsSurviveARestartAndCanBeLookedUpAndListed() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey c = NKey.createAccount(null);
    Path store = dir.resolve("jwt");
    String config = op.fullConfig(store);
    String cJwt = op.putAccount(c, "C", x -> { });
    try (Broker broker = Brokers.start(config);
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()))) {
      assertThat(request(sys, "$SYS.REQ.CLAIMS.UPDATE", cJwt).getJsonObject("data").getInteger("code"))
          .isEqualTo(200);
      Message looked = sys.request("$SYS.REQ.ACCOUNT." + JwtMinter.pub(c) + ".CLAIMS.LOOKUP", new byte[0],
          AuthClients.WAIT);
      assertThat(new String(looked.getData(), StandardCharsets.UTF_8)).isEqualTo(cJwt);
      assertThat(request(sys, "$SYS.REQ.CLAIMS.LIST", "").getJsonArray("data")).contains(JwtMinter.pub(c));
      // A JWT from another operator is not taken.
      NKey stranger = NKey.createOperator(null);
      String forged = JwtMinter.sign(stranger, JwtMinter.account(stranger, NKey.createAccount(null), "X"));
      JsonObject refused = request(sys, "$SYS.REQ.CLAIMS.UPDATE", forged);
      if (Brokers.kind().equals("tern")) {
        // nats-server 2.9.10 stores it and says "jwt updated" (the issuer is checked only on use).
        assertThat(refused.getJsonObject("error").getInteger("code")).isEqualTo(500);
      }
    }
    try (Stream<Path> files = Files.list(store)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains(JwtMinter.pub(c) + ".jwt");
    }
    // Started again with the same config, which does not preload C: the store still has it.
    try (Broker broker = Brokers.start(config);
         Connection user = AuthClients.connect(broker, b -> b.authHandler(op.user(c).handler()))) {
      assertThat(user.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }
  }

  @Test
  void theOperatorDeletesAccountsWhenAllowed() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey c = NKey.createAccount(null);
    String cJwt = op.putAccount(c, "C", x -> { });
    try (Broker broker = Brokers.start(op.fullConfig(dir.resolve("jwt")));
         Connection sys = AuthClients.connect(broker, b -> b.authHandler(op.user(op.sys).handler()))) {
      assertThat(request(sys, "$SYS.REQ.CLAIMS.UPDATE", cJwt).getJsonObject("data").getInteger("code"))
          .isEqualTo(200);
      JsonObject list = new JsonObject().put("accounts", new JsonArray().add(JwtMinter.pub(c)))
          .put("type", "generic").put("version", 2);
      String delete = JwtMinter.sign(op.operator, JwtMinter.claims(op.operator, JwtMinter.pub(op.operator), "del", list));
      JsonObject answer = request(sys, "$SYS.REQ.CLAIMS.DELETE", delete);
      assertThat(answer.getJsonObject("data").getInteger("code")).as(answer.encode()).isEqualTo(200);
      assertThat(answer.getJsonObject("data").getString("message")).isEqualTo("deleted 1 accounts");
      assertThat(request(sys, "$SYS.REQ.CLAIMS.LIST", "").getJsonArray("data")).doesNotContain(JwtMinter.pub(c));
    }
  }
}
