package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.TernOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The addresses distributed mode advertises and reports, from nats-server-style options. */
class ClusterAddressesTest {

  @Test
  void routesAreReportedAsHostPortWithoutSchemeOrCredentials() {
    assertThat(ClusteredStart.routeAddresses(List.of("nats-route://127.0.0.1:6223", "nats://u:p@h2:6224", "h3:6225")))
        .containsExactly("127.0.0.1:6223", "h2:6224", "h3:6225");
  }

  @Test
  void webSocketUrlUsesTheClientHostAndTheWebSocketPort() {
    TernOptions o = new TernOptions();
    assertThat(ClusterSetup.webSocketUrl(o, "10.0.0.1:4222")).isNull();
    o.getWebSocket().setPort(8080);
    assertThat(ClusterSetup.webSocketUrl(o, "10.0.0.1:4222")).isEqualTo("10.0.0.1:8080");
    o.getWebSocket().setAdvertise("ws.example:443");
    assertThat(ClusterSetup.webSocketUrl(o, "10.0.0.1:4222")).isEqualTo("ws.example:443");
  }

  @Test
  void servicesStreamIsAnOptionValueNotTheStreamSubcommand() {
    Main main = new Main();
    var parsed = Main.commandLine(main).parseArgs("--services", "stream", "-p", "-1");
    assertThat(main.services).containsExactly("stream");
    assertThat(parsed.hasSubcommand()).isFalse();
    Main other = new Main();
    assertThat(Main.commandLine(other).parseArgs("stream", "backup", "--help").hasSubcommand()).isTrue();
  }
}
