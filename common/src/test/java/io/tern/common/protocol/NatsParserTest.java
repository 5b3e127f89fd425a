package io.tern.common.protocol;

import static io.tern.common.protocol.ParserFeeder.parseAllWays;
import static io.tern.common.protocol.RecordingHandler.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every scenario is parsed whole, one byte at a time and in many random splits ({@link
 * ParserFeeder}), which must all give the same records.
 */
class NatsParserTest {

  private static final int MCL = ParserFeeder.DEFAULT_MAX_CONTROL_LINE;

  @Test
  void everyOperation() {
    List<String> records = parseAllWays(
        "CONNECT {\"verbose\":false,\"headers\":true}\r\n"
            + "PUB foo 5\r\nhello\r\n"
            + "PUB foo.bar _INBOX.1 3\r\nabc\r\n"
            + "HPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "HPUB h.r reply.x 12 12\r\nNATS/1.0\r\n\r\n\r\n"
            + "SUB foo 1\r\n"
            + "SUB foo.* workers 22\r\n"
            + "UNSUB 1\r\n"
            + "UNSUB 22 10\r\n"
            + "PING\r\n"
            + "PONG\r\n"
            + "+OK\r\n"
            + "INFO {\"a\":1}\r\n");
    assertThat(records).containsExactly(
        "CONNECT {\"verbose\":false,\"headers\":true}",
        "PUB foo - hdr=-1 msg=hello",
        "PUB foo.bar _INBOX.1 hdr=-1 msg=abc",
        "PUB h - hdr=12 msg=NATS/1.0\\r\\n\\r\\nhi",
        "PUB h.r reply.x hdr=12 msg=NATS/1.0\\r\\n\\r\\n",
        "SUB foo - 1",
        "SUB foo.* workers 22",
        "UNSUB 1 -1",
        "UNSUB 22 10",
        "PING",
        "PONG",
        "OK",
        "INFO {\"a\":1}");
  }

  @Test
  void opNamesAreCaseInsensitive() {
    assertThat(parseAllWays(
        "connect {}\r\npub a 1\r\nx\r\nPuB b 1\r\ny\r\nhPuB c 12 12\r\nNATS/1.0\r\n\r\n\r\n"
            + "sub a 1\r\nSuB a q 2\r\nunsub 1\r\nUnSuB 2 5\r\nping\r\nPiNg\r\npong\r\npOnG\r\n"
            + "+ok\r\n+oK\r\ninfo {}\r\nInFo {}\r\n"))
        .containsExactly(
            "CONNECT {}",
            "PUB a - hdr=-1 msg=x",
            "PUB b - hdr=-1 msg=y",
            "PUB c - hdr=12 msg=NATS/1.0\\r\\n\\r\\n",
            "SUB a - 1", "SUB a q 2", "UNSUB 1 -1", "UNSUB 2 5",
            "PING", "PING", "PONG", "PONG", "OK", "OK", "INFO {}", "INFO {}");
  }

  @Test
  void argumentsMaySeparateWithManyBlanksAndTabs() {
    assertThat(parseAllWays(
        "PUB\t foo \t\treply   3 \t\r\nabc\r\n"
            + "HPUB  foo\t12\t\t14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "SUB \t foo\t\tq   9\t \r\n"
            + "UNSUB\t\t9\t 3\r\n"
            + "CONNECT \t {} \t\r\n"))
        .containsExactly(
            "PUB foo reply hdr=-1 msg=abc",
            "PUB foo - hdr=12 msg=NATS/1.0\\r\\n\\r\\nhi",
            "SUB foo q 9",
            "UNSUB 9 3",
            "CONNECT {}");
  }

  @Test
  void bareLineFeedEndsControlLinesButNotPayloads() {
    assertThat(parseAllWays("PING\nPONG\nSUB a 1\nPUB a 2\nhi\r\nCONNECT {}\n+OK\n"))
        .containsExactly("PING", "PONG", "SUB a - 1", "PUB a - hdr=-1 msg=hi", "CONNECT {}", "OK");
    assertThat(parseAllWays("PUB a 2\r\nhi\nPING\r\n"))
        .containsExactly("ERROR BAD_PAYLOAD_TERMINATOR");
  }

  @Test
  void headersWithSeveralValuesAndStatusLinePassThroughUntouched() {
    String headers = "NATS/1.0 503 No Responders\r\nA: 1\r\nA: 2\r\nb-key: x y\r\n\r\n";
    String payload = "the payload";
    String wire = "HPUB s r " + headers.length() + " " + (headers.length() + payload.length())
        + "\r\n" + headers + payload + "\r\n";
    assertThat(parseAllWays(wire)).containsExactly("PUB s r hdr=" + headers.length() + " msg="
        + RecordingHandler.text(ascii(headers + payload), 0, headers.length() + payload.length()));
  }

  @Test
  void zeroLengthPayloads() {
    assertThat(parseAllWays("PUB a 0\r\n\r\nPUB b r 0\r\n\r\nHPUB c 0 0\r\n\r\nPING\r\n"))
        .containsExactly("PUB a - hdr=-1 msg=", "PUB b r hdr=-1 msg=", "PUB c - hdr=0 msg=", "PING");
  }

  @Test
  void payloadMayContainCrLfAndOpNames() {
    assertThat(parseAllWays("PUB a 12\r\nPING\r\nPUB \r\n\r\n"))
        .containsExactly("PUB a - hdr=-1 msg=PING\\r\\nPUB \\r\\n");
  }

  @Test
  void oneMebibytePayloadAtTheLimitAndOneByteOver() {
    int max = 1024 * 1024;
    byte[] payload = new byte[max];
    new Random(7).nextBytes(payload);
    CRC32 crc = new CRC32();
    crc.update(payload);
    byte[] wire = concat(ascii("PUB big " + max + "\r\n"), payload, ascii("\r\nPING\r\n"));
    assertThat(ParserFeeder.parseAllWays(wire, MCL, max, 12)).containsExactly(
        "PUB big - hdr=-1 msg=len=" + max + ",crc=" + Long.toHexString(crc.getValue()), "PING");

    // The size alone triggers the error; no payload byte is needed.
    assertThat(parseAllWays("PUB big " + (max + 1) + "\r\n"))
        .containsExactly("ERROR MAX_PAYLOAD");
    assertThat(parseAllWays("HPUB big 10 " + (max + 1) + "\r\n"))
        .containsExactly("ERROR MAX_PAYLOAD");
  }

  @Test
  void maxPayloadIsExclusiveAndAdjustable() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, MCL, 4);
    parser.parse(ascii("PUB a 4\r\nabcd\r\n"), 0, 15);
    parser.setMaxPayload(3);
    byte[] over = ascii("PUB a 4\r\nabcd\r\n");
    parser.parse(over, 0, over.length);
    assertThat(handler.records).containsExactly("PUB a - hdr=-1 msg=abcd", "ERROR MAX_PAYLOAD");
  }

  @Test
  void negativeMaxPayloadMeansNoLimit() {
    assertThat(ParserFeeder.parseAllWays(ascii("PUB a 5\r\nabcde\r\n"), MCL, -1, 20))
        .containsExactly("PUB a - hdr=-1 msg=abcde");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PUBX foo 1\r\nx\r\n", "PUB\r\n", "SUBfoo 1\r\n", "UNSUB\r\n", "HPUBfoo\r\n",
      "\r\nPING\r\n", "\nPING\r\n", " PING\r\n", "XYZ\r\n", "MSG foo 1 1\r\n", "HMSG foo 1 2 2\r\n",
      "RS+ foo\r\n", "A+ foo\r\n", "LS+ foo\r\n", "-ERR\r\n", "-ER\r\n", "+O\r\n", "PIG\r\n",
      "CONNEC {}\r\n", "INF {}\r\n"})
  void unknownOperations(String wire) {
    assertThat(parseAllWays(wire)).containsExactly("ERROR UNKNOWN_OP");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PUB foo\r\n", "PUB a b c 1\r\n", "PUB foo +1\r\n", "PUB foo -1\r\n", "PUB foo 1x\r\n",
      "PUB foo 0x1\r\n", "PUB foo 1234567890\r\n", "PUB foo 0000000001\r\n",
      "PUB \r\n", "PUB foo \r\n", "PUB \t \r\n", "HPUB foo 1\r\n", "HPUB a b c d e\r\n",
      "HPUB foo 5 4\r\n", "HPUB foo -1 4\r\n", "HPUB foo x 4\r\n", "HPUB foo 1 +4\r\n",
      "HPUB foo 1 1234567890\r\n"})
  void badPubArguments(String wire) {
    assertThat(parseAllWays(wire + "PING\r\n")).containsExactly("ERROR BAD_PUB_ARGS");
  }

  @Test
  void sizesFollowNatsServer() {
    // Up to 9 digits, leading zeros allowed.
    assertThat(parseAllWays("PUB a 000000001\r\nx\r\nHPUB b 00 001\r\ny\r\n"))
        .containsExactly("PUB a - hdr=-1 msg=x", "PUB b - hdr=0 msg=y");
    assertThat(NatsParser.parseSize(ascii("999999999"), 0, 9)).isEqualTo(999_999_999);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SUB foo\r\n", "SUB a b c d\r\n", "SUB \r\n", "SUB  \t \r\n"})
  void badSubArguments(String wire) {
    assertThat(parseAllWays(wire + "PING\r\n")).containsExactly("ERROR BAD_SUB_ARGS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UNSUB \r\n", "UNSUB 1 2 3\r\n", "UNSUB \t\r\n"})
  void badUnsubArguments(String wire) {
    assertThat(parseAllWays(wire + "PING\r\n")).containsExactly("ERROR BAD_UNSUB_ARGS");
  }

  @Test
  void unsubMaxThatDoesNotParseIsMinusOneAsInNatsServer() {
    assertThat(parseAllWays("UNSUB 1 abc\r\nUNSUB 2 0\r\nUNSUB 3 +5\r\nUNSUB 4 1234567890\r\n"))
        .containsExactly("UNSUB 1 -1", "UNSUB 2 0", "UNSUB 3 -1", "UNSUB 4 -1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PUB a 1\r\nxy\r\n", "PUB a 1\r\nx\n", "PUB a 1\r\nx\rx", "PUB a 0\r\nx\r\n",
      "PUB a 0\r\n\n", "HPUB a 0 1\r\nxx"})
  void payloadNotFollowedByCrLf(String wire) {
    assertThat(parseAllWays(wire + "PING\r\n")).containsExactly("ERROR BAD_PAYLOAD_TERMINATOR");
  }

  @Test
  void badTerminatorIsReportedBeforeTheLineFeedArrives() {
    assertThat(parseAllWays("PUB a 1\r\nxy")).containsExactly("ERROR BAD_PAYLOAD_TERMINATOR");
  }

  @Test
  void clientErrIsAnErrorAndOkIsIgnored() {
    assertThat(parseAllWays("+OK\r\n-ERR 'Unknown Protocol Operation'\r\nPING\r\n"))
        .containsExactly("OK", "ERROR CLIENT_ERR");
  }

  @Test
  void junkAfterPingPongAndOkIsIgnoredLikeNatsServer() {
    assertThat(parseAllWays("PINGxyz\r\nPINGPONG\r\nPONG  whatever\r\n+OKAY\r\nPING"
        + "x".repeat(3 * MCL) + "\r\n"))
        .containsExactly("PING", "PING", "PONG", "OK", "PING");
  }

  @Test
  void connectAndInfoNeedNoBlankAfterTheOpName() {
    assertThat(parseAllWays("CONNECT{\"a\":1}\r\nINFO{}\r\nCONNECT\t  {} \r\n"))
        .containsExactly("CONNECT {\"a\":1}", "INFO {}", "CONNECT {}");
  }

  @Test
  void firstArgumentByteIsNeverALineEndLikeNatsServer() {
    // nats-server starts the argument at the first non-blank byte, even CR or LF.
    assertThat(parseAllWays("PUB \nfoo 1\r\nx\r\nSUB \nfoo 1\r\nUNSUB \n1\r\nPING\r\n"))
        .containsExactly("PUB \\nfoo - hdr=-1 msg=x", "SUB foo - 1", "UNSUB 1 -1", "PING");
    assertThat(parseAllWays("CONNECT\n{}\r\n")).containsExactly("CONNECT {}");
    // "CONNECT\r\n": the CR is the argument, the LF ends it; the JSON line after is no op.
    assertThat(parseAllWays("CONNECT\r\n{}\r\n")).containsExactly("CONNECT ", "ERROR UNKNOWN_OP");
  }

  @Test
  void subjectsKeepBytesThatAreNotBlanks() {
    // nats-server splits PUB arguments on blanks only; a stray CR stays in the subject.
    assertThat(parseAllWays("PUB foo\r 1\r\nx\r\n")).containsExactly("PUB foo\\r - hdr=-1 msg=x");
  }

  @Test
  void unusualPubLinesInsideOneReadParseAsWhenSplit() {
    // A whole PUB inside a read takes a one-pass path; every shape it declines must still parse
    // exactly as the byte-at-a-time state machine parses it (parseAllWays compares the two).
    assertThat(parseAllWays("PUB a\u0001b 1\r\nx\r\n"
        + "PUB\ta\t\tr \t1 \t\r\ny\r\n"
        + "pub a 1\nz\r\n"
        + "hpub h 12 12\nNATS/1.0\r\n\r\n\r\n"
        + "PUB a\r\r 1\r\nw\r\n"
        + "PUB a r 0\r\n\r\n"
        + "PUB a 3\r\nab"))
        .containsExactly("PUB a\\x01b - hdr=-1 msg=x", "PUB a r hdr=-1 msg=y", "PUB a - hdr=-1 msg=z",
            "PUB h - hdr=12 msg=NATS/1.0\\r\\n\\r\\n", "PUB a\\r\\r - hdr=-1 msg=w",
            "PUB a r hdr=-1 msg=");
    assertThat(parseAllWays("PUB a 1\r\nxy\r\nPING\r\n")).containsExactly("ERROR BAD_PAYLOAD_TERMINATOR");
    assertThat(parseAllWays("PUB a b c d e 1\r\nx\r\n")).containsExactly("ERROR BAD_PUB_ARGS");
  }

  // ---- control line limit ----

  @ParameterizedTest
  @CsvSource({"SUB, ' 1', ''", "PUB, ' 0', '\\r\\n'", "HPUB, ' 0 0', '\\r\\n'", "UNSUB, '', ''",
      "CONNECT, '', ''", "INFO, '', ''", "-ERR, '', ''"})
  void controlLineAtTheLimitPassesAndOneByteMoreFails(String op, String argTail, String payload) {
    int mcl = 64;
    String terminator = payload.isEmpty() ? "" : "\r\n";
    String argAtLimit = "a".repeat(mcl - argTail.length()) + argTail;
    List<String> atLimit = ParserFeeder.parseAllWays(
        ascii(op + " " + argAtLimit + "\r\n" + terminator + "PING\r\n"), mcl, 1024, 50);
    assertThat(atLimit).isNotEmpty().doesNotContain("ERROR MAX_CONTROL_LINE");

    List<String> over = ParserFeeder.parseAllWays(
        ascii(op + " b" + argAtLimit + "\r\n" + terminator + "PING\r\n"), mcl, 1024, 50);
    assertThat(over).containsExactly("ERROR MAX_CONTROL_LINE");
  }

  @Test
  void limitCountsOnlyTheArgumentsNotOpNameBlanksOrCrLf() {
    int mcl = 10;
    // "foo.bar 12" is exactly 10 bytes; the op name and leading blanks do not count.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB \t   foo.bar 12\r\n"), mcl, 1024, 50))
        .containsExactly("SUB foo.bar - 12");
    // Trailing blanks do count.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB foo.bar 12 \r\n"), mcl, 1024, 50))
        .containsExactly("ERROR MAX_CONTROL_LINE");
    // A bare LF line may be as long as a CRLF one.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB foo.bar 12\n"), mcl, 1024, 50))
        .containsExactly("SUB foo.bar - 12");
  }

  @Test
  void overlongLineWithoutLineFeedFailsWithoutWaitingForIt() {
    int mcl = 32;
    // No LF ever arrives: the error must come from the length alone.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB " + "a".repeat(mcl + 1)), mcl, 1024, 50))
        .containsExactly("ERROR MAX_CONTROL_LINE");
    // Exactly at the limit it is still a line in progress.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB " + "a".repeat(mcl)), mcl, 1024, 50)).isEmpty();
    // A trailing CR is not counted: it may be the first half of CRLF.
    assertThat(ParserFeeder.parseAllWays(ascii("SUB " + "a".repeat(mcl) + "\r"), mcl, 1024, 50))
        .isEmpty();
    assertThat(ParserFeeder.parseAllWays(ascii("SUB " + "a".repeat(mcl) + "\r\n"), mcl, 1024, 50))
        .containsExactly("ERROR BAD_SUB_ARGS");
  }

  @Test
  void lineSpreadOverManyReadsFailsOnTheByteThatExceedsTheLimit() {
    int mcl = 100;
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, mcl, 1024);
    byte[] start = ascii("PUB ");
    parser.parse(start, 0, start.length);
    byte[] one = {'a'};
    for (int i = 0; i < mcl; i++) {
      parser.parse(one, 0, 1);
      assertThat(handler.records).as("after %d argument bytes", i + 1).isEmpty();
    }
    assertThat(parser.scratchCapacity()).isLessThanOrEqualTo(Math.max(256, 2 * mcl));
    parser.parse(one, 0, 1);
    assertThat(handler.records).containsExactly("ERROR MAX_CONTROL_LINE");
    assertThat(parser.failed()).isTrue();
    // The parser buffered at most the limit and ignores everything after the error.
    assertThat(parser.scratchCapacity()).isLessThanOrEqualTo(Math.max(256, 2 * mcl));
    byte[] more = ascii(" 1\r\nx\r\nPING\r\n");
    parser.parse(more, 0, more.length);
    assertThat(handler.records).containsExactly("ERROR MAX_CONTROL_LINE");
  }

  @Test
  void hugeLineInOneReadFailsWithoutBuffering() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, 1024, 1024);
    byte[] wire = ascii("SUB " + "a".repeat(60_000));
    parser.parse(wire, 0, wire.length);
    assertThat(handler.records).containsExactly("ERROR MAX_CONTROL_LINE");
    assertThat(parser.scratchCapacity()).isZero();
  }

  // ---- zero copy ----

  @Test
  void operationsInsideOneBufferAreHandedOutAsRangesOfThatBuffer() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, MCL, 1024);
    byte[] wire = ascii("CONNECT {}\r\nPUB a r 2\r\nhi\r\nHPUB h 12 12\r\nNATS/1.0\r\n\r\n\r\n"
        + "SUB a q 1\r\nUNSUB 1 2\r\nINFO {}\r\n");
    parser.parse(wire, 0, wire.length);
    assertThat(handler.records).hasSize(6);
    assertThat(handler.arrays).allSatisfy(array -> assertThat(array).isSameAs(wire));
    assertThat(parser.scratchCapacity()).isZero();
  }

  @Test
  void operationSplitAcrossReadsIsHandedOutFromScratch() {
    byte[] wire = ascii("PUB subject reply 5\r\nhello\r\nSUB a q 1\r\n");
    int pubLength = "PUB subject reply 5\r\nhello\r\n".length();
    // Split at every position inside the PUB: it must come from scratch, correct each time.
    for (int cut = 1; cut < pubLength; cut++) {
      RecordingHandler handler = new RecordingHandler();
      NatsParser parser = new NatsParser(handler, MCL, 1024);
      byte[] first = java.util.Arrays.copyOfRange(wire, 0, cut);
      byte[] second = java.util.Arrays.copyOfRange(wire, cut, wire.length);
      parser.parse(first, 0, first.length);
      assertThat(handler.records).as("cut %d", cut).isEmpty();
      parser.parse(second, 0, second.length);
      assertThat(handler.records).as("cut %d", cut)
          .containsExactly("PUB subject reply hdr=-1 msg=hello", "SUB a q 1");
      byte[] pubArray = handler.arrays.get(0);
      if (cut <= "PUB ".length()) {
        // Only the op name was split off; the control line and payload are in one buffer.
        assertThat(pubArray).as("cut %d", cut).isSameAs(second);
      } else {
        assertThat(pubArray).as("cut %d", cut).isNotSameAs(first).isNotSameAs(second);
      }
      // The SUB after it lies wholly in the second buffer: zero copy again.
      assertThat(handler.arrays.get(1)).as("cut %d", cut).isSameAs(second);
    }
  }

  @Test
  void largeScratchIsReleasedAfterItsOperation() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, MCL, 1 << 20);
    byte[] head = ascii("PUB a 500000\r\n");
    parser.parse(head, 0, head.length);
    byte[] body = new byte[500_000];
    parser.parse(body, 0, body.length);
    assertThat(parser.scratchCapacity()).isGreaterThanOrEqualTo(500_000);
    byte[] tail = ascii("\r\n");
    parser.parse(tail, 0, tail.length);
    assertThat(handler.records).hasSize(1);
    assertThat(parser.scratchCapacity()).isLessThanOrEqualTo(NatsParser.RETAINED_SCRATCH_BYTES);
  }

  // ---- lifecycle ----

  @Test
  void nothingIsReportedAfterAnError() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, MCL, 1024);
    byte[] wire = ascii("PING\r\nXPING\r\n");
    parser.parse(wire, 0, wire.length);
    byte[] more = ascii("PING\r\n");
    parser.parse(more, 0, more.length);
    assertThat(handler.records).containsExactly("PING", "ERROR UNKNOWN_OP");
    assertThat(parser.failed()).isTrue();
  }

  @Test
  void stopFromACallbackDropsTheRestOfTheBuffer() {
    RecordingHandler handler = new RecordingHandler();
    NatsParser parser = new NatsParser(handler, MCL, 1024);
    handler.stopAfterParser = parser;
    handler.stopAfter = 2;
    byte[] wire = ascii("PING\r\nSUB a 1\r\nPING\r\nPUB a 1\r\nx\r\n");
    parser.parse(wire, 0, wire.length);
    parser.parse(wire, 0, wire.length);
    assertThat(handler.records).containsExactly("PING", "SUB a - 1");
    assertThat(parser.failed()).isFalse();
  }

  @Test
  void rejectsNonPositiveControlLineLimit() {
    assertThatThrownBy(() -> new NatsParser(new RecordingHandler(), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mixedStreamOfManyOperationsParsesTheSameInEverySplit() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Random random = new Random(11);
    for (int i = 0; i < 300; i++) {
      switch (random.nextInt(6)) {
        case 0 -> {
          byte[] payload = new byte[random.nextInt(300)];
          random.nextBytes(payload);
          out.writeBytes(ascii("PUB s." + i + (i % 2 == 0 ? " r." + i : "") + " " + payload.length
              + "\r\n"));
          out.writeBytes(payload);
          out.writeBytes(ascii("\r\n"));
        }
        case 1 -> {
          String headers = "NATS/1.0\r\nK: " + i + "\r\n\r\n";
          out.writeBytes(ascii("HPUB h." + i + " " + headers.length() + " " + (headers.length() + 3)
              + "\r\n" + headers + "abc\r\n"));
        }
        case 2 -> out.writeBytes(ascii("SUB s.* q" + i + " " + i + "\r\n"));
        case 3 -> out.writeBytes(ascii("UNSUB " + i + " " + i + "\r\n"));
        case 4 -> out.writeBytes(ascii("PING\r\n"));
        default -> out.writeBytes(ascii("pong\n"));
      }
    }
    List<String> records = ParserFeeder.parseAllWays(out.toByteArray(),
        MCL, ParserFeeder.DEFAULT_MAX_PAYLOAD, 60);
    assertThat(records).hasSize(300).noneMatch(r -> r.startsWith("ERROR"));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
