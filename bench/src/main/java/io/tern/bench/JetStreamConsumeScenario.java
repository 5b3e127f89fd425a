package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * JetStream consumption from a file-backed stream filled beforehand (not timed): a durable pull
 * consumer fetching batches of 100 with explicit acks, or a push consumer with flow control and
 * acks none. Measures how fast the stream is drained; lost counts messages never delivered,
 * out-of-order counts deliveries whose sequence is not the next one.
 */
final class JetStreamConsumeScenario implements Scenario {

  /** Messages per pull request. */
  static final int PULL_BATCH = 100;
  private static final Duration FETCH_WAIT = Duration.ofSeconds(2);

  private final boolean pull;
  private final int payloadSize;

  JetStreamConsumeScenario(boolean pull, int payloadSize) {
    this.pull = pull;
    this.payloadSize = payloadSize;
  }

  @Override
  public String name() {
    return pull ? "js-pull-batch100" : "js-push";
  }

  @Override
  public int payloadSize() {
    return payloadSize;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    long count = context.messages();
    String stream = "BENCHC_" + Long.toHexString(System.nanoTime()).toUpperCase();
    String subject = "bench.jsc." + stream.toLowerCase();
    ScenarioResult result = new ScenarioResult();
    result.expected = count;
    try (Connection conn = context.connect(name() + "-consumer")) {
      JetStreamManagement jsm = conn.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
          .storageType(StorageType.File).build());
      JetStream js = conn.jetStream();
      fill(js, subject, count);
      result.published = count;
      Tracker tracker = new Tracker();
      long start = System.nanoTime();
      if (pull) {
        jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("bench")
            .ackPolicy(AckPolicy.Explicit).build());
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind(stream, "bench"));
        while (tracker.received < count && !context.pastDeadline()) {
          var batch = sub.fetch(PULL_BATCH, FETCH_WAIT);
          if (batch.isEmpty()) {
            break;
          }
          for (Message m : batch) {
            tracker.see(m);
            m.ack();
          }
        }
      } else {
        CountDownLatch done = new CountDownLatch(1);
        Dispatcher d = conn.createDispatcher();
        js.subscribe(subject, d, m -> {
          synchronized (tracker) {
            tracker.see(m);
            if (tracker.received >= count) {
              done.countDown();
            }
          }
        }, false, PushSubscribeOptions.builder().configuration(ConsumerConfiguration.builder()
            .ackPolicy(AckPolicy.None).flowControl(Duration.ofSeconds(1)).build()).build());
        done.await(Math.max(1, context.remaining().toMillis()), TimeUnit.MILLISECONDS);
        conn.closeDispatcher(d);
      }
      result.elapsedNanos = System.nanoTime() - start;
      synchronized (tracker) {
        result.received = tracker.received;
        result.outOfOrder = tracker.outOfOrder;
        result.duplicates = tracker.duplicates;
      }
      result.lost = Math.max(0, count - result.received + result.duplicates);
      result.timedOut = result.received < count;
      try {
        jsm.deleteStream(stream);
      } catch (JetStreamApiException ignored) {
        // named per run; a leftover costs only disk
      }
    }
    return result;
  }

  private void fill(JetStream js, String subject, long count) throws Exception {
    ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
    for (long i = 0; i < count; i++) {
      window.add(js.publishAsync(subject, SequencePayload.of(i, payloadSize)));
      if (window.size() >= JetStreamPublishScenario.WINDOW) {
        window.poll().get(30, TimeUnit.SECONDS);
      }
    }
    for (CompletableFuture<PublishAck> f : window) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /** Counts deliveries by their stream sequence. */
  private static final class Tracker {
    long received;
    long outOfOrder;
    long duplicates;
    long last;

    void see(Message m) {
      long seq = m.metaData().streamSequence();
      if (seq <= last) {
        duplicates++;
        return;
      }
      if (seq != last + 1) {
        outOfOrder++;
      }
      last = seq;
      received++;
    }
  }
}
