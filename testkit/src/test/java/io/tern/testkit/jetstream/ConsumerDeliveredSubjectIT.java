package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consumer's deliveries travel to its inbox but show the subject the message was stored with,
 * as nats-server's do; KV keys and history read the key from it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerDeliveredSubjectIT extends JetStreamClientTest {

  private void fill() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("DS").subjects("ds.>").build());
    js.publish("ds.a", bytes("1"));
    js.publish("ds.b.c", bytes("2"));
  }

  @Test
  void pushDeliveriesShowTheStoredSubject() throws Exception {
    fill();
    JetStreamSubscription sub = js.subscribe("ds.>", PushSubscribeOptions.builder().ordered(true).build());
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m).as("delivery %d", i).isNotNull();
      subjects.add(m.getSubject());
    }
    assertThat(subjects).containsExactly("ds.a", "ds.b.c");
  }

  @Test
  void pullDeliveriesShowTheStoredSubject() throws Exception {
    fill();
    JetStreamSubscription sub = js.subscribe("ds.b.>", PullSubscribeOptions.builder().durable("p").build());
    List<Message> got = sub.fetch(1, Duration.ofSeconds(5));
    assertThat(got).extracting(Message::getSubject).containsExactly("ds.b.c");
    assertThat(got.get(0).getReplyTo()).startsWith("$JS.ACK.DS.p.");
  }

  @Test
  void aPlainSubscriberOnTheDeliverSubjectSeesTheStoredSubjectToo() throws Exception {
    fill();
    Subscription inbox = nc.subscribe("deliver.here");
    nc.flush(Duration.ofSeconds(5));
    jsm.addOrUpdateConsumer("DS", io.nats.client.api.ConsumerConfiguration.builder().durable("raw")
        .deliverSubject("deliver.here").filterSubject("ds.a").build());
    Message m = inbox.nextMessage(Duration.ofSeconds(5));
    assertThat(m).isNotNull();
    assertThat(m.getSubject()).isEqualTo("ds.a");
    assertThat(m.getSubscription()).isSameAs(inbox);
  }
}
