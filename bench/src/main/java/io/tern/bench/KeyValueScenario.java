package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Key-Value rates with jnats on a file-backed bucket (history 1) of {@value #KEYS} keys: {@code kv-put}
 * puts values round-robin over the keys, each put waiting for its revision; {@code kv-get} fills the
 * keys once, then reads them round-robin (direct get of the last value per key). Both record each
 * call's round trip. A value carries the number of its put, so a get can tell a wrong or missing
 * value (lost) and a put whose revision is not the next one (out of order).
 */
final class KeyValueScenario {

  /** Distinct keys written and read. */
  static final int KEYS = 1000;

  private KeyValueScenario() {
  }

  /** {@code kv-put}: sequential puts. */
  static Scenario put(int payloadSize) {
    return new Scenario() {
      @Override
      public String name() {
        return "kv-put";
      }

      @Override
      public int payloadSize() {
        return payloadSize;
      }

      @Override
      public ScenarioResult run(ScenarioContext context) throws Exception {
        return runPuts(context, payloadSize);
      }
    };
  }

  /** {@code kv-get}: sequential gets of keys put beforehand. */
  static Scenario get(int payloadSize) {
    return new Scenario() {
      @Override
      public String name() {
        return "kv-get";
      }

      @Override
      public int payloadSize() {
        return payloadSize;
      }

      @Override
      public ScenarioResult run(ScenarioContext context) throws Exception {
        return runGets(context, payloadSize);
      }
    };
  }

  private static String bucketName() {
    return "bench_" + Long.toHexString(System.nanoTime());
  }

  private static KeyValue createBucket(Connection conn, String bucket) throws Exception {
    KeyValueManagement kvm = conn.keyValueManagement();
    kvm.create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1)
        .storageType(StorageType.File).build());
    return conn.keyValue(bucket);
  }

  private static void deleteBucket(Connection conn, String bucket) throws Exception {
    try {
      conn.keyValueManagement().delete(bucket);
    } catch (JetStreamApiException ignored) {
      // The bucket is named per run; a leftover costs only disk in the server's temp store.
    }
  }

  private static String key(long i) {
    return "k" + (i % KEYS);
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  private static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(nanos, h.getHighestTrackableValue()));
  }

  private static ScenarioResult runPuts(ScenarioContext context, int payloadSize) throws Exception {
    long count = context.requests();
    String bucket = bucketName();
    ScenarioResult result = new ScenarioResult();
    result.expected = count;
    Histogram latency = histogram();
    try (Connection conn = context.connect("kv-put")) {
      KeyValue kv = createBucket(conn, bucket);
      long sent = 0;
      long outOfOrder = 0;
      long start = System.nanoTime();
      for (; sent < count && !context.pastDeadline(); sent++) {
        long t0 = System.nanoTime();
        long revision = kv.put(key(sent), SequencePayload.of(sent, payloadSize));
        record(latency, System.nanoTime() - t0);
        if (revision != sent + 1) {
          outOfOrder++;
        }
      }
      result.elapsedNanos = System.nanoTime() - start;
      result.published = sent;
      result.received = sent;
      result.timedOut = sent < count;
      result.outOfOrder = outOfOrder;
      // history 1: the bucket holds exactly one value per key written
      long stored = conn.keyValueManagement().getStatus(bucket).getEntryCount();
      long keysWritten = Math.min(sent, KEYS);
      result.lost = Math.max(0, keysWritten - stored);
      result.duplicates = Math.max(0, stored - keysWritten);
      deleteBucket(conn, bucket);
    }
    result.latencyNanos = latency;
    return result;
  }

  private static ScenarioResult runGets(ScenarioContext context, int payloadSize) throws Exception {
    long count = context.requests();
    String bucket = bucketName();
    ScenarioResult result = new ScenarioResult();
    result.expected = count;
    Histogram latency = histogram();
    try (Connection conn = context.connect("kv-get")) {
      KeyValue kv = createBucket(conn, bucket);
      for (int i = 0; i < KEYS; i++) {
        kv.put(key(i), SequencePayload.of(i, payloadSize));
      }
      long done = 0;
      long wrong = 0;
      long start = System.nanoTime();
      for (; done < count && !context.pastDeadline(); done++) {
        long t0 = System.nanoTime();
        KeyValueEntry e = kv.get(key(done));
        record(latency, System.nanoTime() - t0);
        if (e == null || SequencePayload.sequenceOf(e.getValue()) != done % KEYS) {
          wrong++;
        }
      }
      result.elapsedNanos = System.nanoTime() - start;
      result.published = done;
      result.received = done - wrong;
      result.lost = wrong;
      result.timedOut = done < count;
      deleteBucket(conn, bucket);
    }
    result.latencyNanos = latency;
    return result;
  }
}
