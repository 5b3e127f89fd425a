package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The stream state machine over a memory store, including recovery into a fresh instance. */
class StreamTest {

  private static final long T0 = 1_700_000_000_000_000_000L;

  private static Stream stream(String json, StreamStore store) {
    StreamConfig cfg = StreamConfig.fromJson(new JsonObject(json)).withDefaults();
    cfg.validate();
    return new Stream("$G", 1, cfg, T0, store);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hdr(String key, String value) {
    return b("NATS/1.0\r\n" + key + ": " + value + "\r\n\r\n");
  }

  @Test
  void sequencesCountsAndFileSizes() {
    Stream s = stream("{\"name\":\"S\",\"subjects\":[\"foo.*\"]}", new MemoryStreamStore());
    assertThat(s.publish("foo.a", null, b("hello"), T0).seq()).isEqualTo(1);
    assertThat(s.publish("foo.a", hdr("Nats-Msg-Id", "1"), b("x"), T0).seq()).isEqualTo(2);
    assertThat(s.messages()).isEqualTo(2);
    // nats-server's file store sizes: 22+5+5+8 and 22+5+4+28+1+8
    assertThat(s.bytes()).isEqualTo(40 + 68);
  }

  @Test
  void deduplicatesWithinTheWindowOnly() {
    Stream s = stream("{\"name\":\"S\",\"duplicate_window\":1000}", new MemoryStreamStore());
    assertThat(s.publish("S", hdr("Nats-Msg-Id", "m"), b("1"), T0).duplicate()).isFalse();
    Stream.PublishResult dup = s.publish("S", hdr("Nats-Msg-Id", "m"), b("1"), T0 + 999);
    assertThat(dup.duplicate()).isTrue();
    assertThat(dup.seq()).isEqualTo(1);
    assertThat(s.publish("S", hdr("Nats-Msg-Id", "m"), b("1"), T0 + 1000).seq()).isEqualTo(2);
  }

  @Test
  void interiorDeletesAreCountedAndFirstSequenceSkipsThem() {
    Stream s = stream("{\"name\":\"S\"}", new MemoryStreamStore());
    for (int i = 0; i < 5; i++) {
      s.publish("S", null, b("m"), T0);
    }
    s.deleteMessage(2);
    s.deleteMessage(3);
    assertThat(s.stateJson(true, null).getJsonArray("deleted").getList()).containsExactly(2L, 3L);
    assertThatThrownBy(() -> s.deleteMessage(2)).isInstanceOf(JsException.class)
        .extracting(e -> ((JsException) e).error().errCode()).isEqualTo(10043);
    s.deleteMessage(1);
    JsonObject state = s.stateJson(false, null);
    assertThat(state.getLong("first_seq")).isEqualTo(4);
    assertThat(state.containsKey("num_deleted")).isFalse();
    // below the first sequence of a file stream nats-server reports a store error
    assertThatThrownBy(() -> s.deleteMessage(1)).isInstanceOf(JsException.class)
        .extracting(e -> ((JsException) e).error().errCode()).isEqualTo(10057);
  }

  @Test
  void maxAgeExpiresFromTheFront() {
    Stream s = stream("{\"name\":\"S\",\"max_age\":1000}", new MemoryStreamStore());
    s.publish("S", null, b("1"), T0);
    s.publish("S", null, b("2"), T0 + 500);
    assertThat(s.expire(T0 + 1000)).isEqualTo(1);
    assertThat(s.messages()).isEqualTo(1);
    assertThat(s.expire(T0 + 1500)).isEqualTo(1);
    assertThat(s.stateJson(false, null).getLong("first_seq")).isEqualTo(3);
  }

  @Test
  void recoveryRebuildsIndexesGapsAndDedupe() {
    MemoryStreamStore store = new MemoryStreamStore();
    Stream s = stream("{\"name\":\"S\",\"subjects\":[\"k.*\"]}", store);
    s.publish("k.a", hdr("Nats-Msg-Id", "x"), b("1"), T0);
    s.publish("k.b", null, b("2"), T0);
    s.publish("k.a", null, b("3"), T0);
    s.publish("k.c", null, b("4"), T0);
    s.deleteMessage(2);
    s.deleteMessage(4);

    Stream again = stream("{\"name\":\"S\",\"subjects\":[\"k.*\"]}", store);
    again.recover(4, T0, T0 + 1);
    assertThat(again.messages()).isEqualTo(2);
    assertThat(again.bytes()).isEqualTo(s.bytes());
    JsonObject state = again.stateJson(true, "k.*");
    assertThat(state.getLong("first_seq")).isEqualTo(1);
    assertThat(state.getLong("last_seq")).isEqualTo(4);
    assertThat(state.getJsonArray("deleted").getList()).containsExactly(2L, 4L);
    assertThat(state.getJsonObject("subjects").getLong("k.a")).isEqualTo(2);
    assertThat(again.publish("k.a", hdr("Nats-Msg-Id", "x"), b("1"), T0 + 2).duplicate()).isTrue();
    assertThat(again.publish("k.z", null, b("5"), T0 + 2).seq()).isEqualTo(5);
  }

  @Test
  void configDefaultsAndValidationMatchNatsServer() {
    StreamConfig c = StreamConfig.fromJson(new JsonObject("{\"name\":\"X\",\"max_age\":60000000000}")).withDefaults();
    assertThat(c.subjects()).containsExactly("X");
    assertThat(c.duplicateWindow()).isEqualTo(60_000_000_000L);
    assertThat(c.maxMsgs()).isEqualTo(-1);
    assertThatThrownBy(() -> StreamConfig.fromJson(new JsonObject("{\"name\":\"X\",\"storage\":\"tape\"}")))
        .isInstanceOf(JsException.class);
    assertThatThrownBy(() -> StreamConfig.fromJson(new JsonObject("{\"name\":\"X\",\"subjects\":[\"a\",\"a\"]}"))
        .withDefaults().validate()).hasMessage("duplicate subjects detected");
  }

  @Test
  void subjectOverlapAndTimes() {
    assertThat(SubjectOverlap.overlaps("a.>", "a.b.c")).isTrue();
    assertThat(SubjectOverlap.overlaps("*.b", "a.*")).isTrue();
    assertThat(SubjectOverlap.overlaps("a.b", "a.c")).isFalse();
    assertThat(SubjectOverlap.overlaps("a.*", "a.b.c")).isFalse();
    assertThat(Rfc3339.format(0)).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(Rfc3339.format(1_700_000_000_120_000_000L)).isEqualTo("2023-11-14T22:13:20.12Z");
  }
}
