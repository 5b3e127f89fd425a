package io.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RawClientTest {

  private static final String INFO = "INFO {\"server_id\":\"X\",\"proto\":1,\"port\":1} \r\n";
  private static final Duration SHORT = Duration.ofMillis(200);

  @Test
  void parsesInfoAndKeepsRawLine() throws Exception {
    try (ScriptedServer s = new ScriptedServer(INFO, false);
        RawClient c = s.client()) {
      c.readInfo();
      assertThat(c.info().getString("server_id")).isEqualTo("X");
      assertThat(c.info().getInteger("proto")).isEqualTo(1);
      assertThat(c.infoLine()).isEqualTo("INFO {\"server_id\":\"X\",\"proto\":1,\"port\":1} ");
    }
  }

  @Test
  void expectLineFailsOnDifferentLineAndShowsWhatArrived() throws Exception {
    try (ScriptedServer s = new ScriptedServer("+OK\r\n", false);
        RawClient c = s.client()) {
      assertThatThrownBy(() -> c.expectLine("PONG"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("\"PONG\"")
          .hasMessageContaining("+OK\\r\\n");
    }
  }

  @Test
  void readLineTimesOutInsteadOfHanging() throws Exception {
    try (ScriptedServer s = new ScriptedServer("PARTIAL", false);
        RawClient c = s.client()) {
      assertThatThrownBy(() -> c.readLine(SHORT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("no complete line");
    }
  }

  @Test
  void lineWithoutCarriageReturnIsRejected() throws Exception {
    try (ScriptedServer s = new ScriptedServer("PONG\n", false);
        RawClient c = s.client()) {
      assertThatThrownBy(c::readLine).hasMessageContaining("not terminated by CRLF");
    }
  }

  @Test
  void serverPingsAreSkippedByDefaultAndVisibleOnRequest() throws Exception {
    try (ScriptedServer s = new ScriptedServer("PING\r\nPONG\r\n", false);
        RawClient c = s.client()) {
      c.expectLine("PONG");
      assertThat(c.transcript()).isEqualTo("PING\r\nPONG\r\n");
    }
    try (ScriptedServer s = new ScriptedServer("PING\r\nPONG\r\n", false);
        RawClient c = s.client().serverPingsVisible(true)) {
      assertThatThrownBy(() -> c.expectLine("PONG")).hasMessageContaining("got \"PING\"");
    }
  }

  @Test
  void expectNothingFailsWhenBytesArriveButIgnoresServerPings() throws Exception {
    try (ScriptedServer s = new ScriptedServer("+OK\r\n", false);
        RawClient c = s.client()) {
      assertThatThrownBy(() -> c.expectNothing(SHORT)).hasMessageContaining("+OK");
    }
    try (ScriptedServer s = new ScriptedServer("PING\r\n", false);
        RawClient c = s.client()) {
      c.expectNothing(SHORT);
    }
    try (ScriptedServer s = new ScriptedServer("PING\r\n", false);
        RawClient c = s.client().serverPingsVisible(true)) {
      assertThatThrownBy(() -> c.expectNothing(SHORT)).hasMessageContaining("PING");
    }
  }

  @Test
  void expectNothingFailsOnClose() throws Exception {
    try (ScriptedServer s = new ScriptedServer("", true);
        RawClient c = s.client()) {
      assertThatThrownBy(() -> c.expectNothing(Duration.ofSeconds(2)))
          .hasMessageContaining("closed");
    }
  }

  @Test
  void expectClosedPassesOnEofAndFailsWhileOpenOrOnExtraBytes() throws Exception {
    try (ScriptedServer s = new ScriptedServer("-ERR 'x'\r\n", true);
        RawClient c = s.client()) {
      c.expectErr("x").expectClosed();
      assertThat(c.closedByPeer()).isTrue();
    }
    try (ScriptedServer s = new ScriptedServer("", false);
        RawClient c = s.client()) {
      assertThatThrownBy(() -> c.expectClosed(SHORT)).hasMessageContaining("still open");
    }
    try (ScriptedServer s = new ScriptedServer("+OK\r\n", true);
        RawClient c = s.client()) {
      assertThatThrownBy(c::expectClosed).hasMessageContaining("+OK");
    }
  }

  @Test
  void expectErrMatchesTheQuotedForm() throws Exception {
    try (ScriptedServer s = new ScriptedServer("-ERR 'Stale Connection'\r\n-ERR Stale\r\n", false);
        RawClient c = s.client()) {
      c.expectErr("Stale Connection");
      assertThatThrownBy(() -> c.expectErr("Stale")).isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void expectMsgChecksLineAndPayloadExactly() throws Exception {
    String script = "MSG foo 1 r 4\r\na\r\nb\r\n" + "MSG foo 1 2\r\nhi\r\n";
    try (ScriptedServer s = new ScriptedServer(script, false);
        RawClient c = s.client()) {
      RawMsg m = c.expectMsg("foo", "1", "r", "a\r\nb");
      assertThat(m.reply()).isEqualTo("r");
      assertThatThrownBy(() -> c.expectMsg("foo", "1", null, "ho"))
          .hasMessageContaining("expected body \"ho\" but got \"hi\"");
    }
  }

  @Test
  void expectHMsgSplitsHeadersFromPayload() throws Exception {
    String script = "HMSG _INBOX.x 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
        + "HMSG foo 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";
    try (ScriptedServer s = new ScriptedServer(script, false);
        RawClient c = s.client()) {
      RawMsg noResponders = c.expectHMsg("_INBOX.x", "7", null, "NATS/1.0 503\r\n\r\n", "");
      assertThat(noResponders.payload()).isEmpty();
      assertThatThrownBy(() -> c.expectHMsg("foo", "1", null, "NATS/1.0\r\n\r\n", "ho"))
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void payloadMustEndWithCrlf() throws Exception {
    try (ScriptedServer s = new ScriptedServer("MSG foo 1 2\r\nhiXX", false);
        RawClient c = s.client()) {
      assertThatThrownBy(c::readMsg).hasMessageContaining("not followed by CRLF");
    }
  }
}
