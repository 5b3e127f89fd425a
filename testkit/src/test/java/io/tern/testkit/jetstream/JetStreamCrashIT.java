package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Brokers;
import io.tern.testkit.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tern in a separate JVM is killed with SIGKILL while three publishers publish with acks; after a
 * restart on the same store every acknowledged message is there. Tern only: nats-server 2.9 does
 * not sync before acknowledging, so it may lose acknowledged messages on a crash.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JetStreamCrashIT {

  private static final int PUBLISHERS = 3;
  private static final int WINDOW = 128;
  private static final long KILL_AFTER_ACKS = 20_000;

  @TempDir
  Path dir;

  @Test
  void noAcknowledgedMessageIsLostWhenTheBrokerIsKilled() throws Exception {
    assumeTrue(Brokers.kind().equals("tern"), "the crash test runs Tern in its own JVM");
    int port = FreePort.find();
    Process tern = ChildTern.start(dir.resolve("store"), port, dir.resolve("tern-1.log"));
    Map<Long, String> acked = new ConcurrentHashMap<>();
    AtomicLong ackCount = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    try {
      try (Connection admin = ChildTern.connect(port)) {
        admin.jetStreamManagement().addStream(StreamConfiguration.builder().name("CRASH").subjects("crash.*")
            .storageType(StorageType.File).build());
      }
      Thread[] publishers = new Thread[PUBLISHERS];
      for (int p = 0; p < PUBLISHERS; p++) {
        int id = p;
        publishers[p] = new Thread(() -> publish(port, id, acked, ackCount, enough), "publisher-" + p);
        publishers[p].start();
      }
      enough.await(120, TimeUnit.SECONDS);
      tern.destroyForcibly(); // SIGKILL: no shutdown hook runs
      tern.waitFor(30, TimeUnit.SECONDS);
      for (Thread t : publishers) {
        t.join(60_000);
      }
    } finally {
      tern.destroyForcibly();
    }
    System.out.println("JetStreamCrashIT: " + acked.size() + " messages acknowledged before kill -9");
    assertThat(acked).isNotEmpty();

    Process again = ChildTern.start(dir.resolve("store"), port, dir.resolve("tern-2.log"));
    try (Connection nc = ChildTern.connect(port)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      long last = jsm.getStreamInfo("CRASH").getStreamState().getLastSequence();
      long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      assertThat(last).isGreaterThanOrEqualTo(maxAcked);
      long lost = 0;
      for (Map.Entry<Long, String> e : acked.entrySet()) {
        try {
          String data = new String(jsm.getMessage("CRASH", e.getKey()).getData(), StandardCharsets.UTF_8);
          if (!data.equals(e.getValue())) {
            lost++;
          }
        } catch (JetStreamApiException missing) {
          lost++;
        }
      }
      System.out.println("JetStreamCrashIT: lost " + lost + " of " + acked.size() + " acknowledged messages");
      assertThat(lost).isZero();
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Publishes with a window of outstanding acks until the connection breaks. */
  private static void publish(int port, int id, Map<Long, String> acked, AtomicLong ackCount, CountDownLatch enough) {
    try (Connection nc = ChildTern.connect(port)) {
      JetStream js = nc.jetStream();
      ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
      ArrayDeque<String> payloads = new ArrayDeque<>();
      long n = 0;
      while (true) {
        while (window.size() < WINDOW) {
          String payload = "p" + id + "-" + (n++);
          window.add(js.publishAsync("crash." + id, payload.getBytes(StandardCharsets.UTF_8)));
          payloads.add(payload);
        }
        PublishAck ack = window.poll().get(10, TimeUnit.SECONDS);
        acked.put(ack.getSeqno(), payloads.poll());
        if (ackCount.incrementAndGet() >= KILL_AFTER_ACKS) {
          enough.countDown();
        }
      }
    } catch (Exception broken) {
      // the broker went away: whatever was acknowledged is recorded
    }
  }
}
