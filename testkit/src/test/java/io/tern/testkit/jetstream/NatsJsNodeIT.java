package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.websocket.NodeScripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The npm {@code nats} client (nats.js v2 over TCP) against the broker's JetStream: stream publish
 * and info, and KV put/get/create/update/delete, history, keys and watch. The assertions live in
 * {@code src/test/node/nats-kv.test.mjs}; this test runs it and requires it to pass. Skipped when
 * node is not installed; the npm packages are installed by {@code npm ci} on first use.
 */
class NatsJsNodeIT extends JetStreamClientTest {

  @BeforeEach
  void nodeAndPackages() throws Exception {
    NodeScripts.assumeNodeAndInstall();
  }

  @Test
  @Timeout(300)
  void natsJsStreamAndKeyValueScriptPasses() throws Exception {
    try (NodeScripts.Run run = NodeScripts.start("nats-kv.test.mjs", broker.url())) {
      int code = run.exitCode(120);
      String output = run.output();
      assertThat(code).as(output).isZero();
      assertThat(output).contains("# fail 0").contains("# pass 5");
    }
  }
}
