package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.api.ServerInfo;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the server's INFO tells jnats. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class ServerInfoIT {

  @Test
  @Timeout(30)
  void defaultInfoAdvertisesHeadersOneMebibytePayloadAndProtocolOne() throws Exception {
    try (Broker broker = Brokers.start(); Connection conn = connect(broker)) {
      ServerInfo info = conn.getServerInfo();
      assertThat(info.isHeadersSupported()).isTrue();
      assertThat(info.getMaxPayload()).isEqualTo(1_048_576L);
      assertThat(conn.getMaxPayload()).isEqualTo(1_048_576L);
      assertThat(info.getProtocolVersion()).isEqualTo(1);
      assertThat(info.getClientId()).isPositive();
      assertThat(info.getServerId()).isNotBlank();
      assertThat(info.getVersion()).isNotBlank();
      assertThat(info.isAuthRequired()).isFalse();
      assertThat(info.getPort()).isEqualTo(broker.port());
    }
  }

  @Test
  @Timeout(30)
  void eachConnectionGetsItsOwnClientId() throws Exception {
    try (Broker broker = Brokers.start(); Connection one = connect(broker);
        Connection two = connect(broker)) {
      assertThat(one.getServerInfo().getClientId())
          .isPositive()
          .isNotEqualTo(two.getServerInfo().getClientId());
      assertThat(one.getServerInfo().getServerId()).isEqualTo(two.getServerInfo().getServerId());
    }
  }

  @Test
  @Timeout(30)
  void configuredMaxPayloadIsAdvertised() throws Exception {
    try (Broker broker = Brokers.start("max_payload: 65536\n"); Connection conn = connect(broker)) {
      assertThat(conn.getServerInfo().getMaxPayload()).isEqualTo(65_536L);
      assertThat(conn.getMaxPayload()).isEqualTo(65_536L);
    }
  }
}
