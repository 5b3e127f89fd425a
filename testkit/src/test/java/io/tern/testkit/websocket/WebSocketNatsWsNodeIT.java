package io.tern.testkit.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.FreePort;
import io.tern.testkit.ReferenceServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm {@code nats.ws} client on Node (with {@code ws} as its WebSocket) against Tern: the
 * assertions live in {@code src/test/node/nats-ws.test.mjs} (core NATS, and JetStream with a KV
 * watch); this test starts Tern, runs the script
 * and requires it to pass. Skipped when node is not installed.
 */
class WebSocketNatsWsNodeIT {

  private static EmbeddedTern tern;

  @BeforeAll
  static void start() throws Exception {
    NodeScripts.assumeNodeAndInstall();
    tern = EmbeddedTern.start("websocket { port: -1, no_tls: true, compression: true }");
  }

  @AfterAll
  static void stop() {
    if (tern != null) {
      tern.close();
    }
  }

  @Test
  @Timeout(180)
  void natsWsPassesPubSubRequestReplyAndHeaders() throws Exception {
    try (NodeScripts.Run run = NodeScripts.start("nats-ws.test.mjs", Integer.toString(tern.webSocketPort()))) {
      int code = run.exitCode(120);
      String output = run.output();
      assertThat(code).as(output).isZero();
      assertThat(output).contains("# fail 0").contains("# pass 8");
    }
  }

  /** nats-server's JetStream store for the script's JetStream test. */
  @TempDir
  Path jetStreamStore;

  /** The same script against Debian's nats-server keeps the script honest about NATS behaviour. */
  @Test
  @Timeout(180)
  void theSameScriptPassesAgainstNatsServer() throws Exception {
    Assumptions.assumeTrue(ReferenceServer.available(), "nats-server is not installed");
    int wsPort = FreePort.find();
    try (ReferenceServer natsServer = ReferenceServer.start(
        "websocket { port: " + wsPort + ", no_tls: true, compression: true }\n"
            + "jetstream { store_dir: \"" + jetStreamStore.toAbsolutePath() + "\" }");
        NodeScripts.Run run = NodeScripts.start("nats-ws.test.mjs", Integer.toString(wsPort))) {
      int code = run.exitCode(120);
      assertThat(code).as(run.output()).isZero();
      assertThat(run.output()).contains("# fail 0").contains("# pass 8");
    }
  }

  /** The websocket block's own authorization, as nats.ws meets it. */
  private static final String WS_AUTH = ", no_tls: true, authorization { user: wsuser, password: wspass } }";

  @Test
  @Timeout(180)
  void natsWsAuthenticatesByTheWebSocketBlocksAuthorization() throws Exception {
    try (EmbeddedTern guarded = EmbeddedTern.start("websocket { port: -1" + WS_AUTH);
        NodeScripts.Run run = NodeScripts.start("nats-ws-auth.test.mjs", Integer.toString(guarded.webSocketPort()))) {
      int code = run.exitCode(120);
      assertThat(code).as(run.output()).isZero();
      assertThat(run.output()).contains("# fail 0").contains("# pass 3");
    }
  }

  @Test
  @Timeout(180)
  void theAuthScriptPassesAgainstNatsServer() throws Exception {
    Assumptions.assumeTrue(ReferenceServer.available(), "nats-server is not installed");
    int wsPort = FreePort.find();
    try (ReferenceServer natsServer = ReferenceServer.start("websocket { port: " + wsPort + WS_AUTH);
        NodeScripts.Run run = NodeScripts.start("nats-ws-auth.test.mjs", Integer.toString(wsPort))) {
      int code = run.exitCode(120);
      assertThat(code).as(run.output()).isZero();
      assertThat(run.output()).contains("# fail 0").contains("# pass 3");
    }
  }

  @Test
  void theVendoredBrowserBuildIsTheOneThePinnedNpmPackageShips() throws Exception {
    byte[] npm = Files.readAllBytes(NodeScripts.nodeModule("nats.ws/esm/nats.js"));
    try (InputStream jar = getClass().getClassLoader().getResourceAsStream("webroot/assets/vendor/nats.ws/nats.js")) {
      assertThat(jar).as("nats.js packed in the gateway jar").isNotNull();
      assertThat(jar.readAllBytes()).as("vendored nats.js differs from node_modules/nats.ws: copy it again")
          .isEqualTo(npm);
    }
  }
}
