package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.common.protocol.NatsHeaders;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consumer state machine over a memory stream, with a host that records what it sends. */
class ConsumerTest {

  /** What a consumer sent, in order. */
  private static final class Recorder implements ConsumerHost {
    record Sent(String subject, String shown, String reply, byte[] headers, byte[] payload) {
      String text() {
        return new String(payload, StandardCharsets.UTF_8);
      }

      int status() {
        return headers == null ? 0 : NatsHeaders.parse(headers).statusCode();
      }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Consumer> pumps = new ArrayList<>();

    @Override
    public void deliver(String subject, String shownSubject, String reply, byte[] headers, byte[] payload) {
      sent.add(new Sent(subject, shownSubject, reply, headers, payload));
    }

    @Override
    public void publish(String subject, String reply, byte[] headers, byte[] payload) {
      sent.add(new Sent(subject, null, reply, headers, payload));
    }

    @Override
    public void afterCommit(Runnable action) {
      action.run();
    }

    @Override
    public void schedulePump(Consumer consumer) {
      pumps.add(consumer);
    }

    @Override
    public void stateChanged(Consumer consumer) {
    }

    final List<Consumer> expired = new ArrayList<>();

    @Override
    public void expired(Consumer consumer) {
      expired.add(consumer);
    }

    void runPumps() {
      while (!pumps.isEmpty()) {
        pumps.remove(0).pump();
      }
    }
  }

  private final Recorder host = new Recorder();

  private Stream stream(int messages) {
    StreamConfig cfg = StreamConfig.fromJson(new JsonObject("{\"name\":\"S\",\"subjects\":[\"s.*\"]}")).withDefaults();
    Stream s = new Stream("$G", 1, cfg, 1, new MemoryStreamStore());
    for (int i = 1; i <= messages; i++) {
      s.publish(i % 2 == 0 ? "s.even" : "s.odd", null, ("m" + i).getBytes(StandardCharsets.UTF_8), i);
    }
    return s;
  }

  private Consumer consumer(Stream s, String json) {
    ConsumerConfig cfg = ConsumerConfig.fromJson(new JsonObject(json)).withDefaults();
    cfg.validate(s.config());
    Consumer c = new Consumer(s, "C", cfg, 1, host);
    c.selectStart();
    s.consumers().put("C", c);
    return c;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pullDeliversInOrderWithAckRepliesAndPending() {
    Stream s = stream(3);
    Consumer c = consumer(s, "{\"durable_name\":\"C\",\"ack_policy\":\"explicit\"}");
    c.onNextRequest("inbox", b("2"));
    assertThat(host.sent).extracting(Recorder.Sent::text).containsExactly("m1", "m2");
    assertThat(host.sent.get(0).subject()).isEqualTo("inbox");
    assertThat(host.sent.get(0).shown()).isEqualTo("s.odd");
    AckReply a = AckReply.parse(host.sent.get(1).reply());
    assertThat(a).isEqualTo(new AckReply("S", "C", 1, 2, 2, 2, 1));
    assertThat(c.info(new JsonObject()).getInteger("num_ack_pending")).isEqualTo(2);
  }

  @Test
  void filteredConsumerSkipsOtherSubjectsAndCountsOnlyItsOwn() {
    Stream s = stream(6);
    Consumer c = consumer(s, "{\"durable_name\":\"C\",\"filter_subject\":\"s.even\"}");
    assertThat(c.numPending()).isEqualTo(3);
    c.onNextRequest("inbox", b("10"));
    assertThat(host.sent).extracting(Recorder.Sent::text).startsWith("m2", "m4", "m6");
    s.publish("s.even", null, b("m7"), 7);
    host.runPumps();
    assertThat(host.sent).extracting(Recorder.Sent::text).contains("m7");
  }

  @Test
  void nakQueuesARedeliveryWithACountedDelivery() {
    Stream s = stream(2);
    Consumer c = consumer(s, "{\"durable_name\":\"C\",\"ack_policy\":\"explicit\"}");
    c.onNextRequest("inbox", b("1"));
    AckReply first = AckReply.parse(host.sent.get(0).reply());
    c.onAck(first, b("-NAK"), null);
    host.sent.clear();
    c.onNextRequest("inbox", b("1"));
    Recorder.Sent again = host.sent.stream().filter(x -> x.subject().equals("inbox")).findFirst().orElseThrow();
    assertThat(again.text()).isEqualTo("m1");
    assertThat(AckReply.parse(again.reply()).deliveries()).isEqualTo(2);
  }

  @Test
  void aBouncedPushDeliveryIsSentAgainWhenSomebodyListens() {
    Stream s = stream(3);
    Consumer c = consumer(s, "{\"deliver_subject\":\"d\",\"ack_policy\":\"none\"}");
    c.pump();
    assertThat(host.sent).extracting(Recorder.Sent::text).containsExactly("m1", "m2", "m3");
    // nobody got m2 and m3: the consumer goes back to m2 and stops pushing
    c.onBounce(AckReply.parse(host.sent.get(1).reply()));
    c.onBounce(AckReply.parse(host.sent.get(2).reply()));
    assertThat(c.info(new JsonObject()).getJsonObject("delivered").getLong("stream_seq")).isEqualTo(1);
    assertThat(c.numPending()).isEqualTo(2);
    host.sent.clear();
    c.pump();
    assertThat(host.sent).isEmpty();
  }

  @Test
  void lostInterestStartsTheInactivityClockWithNothingToDeliver() {
    Stream s = stream(0);
    Consumer c = consumer(s, "{\"deliver_subject\":\"d\",\"inactive_threshold\":1000000000}");
    long later = Rfc3339.nowNanos() + 2_000_000_000L;
    c.tick(later);
    assertThat(host.expired).isEmpty();
    assertThat(c.pushBound()).isFalse();
    c.onInterest(true);
    assertThat(c.pushBound()).isTrue();
    assertThat(c.info(new JsonObject()).getBoolean("push_bound")).isTrue();
    c.onInterest(false);
    assertThat(c.pushBound()).isFalse();
    assertThat(c.info(new JsonObject()).containsKey("push_bound")).isFalse();
    c.tick(later);
    assertThat(host.expired).containsExactly(c);
    host.pumps.clear();
    c.onInterest(true);
    assertThat(host.pumps).containsExactly(c);
  }

  @Test
  void ackAllMovesTheFloorOverEverythingBelow() {
    Stream s = stream(4);
    Consumer c = consumer(s, "{\"durable_name\":\"C\",\"ack_policy\":\"all\"}");
    c.onNextRequest("inbox", b("4"));
    c.onAck(AckReply.parse(host.sent.get(2).reply()), b("+ACK"), null);
    JsonObject info = c.info(new JsonObject());
    assertThat(info.getJsonObject("ack_floor").getLong("stream_seq")).isEqualTo(3);
    assertThat(info.getInteger("num_ack_pending")).isEqualTo(1);
  }

  @Test
  void pullStatusesForPushConsumersAndEmptyStreams() {
    Stream s = stream(0);
    Consumer pull = consumer(s, "{\"durable_name\":\"C\"}");
    pull.onNextRequest("inbox", b("{\"batch\":1,\"no_wait\":true}"));
    assertThat(host.sent.get(0).status()).isEqualTo(404);
    pull.onNextRequest("inbox", b("{\"batch\":1,\"expires\":1,\"idle_heartbeat\":1}"));
    assertThat(host.sent.get(1).status()).isEqualTo(400);
  }

  @Test
  void stateRoundTripsThroughItsRecord() {
    Stream s = stream(5);
    Consumer c = consumer(s, "{\"durable_name\":\"C\",\"ack_policy\":\"explicit\"}");
    c.onNextRequest("inbox", b("3"));
    c.onAck(AckReply.parse(host.sent.get(0).reply()), b(""), null);
    Consumer copy = new Consumer(s, "C", c.config(), 1, host);
    copy.selectStart();
    copy.restoreState(c.encodeState());
    JsonObject a = c.info(new JsonObject());
    JsonObject b = copy.info(new JsonObject());
    assertThat(b.getJsonObject("ack_floor")).isEqualTo(a.getJsonObject("ack_floor"));
    assertThat(b.getInteger("num_ack_pending")).isEqualTo(2);
    assertThat(b.getLong("num_pending")).isEqualTo(2);
  }

  @Test
  void configDefaultsValidationAndUpdates() {
    Stream s = stream(0);
    ConsumerConfig eph = ConsumerConfig.fromJson(new JsonObject("{\"deliver_subject\":\"x\"}")).withDefaults();
    assertThat(eph.toJson().encode()).isEqualTo("{\"deliver_policy\":\"all\",\"ack_policy\":\"none\","
        + "\"max_deliver\":-1,\"replay_policy\":\"instant\",\"deliver_subject\":\"x\","
        + "\"inactive_threshold\":5000000000,\"num_replicas\":0}");
    ConsumerConfig bad = ConsumerConfig.fromJson(new JsonObject("{\"durable_name\":\"a\",\"max_ack_pending\":5,"
        + "\"deliver_subject\":\"x\"}")).withDefaults();
    assertThatThrownBy(() -> bad.validate(s.config())).isInstanceOf(JsException.class)
        .extracting(e -> ((JsException) e).error().errCode()).isEqualTo(10082);
    assertThatThrownBy(() -> ConsumerConfig.fromJson(new JsonObject("{\"ack_policy\":\"sometimes\"}")))
        .extracting(e -> ((JsException) e).error().errCode()).isEqualTo(10025);
    assertThatThrownBy(() -> ConsumerConfig.checkName("a.b"))
        .extracting(e -> ((JsException) e).error().errCode()).isEqualTo(10103);
    ConsumerConfig pull = ConsumerConfig.fromJson(new JsonObject("{\"durable_name\":\"a\"}")).withDefaults();
    ConsumerConfig push = ConsumerConfig.fromJson(new JsonObject("{\"durable_name\":\"a\",\"deliver_subject\":\"x\"}"))
        .withDefaults();
    assertThatThrownBy(() -> pull.checkUpdate(push, false))
        .extracting(e -> ((JsException) e).error().description()).isEqualTo("max waiting can not be updated");
  }

  @Test
  void goDurationsParseAndPrintAsGo() {
    assertThat(GoDuration.parse("1.5s")).isEqualTo(1_500_000_000L);
    assertThat(GoDuration.parse("2m30s")).isEqualTo(150_000_000_000L);
    assertThat(GoDuration.parse("300ms")).isEqualTo(300_000_000L);
    assertThat(GoDuration.format(2_000_000_000L)).isEqualTo("2s");
    assertThat(GoDuration.format(120_000_000_000L)).isEqualTo("2m0s");
    assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(GoDuration.format(250_000_000L)).isEqualTo("250ms");
    assertThatThrownBy(() -> GoDuration.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subsetMatchesAsNatsServer() {
    assertThat(SubjectOverlap.isSubset("$KV.b.>", "$KV.b.>")).isTrue();
    assertThat(SubjectOverlap.isSubset("foo.*", "foo.>")).isTrue();
    assertThat(SubjectOverlap.isSubset("foo.>", "foo.*")).isFalse();
    assertThat(SubjectOverlap.isSubset("foo.a", "foo.*")).isTrue();
    assertThat(SubjectOverlap.isSubset("foo", "foo.>")).isFalse();
  }
}
