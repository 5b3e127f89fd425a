package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.tern.testkit.BrokerExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Queue groups through jnats: each message reaches one member; plain subscribers see all. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class QueueGroupIT {

  private static final int MESSAGES = 10_000;
  private static final int MEMBERS = 3;
  private static final String SUBJECT = "work.items";
  private static final String FENCE = "work.fence";

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  /** One connection with one dispatcher; the fence handler runs after every earlier message's. */
  private static final class Listener implements AutoCloseable {
    final Connection connection;
    final List<Integer> ids = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch fenced = new CountDownLatch(1);

    Listener(String queue) throws Exception {
      connection = connect(BROKER.broker());
      Dispatcher dispatcher = connection.createDispatcher();
      if (queue == null) {
        dispatcher.subscribe(SUBJECT, m -> ids.add(Integer.parseInt(text(m))));
      } else {
        dispatcher.subscribe(SUBJECT, queue, m -> ids.add(Integer.parseInt(text(m))));
      }
      // Not in the queue group, so every member is told when the publisher is done.
      dispatcher.subscribe(FENCE, m -> fenced.countDown());
      connection.flush(WAIT);
    }

    List<Integer> idsAfterFence() throws InterruptedException {
      assertThat(fenced.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("fence reached listener").isTrue();
      synchronized (ids) {
        return new ArrayList<>(ids);
      }
    }

    @Override
    public void close() throws InterruptedException {
      connection.close();
    }
  }

  @Test
  @Timeout(60)
  void eachMessageGoesToExactlyOneMemberAndPlainSubscriberSeesAll() throws Exception {
    List<Listener> members = new ArrayList<>();
    try (Listener plain = new Listener(null); Connection pub = connect(BROKER.broker())) {
      for (int i = 0; i < MEMBERS; i++) {
        members.add(new Listener("workers"));
      }
      for (int i = 0; i < MESSAGES; i++) {
        pub.publish(SUBJECT, utf8(Integer.toString(i)));
      }
      pub.publish(FENCE, new byte[0]);
      pub.flush(WAIT);

      List<Integer> all = new ArrayList<>();
      for (Listener member : members) {
        List<Integer> got = member.idsAfterFence();
        // Random distribution over 3 members makes an empty share practically impossible.
        assertThat(got).as("share of one member").isNotEmpty();
        all.addAll(got);
      }
      Set<Integer> expected = IntStream.range(0, MESSAGES).boxed().collect(Collectors.toSet());
      assertThat(all).as("queue deliveries").hasSize(MESSAGES);
      assertThat(new HashSet<>(all)).isEqualTo(expected);

      List<Integer> seenByPlain = plain.idsAfterFence();
      assertThat(seenByPlain).as("plain subscriber, in publish order")
          .containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
    } finally {
      for (Listener member : members) {
        member.close();
      }
    }
  }

  @Test
  @Timeout(30)
  void separateQueueGroupsEachGetEveryMessage() throws Exception {
    int count = 100;
    try (Listener groupA = new Listener("group-a"); Listener groupB = new Listener("group-b");
        Connection pub = connect(BROKER.broker())) {
      for (int i = 0; i < count; i++) {
        pub.publish(SUBJECT, utf8(Integer.toString(i)));
      }
      pub.publish(FENCE, new byte[0]);
      List<Integer> expected = IntStream.range(0, count).boxed().toList();
      assertThat(groupA.idsAfterFence()).containsExactlyElementsOf(expected);
      assertThat(groupB.idsAfterFence()).containsExactlyElementsOf(expected);
    }
  }
}
