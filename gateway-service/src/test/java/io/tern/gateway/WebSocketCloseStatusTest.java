package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketCloseStatusTest {

  private static WebSocketCloseStatus after(String text) {
    return WebSocketCloseStatus.afterError(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fatalErrorsCloseWithNatsServersStatusAndReason() {
    assertThat(after("-ERR 'Unknown Protocol Operation'\r\n"))
        .isEqualTo(new WebSocketCloseStatus((short) 1002, "Protocol Violation"));
    assertThat(after("MSG a 1 1\r\nx\r\n-ERR 'Maximum Payload Violation'\r\n"))
        .isEqualTo(new WebSocketCloseStatus((short) 1009, "Maximum Message Payload Exceeded"));
    assertThat(after("-ERR 'Authorization Violation'\r\n"))
        .isEqualTo(new WebSocketCloseStatus((short) 1008, "Authentication Failure"));
    assertThat(after("-ERR 'Stale Connection'\r\n").code()).isEqualTo((short) 1001);
  }

  @Test
  void anythingElseIsAProtocolViolation() {
    assertThat(after("")).isEqualTo(WebSocketCloseStatus.PROTOCOL_VIOLATION);
    assertThat(after("-ERR 'something new'\r\n")).isEqualTo(WebSocketCloseStatus.PROTOCOL_VIOLATION);
  }
}
