package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Once {@code flush()} returns after a subscribe, the subscription is live for every publisher:
 * jnats users (and jnats's own tests) rely on {@code subscribe(); flush(); publish elsewhere}.
 */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class FlushBarrierIT {

  private static final int ROUNDS = 200;

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  @Test
  @Timeout(60)
  void subscriptionIsLiveForOtherConnectionsOnceFlushReturns() throws Exception {
    List<Integer> missed = new ArrayList<>();
    try (Connection a = connect(BROKER.broker()); Connection b = connect(BROKER.broker())) {
      for (int round = 0; round < ROUNDS; round++) {
        String subject = "barrier." + round;
        Subscription s = a.subscribe(subject);
        a.flush(WAIT);
        b.publish(subject, utf8(Integer.toString(round)));
        Message m = s.nextMessage(WAIT);
        if (m == null) {
          missed.add(round);
        } else {
          assertThat(text(m)).isEqualTo(Integer.toString(round));
        }
        s.unsubscribe();
      }
    }
    assertThat(missed).as("rounds whose message never arrived").isEmpty();
  }

  /**
   * A subject published to while nobody listened (which a broker may learn and short-cut) still
   * delivers to a subscription made and flushed afterwards.
   */
  @Test
  @Timeout(60)
  void aSubjectNobodyHeardIsDeliveredOnceSomeoneSubscribesAndFlushes() throws Exception {
    List<Integer> missed = new ArrayList<>();
    try (Connection pub = connect(BROKER.broker()); Connection sub = connect(BROKER.broker())) {
      for (int round = 0; round < 100; round++) {
        String subject = "nobody.yet." + round;
        for (int k = 0; k < 3; k++) {
          pub.publish(subject, utf8("unheard"));
          pub.flush(WAIT);
        }
        Subscription s = sub.subscribe(subject);
        sub.flush(WAIT);
        pub.publish(subject, utf8("heard " + round));
        Message m = s.nextMessage(WAIT);
        if (m == null || !text(m).equals("heard " + round)) {
          missed.add(round);
        }
        s.unsubscribe();
      }
    }
    assertThat(missed).as("rounds whose message was lost").isEmpty();
  }

  @Test
  @Timeout(60)
  void unsubscribeIsEffectiveForOtherConnectionsOnceFlushReturns() throws Exception {
    try (Connection a = connect(BROKER.broker()); Connection b = connect(BROKER.broker())) {
      Subscription gone = a.subscribe("barrier.gone");
      Subscription fence = a.subscribe("barrier.fence");
      a.flush(WAIT);
      gone.unsubscribe();
      a.flush(WAIT);
      for (int round = 0; round < ROUNDS; round++) {
        b.publish("barrier.gone", utf8(Integer.toString(round)));
      }
      b.publish("barrier.fence", new byte[0]);
      assertThat(fence.nextMessage(WAIT)).isNotNull();
      // Only the fence reached A: none of the 200 went to the unsubscribed subject.
      assertThat(a.getStatistics().getInMsgs()).isEqualTo(1);
    }
  }
}
