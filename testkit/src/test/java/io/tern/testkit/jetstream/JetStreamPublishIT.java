package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JetStream publish: PubAcks, deduplication, expected-* headers, limits, rollups, sealing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamPublishIT extends JetStreamClientTest {

  private StreamInfo info(String name) throws Exception {
    return jsm.getStreamInfo(name);
  }

  @Test
  void publishIsAcknowledgedWithStreamAndSequence() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("P").subjects("p.>").build());
    PublishAck a1 = js.publish("p.one", bytes("1"));
    PublishAck a2 = js.publish("p.two", bytes("2"));
    assertThat(a1.getStream()).isEqualTo("P");
    assertThat(a1.getSeqno()).isEqualTo(1);
    assertThat(a2.getSeqno()).isEqualTo(2);
    assertThat(a1.isDuplicate()).isFalse();
    StreamInfo si = info("P");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(2);
    assertThat(si.getStreamState().getByteCount()).isEqualTo(2 * (22 + 5 + 1 + 8));
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(1);
    assertThat(si.getStreamState().getLastSequence()).isEqualTo(2);
  }

  @Test
  void asyncPublishesAreAllAcknowledgedInOrder() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("A").subjects("a").build());
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      acks.add(js.publishAsync("a", bytes("m" + i)));
    }
    for (int i = 0; i < acks.size(); i++) {
      assertThat(acks.get(i).get(30, TimeUnit.SECONDS).getSeqno()).isEqualTo(i + 1);
    }
    assertThat(info("A").getStreamState().getMsgCount()).isEqualTo(2000);
  }

  @Test
  void aPublishToASubjectWithoutAStreamFailsWithNoResponders() {
    assertThatThrownBy(() -> js.publish("nowhere", bytes("x"))).satisfies(e ->
        assertThat(e.toString()).containsAnyOf("503", "No Responders", "no responders"));
  }

  @Test
  void duplicatesWithinTheWindowAreAcknowledgedButNotStored() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("D").subjects("d").build());
    PublishAck first = js.publish("d", bytes("x"), PublishOptions.builder().messageId("id-1").build());
    PublishAck again = js.publish("d", bytes("x"), PublishOptions.builder().messageId("id-1").build());
    PublishAck other = js.publish("d", bytes("y"), PublishOptions.builder().messageId("id-2").build());
    assertThat(first.isDuplicate()).isFalse();
    assertThat(again.isDuplicate()).isTrue();
    assertThat(again.getSeqno()).isEqualTo(first.getSeqno());
    assertThat(other.getSeqno()).isEqualTo(2);
    assertThat(info("D").getStreamState().getMsgCount()).isEqualTo(2);
  }

  @Test
  void duplicatesAreForgottenAfterTheWindow() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("W").subjects("w")
        .duplicateWindow(Duration.ofMillis(300)).build());
    js.publish("w", bytes("x"), PublishOptions.builder().messageId("same").build());
    Thread.sleep(700);
    PublishAck later = js.publish("w", bytes("x"), PublishOptions.builder().messageId("same").build());
    assertThat(later.isDuplicate()).isFalse();
    assertThat(later.getSeqno()).isEqualTo(2);
  }

  @Test
  void expectedStreamMismatchIs10060() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("E").subjects("e").build());
    assertThatThrownBy(() -> js.publish("e", bytes("x"), PublishOptions.builder().expectedStream("OTHER").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10060));
    assertThat(js.publish("e", bytes("x"), PublishOptions.builder().expectedStream("E").build()).getSeqno())
        .isEqualTo(1);
  }

  @Test
  void expectedLastSequenceAndLastSubjectSequenceAre10071() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("L").subjects("l.*").build());
    js.publish("l.a", bytes("1"));
    js.publish("l.b", bytes("2"));
    assertThatThrownBy(() -> js.publish("l.a", bytes("x"), PublishOptions.builder().expectedLastSequence(1).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071))
        .hasMessageContaining("wrong last sequence: 2");
    assertThat(js.publish("l.a", bytes("x"), PublishOptions.builder().expectedLastSequence(2).build()).getSeqno())
        .isEqualTo(3);
    assertThatThrownBy(() -> js.publish("l.b", bytes("x"),
        PublishOptions.builder().expectedLastSubjectSequence(3).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071))
        .hasMessageContaining("wrong last sequence: 2");
    assertThat(js.publish("l.b", bytes("x"), PublishOptions.builder().expectedLastSubjectSequence(2).build())
        .getSeqno()).isEqualTo(4);
    // 0 means "no message on this subject yet", as KV create uses it
    assertThat(js.publish("l.c", bytes("x"), PublishOptions.builder().expectedLastSubjectSequence(0).build())
        .getSeqno()).isEqualTo(5);
  }

  @Test
  void expectedLastMsgIdMismatchIs10070() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("M").subjects("m").build());
    js.publish("m", bytes("1"), PublishOptions.builder().messageId("first").build());
    assertThatThrownBy(() -> js.publish("m", bytes("2"), PublishOptions.builder().expectedLastMsgId("zzz").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10070))
        .hasMessageContaining("wrong last msg ID: first");
    assertThat(js.publish("m", bytes("2"), PublishOptions.builder().expectedLastMsgId("first").build()).getSeqno())
        .isEqualTo(2);
  }

  @Test
  void messagesAboveMaxMsgSizeAre10054() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("S").subjects("s").maximumMessageSize(10).build());
    assertThat(js.publish("s", bytes("0123456789")).getSeqno()).isEqualTo(1);
    assertThatThrownBy(() -> js.publish("s", bytes("0123456789A")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10054));
  }

  @Test
  void maxMsgsDiscardsOldest() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("O").subjects("o").maxMessages(3).build());
    for (int i = 1; i <= 5; i++) {
      js.publish("o", bytes("m" + i));
    }
    StreamInfo si = info("O");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(3);
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(3);
    assertThat(si.getStreamState().getLastSequence()).isEqualTo(5);
  }

  @Test
  void maxMsgsWithDiscardNewRefusesWith10077() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("N").subjects("n").maxMessages(2)
        .discardPolicy(DiscardPolicy.New).build());
    js.publish("n", bytes("1"));
    js.publish("n", bytes("2"));
    assertThatThrownBy(() -> js.publish("n", bytes("3")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10077))
        .hasMessageContaining("maximum messages exceeded");
  }

  @Test
  void maxBytesDiscardsOldestOrRefusesNew() throws Exception {
    // every message here is 22 + 2 + 1 + 8 = 33 bytes as the file store counts it
    jsm.addStream(StreamConfiguration.builder().name("B1").subjects("b1").maxBytes(100).build());
    for (int i = 0; i < 5; i++) {
      js.publish("b1", bytes("x"));
    }
    assertThat(info("B1").getStreamState().getMsgCount()).isEqualTo(3);
    assertThat(info("B1").getStreamState().getByteCount()).isEqualTo(99);
    jsm.addStream(StreamConfiguration.builder().name("B2").subjects("b2").maxBytes(100)
        .discardPolicy(DiscardPolicy.New).build());
    for (int i = 0; i < 3; i++) {
      js.publish("b2", bytes("x"));
    }
    assertThatThrownBy(() -> js.publish("b2", bytes("x")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10077))
        .hasMessageContaining("maximum bytes exceeded");
  }

  @Test
  void maxMsgsPerSubjectKeepsTheNewestPerSubject() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("K").subjects("k.*").maxMessagesPerSubject(2).build());
    for (int i = 0; i < 5; i++) {
      js.publish("k.a", bytes("a" + i));
      js.publish("k.b", bytes("b" + i));
    }
    StreamInfo si = info("K");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(4);
    assertThat(new String(jsm.getLastMessage("K", "k.a").getData(), StandardCharsets.UTF_8)).isEqualTo("a4");
    assertThat(jsm.getMessage("K", 7).getSubject()).isEqualTo("k.a");
  }

  @Test
  void discardNewPerSubjectRefusesTheSubjectOnly() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("DN").subjects("dn.*").maxMessagesPerSubject(1)
        .discardPolicy(DiscardPolicy.New).discardNewPerSubject(true).build());
    js.publish("dn.a", bytes("1"));
    assertThatThrownBy(() -> js.publish("dn.a", bytes("2")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10077))
        .hasMessageContaining("maximum messages per subject exceeded");
    assertThat(js.publish("dn.b", bytes("2")).getSeqno()).isEqualTo(2);
  }

  @Test
  void maxAgeExpiresMessagesByTimer() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("AGE").subjects("age").maxAge(Duration.ofMillis(500))
        .storageType(StorageType.Memory).build());
    js.publish("age", bytes("old"));
    assertThat(info("AGE").getStreamState().getMsgCount()).isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (info("AGE").getStreamState().getMsgCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    StreamInfo si = info("AGE");
    assertThat(si.getStreamState().getMsgCount()).isZero();
    assertThat(si.getStreamState().getLastSequence()).isEqualTo(1);
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(2);
  }

  @Test
  void rollupNeedsAllowRollupAndReplacesSubjectOrStream() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("NR").subjects("nr").build());
    Headers h = new Headers().add("Nats-Rollup", "sub");
    assertThatThrownBy(() -> js.publish(NatsMessage.builder().subject("nr").headers(h).data(bytes("x")).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10111));

    jsm.addStream(StreamConfiguration.builder().name("R").subjects("r.*").allowRollup(true).build());
    js.publish("r.a", bytes("1"));
    js.publish("r.a", bytes("2"));
    js.publish("r.b", bytes("3"));
    js.publish(NatsMessage.builder().subject("r.a").headers(new Headers().add("Nats-Rollup", "sub"))
        .data(bytes("4")).build());
    StreamInfo si = info("R");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(2);
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(3);
    js.publish(NatsMessage.builder().subject("r.c").headers(new Headers().add("Nats-Rollup", "all"))
        .data(bytes("5")).build());
    si = info("R");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(1);
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(5);
  }

  @Test
  void aSealedStreamRefusesPublishesWith10109() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("SEAL").subjects("seal").build());
    js.publish("seal", bytes("1"));
    StreamInfo si = jsm.updateStream(StreamConfiguration.builder().name("SEAL").subjects("seal").seal().build());
    assertThat(si.getConfiguration().getSealed()).isTrue();
    assertThat(si.getConfiguration().getDenyDelete()).isTrue();
    assertThat(si.getConfiguration().getDenyPurge()).isTrue();
    assertThatThrownBy(() -> js.publish("seal", bytes("2")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10109));
    assertThatThrownBy(() -> jsm.purgeStream("SEAL"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10109));
  }

  @Test
  void headersAreStoredWithTheMessage() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("H").subjects("h").build());
    js.publish(NatsMessage.builder().subject("h").headers(new Headers().add("X-Key", "v1", "v2"))
        .data(bytes("body")).build());
    var mi = jsm.getMessage("H", 1);
    assertThat(mi.getHeaders().get("X-Key")).containsExactly("v1", "v2");
    assertThat(new String(mi.getData(), StandardCharsets.UTF_8)).isEqualTo("body");
  }

  @Test
  void corePublishWithoutReplyIsStoredSilently() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("C").subjects("c").build());
    nc.publish("c", bytes("fire and forget"));
    Message m = nc.request("c", bytes("with reply"), Duration.ofSeconds(5));
    assertThat(new String(m.getData(), StandardCharsets.UTF_8)).contains("\"seq\":2");
    assertThat(info("C").getStreamState().getMsgCount()).isEqualTo(2);
  }
}
