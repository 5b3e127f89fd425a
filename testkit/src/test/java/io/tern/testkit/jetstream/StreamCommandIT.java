package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.tern.launcher.Main;
import io.tern.testkit.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tern stream backup} and {@code tern stream restore} against a running broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamCommandIT {

  @TempDir
  Path store;
  @TempDir
  Path dir;

  private static int tern(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Test
  void backupDeleteRestore() throws Exception {
    try (Broker broker = JsBroker.start(store); Connection nc = JsBroker.connect(broker)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("CLI").subjects("cli.>").build());
      JetStream js = nc.jetStream();
      for (int i = 0; i < 100; i++) {
        js.publish("cli." + i, ("m" + i).getBytes(StandardCharsets.UTF_8));
      }
      Path backup = dir.resolve("cli-backup");
      assertThat(tern("stream", "backup", "--server", broker.url(), "CLI", backup.toString())).isZero();
      assertThat(backup.resolve("backup.json")).exists();
      assertThat(Files.size(backup.resolve("stream.tar"))).isPositive();
      // the name exists: refused
      assertThat(tern("stream", "restore", "-s", broker.url(), backup.toString())).isEqualTo(1);
      jsm.deleteStream("CLI");
      assertThat(tern("stream", "restore", "-s", broker.url(), backup.toString())).isZero();
      assertThat(jsm.getStreamInfo("CLI").getStreamState().getMsgCount()).isEqualTo(100);
      assertThat(new String(jsm.getMessage("CLI", 100).getData(), StandardCharsets.UTF_8)).isEqualTo("m99");
      assertThat(tern("stream", "backup", "--server", broker.url(), "NOPE", dir.resolve("x").toString())).isEqualTo(1);
    }
  }
}
