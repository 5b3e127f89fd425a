package io.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TranscriptNormaliserTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void infoKeepsComparedValuesAndPresenceOnly() {
    String a = "INFO {\"server_id\":\"A\",\"server_name\":\"A\",\"version\":\"2.9.10\",\"proto\":1,"
        + "\"go\":\"go1.19\",\"host\":\"127.0.0.1\",\"port\":1,\"headers\":true,"
        + "\"max_payload\":1048576,\"client_id\":5,\"client_ip\":\"127.0.0.1\"} \r\n";
    String b = "INFO {\"server_id\":\"B\",\"server_name\":\"tern\",\"version\":\"0.1\",\"proto\":1,"
        + "\"host\":\"127.0.0.1\",\"port\":2,\"headers\":true,"
        + "\"max_payload\":1048576,\"client_id\":9,\"client_ip\":\"127.0.0.1\"}\r\n";
    assertThat(TranscriptNormaliser.normalise(bytes(a), true, false))
        .isEqualTo(TranscriptNormaliser.normalise(bytes(b), true, false));
    String noHeaders = b.replace("\"headers\":true", "\"headers\":false");
    assertThat(TranscriptNormaliser.normalise(bytes(noHeaders), true, false))
        .isNotEqualTo(TranscriptNormaliser.normalise(bytes(a), true, false));
    String noClientId = b.replace("\"client_id\":9,", "");
    assertThat(TranscriptNormaliser.normalise(bytes(noClientId), true, false).get(0))
        .contains("client_id=<absent>");
  }

  @Test
  void splitsMessagesFromPayloadsEvenWhenPayloadLooksLikeProtocol() {
    String raw = "MSG foo 1 12\r\nPING\r\nPONG\r\n\r\nPING\r\n+OK\r\n";
    assertThat(TranscriptNormaliser.normalise(bytes(raw), true, true)).containsExactly(
        "MSG foo 1 12", "  payload \"PING\\r\\nPONG\\r\\n\"", "+OK", "<closed>");
    assertThat(TranscriptNormaliser.normalise(bytes(raw), false, false)).containsExactly(
        "MSG foo 1 12", "  payload \"PING\\r\\nPONG\\r\\n\"", "PING", "+OK");
  }

  @Test
  void trailingBytesAreReportedUnlessTheyAreAPartialPing() {
    assertThat(TranscriptNormaliser.normalise(bytes("+OK\r\n-ER"), true, false))
        .containsExactly("+OK", "<partial \"-ER\">");
    assertThat(TranscriptNormaliser.normalise(bytes("+OK\r\nPI"), true, false))
        .containsExactly("+OK");
  }

  @Test
  void hmsgBodyUsesTotalSize() {
    String raw = "HMSG a 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n";
    assertThat(TranscriptNormaliser.normalise(bytes(raw), true, false)).containsExactly(
        "HMSG a 7 16 16", "  payload \"NATS/1.0 503\\r\\n\\r\\n\"", "PONG");
  }
}
