package io.tern.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JetStreamAccountsTest {

  private static TernOptions load(String text) {
    TernOptions options = new TernOptions();
    List<String> warnings = ConfigLoader.apply(ConfigParser.parse(text, null), options);
    assertThat(warnings).isEmpty();
    return options;
  }

  @Test
  void withoutAccountsTheGlobalAccountHasJetStream() {
    TernOptions o = load("jetstream {}\n");
    assertThat(JetStreamAccounts.of(o)).containsOnlyKeys("$G");
    assertThat(JetStreamAccounts.of(o).get("$G").getMaxStreams()).isEqualTo(-1);
    assertThat(JetStreamAccounts.disabled(o)).isEmpty();
  }

  @Test
  void withAccountsButNoneEnablingItNobodyHasJetStream() {
    // nats-server 2.9.10: $G and A both answer 10039 "JetStream not enabled for account".
    TernOptions o = load("accounts { A { users: [{user: a, password: a}] } }\n");
    assertThat(JetStreamAccounts.of(o)).isEmpty();
    assertThat(JetStreamAccounts.disabled(o)).containsExactlyInAnyOrder("$G", "A");
  }

  @Test
  void onlyAccountsThatEnableItHaveJetStreamWithTheirLimits() {
    TernOptions o = load("""
        accounts {
          A { jetstream: enabled }
          B { jetstream { max_mem: 1M, max_file: "2K", max_streams: 3, max_consumers: 4 } }
          C { jetstream: disabled }
          D { }
        }
        """);
    var enabled = JetStreamAccounts.of(o);
    assertThat(enabled).containsOnlyKeys("A", "B");
    assertThat(enabled.get("A").getMaxMemory()).isEqualTo(-1);
    AccountJetStreamOptions b = enabled.get("B");
    assertThat(b.getMaxMemory()).isEqualTo(1_000_000);
    assertThat(b.getMaxStore()).isEqualTo(2048);
    assertThat(b.getMaxStreams()).isEqualTo(3);
    assertThat(b.getMaxConsumers()).isEqualTo(4);
    assertThat(JetStreamAccounts.disabled(o)).containsExactlyInAnyOrder("$G", "C", "D");
  }

  @Test
  void unknownLimitIsAnError() {
    assertThatThrownBy(() -> load("accounts { A { jetstream { max_things: 1 } } }\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_things");
  }
}
