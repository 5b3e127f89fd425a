package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A durable consumer half-way through its stream continues after a restart: nothing lost, nothing acked again. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JetStreamConsumerRestartIT {

  private static final int MESSAGES = 10_000;

  @TempDir
  Path store;

  private static int number(Message m) {
    return Integer.parseInt(new String(m.getData(), StandardCharsets.UTF_8));
  }

  @Test
  void aDurableConsumerContinuesWhereItWasAfterARestart() throws Exception {
    Set<Integer> seen = new HashSet<>();
    int unackedBefore;
    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      JetStreamManagement jsm = nc.jetStreamManagement();
      JetStream js = nc.jetStream();
      jsm.addStream(StreamConfiguration.builder().name("R").subjects("r.*").build());
      ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
      for (int i = 1; i <= MESSAGES; i++) {
        window.add(js.publishAsync("r.x", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        if (window.size() >= 256) {
          window.poll().get(30, TimeUnit.SECONDS);
        }
      }
      for (CompletableFuture<PublishAck> f : window) {
        f.get(30, TimeUnit.SECONDS);
      }
      jsm.addOrUpdateConsumer("R", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit)
          .ackWait(Duration.ofSeconds(2)).build());
      JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("R", "D"));
      while (seen.size() < MESSAGES / 2) {
        List<Message> batch = sub.fetch(100, Duration.ofSeconds(5));
        assertThat(batch).isNotEmpty();
        for (Message m : batch) {
          assertThat(seen.add(number(m))).isTrue();
          m.ack();
        }
      }
      // ten more delivered but never acknowledged: they must come again after the restart
      List<Message> open = sub.fetch(10, Duration.ofSeconds(5));
      unackedBefore = open.size();
      assertThat(unackedBefore).isEqualTo(10);
      nc.flush(Duration.ofSeconds(5));
      ConsumerInfo before = jsm.getConsumerInfo("R", "D");
      assertThat(before.getAckFloor().getStreamSequence()).isEqualTo(MESSAGES / 2);
      assertThat(before.getNumAckPending()).isEqualTo(10);
      nc.close();
    }

    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      JetStreamManagement jsm = nc.jetStreamManagement();
      ConsumerInfo after = jsm.getConsumerInfo("R", "D");
      assertThat(after.getAckFloor().getStreamSequence()).isEqualTo(MESSAGES / 2);
      assertThat(after.getDelivered().getStreamSequence()).isEqualTo(MESSAGES / 2 + 10);
      assertThat(after.getNumAckPending()).isEqualTo(10);
      assertThat(after.getNumPending()).isEqualTo(MESSAGES / 2 - 10);
      JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("R", "D"));
      Set<Integer> redelivered = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (seen.size() < MESSAGES && System.nanoTime() < deadline) {
        for (Message m : sub.fetch(100, Duration.ofSeconds(3))) {
          int n = number(m);
          assertThat(n).as("an acknowledged message came again").isGreaterThan(MESSAGES / 2);
          if (n <= MESSAGES / 2 + 10) {
            redelivered.add(n);
            assertThat(m.metaData().deliveredCount()).isEqualTo(2);
          } else {
            assertThat(seen.add(n)).as("message %d twice", n).isTrue();
          }
          m.ack();
        }
        if (redelivered.size() == 10) {
          seen.addAll(redelivered);
        }
      }
      assertThat(redelivered).hasSize(10);
      assertThat(seen).hasSize(MESSAGES);
      nc.close();
    }
  }
}
