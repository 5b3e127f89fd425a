package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a client proves who it is, and nats-server's answers when it cannot. */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthMethodsIT {

  private static String bcrypt(String version, String secret) {
    BCrypt.Version v = switch (version) {
      case "2a" -> BCrypt.Version.VERSION_2A;
      case "2b" -> BCrypt.Version.VERSION_2B;
      default -> BCrypt.Version.VERSION_2Y;
    };
    return new String(BCrypt.with(v).hash(4, secret.toCharArray()), StandardCharsets.UTF_8);
  }

  @Test
  void usersWithPlainPasswordsGetInAndWrongOnesAreRefused() throws Exception {
    try (Broker broker = Brokers.start("authorization { users [{user: alice, password: s3cret}, {user: bob, "
        + "password: other}] }")) {
      try (Connection c = AuthClients.connect(broker, "alice", "s3cret")) {
        assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
      assertThat(RawClient.connect(broker).info().getBoolean("auth_required")).isTrue();
      for (String wrong : new String[] {"\"user\":\"alice\",\"pass\":\"other\"", "\"user\":\"carol\",\"pass\":\"x\"",
          "", "\"auth_token\":\"s3cret\""}) {
        try (RawClient c = RawClient.connect(broker)) {
          c.send("CONNECT {\"verbose\":false" + (wrong.isEmpty() ? "" : "," + wrong) + "}\r\nPING\r\n");
          c.expectErr("Authorization Violation").expectClosed();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b", "2y"})
  void bcryptPasswordsAndTokensVerify(String version) throws Exception {
    String users = "authorization { users [{user: alice, password: \"" + bcrypt(version, "pw-alice") + "\"}] }";
    try (Broker broker = Brokers.start(users)) {
      AuthClients.connect(broker, "alice", "pw-alice").close();
      try (RawClient c = RawClient.connect(broker)) {
        c.send("CONNECT {\"user\":\"alice\",\"pass\":\"pw-bob\"}\r\n").expectErr("Authorization Violation");
      }
    }
    try (Broker broker = Brokers.start("authorization { token: \"" + bcrypt(version, "tok") + "\" }")) {
      AuthClients.connect(broker, b -> b.token("tok".toCharArray())).close();
      try (RawClient c = RawClient.connect(broker)) {
        c.send("CONNECT {\"auth_token\":\"nope\"}\r\n").expectErr("Authorization Violation");
      }
    }
  }

  @Test
  void plainToken() throws Exception {
    try (Broker broker = Brokers.start("authorization { token: abc123 }")) {
      AuthClients.connect(broker, b -> b.token("abc123".toCharArray())).close();
      assertThatThrownBy(() -> AuthClients.connect(broker,
          b -> b.token("abc".toCharArray()).connectionTimeout(Duration.ofSeconds(2))))
          .hasMessageContaining("Authorization Violation");
    }
  }

  @Test
  void nkeyUsersSignTheNonce() throws Exception {
    NKey user = NKey.createUser(null);
    NKey stranger = NKey.createUser(null);
    String pub = new String(user.getPublicKey());
    try (Broker broker = Brokers.start("authorization { users [{nkey: " + pub + "}, {user: x, password: y}] }")) {
      try (RawClient raw = RawClient.connect(broker)) {
        assertThat(raw.info().getString("nonce")).isNotBlank();
        assertThat(raw.info().getBoolean("auth_required")).isTrue();
      }
      try (Connection c = AuthClients.connect(broker, b -> b.authHandler(handler(user)))) {
        Subscription sub = c.subscribe("nk");
        c.publish("nk", AuthClients.utf8("signed"));
        assertThat(AuthClients.text(AuthClients.next(sub))).isEqualTo("signed");
      }
      // Someone else's signature under this user's public key.
      try (RawClient raw = RawClient.connect(broker)) {
        String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            stranger.sign(raw.info().getString("nonce").getBytes(StandardCharsets.UTF_8)));
        raw.send("CONNECT {\"nkey\":\"" + pub + "\",\"sig\":\"" + sig + "\"}\r\n").expectErr("Authorization Violation");
      }
      assertThatThrownBy(() -> AuthClients.connect(broker,
          b -> b.authHandler(handler(stranger)).connectionTimeout(Duration.ofSeconds(2))))
          .hasMessageContaining("Authorization Violation");
    }
  }

  private static AuthHandler handler(NKey key) {
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return key.sign(nonce);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return key.getPublicKey();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public char[] getJWT() {
        return null;
      }
    };
  }

  @Test
  void noAuthUserLetsAnonymousClientsInAsThatUser() throws Exception {
    String config = "no_auth_user: anon\naccounts { A { users [{user: anon, password: x}] }, "
        + "B { users [{user: b, password: b}] } }";
    try (Broker broker = Brokers.start(config);
         Connection anon = AuthClients.connect(broker, b -> b);
         Connection inA = AuthClients.connect(broker, "anon", "x");
         Connection inB = AuthClients.connect(broker, "b", "b")) {
      Subscription a = inA.subscribe("hello");
      Subscription b = inB.subscribe("hello");
      inA.flush(AuthClients.WAIT);
      inB.flush(AuthClients.WAIT);
      anon.publish("hello", AuthClients.utf8("from anon"));
      anon.flush(AuthClients.WAIT);
      assertThat(AuthClients.text(AuthClients.next(a))).isEqualTo("from anon");
      assertThat(b.nextMessage(Duration.ofMillis(300))).isNull();
      try (RawClient raw = RawClient.connect(broker)) {
        // nats-server does not announce auth_required when anonymous clients are let in.
        assertThat(raw.info().containsKey("auth_required")).isFalse();
        raw.send("CONNECT {\"user\":\"anon\",\"pass\":\"wrong\"}\r\n").expectErr("Authorization Violation");
      }
    }
  }

  @Test
  void allowedConnectionTypesRestrictTheTransport() throws Exception {
    String config = "authorization { users [{user: ws, password: ws, allowed_connection_types: [\"WEBSOCKET\"]}, "
        + "{user: tcp, password: tcp, allowed_connection_types: [\"STANDARD\"]}] }";
    try (Broker broker = Brokers.start(config)) {
      AuthClients.connect(broker, "tcp", "tcp").close();
      try (RawClient c = RawClient.connect(broker)) {
        c.send("CONNECT {\"user\":\"ws\",\"pass\":\"ws\"}\r\n").expectErr("Authorization Violation");
      }
    }
  }

  @Test
  void clientsThatNeverSendConnectAreClosedAtTheAuthTimeout() throws Exception {
    try (Broker broker = Brokers.start("authorization { user: u, password: p, timeout: 1 }")) {
      RawClient[] idle = new RawClient[50];
      try {
        for (int i = 0; i < idle.length; i++) {
          idle[i] = RawClient.connect(broker);
        }
        for (RawClient c : idle) {
          c.timeout(Duration.ofSeconds(5)).expectErr("Authentication Timeout").expectClosed();
        }
      } finally {
        for (RawClient c : idle) {
          if (c != null) {
            c.close();
          }
        }
      }
    }
  }
}
