package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mosquitto_pub and mosquitto_sub (Debian mosquitto-clients) against Tern; skipped when absent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientsIT {

  static MqttTern tern;

  @BeforeAll
  static void start() {
    assumeTrue(new File("/usr/bin/mosquitto_pub").canExecute() && new File("/usr/bin/mosquitto_sub").canExecute(),
        "mosquitto-clients is not installed");
    tern = MqttTern.start();
  }

  @AfterAll
  static void stop() {
    if (tern != null) {
      tern.close();
    }
  }

  private static Process run(String... args) throws Exception {
    return new ProcessBuilder(args).redirectErrorStream(true).start();
  }

  private static String port() {
    return String.valueOf(tern.mqttPort());
  }

  @Test
  void retainedQos1FromMosquittoPubIsReadByMosquittoSub() throws Exception {
    Process pub = run("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "mosq/ret", "-m", "kept", "-q", "1",
        "-r");
    assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).isZero();
    Process sub = run("mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-t", "mosq/#", "-q", "1", "-v", "-C", "1",
        "-W", "5");
    assertThat(sub.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(out).isEqualTo("mosq/ret kept");
    assertThat(sub.exitValue()).isZero();
  }

  @Test
  void liveMessagesFlowFromMosquittoPubToMosquittoSub() throws Exception {
    Process sub = run("mosquitto_sub", "-h", "127.0.0.1", "-p", port(), "-t", "live/+", "-q", "1", "-v", "-C", "2",
        "-W", "10", "-i", "mosq-live-sub");
    // Wait until the subscriber's session is visible in /connz before publishing.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && !MqttMonitoringIT.connz(tern, "mqtt_client=mosq-live-sub")
        .contains("\"subscriptions\" : 1")) {
      Thread.sleep(50);
    }
    Process p1 = run("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "live/a", "-m", "one", "-q", "0");
    assertThat(p1.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Process p2 = run("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "live/b", "-m", "two", "-q", "1");
    assertThat(p2.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sub.waitFor(15, TimeUnit.SECONDS)).isTrue();
    String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(out.lines()).containsExactly("live/a one", "live/b two");
  }

  @Test
  void mosquittoPubOfAQos2MessageIsRefused() throws Exception {
    Process pub = run("mosquitto_pub", "-h", "127.0.0.1", "-p", port(), "-t", "q2/x", "-m", "no", "-q", "2");
    assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).isNotZero();
  }
}
