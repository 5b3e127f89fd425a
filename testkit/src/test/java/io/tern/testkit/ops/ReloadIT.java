package io.tern.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.tern.common.config.ConfigLoader;
import io.tern.common.config.ConfigParser;
import io.tern.common.config.TernOptions;
import io.tern.testkit.EmbeddedTern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Config reload on a running server, with jnats clients connected throughout. */
@SuppressWarnings("try")
class ReloadIT {

  /** Options from config text; JetStream is off so that its store directory stays out of the comparison. */
  private static TernOptions options(String config) {
    TernOptions o = new TernOptions();
    o.getJetStream().setEnabled(false);
    ConfigLoader.apply(ConfigParser.parse(config, Path.of(".")), o);
    return o.setHost("127.0.0.1").setPort(0).setHttpPort(-1);
  }

  private static Connection connect(EmbeddedTern tern, String user, String pass) throws Exception {
    return Nats.connect(new Options.Builder().server(tern.url()).userInfo(user, pass)
        .connectionTimeout(Duration.ofSeconds(10)).noReconnect().build());
  }

  @Test
  @Timeout(60)
  void newPasswordAndLimitHoldWithoutDroppingOtherClients() throws Exception {
    String before = "authorization { users: [{user: alice, password: one}, {user: bob, password: b}] }\n"
        + "max_payload: 4096\n";
    String after = "authorization { users: [{user: alice, password: two}, {user: bob, password: b}] }\n"
        + "max_payload: 8192\n";
    try (EmbeddedTern tern = EmbeddedTern.start(options(before)); Connection bob = connect(tern, "bob", "b");
         Connection alice = connect(tern, "alice", "one")) {
      assertThat(bob.getServerInfo().getMaxPayload()).isEqualTo(4096);
      List<String> changed = tern.server().reload(options(after));
      assertThat(changed).contains("max_payload = 8192");

      assertThatThrownBy(() -> connect(tern, "alice", "one")).hasMessageContaining("Authorization Violation");
      try (Connection fresh = connect(tern, "alice", "two")) {
        assertThat(fresh.getServerInfo().getMaxPayload()).isEqualTo(8192);
        Subscription sub = fresh.subscribe("after.reload");
        fresh.flush(Duration.ofSeconds(5));
        bob.publish("after.reload", "still here".getBytes(StandardCharsets.UTF_8));
        bob.flush(Duration.ofSeconds(5));
        assertThat(new String(sub.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8))
            .isEqualTo("still here");
      }
      // As nats-server: a client whose credentials no longer hold is disconnected; the others stay.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (alice.getStatus() == Connection.Status.CONNECTED && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(alice.getStatus()).isNotEqualTo(Connection.Status.CONNECTED);
      assertThat(bob.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      assertThat(Http.json(tern.httpPort(), "/varz").getInteger("max_payload")).isEqualTo(8192);
    }
  }

  @Test
  @Timeout(30)
  void listenerChangesAreRefusedInNatsServersWordsAndNothingIsApplied() throws Exception {
    try (EmbeddedTern tern = EmbeddedTern.start(options("max_payload: 4096"))) {
      TernOptions moved = options("max_payload: 2048").setHost("127.0.0.2");
      assertThatThrownBy(() -> tern.server().reload(moved))
          .hasMessage("config reload not supported for Host: old=127.0.0.1, new=127.0.0.2");
      assertThat(tern.server().state().options().getMaxPayload()).isEqualTo(4096);
    }
  }
}
