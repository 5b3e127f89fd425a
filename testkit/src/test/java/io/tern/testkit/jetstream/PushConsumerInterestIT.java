package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A push consumer follows interest on its deliver subject without having to deliver anything: an
 * ephemeral one whose subscriber left expires after its inactive threshold, and push_bound follows
 * the subscriber.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PushConsumerInterestIT extends JetStreamClientTest {

  private void stream(String name, String subjects) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(StorageType.Memory)
        .build());
  }

  @Test
  void idleEphemeralPushConsumerGoesAwayAfterItsSubscriberLeaves() throws Exception {
    stream("IE", "ie.*");
    JetStreamSubscription sub = js.subscribe("ie.*", PushSubscribeOptions.builder().configuration(
        ConsumerConfiguration.builder().inactiveThreshold(Duration.ofMillis(500)).build()).build());
    String name = sub.getConsumerInfo().getName();
    // While somebody listens, the consumer stays although it has nothing to deliver.
    Thread.sleep(1500);
    assertThat(jsm.getConsumerNames("IE")).containsExactly(name);
    sub.unsubscribe();
    nc.flush(Duration.ofSeconds(2));
    List<String> names = jsm.getConsumerNames("IE");
    for (int i = 0; i < 100 && !names.isEmpty(); i++) {
      Thread.sleep(100); // no publishes: only the lost interest can tell the consumer it is alone
      names = jsm.getConsumerNames("IE");
    }
    assertThat(names).isEmpty();
  }

  @Test
  void pushBoundFollowsTheDeliverSubjectsSubscriber() throws Exception {
    stream("PB", "pb.*");
    Subscription inbox = nc.subscribe("deliver.pb");
    nc.flush(Duration.ofSeconds(2));
    jsm.addOrUpdateConsumer("PB", ConsumerConfiguration.builder().durable("bound")
        .deliverSubject("deliver.pb").build());
    assertThat(awaitPushBound("PB", "bound", true)).isTrue();
    inbox.unsubscribe();
    nc.flush(Duration.ofSeconds(2));
    assertThat(awaitPushBound("PB", "bound", false)).isFalse();
    Subscription again = nc.subscribe("deliver.pb");
    nc.flush(Duration.ofSeconds(2));
    assertThat(awaitPushBound("PB", "bound", true)).isTrue();
    again.unsubscribe();
  }

  @Test
  void aDurablePushConsumerTakesANewSubscriberRightAfterTheOldOneLeft() throws Exception {
    stream("RB", "rb.*");
    js.publish("rb.a", bytes("1"));
    PushSubscribeOptions opts = PushSubscribeOptions.builder().durable("again").build();
    JetStreamSubscription first = js.subscribe("rb.*", opts);
    first.nextMessage(Duration.ofSeconds(5)).ack();
    first.unsubscribe();
    nc.flush(Duration.ofSeconds(2));
    // jnats refuses to bind to a push-bound durable, so push_bound must be false at once.
    JetStreamSubscription second = js.subscribe("rb.*", opts);
    js.publish("rb.a", bytes("2"));
    Message m = second.nextMessage(Duration.ofSeconds(5));
    assertThat(m).isNotNull();
    assertThat(new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("2");
  }

  /** Polls ConsumerInfo until push_bound is {@code wanted} (bounded); returns the last value seen. */
  private boolean awaitPushBound(String stream, String consumer, boolean wanted) throws Exception {
    boolean bound = jsm.getConsumerInfo(stream, consumer).isPushBound();
    for (int i = 0; i < 100 && bound != wanted; i++) {
      Thread.sleep(100);
      bound = jsm.getConsumerInfo(stream, consumer).isPushBound();
    }
    return bound;
  }
}
