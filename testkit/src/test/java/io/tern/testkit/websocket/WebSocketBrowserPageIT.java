package io.tern.testkit.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.tern.testkit.EmbeddedTern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo page in a real browser: headless Chromium (driven by playwright-core from
 * {@code src/test/node/browser.mjs}) loads the page from Tern's monitoring port, the page connects
 * over WebSocket and subscribes, jnats publishes over TCP, and the message must appear on the page.
 * A screenshot is kept as {@code target/browser-page.png}. Skipped without node or Chromium.
 */
@SuppressWarnings("try")
class WebSocketBrowserPageIT {

  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path SCREENSHOT = Path.of("target/browser-page.png").toAbsolutePath();
  private static EmbeddedTern tern;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
    NodeScripts.assumeNodeAndInstall();
    // Compression on: Chromium offers permessage-deflate, so the page runs over the deflate path.
    tern = EmbeddedTern.start("websocket { port: -1, no_tls: true, compression: true }");
  }

  @AfterAll
  static void stop() {
    if (tern != null) {
      tern.close();
    }
  }

  @Test
  @Timeout(240)
  void aMessagePublishedByJnatsAppearsOnThePage() throws Exception {
    Files.deleteIfExists(SCREENSHOT);
    Files.createDirectories(SCREENSHOT.getParent());
    String subject = "browser.demo";
    String text = "hello from jnats " + UUID.randomUUID().toString().substring(0, 8);
    try (NodeScripts.Run browser = NodeScripts.start("browser.mjs", Integer.toString(tern.httpPort()), subject,
        text, SCREENSHOT.toString())) {
      browser.awaitLine("READY", 120);
      Options options = new Options.Builder().server("nats://127.0.0.1:" + tern.port())
          .connectionTimeout(Duration.ofSeconds(10)).noReconnect().build();
      try (Connection jnats = Nats.connect(options)) {
        Headers headers = new Headers().add("X-Sent-By", "jnats");
        jnats.publish(subject, headers, text.getBytes(StandardCharsets.UTF_8));
        jnats.flush(Duration.ofSeconds(10));
      }
      String seen = browser.awaitLine("SEEN", 60);
      assertThat(seen).contains(text).contains("X-Sent-By: jnats");
      browser.awaitLine("ECHOED", 60);
      assertThat(browser.exitCode(60)).as(browser.output()).isZero();
    }
    assertThat(SCREENSHOT).exists();
    assertThat(Files.size(SCREENSHOT)).isPositive();
  }
}
