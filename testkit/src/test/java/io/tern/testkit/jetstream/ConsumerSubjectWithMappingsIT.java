package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Brokers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With subject mappings in the global account (publishes take the account-rules path), consumer
 * deliveries still show the stored message's subject, not the deliver subject.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerSubjectWithMappingsIT extends JetStreamClientTest {

  @BeforeEach
  @Override
  void start() throws Exception {
    broker = Brokers.start(JsBroker.config(store) + "mappings { \"unrelated.a\": \"unrelated.b\" }\n");
    nc = JsBroker.connect(broker);
    jsm = nc.jetStreamManagement();
    js = nc.jetStream();
    jsm.addStream(StreamConfiguration.builder().name("MS").subjects("ms.>").build());
    js.publish("ms.a", bytes("1"));
    js.publish("ms.b.c", bytes("2"));
  }

  @Test
  void pullDeliveriesShowTheStoredSubject() throws Exception {
    JetStreamSubscription sub = js.subscribe("ms.>", PullSubscribeOptions.builder().durable("p").build());
    List<Message> got = sub.fetch(2, Duration.ofSeconds(5));
    assertThat(got).extracting(Message::getSubject).containsExactly("ms.a", "ms.b.c");
  }

  @Test
  void pushDeliveriesShowTheStoredSubject() throws Exception {
    JetStreamSubscription sub = js.subscribe("ms.>", PushSubscribeOptions.builder().ordered(true).build());
    Message first = sub.nextMessage(Duration.ofSeconds(5));
    Message second = sub.nextMessage(Duration.ofSeconds(5));
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(List.of(first.getSubject(), second.getSubject())).containsExactly("ms.a", "ms.b.c");
  }
}
