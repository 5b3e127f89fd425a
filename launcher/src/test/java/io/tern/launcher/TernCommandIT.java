package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tern} command as a child process: flags, -t, signals, lame duck with jnats. */
@SuppressWarnings("try")
class TernCommandIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void flagsOverrideTheConfigFileAndShowInVarz() throws Exception {
    Path conf = dir.resolve("tern.conf");
    Files.writeString(conf, "port: 1\nserver_name: from_file\nmax_payload: 2048\n");
    int port = TernProcess.freePort();
    int http = TernProcess.freePort();
    try (TernProcess tern = TernProcess.start(dir, null, "-c", conf.toString(), "-a", "127.0.0.1",
        "-p", Integer.toString(port), "-m", Integer.toString(http), "--name", "from_flags",
        "--ping_interval", "30s", "-D")) {
      JsonObject varz = new JsonObject(TernProcess.get(http, "/varz"));
      assertThat(varz.getString("server_name")).isEqualTo("from_flags");
      assertThat(varz.getInteger("port")).isEqualTo(port);
      assertThat(varz.getInteger("max_payload")).isEqualTo(2048);
      assertThat(varz.getLong("ping_interval")).isEqualTo(30_000_000_000L);
      assertThat(varz.getJsonObject("tern").getString("config_file")).isEqualTo(conf.toString());
      assertThat(tern.output()).contains("[INF] Using configuration file: " + conf)
          .contains("[INF] Listening for client connections on 127.0.0.1:" + port);
    }
  }

  @Test
  @Timeout(60)
  void testFlagChecksTheFileAndExits() throws Exception {
    Path good = dir.resolve("good.conf");
    Files.writeString(good, "port: 4333\nlame_duck_duration: \"45s\"\n");
    TernProcess.Result ok = TernProcess.run(dir, "-t", "-c", good.toString());
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.output()).contains("tern: configuration file " + good + " is valid");

    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "port: 4333\nlame_duck_duration: \"5s\"\n");
    TernProcess.Result refused = TernProcess.run(dir, "-t", "-c", bad.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output()).contains("tern: " + bad + ":2:0: invalid lame_duck_duration of 5s, minimum is 30 seconds");

    assertThat(TernProcess.run(dir, "--version").output()).startsWith("tern: v");
    assertThat(TernProcess.run(dir, "-p", "abc").exitCode()).isNotZero();
  }

  @Test
  @Timeout(60)
  void sigtermShutsDownCleanlyWritingTheLogFileAndRemovingThePidFile() throws Exception {
    Path log = dir.resolve("tern.log");
    Path pid = dir.resolve("tern.pid");
    try (TernProcess tern = TernProcess.start(dir, log, "-a", "127.0.0.1", "-p", "-1", "-m", "0",
        "-l", log.toString(), "-P", pid.toString(), "--logtime=false")) {
      assertThat(Files.readString(pid).trim()).isEqualTo(Long.toString(tern.process().pid()));
      tern.process().destroy();
      assertThat(tern.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(Files.readString(log)).matches("(?s)\\[\\d+\\] \\[INF\\] Starting tern.*")
          .contains("[INF] Server Exiting..");
      assertThat(pid).doesNotExist();
    }
  }

  @Test
  @Timeout(90)
  void signalReloadAppliesTheChangedFile() throws Exception {
    Path conf = dir.resolve("reload.conf");
    Path pid = dir.resolve("reload.pid");
    Files.writeString(conf, "max_payload: 2048\npid_file: \"" + pid + "\"\n");
    int http = TernProcess.freePort();
    try (TernProcess tern = TernProcess.start(dir, null, "-c", conf.toString(), "-a", "127.0.0.1", "-p", "-1",
        "-m", Integer.toString(http))) {
      Files.writeString(conf, "max_payload: 4096\npid_file: \"" + pid + "\"\n");
      TernProcess.Result sent = TernProcess.run(dir, "--signal", "reload=" + pid);
      assertThat(sent.exitCode()).as(sent.output()).isZero();
      int maxPayload = 0;
      for (int i = 0; i < 200 && maxPayload != 4096; i++) {
        maxPayload = new JsonObject(TernProcess.get(http, "/varz")).getInteger("max_payload");
        Thread.sleep(50);
      }
      assertThat(maxPayload).isEqualTo(4096);
      assertThat(tern.output()).contains("[INF] Reloaded: max_payload = 4096")
          .contains("[INF] Reloaded server configuration");

      Files.writeString(conf, "max_payload: 4096\nserver_name: renamed\npid_file: \"" + pid + "\"\n");
      assertThat(TernProcess.run(dir, "-sl", "reload", "-c", conf.toString()).exitCode()).isZero();
      for (int i = 0; i < 200 && !tern.output().contains("Failed to reload"); i++) {
        Thread.sleep(50);
      }
      assertThat(tern.output()).contains(
          "[ERR] Failed to reload server configuration: config reload not supported for ServerName: old=null, new=renamed");
    }
  }

  @Test
  @Timeout(90)
  void signalLdmPutsJnatsClientsThroughLameDuckAndExits() throws Exception {
    Path conf = dir.resolve("ldm.conf");
    Path pid = dir.resolve("ldm.pid");
    Files.writeString(conf, "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n");
    int port = TernProcess.freePort();
    try (TernProcess tern = TernProcess.start(dir, null, "-c", conf.toString(), "-a", "127.0.0.1",
        "-p", Integer.toString(port), "-m", "0", "-P", pid.toString())) {
      CountDownLatch lameDuck = new CountDownLatch(1);
      ConnectionListener listener = (conn, event) -> {
        if (event == ConnectionListener.Events.LAME_DUCK) {
          lameDuck.countDown();
        }
      };
      try (Connection client = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
          .connectionListener(listener).connectionTimeout(Duration.ofSeconds(10)).noReconnect().build())) {
        TernProcess.Result sent = TernProcess.run(dir, "--signal", "ldm=" + pid);
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(lameDuck.await(20, TimeUnit.SECONDS)).as("jnats saw LAME_DUCK").isTrue();
        assertThat(tern.awaitExit(Duration.ofSeconds(30))).isZero();
        assertThat(tern.output()).contains("[INF] Entering lame duck mode, stop accepting new clients")
            .contains("[INF] Server Exiting..");
        for (int i = 0; i < 200 && client.getStatus() != Connection.Status.CLOSED; i++) {
          Thread.sleep(50);
        }
        assertThat(client.getStatus()).isEqualTo(Connection.Status.CLOSED);
      }
    }
  }
}
