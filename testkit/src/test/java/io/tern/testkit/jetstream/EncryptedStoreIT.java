package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker configured with {@code jetstream { key, cipher }}: the marker published to a stream is
 * in no file under the store directory once the broker stops (it is without a key), and a restart
 * with another key is refused while the right key still reads the data.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EncryptedStoreIT {

  private static final String MARKER = "ENCRYPTED-IT-MARKER-4242";
  private static final String CONSUMER_MARKER = "CONSUMER-MARKER-8080";

  @TempDir
  Path store;

  private static String config(Path dir, String key) {
    String js = "store_dir: \"" + dir.toAbsolutePath() + "\"";
    return key == null ? "jetstream { " + js + " }\n"
        : "JS_KEY = \"" + key + "\"\njetstream { " + js + ", key: $JS_KEY, cipher: aes }\n";
  }

  private void writeMarker(String key) throws Exception {
    try (Broker broker = Brokers.start(config(store, key)); Connection nc = JsBroker.connect(broker)) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("SECRET").subjects("secret.>").build());
      nc.jetStream().publish("secret.a", MARKER.getBytes(StandardCharsets.UTF_8));
      // consumer configuration and state are stored too
      nc.jetStreamManagement().addOrUpdateConsumer("SECRET", io.nats.client.api.ConsumerConfiguration.builder()
          .durable("D").filterSubject("secret." + CONSUMER_MARKER).description(CONSUMER_MARKER).build());
    }
  }

  @Test
  void encryptedStoreHoldsNoPlaintext() throws Exception {
    writeMarker("correct horse");
    assertThat(filesContaining(store, MARKER)).isEmpty();
    assertThat(filesContaining(store, CONSUMER_MARKER)).isEmpty();
  }

  @Test
  void plaintextStoreHoldsTheMarker() throws Exception {
    writeMarker(null);
    assertThat(filesContaining(store, MARKER)).isNotEmpty();
    assertThat(filesContaining(store, CONSUMER_MARKER)).isNotEmpty();
  }

  @Test
  void wrongKeyIsRefusedAndTheRightKeyStillReads() throws Exception {
    // nats-server 2.9.10 starts anyway, warns "Error decrypting our stream metafile: chacha20poly1305:
    // message authentication failed" (or "...: encryption not enabled" without a key) and serves
    // without the stream, whose files it leaves alone; Tern refuses to start.
    assumeThat(Brokers.kind()).isEqualTo("tern");
    writeMarker("correct horse");
    assertThatThrownBy(() -> Brokers.start(config(store, "battery staple")).close())
        .hasStackTraceContaining("cannot be decrypted with the configured jetstream.key (wrong key)");
    assertThatThrownBy(() -> Brokers.start(config(store, null)).close())
        .hasStackTraceContaining("is encrypted (aes) but no jetstream.key is configured");
    try (Broker broker = Brokers.start(config(store, "correct horse")); Connection nc = JsBroker.connect(broker)) {
      assertThat(new String(nc.jetStreamManagement().getMessage("SECRET", 1).getData(), StandardCharsets.UTF_8))
          .isEqualTo(MARKER);
    }
  }

  private static List<String> filesContaining(Path dir, String marker) throws IOException {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
          out.add(dir.relativize(f).toString());
        }
      }
    }
    return out;
  }
}
