package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Work-queue and interest retention: what acknowledgements remove, and which consumers a work queue refuses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamRetentionIT extends JetStreamClientTest {

  private JetStreamSubscription bind(String stream, String durable) throws Exception {
    return js.subscribe(null, PullSubscribeOptions.bind(stream, durable));
  }

  private long messages(String stream) throws Exception {
    return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
  }

  /** Waits (bounded) until the stream holds {@code n} messages; returns what it holds. */
  private long awaitMessages(String stream, long n) throws Exception {
    long m = messages(stream);
    for (int i = 0; i < 50 && m != n; i++) {
      Thread.sleep(50);
      m = messages(stream);
    }
    return m;
  }

  @Test
  void workQueueRefusesOverlappingConsumersAsNatsServer() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("w.>").retentionPolicy(RetentionPolicy.WorkQueue)
        .build());
    jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("A").filterSubject("w.a")
        .ackPolicy(AckPolicy.Explicit).build());
    assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("B")
        .ackPolicy(AckPolicy.Explicit).build())).satisfies(e -> assertThat(apiError(e)).isEqualTo(10099));
    assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("C")
        .filterSubject("w.*").ackPolicy(AckPolicy.Explicit).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10100));
    assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("D")
        .filterSubject("w.d").deliverPolicy(DeliverPolicy.Last).ackPolicy(AckPolicy.Explicit).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10101));
    assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("E")
        .filterSubject("w.e").ackPolicy(AckPolicy.None).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10084));
    assertThatThrownBy(() -> jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("F")
        .filterSubject("w.f").ackPolicy(AckPolicy.All).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10098));
    jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("G").filterSubject("w.g")
        .ackPolicy(AckPolicy.Explicit).build());
    assertThat(jsm.getConsumerNames("WQ")).containsExactly("A", "G");
  }

  @Test
  void workQueueForgetsAMessageOnceAcknowledged() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("w.>").retentionPolicy(RetentionPolicy.WorkQueue)
        .build());
    for (int i = 0; i < 5; i++) {
      js.publish("w.x", bytes("m" + i));
    }
    jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("A").ackPolicy(AckPolicy.Explicit).build());
    List<Message> got = bind("WQ", "A").fetch(5, Duration.ofSeconds(3));
    assertThat(got).hasSize(5);
    for (int i = 0; i < 3; i++) {
      got.get(i).ackSync(Duration.ofSeconds(5));
    }
    assertThat(messages("WQ")).isEqualTo(2);
    assertThat(jsm.getStreamInfo("WQ").getStreamState().getFirstSequence()).isEqualTo(4);
    got.get(4).ackSync(Duration.ofSeconds(5));
    assertThat(messages("WQ")).isEqualTo(1);
  }

  @Test
  void interestStreamKeepsAMessageUntilEveryConsumerAcknowledged() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("IN").subjects("n.*").retentionPolicy(RetentionPolicy.Interest)
        .build());
    // nobody is interested yet: the sequence moves on, nothing is kept
    assertThat(js.publish("n.a", bytes("lost")).getSeqno()).isEqualTo(1);
    assertThat(messages("IN")).isZero();
    jsm.addOrUpdateConsumer("IN", ConsumerConfiguration.builder().durable("A").ackPolicy(AckPolicy.Explicit).build());
    jsm.addOrUpdateConsumer("IN", ConsumerConfiguration.builder().durable("B").ackPolicy(AckPolicy.Explicit).build());
    jsm.addOrUpdateConsumer("IN", ConsumerConfiguration.builder().durable("C").filterSubject("n.c")
        .ackPolicy(AckPolicy.Explicit).build());
    js.publish("n.a", bytes("one"));
    js.publish("n.a", bytes("two"));
    assertThat(messages("IN")).isEqualTo(2);
    List<Message> a = bind("IN", "A").fetch(2, Duration.ofSeconds(3));
    a.get(0).ackSync(Duration.ofSeconds(5));
    a.get(1).ackSync(Duration.ofSeconds(5));
    assertThat(messages("IN")).isEqualTo(2);
    List<Message> b = bind("IN", "B").fetch(2, Duration.ofSeconds(3));
    b.get(0).ackSync(Duration.ofSeconds(5));
    assertThat(messages("IN")).isEqualTo(1);
    // deleting B leaves nobody needing the second message
    jsm.deleteConsumer("IN", "B");
    assertThat(awaitMessages("IN", 0)).isZero();
  }
}
