package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.tern.testkit.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS for clients with a CA made in the test: plain clients dropped, verified clients in, mapped users. */
@SuppressWarnings("try")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsIT {

  private static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = TestCertificates.create();
    certs.issue("alice", "CN=alice", "san=email:alice@example.com");
  }

  @AfterAll
  static void removeCertificates() throws Exception {
    certs.close();
  }

  @Test
  void aPlainClientGetsInfoAndIsDropped() {
    try (Broker broker = Brokers.start(certs.tlsBlock("")); RawClient raw = RawClient.connect(broker)) {
      assertThat(raw.info().getBoolean("tls_required")).isTrue();
      raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n").expectClosed(Duration.ofSeconds(5));
    }
  }

  @Test
  void aClientTrustingTheCaTalksOverTls() throws Exception {
    SSLContext anonymous = certs.clientContext(null);
    try (Broker broker = Brokers.start(certs.tlsBlock(""));
         Connection c = AuthClients.connect(broker, b -> b.sslContext(anonymous))) {
      Subscription sub = c.subscribe("secure");
      c.publish("secure", AuthClients.utf8("hi"));
      assertThat(AuthClients.text(AuthClients.next(sub))).isEqualTo("hi");
    }
  }

  @Test
  void verifyRequiresAClientCertificate() throws Exception {
    SSLContext alice = certs.clientContext("alice");
    SSLContext anonymous = certs.clientContext(null);
    try (Broker broker = Brokers.start(certs.tlsBlock("verify: true"))) {
      try (RawClient raw = RawClient.connect(broker)) {
        assertThat(raw.info().getBoolean("tls_verify")).isTrue();
      }
      try (Connection c = AuthClients.connect(broker, b -> b.sslContext(alice))) {
        assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
      assertThatThrownBy(() -> AuthClients.connect(broker,
          b -> b.sslContext(anonymous).connectionTimeout(Duration.ofSeconds(3))).close())
          .isNotNull();
    }
  }

  @Test
  void verifyAndMapMakesTheCertificateTheUserWithItsPermissions() throws Exception {
    String config = certs.tlsBlock("verify_and_map: true")
        + "authorization { users [{user: \"alice@example.com\", permissions: {publish: \"ok.>\"}}] }\n";
    List<String> errors = new CopyOnWriteArrayList<>();
    SSLContext alice = certs.clientContext("alice");
    ErrorListener listener = new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        errors.add(error);
      }
    };
    try (Broker broker = Brokers.start(config);
         Connection c = AuthClients.connect(broker, b -> b.sslContext(alice).errorListener(listener))) {
      Subscription sub = c.subscribe(">");
      c.publish("ok.1", new byte[0]);
      c.publish("denied", new byte[0]);
      c.flush(AuthClients.WAIT);
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("ok.1");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (errors.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish to \"denied\""));
    }
  }
}
