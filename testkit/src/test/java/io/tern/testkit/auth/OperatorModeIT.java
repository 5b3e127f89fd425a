package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Operator mode with the memory resolver: users prove themselves with a JWT issued by an account the
 * operator signed, and the server's answers when the chain, the time, the address or the revocations
 * say no.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorModeIT {

  /** A raw client that sends CONNECT with {@code creds}'s JWT and its signature of the INFO nonce. */
  static RawClient rawConnect(Broker broker, JwtMinter.UserCreds creds, boolean sign) throws Exception {
    RawClient c = RawClient.connect(broker);
    String nonce = c.info().getString("nonce");
    JsonObject connect = new JsonObject().put("verbose", false).put("pedantic", false).put("jwt", creds.jwt());
    if (sign) {
      byte[] sig = NKey.fromSeed(creds.seed().toCharArray()).sign(nonce.getBytes(StandardCharsets.UTF_8));
      connect.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
    }
    c.send("CONNECT " + connect.encode() + "\r\nPING\r\n");
    return c;
  }

  @Test
  void validUsersConnectAndAccountsStayApart() throws Exception {
    OperatorFixture op = new OperatorFixture();
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      try (RawClient raw = RawClient.connect(broker)) {
        assertThat(raw.info().getBoolean("auth_required")).isTrue();
        assertThat(raw.info().getString("nonce")).isNotBlank();
      }
      try (Connection a1 = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a).handler()));
           Connection a2 = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a, op.aSigner, c -> { }).handler()));
           Connection b1 = AuthClients.connect(broker, b -> b.authHandler(op.user(op.b).handler()))) {
        Subscription inA = a1.subscribe("greet");
        Subscription inB = b1.subscribe("greet");
        a1.flush(AuthClients.WAIT);
        b1.flush(AuthClients.WAIT);
        a2.publish("greet", AuthClients.utf8("hello A"));
        assertThat(AuthClients.text(AuthClients.next(inA))).isEqualTo("hello A");
        b1.publish("greet", AuthClients.utf8("hello B"));
        assertThat(AuthClients.text(AuthClients.next(inB))).isEqualTo("hello B");
        assertThat(inA.nextMessage(Duration.ofMillis(200))).isNull();
      }
    }
  }

  @Test
  void aCredsFileAsNscWritesItConnects(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds creds = op.user(op.a);
    java.nio.file.Path file = dir.resolve("user.creds");
    java.nio.file.Files.writeString(file, "-----BEGIN NATS USER JWT-----\n" + creds.jwt()
        + "\n------END NATS USER JWT------\n\n************************* IMPORTANT *************************\n"
        + "NKEY Seed printed below can be used to sign and prove identity.\n\n-----BEGIN USER NKEY SEED-----\n"
        + creds.seed() + "\n------END USER NKEY SEED------\n");
    try (Broker broker = Brokers.start(op.memoryConfig());
         Connection c = AuthClients.connect(broker, b -> b.authHandler(io.nats.client.Nats.credentials(file.toString())))) {
      assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }
  }

  @Test
  void expiredUserIsRefused() throws Exception {
    // nats-server 2.9.10 says "User Authentication Expired" only to a connection whose JWT runs out.
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds expired = op.user(op.a, op.a, c -> c.put("exp", Instant.now().getEpochSecond() - 10));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient c = rawConnect(broker, expired, true)) {
      c.expectErr("Authorization Violation").expectClosed();
    }
  }

  @Test
  void userWhoseJwtExpiresWhileConnectedIsDisconnected() throws Exception {
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds soon = op.user(op.a, op.a, c -> c.put("exp", Instant.now().getEpochSecond() + 2));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient c = rawConnect(broker, soon, true)) {
      c.expectLine("PONG");
      c.timeout(Duration.ofSeconds(10)).expectErr("User Authentication Expired").expectClosed();
    }
  }

  @Test
  void revokedUserIsRefused() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey userKey = NKey.createUser(null);
    JsonObject claims = JwtMinter.user(op.a, userKey, "revoked");
    claims.put("iat", Instant.now().getEpochSecond() - 60);
    JwtMinter.UserCreds creds = new JwtMinter.UserCreds(JwtMinter.sign(op.a, claims), JwtMinter.seed(userKey));
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("revocations",
        new JsonObject().put(JwtMinter.pub(userKey), Instant.now().getEpochSecond())));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient c = rawConnect(broker, creds, true)) {
      c.expectErr("Authorization Violation").expectClosed();
    }
  }

  @Test
  void wrongSignersAndBadSignaturesAreRefused() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey stranger = NKey.createAccount(null);
    // Signed by a key that is neither account A nor one of its signing keys.
    JwtMinter.UserCreds forged = op.user(op.a, stranger, c -> { });
    // An account the operator never signed.
    JwtMinter.UserCreds unknownAccount = op.user(stranger);
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      for (JwtMinter.UserCreds creds : new JwtMinter.UserCreds[] {forged, unknownAccount}) {
        try (RawClient c = rawConnect(broker, creds, true)) {
          c.expectErr("Authorization Violation").expectClosed();
        }
      }
      // A valid JWT without the nonce signature.
      try (RawClient c = rawConnect(broker, op.user(op.a), false)) {
        c.expectErr("Authorization Violation").expectClosed();
      }
      // A bearer token needs none.
      try (RawClient c = rawConnect(broker, op.user(op.a, op.a, u -> u.getJsonObject("nats").put("bearer_token", true)),
          false)) {
        c.expectLine("PONG");
      }
      assertThatThrownBy(() -> AuthClients.connect(broker, b -> b.authHandler(forged.handler())
          .connectionTimeout(Duration.ofSeconds(2)))).hasMessageContaining("Authorization Violation");
    }
  }

  @Test
  void sourceNetworksAndConnectionTypesRestrictUsers() throws Exception {
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds elsewhere = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("src", new JsonArray().add("10.0.0.0/8").add("192.168.1.0/24")));
    JwtMinter.UserCreds local = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("src", new JsonArray().add("10.0.0.0/8").add("127.0.0.1/32")));
    JwtMinter.UserCreds wsOnly = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("allowed_connection_types", new JsonArray().add("WEBSOCKET")));
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      try (RawClient c = rawConnect(broker, elsewhere, true)) {
        c.expectErr("Authorization Violation").expectClosed();
      }
      try (RawClient c = rawConnect(broker, wsOnly, true)) {
        c.expectErr("Authorization Violation").expectClosed();
      }
      try (RawClient c = rawConnect(broker, local, true)) {
        c.expectLine("PONG");
      }
    }
  }

  @Test
  void timeWindowsRestrictUsers() throws Exception {
    OperatorFixture op = new OperatorFixture();
    DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss");
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    // A one-hour window that starts two hours from now, and one around now (both in UTC).
    JsonArray later = new JsonArray().add(new JsonObject().put("start", now.plusHours(2).format(hms))
        .put("end", now.plusHours(3).format(hms)));
    JsonArray around = new JsonArray().add(new JsonObject().put("start", now.minusMinutes(30).format(hms))
        .put("end", now.plusMinutes(30).format(hms)));
    JwtMinter.UserCreds outside = op.user(op.a, op.a, c -> c.getJsonObject("nats").put("times", later)
        .put("times_location", "UTC"));
    JwtMinter.UserCreds inside = op.user(op.a, op.a, c -> c.getJsonObject("nats").put("times", around)
        .put("times_location", "UTC"));
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      try (RawClient c = rawConnect(broker, outside, true)) {
        c.expectErr("Authorization Violation").expectClosed();
      }
      if (!now.isBefore(LocalTime.of(0, 31)) && now.isBefore(LocalTime.of(23, 29))) {
        // Only when the window around now does not wrap past midnight.
        try (RawClient c = rawConnect(broker, inside, true)) {
          c.expectLine("PONG");
        }
      }
    }
  }

  @Test
  void userClaimsPermissionsHold() throws Exception {
    OperatorFixture op = new OperatorFixture();
    JwtMinter.UserCreds limited = op.user(op.a, op.a, c -> c.getJsonObject("nats")
        .put("pub", new JsonObject().put("allow", new JsonArray().add("ok.>")).put("deny", new JsonArray().add("ok.secret")))
        .put("sub", new JsonObject().put("deny", new JsonArray().add("private.>"))));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient c = rawConnect(broker, limited, true)) {
      c.expectLine("PONG");
      c.send("SUB ok.> 1\r\nPUB ok.x 2\r\nhi\r\n").expectMsg("ok.x", "1", null, "hi");
      c.send("PUB ok.secret 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"ok.secret\"");
      c.send("PUB other 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"other\"");
      c.send("SUB private.x 2\r\n").expectErr("Permissions Violation for Subscription to \"private.x\"");
      c.ping();
    }
  }

  @Test
  void accountDefaultPermissionsApplyToUsersWithoutTheirOwn() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").put("default_permissions", new JsonObject()
        .put("pub", new JsonObject().put("deny", new JsonArray().add("nope"))).put("sub", new JsonObject())));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient c = rawConnect(broker, op.user(op.b), true)) {
      c.expectLine("PONG");
      c.send("PUB nope 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"nope\"");
      c.ping();
    }
  }

  @Test
  void accountExportsAndImportsConnectAccounts() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("exports", new JsonArray()
        .add(new JsonObject().put("name", "feed").put("subject", "feed.>").put("type", "stream"))
        .add(new JsonObject().put("name", "svc").put("subject", "svc.time").put("type", "service"))));
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").put("imports", new JsonArray()
        .add(new JsonObject().put("name", "feed").put("subject", "feed.>").put("account", JwtMinter.pub(op.a))
            .put("type", "stream"))
        .add(new JsonObject().put("name", "svc").put("subject", "svc.time").put("account", JwtMinter.pub(op.a))
            .put("type", "service"))));
    try (Broker broker = Brokers.start(op.memoryConfig());
         Connection a = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a).handler()));
         Connection b = AuthClients.connect(broker, x -> x.authHandler(op.user(op.b).handler()))) {
      Subscription feed = b.subscribe("feed.>");
      b.flush(AuthClients.WAIT);
      a.createDispatcher(m -> a.publish(m.getReplyTo(), AuthClients.utf8("noon"))).subscribe("svc.time");
      a.flush(AuthClients.WAIT);
      a.publish("feed.news", AuthClients.utf8("extra"));
      assertThat(AuthClients.text(AuthClients.next(feed))).isEqualTo("extra");
      assertThat(AuthClients.text(b.request("svc.time", null, AuthClients.WAIT))).isEqualTo("noon");
    }
  }

  @Test
  void accountMappingsApply() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("mappings", new JsonObject()
        .put("old", new JsonArray().add(new JsonObject().put("subject", "new").put("weight", 100)))));
    try (Broker broker = Brokers.start(op.memoryConfig());
         Connection a = AuthClients.connect(broker, b -> b.authHandler(op.user(op.a).handler()))) {
      Subscription sub = a.subscribe("new");
      a.flush(AuthClients.WAIT);
      a.publish("old", AuthClients.utf8("moved"));
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("new");
    }
  }

  @Test
  void userAndAccountLimitsHold() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").getJsonObject("limits").put("conn", 1));
    JwtMinter.UserCreds small = op.user(op.a, op.a, c -> c.getJsonObject("nats").put("subs", 1).put("payload", 4));
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      try (RawClient c = rawConnect(broker, small, true)) {
        c.expectLine("PONG");
        c.send("SUB a 1\r\nSUB b 2\r\n").expectErr("maximum subscriptions exceeded");
        c.send("PUB a 5\r\nhello\r\n").expectErr("Maximum Payload Violation").expectClosed();
      }
      try (RawClient first = rawConnect(broker, op.user(op.b), true)) {
        first.expectLine("PONG");
        try (RawClient second = rawConnect(broker, op.user(op.b), true)) {
          second.expectErr("maximum account active connections exceeded").expectClosed();
        }
      }
    }
  }

  @Test
  void privateExportsNeedAnActivationToken() throws Exception {
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("exports", new JsonArray()
        .add(new JsonObject().put("name", "priv").put("subject", "priv.>").put("type", "stream")
            .put("token_req", true))));
    JsonObject activation = JwtMinter.claims(op.a, JwtMinter.pub(op.b), "priv", new JsonObject()
        .put("subject", "priv.>").put("type", "activation").put("kind", "stream").put("version", 2));
    String token = JwtMinter.sign(op.a, activation);
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").put("imports", new JsonArray()
        .add(new JsonObject().put("name", "priv").put("subject", "priv.>").put("account", JwtMinter.pub(op.a))
            .put("token", token).put("type", "stream"))));
    op.putAccount(op.sys, "SYS", c -> c.getJsonObject("nats").put("imports", new JsonArray()
        .add(new JsonObject().put("name", "priv").put("subject", "priv.>").put("account", JwtMinter.pub(op.a))
            .put("type", "stream"))));
    try (Broker broker = Brokers.start(op.memoryConfig());
         RawClient a = rawConnect(broker, op.user(op.a), true);
         RawClient b = rawConnect(broker, op.user(op.b), true);
         RawClient sys = rawConnect(broker, op.user(op.sys), true)) {
      a.expectLine("PONG");
      b.expectLine("PONG");
      sys.expectLine("PONG");
      b.send("SUB priv.> 1\r\nPING\r\n").expectLine("PONG");
      sys.send("SUB priv.> 1\r\nPING\r\n").expectLine("PONG");
      a.send("PUB priv.x 3\r\nabc\r\nPING\r\n").expectLine("PONG");
      b.expectMsg("priv.x", "1", null, "abc");
      sys.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void aScopedSigningKeyDecidesItsUsersPermissions() throws Exception {
    OperatorFixture op = new OperatorFixture();
    NKey scoped = NKey.createAccount(null);
    op.putAccount(op.a, "A", c -> c.getJsonObject("nats").put("signing_keys", new JsonArray()
        .add(new JsonObject().put("kind", "user_scope").put("key", JwtMinter.pub(scoped)).put("role", "limited")
            .put("template", new JsonObject().put("pub", new JsonObject().put("deny", new JsonArray().add("forbidden")))
                .put("sub", new JsonObject()).put("subs", -1).put("data", -1).put("payload", -1)))));
    // nats-server 2.9.10 takes a scoped user only with no permissions and no limits of its own
    // (absent, not -1); the template's replace them.
    JwtMinter.UserCreds plain = op.user(op.a, scoped, c -> noLimits(c.getJsonObject("nats")));
    JwtMinter.UserCreds ownPermissions = op.user(op.a, scoped, c -> noLimits(c.getJsonObject("nats"))
        .put("pub", new JsonObject().put("allow", new JsonArray().add(">"))));
    JwtMinter.UserCreds ownLimits = op.user(op.a, scoped, c -> { });
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      try (RawClient c = rawConnect(broker, plain, true)) {
        c.expectLine("PONG");
        c.send("PUB forbidden 0\r\n\r\n").expectErr("Permissions Violation for Publish to \"forbidden\"");
      }
      for (JwtMinter.UserCreds refused : new JwtMinter.UserCreds[] {ownPermissions, ownLimits}) {
        try (RawClient c = rawConnect(broker, refused, true)) {
          c.expectErr("Authorization Violation").expectClosed();
        }
      }
    }
  }

  private static JsonObject noLimits(JsonObject nats) {
    nats.remove("subs");
    nats.remove("data");
    nats.remove("payload");
    return nats;
  }

  @Test
  void theDataLimitsAreNotEnforcedAsInNatsServer2910() throws Exception {
    // nats-server 2.9.10 reads user and account `data` limits but lets a connection publish past them.
    OperatorFixture op = new OperatorFixture();
    op.putAccount(op.b, "B", c -> c.getJsonObject("nats").getJsonObject("limits").put("data", 50));
    JwtMinter.UserCreds userLimited = op.user(op.a, op.a, c -> c.getJsonObject("nats").put("data", 50));
    JwtMinter.UserCreds accountLimited = op.user(op.b);
    try (Broker broker = Brokers.start(op.memoryConfig())) {
      for (JwtMinter.UserCreds creds : new JwtMinter.UserCreds[] {userLimited, accountLimited}) {
        try (Connection c = AuthClients.connect(broker, b -> b.authHandler(creds.handler()))) {
          Subscription sub = c.subscribe("x");
          for (int i = 0; i < 20; i++) {
            c.publish("x", new byte[100]);
          }
          c.flush(AuthClients.WAIT);
          for (int i = 0; i < 20; i++) {
            assertThat(sub.nextMessage(AuthClients.WAIT)).as("message %d", i).isNotNull();
          }
          assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
      }
    }
  }
}
