package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.next;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.BrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Messages from one publisher reach a subscriber in publish order, across subjects too. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class OrderingIT {

  private static final int MESSAGES = 100_000;

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  private static String subjectOf(int seq) {
    return seq % 2 == 0 ? "order.a" : "order.b";
  }

  @Test
  @Timeout(60)
  void wildcardSubscriberSeesTwoSubjectsInterleavedInPublishOrder() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("order.>");
      sub.flush(WAIT);
      Thread publisher = new Thread(() -> {
        for (int seq = 0; seq < MESSAGES; seq++) {
          pub.publish(subjectOf(seq), utf8(Integer.toString(seq)));
        }
      }, "order-publisher");
      publisher.start();
      try {
        for (int expected = 0; expected < MESSAGES; expected++) {
          Message m = next(s);
          int seq = Integer.parseInt(text(m));
          // Fail at the first gap, duplicate or reordering, naming it.
          assertThat(seq).as("sequence at position %d", expected).isEqualTo(expected);
          assertThat(m.getSubject()).isEqualTo(subjectOf(seq));
        }
      } finally {
        publisher.join(WAIT.toMillis());
      }
      assertThat(sub.getStatistics().getDroppedCount()).isZero();
    }
  }

  @Test
  @Timeout(60)
  void separateSubscriptionsOnOneConnectionKeepPerPublisherOrder() throws Exception {
    int count = 20_000;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription a = sub.subscribe("order.a");
      Subscription b = sub.subscribe("order.b");
      sub.flush(WAIT);
      for (int seq = 0; seq < count; seq++) {
        pub.publish(subjectOf(seq), utf8(Integer.toString(seq)));
      }
      for (int seq = 0; seq < count; seq += 2) {
        assertThat(text(next(a))).isEqualTo(Integer.toString(seq));
      }
      for (int seq = 1; seq < count; seq += 2) {
        assertThat(text(next(b))).isEqualTo(Integer.toString(seq));
      }
    }
  }
}
