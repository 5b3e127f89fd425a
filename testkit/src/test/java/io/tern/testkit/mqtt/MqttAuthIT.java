package io.tern.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT CONNECT credentials: the auth service for the top-level block, the mqtt block's own, no_auth_user. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttAuthIT {

  private static int[] connack(MqttTern tern, String user, String password) throws Exception {
    try (RawMqttClient raw = RawMqttClient.connect(tern.mqttPort())) {
      raw.send(RawMqttClient.connect(4, "auth-" + user + "-" + password, true, 60, null, null, 0, false, user,
          password));
      return raw.readConnack();
    }
  }

  @Test
  void topLevelUserAndPasswordAreCheckedByTheAuthService() throws Exception {
    try (MqttTern tern = MqttTern.start("", "authorization { user: alice, password: s3cret }")) {
      assertThat(connack(tern, "alice", "s3cret")[1]).isZero();
      assertThat(connack(tern, "alice", "wrong")[1]).isEqualTo(5);
      assertThat(connack(tern, null, null)[1]).isEqualTo(5);
    }
  }

  @Test
  void aTopLevelTokenIsGivenAsThePassword() throws Exception {
    try (MqttTern tern = MqttTern.start("", "authorization { token: tok }")) {
      assertThat(connack(tern, "anyone", "tok")[1]).isZero();
      assertThat(connack(tern, "anyone", "nope")[1]).isEqualTo(5);
    }
  }

  @Test
  void theMqttBlocksOwnAuthorizationAndNoAuthUser() throws Exception {
    try (MqttTern tern = MqttTern.start("authorization { user: dev, password: pw }\nno_auth_user: dev", "")) {
      assertThat(connack(tern, "dev", "pw")[1]).isZero();
      assertThat(connack(tern, "dev", "bad")[1]).isEqualTo(5);
      assertThat(connack(tern, null, null)[1]).as("no_auth_user").isZero();
    }
  }
}
