package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JetStream publishing into a file-backed stream: synchronous (each publish waits for its PubAck)
 * or asynchronous with a window of 256 PubAcks outstanding. Lost counts publishes without an ack
 * and acked messages missing from the stream afterwards; out-of-order counts acks whose sequence is
 * not the next one.
 */
final class JetStreamPublishScenario implements Scenario {

  /** Outstanding asynchronous publishes. */
  static final int WINDOW = 256;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  private final boolean async;
  private final int payloadSize;

  JetStreamPublishScenario(boolean async, int payloadSize) {
    this.async = async;
    this.payloadSize = payloadSize;
  }

  @Override
  public String name() {
    return async ? "js-pub-async" : "js-pub-sync";
  }

  @Override
  public int payloadSize() {
    return payloadSize;
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    long count = async ? context.messages() : context.requests();
    String stream = "BENCH_" + Long.toHexString(System.nanoTime()).toUpperCase();
    String subject = "bench.js." + stream.toLowerCase();
    ScenarioResult result = new ScenarioResult();
    result.expected = count;
    try (Connection conn = context.connect(name() + "-publisher")) {
      JetStreamManagement jsm = conn.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject)
          .storageType(StorageType.File).build());
      JetStream js = conn.jetStream();
      AtomicLong acked = new AtomicLong();
      AtomicLong outOfOrder = new AtomicLong();
      long start = System.nanoTime();
      long sent = 0;
      if (async) {
        Semaphore window = new Semaphore(WINDOW);
        for (; sent < count && !context.pastDeadline(); sent++) {
          if (!window.tryAcquire(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
          CompletableFuture<PublishAck> f = js.publishAsync(subject, SequencePayload.of(sent, payloadSize));
          f.whenComplete((ack, err) -> {
            window.release();
            if (err == null) {
              acked.incrementAndGet();
            }
          });
        }
        window.tryAcquire(WINDOW, ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        for (; sent < count && !context.pastDeadline(); sent++) {
          PublishAck ack = js.publish(subject, SequencePayload.of(sent, payloadSize));
          acked.incrementAndGet();
          if (ack.getSeqno() != sent + 1) {
            outOfOrder.incrementAndGet();
          }
        }
      }
      result.elapsedNanos = System.nanoTime() - start;
      result.published = sent;
      result.timedOut = sent < count;
      long stored = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
      result.received = acked.get();
      result.lost = (count - acked.get()) + Math.max(0, acked.get() - stored);
      result.duplicates = Math.max(0, stored - sent);
      result.outOfOrder = outOfOrder.get();
      try {
        jsm.deleteStream(stream);
      } catch (JetStreamApiException ignored) {
        // The stream is named per run; a leftover costs only disk in the server's temp store.
      }
    }
    return result;
  }
}
