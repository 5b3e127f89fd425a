package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.next;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * Auto-unsubscribe (UNSUB with a max) and drain through jnats. jnats also enforces the limit on its
 * side, so each test checks the wire too: how many messages reached the connection, and whether the
 * server still routes to the subscription (a 503 no-responders answer proves it does not).
 */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class AutoUnsubscribeIT {

  private static final int PUBLISHED = 20;
  private static final int LIMIT = 5;

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  /** Publishes 0..count-1 on {@code subject}, then an empty message on {@code fence}. */
  private static void publishNumbered(Connection pub, String subject, int count, String fence) {
    for (int i = 0; i < count; i++) {
      pub.publish(subject, utf8(Integer.toString(i)));
    }
    pub.publish(fence, new byte[0]);
  }

  private static List<String> numbers(int count) {
    return IntStream.range(0, count).mapToObj(Integer::toString).toList();
  }

  /** Asserts that the server has no subscriber left on {@code subject}. */
  private static void assertNoInterest(String subject) throws Exception {
    try (Connection requester = connect(BROKER.broker(), b -> b.reportNoResponders())) {
      CompletableFuture<Message> reply =
          requester.requestWithTimeout(subject, utf8("anyone?"), Duration.ofSeconds(60));
      assertThatThrownBy(() -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .cause()
          .isInstanceOfSatisfying(JetStreamStatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(503));
    }
  }

  @Test
  @Timeout(30)
  void syncSubscriptionStopsAfterLimit() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("auto.sync");
      Subscription fence = sub.subscribe("auto.sync.fence");
      s.unsubscribe(LIMIT);
      sub.flush(WAIT);

      publishNumbered(pub, "auto.sync", PUBLISHED, "auto.sync.fence");
      List<String> got = new ArrayList<>();
      for (int i = 0; i < LIMIT; i++) {
        got.add(text(next(s)));
      }
      next(fence);

      assertThat(got).containsExactlyElementsOf(numbers(LIMIT));
      assertThat(s.isActive()).isFalse();
      // The fence came after all 20 from the same publisher: the server sent only 5 of them.
      assertThat(sub.getStatistics().getInMsgs()).isEqualTo(LIMIT + 1);
      assertNoInterest("auto.sync");
    }
  }

  @Test
  @Timeout(30)
  void dispatcherSubscriptionStopsAfterLimit() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      List<String> got = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch fenced = new CountDownLatch(1);
      Dispatcher dispatcher = sub.createDispatcher();
      Subscription s = dispatcher.subscribe("auto.handler", m -> got.add(text(m)));
      dispatcher.unsubscribe(s, LIMIT);
      dispatcher.subscribe("auto.handler.fence", m -> fenced.countDown());
      sub.flush(WAIT);

      publishNumbered(pub, "auto.handler", PUBLISHED, "auto.handler.fence");
      assertThat(fenced.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      assertThat(new ArrayList<>(got)).containsExactlyElementsOf(numbers(LIMIT));
      assertThat(sub.getStatistics().getInMsgs()).isEqualTo(LIMIT + 1);
      assertNoInterest("auto.handler");
    }
  }

  @Test
  @Timeout(30)
  void dispatcherSubjectStopsAfterLimit() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      List<String> got = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch fenced = new CountDownLatch(1);
      Dispatcher dispatcher = sub.createDispatcher(m -> {
        if (m.getSubject().endsWith(".fence")) {
          fenced.countDown();
        } else {
          got.add(text(m));
        }
      });
      dispatcher.subscribe("auto.subject");
      dispatcher.unsubscribe("auto.subject", LIMIT);
      dispatcher.subscribe("auto.subject.fence");
      sub.flush(WAIT);

      publishNumbered(pub, "auto.subject", PUBLISHED, "auto.subject.fence");
      assertThat(fenced.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      assertThat(new ArrayList<>(got)).containsExactlyElementsOf(numbers(LIMIT));
      assertThat(sub.getStatistics().getInMsgs()).isEqualTo(LIMIT + 1);
      assertNoInterest("auto.subject");
    }
  }

  /**
   * A dispatcher handler that holds the first message until released. jnats may report a drain
   * complete once the last message left its queue, a moment before the handler has stored it, so
   * tests wait on {@link #all} for the handler to finish.
   */
  private static final class HeldHandler {
    final List<String> got = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch all;

    HeldHandler(int expected) {
      all = new CountDownLatch(expected);
    }

    void handle(Message m) {
      try {
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      got.add(text(m));
      all.countDown();
    }

    List<String> awaitAll() throws InterruptedException {
      assertThat(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("handler got every pending message").isTrue();
      synchronized (got) {
        return new ArrayList<>(got);
      }
    }
  }

  @Test
  @Timeout(30)
  void drainingADispatcherDeliversWhatIsPendingThenStops() throws Exception {
    int count = 50;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      HeldHandler held = new HeldHandler(count);
      Dispatcher dispatcher = sub.createDispatcher();
      Subscription s = dispatcher.subscribe("drain.sub", held::handle);
      Subscription fence = sub.subscribe("drain.sub.fence");
      sub.flush(WAIT);

      publishNumbered(pub, "drain.sub", count, "drain.sub.fence");
      next(fence);
      // All 50 are now in the client; the handler holds the first, the rest are pending. (Not
      // s.drain(): for a subscription of a dispatcher, jnats does not wait for the dispatcher's
      // queue.)
      CompletableFuture<Boolean> drained = dispatcher.drain(WAIT);
      assertThat(drained).isNotDone();
      held.release.countDown();

      assertThat(drained.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(held.awaitAll()).containsExactlyElementsOf(numbers(count));
      assertThat(s.isActive()).isFalse();
      assertThat(sub.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      assertNoInterest("drain.sub");
    }
  }

  @Test
  @Timeout(30)
  void drainingASyncSubscriptionCompletesOnceItsPendingMessagesAreRead() throws Exception {
    int count = 10;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("drain.sync");
      Subscription fence = sub.subscribe("drain.sync.fence");
      sub.flush(WAIT);

      publishNumbered(pub, "drain.sync", count, "drain.sync.fence");
      next(fence);
      CompletableFuture<Boolean> drained = s.drain(WAIT);
      List<String> got = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        got.add(text(next(s)));
      }

      assertThat(drained.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(got).containsExactlyElementsOf(numbers(count));
      assertNoInterest("drain.sync");
    }
  }

  @Test
  @Timeout(30)
  void drainingAConnectionDeliversWhatIsPendingThenCloses() throws Exception {
    int count = 50;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      HeldHandler held = new HeldHandler(count);
      sub.createDispatcher().subscribe("drain.conn", held::handle);
      Subscription fence = sub.subscribe("drain.conn.fence");
      sub.flush(WAIT);

      publishNumbered(pub, "drain.conn", count, "drain.conn.fence");
      next(fence);
      CompletableFuture<Boolean> drained = sub.drain(WAIT);
      assertThat(drained).isNotDone();
      held.release.countDown();

      assertThat(drained.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(held.awaitAll()).containsExactlyElementsOf(numbers(count));
      assertThat(sub.getStatus()).isEqualTo(Connection.Status.CLOSED);
      // Drain unsubscribes and flushes before closing, so the server has dropped the interest.
      assertNoInterest("drain.conn");
    }
  }
}
