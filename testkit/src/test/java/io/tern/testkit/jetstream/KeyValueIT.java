package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValuePurgeOptions;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jnats {@code KeyValue} and {@code KeyValueManagement} against the broker: buckets are streams
 * {@code KV_<bucket>} on {@code $KV.<bucket>.>}, values are messages, deletes and purges are
 * markers, and history, keys and watchers are ordered consumers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyValueIT extends JetStreamClientTest {

  private KeyValueManagement kvm;

  @BeforeEach
  void management() throws Exception {
    kvm = nc.keyValueManagement();
  }

  private KeyValue bucket(String name, int history) throws Exception {
    kvm.create(KeyValueConfiguration.builder().name(name).maxHistoryPerKey(history)
        .storageType(StorageType.File).build());
    return nc.keyValue(name);
  }

  private static String text(KeyValueEntry e) {
    return e.getValue() == null ? null : new String(e.getValue(), StandardCharsets.UTF_8);
  }

  @Test
  void createdBucketIsAStreamWithKvSettings() throws Exception {
    KeyValueStatus status = kvm.create(KeyValueConfiguration.builder().name("settings").description("d")
        .maxHistoryPerKey(5).ttl(Duration.ofMinutes(10)).storageType(StorageType.File).build());
    assertThat(status.getBucketName()).isEqualTo("settings");
    assertThat(status.getDescription()).isEqualTo("d");
    assertThat(status.getMaxHistoryPerKey()).isEqualTo(5);
    assertThat(status.getTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(status.getEntryCount()).isZero();
    assertThat(status.getBackingStore()).isEqualTo("JetStream");

    StreamConfiguration sc = jsm.getStreamInfo("KV_settings").getConfiguration();
    assertThat(sc.getSubjects()).containsExactly("$KV.settings.>");
    assertThat(sc.getMaxMsgsPerSubject()).isEqualTo(5);
    assertThat(sc.getMaxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(sc.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
    assertThat(sc.getAllowRollup()).isTrue();
    assertThat(sc.getDenyDelete()).isTrue();
    assertThat(sc.getAllowDirect()).isTrue();
    // nats-server narrows the duplicate window to a TTL shorter than its two-minute default
    assertThat(sc.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));

    bucket("other", 1);
    assertThat(kvm.getBucketNames()).containsExactlyInAnyOrder("settings", "other");
    KeyValue kv = nc.keyValue("settings");
    kv.put("a", "1");
    kv.put("b", "2");
    kv.put("a", "3");
    KeyValueStatus after = kvm.getStatus("settings");
    assertThat(after.getEntryCount()).isEqualTo(3);
    assertThat(after.getByteCount()).isPositive();

    kvm.delete("settings");
    assertThat(kvm.getBucketNames()).containsExactly("other");
    assertThatThrownBy(() -> kvm.getStatus("settings"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
  }

  @Test
  void updatingABucketChangesHistoryAndKeepsTheValues() throws Exception {
    KeyValue kv = bucket("grow", 1);
    kv.put("k", "1");
    kv.put("k", "2");
    assertThat(kv.get("k", 1)).isNull();
    KeyValueStatus updated = kvm.update(KeyValueConfiguration.builder(kvm.getStatus("grow").getConfiguration())
        .maxHistoryPerKey(3).description("bigger").build());
    assertThat(updated.getMaxHistoryPerKey()).isEqualTo(3);
    assertThat(updated.getDescription()).isEqualTo("bigger");
    kv.put("k", "3");
    kv.put("k", "4");
    assertThat(text(kv.get("k", 2))).isEqualTo("2");
    assertThat(kvm.getStatus("grow").getEntryCount()).isEqualTo(3);
    assertThatThrownBy(() -> kvm.update(KeyValueConfiguration.builder().name("absent").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
    // creating an existing bucket with other settings is refused as for any stream
    assertThatThrownBy(() -> bucket("grow", 7))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10058));
  }

  @Test
  void shortTtlNarrowsTheDuplicateWindow() throws Exception {
    kvm.create(KeyValueConfiguration.builder().name("short").ttl(Duration.ofSeconds(30))
        .storageType(StorageType.Memory).build());
    StreamConfiguration sc = jsm.getStreamInfo("KV_short").getConfiguration();
    assertThat(sc.getDuplicateWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sc.getStorageType()).isEqualTo(StorageType.Memory);
  }

  @Test
  void putAndGetWithRevisions() throws Exception {
    KeyValue kv = bucket("pg", 3);
    long r1 = kv.put("color", "red");
    long r2 = kv.put("size", 42);
    long r3 = kv.put("color", "blue".getBytes(StandardCharsets.UTF_8));
    assertThat(List.of(r1, r2, r3)).containsExactly(1L, 2L, 3L);

    KeyValueEntry color = kv.get("color");
    assertThat(text(color)).isEqualTo("blue");
    assertThat(color.getRevision()).isEqualTo(3);
    assertThat(color.getKey()).isEqualTo("color");
    assertThat(color.getBucket()).isEqualTo("pg");
    assertThat(color.getOperation()).isEqualTo(KeyValueOperation.PUT);
    assertThat(color.getCreated()).isNotNull();
    assertThat(color.getDelta()).isZero();
    assertThat(kv.get("size").getValueAsLong()).isEqualTo(42);

    assertThat(text(kv.get("color", 1))).isEqualTo("red");
    assertThat(kv.get("color", 2)).as("revision 2 is another key").isNull();
    assertThat(kv.get("missing")).isNull();
    assertThat(kv.get("color", 99)).isNull();

    // an empty value is a put, not a delete
    kv.put("empty", new byte[0]);
    assertThat(kv.get("empty").getOperation()).isEqualTo(KeyValueOperation.PUT);
    assertThat(kv.get("empty").getDataLen()).isZero();

    // dotted keys and the tokens KV allows
    kv.put("a.b_c-d/e=f", "v");
    assertThat(text(kv.get("a.b_c-d/e=f"))).isEqualTo("v");
  }

  @Test
  void historyLimitDropsTheOldestRevisionsOfAKey() throws Exception {
    KeyValue kv = bucket("hist", 2);
    kv.put("k", "1");
    kv.put("k", "2");
    kv.put("k", "3");
    kv.put("other", "x");
    assertThat(kv.get("k", 1)).isNull();
    assertThat(text(kv.get("k", 2))).isEqualTo("2");
    assertThat(kvm.getStatus("hist").getEntryCount()).isEqualTo(3);
  }

  @Test
  void createOnlyWhenAbsentOrDeleted() throws Exception {
    KeyValue kv = bucket("cr", 5);
    long rev = kv.create("k", bytes("first"));
    assertThat(rev).isEqualTo(1);
    assertThatThrownBy(() -> kv.create("k", bytes("second")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071))
        .hasMessageContaining("wrong last sequence: 1");
    assertThat(text(kv.get("k"))).isEqualTo("first");

    kv.delete("k");
    assertThat(kv.create("k", bytes("again"))).isEqualTo(3);
    kv.purge("k");
    assertThat(kv.create("k", bytes("after purge"))).isEqualTo(5);
    assertThat(text(kv.get("k"))).isEqualTo("after purge");
  }

  @Test
  void updateNeedsTheCurrentRevision() throws Exception {
    KeyValue kv = bucket("up", 5);
    long r1 = kv.put("k", "a");
    kv.put("j", "other key moves the stream on");
    long r2 = kv.update("k", "b", r1);
    assertThat(r2).isEqualTo(3);
    assertThatThrownBy(() -> kv.update("k", "c", r1))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071))
        .hasMessageContaining("wrong last sequence: 3");
    assertThatThrownBy(() -> kv.update("new", bytes("x"), 7))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071))
        .hasMessageContaining("wrong last sequence: 0");
    assertThat(text(kv.get("k"))).isEqualTo("b");
    kv.delete("k", r2);
    assertThat(kv.get("k")).isNull();
  }

  @Test
  void deleteLeavesAMarkerPurgeDropsTheHistory() throws Exception {
    KeyValue kv = bucket("dp", 10);
    kv.put("d", "1");
    kv.put("d", "2");
    kv.put("p", "1");
    kv.put("p", "2");
    kv.delete("d");
    kv.purge("p");
    assertThat(kv.get("d")).isNull();
    assertThat(kv.get("p")).isNull();
    // d keeps its two values and a DEL marker, p only its PURGE marker
    assertThat(kvm.getStatus("dp").getEntryCount()).isEqualTo(4);
    assertThat(text(kv.get("d", 1))).isEqualTo("1");
    assertThat(kv.get("p", 3)).isNull();

    List<KeyValueEntry> dHistory = kv.history("d");
    assertThat(dHistory).extracting(KeyValueEntry::getOperation)
        .containsExactly(KeyValueOperation.PUT, KeyValueOperation.PUT, KeyValueOperation.DELETE);
    List<KeyValueEntry> pHistory = kv.history("p");
    assertThat(pHistory).extracting(KeyValueEntry::getOperation).containsExactly(KeyValueOperation.PURGE);
    assertThat(pHistory.get(0).getRevision()).isEqualTo(6);

    // the bucket's stream denies direct message deletes
    assertThatThrownBy(() -> jsm.deleteMessage("KV_dp", 1))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10057)).hasMessageContaining("message delete not permitted");
  }

  @Test
  void purgeDeletesDropsTheValuesBehindMarkersThenTheMarkers() throws Exception {
    KeyValue kv = bucket("pd", 10);
    kv.put("live", "1");
    kv.put("gone", "1");
    kv.put("gone", "2");
    kv.delete("gone");
    kv.put("purged", "1");
    kv.purge("purged");
    assertThat(kvm.getStatus("pd").getEntryCount()).isEqualTo(5);
    // recent markers stay (keep 1), what is behind them goes
    kv.purgeDeletes();
    assertThat(kvm.getStatus("pd").getEntryCount()).isEqualTo(3);
    kv.purgeDeletes(KeyValuePurgeOptions.builder().deleteMarkersNoThreshold().build());
    assertThat(kvm.getStatus("pd").getEntryCount()).isEqualTo(1);
    assertThat(kv.keys()).containsExactly("live");
  }

  @Test
  void historyListsEveryRevisionInOrder() throws Exception {
    KeyValue kv = bucket("hs", 64);
    for (int i = 0; i < 20; i++) {
      kv.put("k", Integer.toString(i));
      kv.put("noise" + i, "n");
    }
    List<KeyValueEntry> history = kv.history("k");
    assertThat(history).extracting(KeyValueIT::text)
        .containsExactlyElementsOf(range(20));
    assertThat(history).extracting(KeyValueEntry::getRevision).isSorted();
    assertThat(history.get(0).getDelta()).isEqualTo(19);
    assertThat(history.get(19).getDelta()).isZero();
    assertThat(kv.history("nothing")).isEmpty();
  }

  private static List<String> range(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }

  @Test
  void keysAreTheLiveKeysLastPerSubject() throws Exception {
    KeyValue kv = bucket("ks", 5);
    assertThat(kv.keys()).isEmpty();
    kv.put("a", "1");
    kv.put("b.x", "1");
    kv.put("b.y", "1");
    kv.put("a", "2");
    kv.put("c", "1");
    kv.delete("c");
    kv.put("d", "1");
    kv.purge("d");
    assertThat(kv.keys()).containsExactlyInAnyOrder("a", "b.x", "b.y");
    assertThat(kv.keys("b.*")).containsExactlyInAnyOrder("b.x", "b.y");
  }

  /** Collects what a watcher is told, with a latch for end of data. */
  private static final class Recorder implements KeyValueWatcher {
    final List<KeyValueEntry> entries = new ArrayList<>();
    final CountDownLatch endOfData = new CountDownLatch(1);

    @Override
    public synchronized void watch(KeyValueEntry entry) {
      entries.add(entry);
      notifyAll();
    }

    @Override
    public void endOfData() {
      endOfData.countDown();
    }

    synchronized List<KeyValueEntry> await(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (entries.size() < count && System.nanoTime() < deadline) {
        wait(100);
      }
      assertThat(entries).as("watched entries").hasSizeGreaterThanOrEqualTo(count);
      return new ArrayList<>(entries);
    }

    synchronized List<String> keysAndValues() {
      List<String> out = new ArrayList<>();
      for (KeyValueEntry e : entries) {
        out.add(e.getKey() + "=" + (e.getOperation() == KeyValueOperation.PUT ? text(e) : e.getOperation()));
      }
      return out;
    }
  }

  @Test
  void watchAKeySeesTheLatestValueThenUpdatesDeletesAndPurges() throws Exception {
    KeyValue kv = bucket("w", 5);
    kv.put("k", "old");
    kv.put("k", "current");
    kv.put("other", "x");
    Recorder r = new Recorder();
    try (NatsKeyValueWatchSubscription sub = kv.watch("k", r)) {
      assertThat(r.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(r.await(1)).extracting(KeyValueIT::text).containsExactly("current");
      kv.put("k", "next");
      kv.put("other", "y");
      kv.delete("k");
      kv.put("k", "back");
      kv.purge("k");
      r.await(5);
      assertThat(r.keysAndValues()).containsExactly("k=current", "k=next", "k=DELETE", "k=back", "k=PURGE");
    }
  }

  @Test
  void watchAllWithHistoryAndUpdatesOnly() throws Exception {
    KeyValue kv = bucket("wa", 5);
    kv.put("a", "1");
    kv.put("b", "1");
    kv.put("a", "2");

    Recorder history = new Recorder();
    Recorder latest = new Recorder();
    Recorder updates = new Recorder();
    try (NatsKeyValueWatchSubscription h = kv.watchAll(history, KeyValueWatchOption.INCLUDE_HISTORY);
        NatsKeyValueWatchSubscription l = kv.watchAll(latest);
        NatsKeyValueWatchSubscription u = kv.watchAll(updates, KeyValueWatchOption.UPDATES_ONLY)) {
      assertThat(history.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(latest.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(updates.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(history.await(3)).hasSize(3);
      assertThat(history.keysAndValues()).containsExactly("a=1", "b=1", "a=2");
      assertThat(latest.await(2)).hasSize(2);
      assertThat(latest.keysAndValues()).containsExactly("b=1", "a=2");
      assertThat(updates.keysAndValues()).isEmpty();

      kv.put("c.d", "3");
      kv.delete("b");
      history.await(5);
      latest.await(4);
      updates.await(2);
      assertThat(updates.keysAndValues()).containsExactly("c.d=3", "b=DELETE");
      assertThat(latest.keysAndValues()).containsExactly("b=1", "a=2", "c.d=3", "b=DELETE");
    }

    Recorder noDeletes = new Recorder();
    try (NatsKeyValueWatchSubscription n = kv.watchAll(noDeletes, KeyValueWatchOption.IGNORE_DELETE)) {
      assertThat(noDeletes.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(noDeletes.keysAndValues()).containsExactly("a=2", "c.d=3");
    }
  }

  @Test
  void watchFromARevisionAndMetaOnly() throws Exception {
    KeyValue kv = bucket("wr", 5);
    kv.put("a", "1");
    long r2 = kv.put("b", "2");
    kv.put("a", "3");
    Recorder from = new Recorder();
    Recorder meta = new Recorder();
    try (NatsKeyValueWatchSubscription f = kv.watchAll(from, r2);
        NatsKeyValueWatchSubscription m = kv.watch("a", meta, KeyValueWatchOption.META_ONLY)) {
      assertThat(from.await(2)).extracting(KeyValueEntry::getRevision).containsExactly(2L, 3L);
      assertThat(meta.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      List<KeyValueEntry> metaEntries = meta.await(1);
      assertThat(metaEntries).extracting(KeyValueEntry::getRevision).containsExactly(3L);
      // headers only: the value stays on the server, its length comes in Nats-Msg-Size
      assertThat(metaEntries.get(0).getValue()).isNullOrEmpty();
      assertThat(metaEntries.get(0).getDataLen()).isEqualTo(1);
    }
  }

  @Test
  void watchingAnEmptyBucketEndsDataAtOnce() throws Exception {
    KeyValue kv = bucket("empty", 1);
    Recorder r = new Recorder();
    try (NatsKeyValueWatchSubscription sub = kv.watchAll(r)) {
      assertThat(r.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      kv.put("x", "1");
      assertThat(r.await(1)).extracting(KeyValueIT::text).containsExactly("1");
    }
  }

  @Test
  void perBucketTtlExpiresValues() throws Exception {
    kvm.create(KeyValueConfiguration.builder().name("ttl").ttl(Duration.ofSeconds(1))
        .storageType(StorageType.File).build());
    KeyValue kv = nc.keyValue("ttl");
    kv.put("k", "v");
    assertThat(text(kv.get("k"))).isEqualTo("v");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (kv.get("k") != null && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(kv.get("k")).as("expired after the bucket's TTL").isNull();
    assertThat(kvm.getStatus("ttl").getEntryCount()).isZero();
    kv.put("k", "again");
    assertThat(text(kv.get("k"))).isEqualTo("again");
  }
}
