package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Brokers;
import io.tern.testkit.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern in its own JVM is killed with SIGKILL while a pull consumer works through a stream with
 * explicit acknowledgements. After a restart: no message is lost, no message is delivered more
 * often than {@code max_deliver} allows, and no acknowledgement the server confirmed is undone.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JetStreamConsumerCrashIT {

  private static final int MESSAGES = 5_000;
  private static final int MAX_DELIVER = 5;

  @TempDir
  Path dir;

  private static int number(Message m) {
    return Integer.parseInt(new String(m.getData(), StandardCharsets.UTF_8));
  }

  @Test
  void acknowledgedWorkStaysDoneAcrossAKill() throws Exception {
    assumeTrue(Brokers.kind().equals("tern"), "the crash test runs Tern in its own JVM");
    int port = FreePort.find();
    Map<Integer, Long> deliveries = new HashMap<>();
    Set<Integer> confirmed = new HashSet<>();
    Set<Integer> acked = new HashSet<>();
    Process tern = ChildTern.start(dir.resolve("store"), port, dir.resolve("tern-1.log"));
    try {
      Connection nc = ChildTern.connect(port);
      JetStream js = nc.jetStream();
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("C").subjects("c.*").build());
      ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
      for (int i = 1; i <= MESSAGES; i++) {
        window.add(js.publishAsync("c.x", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        if (window.size() >= 256) {
          window.poll().get(30, TimeUnit.SECONDS);
        }
      }
      for (CompletableFuture<PublishAck> f : window) {
        f.get(30, TimeUnit.SECONDS);
      }
      nc.jetStreamManagement().addOrUpdateConsumer("C", ConsumerConfiguration.builder().durable("W")
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(2)).maxDeliver(MAX_DELIVER).build());
      JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("C", "W"));
      while (acked.size() < MESSAGES / 2) {
        for (Message m : sub.fetch(50, Duration.ofSeconds(5))) {
          int n = number(m);
          deliveries.merge(n, 1L, Long::sum);
          assertThat(m.metaData().deliveredCount()).isLessThanOrEqualTo(MAX_DELIVER);
          if (n % 10 == 0) {
            m.ackSync(Duration.ofSeconds(5));
            confirmed.add(n);
          } else {
            m.ack();
          }
          acked.add(n);
        }
      }
      tern.destroyForcibly(); // SIGKILL: nothing is flushed
      tern.waitFor(30, TimeUnit.SECONDS);
      nc.close();
    } finally {
      tern.destroyForcibly();
    }

    Process again = ChildTern.start(dir.resolve("store"), port, dir.resolve("tern-2.log"));
    try (Connection nc = ChildTern.connect(port)) {
      JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("C", "W"));
      Set<Integer> done = new HashSet<>(acked);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int emptyFetches = 0;
      while (System.nanoTime() < deadline && (done.size() < MESSAGES || emptyFetches < 2)) {
        List<Message> batch = sub.fetch(100, Duration.ofSeconds(3));
        emptyFetches = batch.isEmpty() ? emptyFetches + 1 : 0;
        for (Message m : batch) {
          int n = number(m);
          assertThat(confirmed).as("message %d was confirmed acknowledged", n).doesNotContain(n);
          long count = deliveries.merge(n, 1L, Long::sum);
          assertThat(count).as("deliveries of %d", n).isLessThanOrEqualTo(MAX_DELIVER);
          m.ack();
          done.add(n);
        }
      }
      assertThat(done).as("every message delivered").hasSize(MESSAGES);
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
