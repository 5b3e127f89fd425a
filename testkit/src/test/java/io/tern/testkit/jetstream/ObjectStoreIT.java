package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreStatus;
import io.nats.client.api.ObjectStoreWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsObjectStoreWatchSubscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jnats {@code ObjectStore} and {@code ObjectStoreManagement} against the broker: a bucket is the
 * stream {@code OBJ_<bucket>}, an object is chunks on {@code $O.<bucket>.C.<nuid>} and one
 * rolled-up meta message on {@code $O.<bucket>.M.<encoded name>}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectStoreIT extends JetStreamClientTest {

  private static final int FIVE_MB = 5 * 1024 * 1024;
  private static final int DEFAULT_CHUNK = 128 * 1024;

  private ObjectStoreManagement osm;

  @BeforeEach
  void management() throws Exception {
    osm = nc.objectStoreManagement();
  }

  private ObjectStore bucket(String name) throws Exception {
    osm.create(ObjectStoreConfiguration.builder(name).storageType(StorageType.File).build());
    return nc.objectStore(name);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return "SHA-256=" + Base64.getUrlEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void createdBucketIsAStreamWithObjectStoreSettings() throws Exception {
    ObjectStoreStatus status = osm.create(ObjectStoreConfiguration.builder("files").description("docs")
        .storageType(StorageType.File).build());
    assertThat(status.getBucketName()).isEqualTo("files");
    assertThat(status.getDescription()).isEqualTo("docs");
    assertThat(status.isSealed()).isFalse();
    assertThat(status.getSize()).isZero();
    assertThat(status.getBackingStore()).isEqualTo("JetStream");

    StreamConfiguration sc = jsm.getStreamInfo("OBJ_files").getConfiguration();
    assertThat(sc.getSubjects()).containsExactly("$O.files.M.>", "$O.files.C.>");
    assertThat(sc.getAllowRollup()).isTrue();
    assertThat(sc.getAllowDirect()).isTrue();
    assertThat(sc.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);

    bucket("more");
    assertThat(osm.getBucketNames()).containsExactlyInAnyOrder("files", "more");
    osm.delete("files");
    assertThat(osm.getBucketNames()).containsExactly("more");
    assertThatThrownBy(() -> nc.objectStore("files").getStatus())
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
  }

  @Test
  void putOfFiveMegabytesIsChunkedWithADigest() throws Exception {
    ObjectStore os = bucket("big");
    byte[] data = randomBytes(FIVE_MB, 5);
    ObjectInfo put = os.put("blob.bin", data);
    assertThat(put.getSize()).isEqualTo(FIVE_MB);
    assertThat(put.getChunks()).isEqualTo(FIVE_MB / DEFAULT_CHUNK);
    assertThat(put.getDigest()).isEqualTo(sha256(data));
    assertThat(put.getNuid()).isNotBlank();

    ObjectInfo info = os.getInfo("blob.bin");
    assertThat(info.getSize()).isEqualTo(FIVE_MB);
    assertThat(info.getChunks()).isEqualTo(40);
    assertThat(info.getNuid()).isEqualTo(put.getNuid());
    assertThat(info.getDigest()).isEqualTo(put.getDigest());
    assertThat(info.getModified()).isNotNull();
    assertThat(info.getBucket()).isEqualTo("big");

    StreamInfo si = jsm.getStreamInfo("OBJ_big");
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(41);
    assertThat(os.getStatus().getSize()).isGreaterThan(FIVE_MB);
  }

  @Test
  void getOfFiveMegabytesReturnsTheSameBytes() throws Exception {
    ObjectStore os = bucket("big");
    byte[] data = randomBytes(FIVE_MB, 7);
    os.put("blob.bin", data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ObjectInfo info = os.get("blob.bin", out);
    assertThat(info.getSize()).isEqualTo(FIVE_MB);
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void smallObjectsAreOneChunkReadByDirectGet() throws Exception {
    ObjectStore os = bucket("small");
    byte[] data = randomBytes(1000, 1);
    ObjectInfo put = os.put("one", data);
    assertThat(put.getChunks()).isEqualTo(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    os.get("one", out);
    assertThat(out.toByteArray()).isEqualTo(data);

    ObjectInfo empty = os.put("empty", new byte[0]);
    assertThat(empty.getChunks()).isZero();
    assertThat(empty.getSize()).isZero();

    assertThatThrownBy(() -> os.get("nope", new ByteArrayOutputStream()))
        .hasMessageContaining("The object was not found");
  }

  @Test
  void metadataDescriptionHeadersAndRename() throws Exception {
    ObjectStore os = bucket("meta");
    Headers headers = new Headers().put("Content-Type", "text/plain");
    ObjectMeta meta = ObjectMeta.builder("report.txt").description("quarterly").headers(headers)
        .metadata(Map.of("owner", "ops")).chunkSize(4096).build();
    byte[] data = randomBytes(10_000, 3);
    ObjectInfo put = os.put(meta, new ByteArrayInputStream(data));
    assertThat(put.getChunks()).isEqualTo(3);

    ObjectInfo info = os.getInfo("report.txt");
    assertThat(info.getDescription()).isEqualTo("quarterly");
    assertThat(info.getHeaders().getFirst("Content-Type")).isEqualTo("text/plain");
    assertThat(info.getObjectMeta().getMetadata()).containsEntry("owner", "ops");
    assertThat(info.getObjectMeta().getObjectMetaOptions().getChunkSize()).isEqualTo(4096);

    os.updateMeta("report.txt", ObjectMeta.builder("renamed.txt").description("annual").build());
    assertThat(os.getInfo("report.txt")).isNull();
    ObjectInfo renamed = os.getInfo("renamed.txt");
    assertThat(renamed.getDescription()).isEqualTo("annual");
    assertThat(renamed.getNuid()).isEqualTo(put.getNuid());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    os.get("renamed.txt", out);
    assertThat(out.toByteArray()).isEqualTo(data);
  }

  @Test
  void replacingAnObjectKeepsOneMetaMessage() throws Exception {
    ObjectStore os = bucket("rep");
    os.put("x", randomBytes(100, 1));
    os.put("x", randomBytes(200, 2));
    assertThat(os.getInfo("x").getSize()).isEqualTo(200);
    // the rollup on the meta subject leaves one meta message for the name
    Map<String, Long> subjects = jsm.getStreamInfo("OBJ_rep",
        StreamInfoOptions.filterSubjects("$O.rep.M.>")).getStreamState().getSubjectMap();
    assertThat(subjects.values()).containsExactly(1L);
  }

  @Test
  void listShowsLiveObjects() throws Exception {
    ObjectStore os = bucket("lst");
    assertThat(os.getList()).isEmpty();
    os.put("a", randomBytes(10, 1));
    os.put("b", randomBytes(20, 2));
    os.put("c", randomBytes(30, 3));
    os.put("a", randomBytes(40, 4));
    os.delete("c");
    List<ObjectInfo> list = os.getList();
    assertThat(list).extracting(ObjectInfo::getObjectName).containsExactlyInAnyOrder("a", "b");
    assertThat(list).filteredOn(i -> i.getObjectName().equals("a")).extracting(ObjectInfo::getSize)
        .containsExactly(40L);
  }

  @Test
  void deleteMarksTheMetaAndPurgesTheChunks() throws Exception {
    ObjectStore os = bucket("del");
    byte[] data = randomBytes(3 * DEFAULT_CHUNK, 9);
    os.put("gone", data);
    os.put("kept", randomBytes(10, 1));
    assertThat(jsm.getStreamInfo("OBJ_del").getStreamState().getMsgCount()).isEqualTo(6);

    ObjectInfo deleted = os.delete("gone");
    assertThat(deleted.isDeleted()).isTrue();
    assertThat(os.getInfo("gone")).isNull();
    ObjectInfo marker = os.getInfo("gone", true);
    assertThat(marker.isDeleted()).isTrue();
    assertThat(marker.getSize()).isZero();
    assertThat(marker.getChunks()).isZero();
    // what is left: the deletion marker, and the kept object's chunk and meta
    assertThat(jsm.getStreamInfo("OBJ_del").getStreamState().getMsgCount()).isEqualTo(3);
    assertThatThrownBy(() -> os.get("gone", new ByteArrayOutputStream()))
        .hasMessageContaining("The object was not found");
    assertThatThrownBy(() -> os.delete("nothing")).hasMessageContaining("The object was not found");
  }

  /** Object infos a watcher is told of, and its end of initial data. */
  private static final class InfoRecorder implements ObjectStoreWatcher {
    final List<String> seen = new ArrayList<>();
    final CountDownLatch endOfData = new CountDownLatch(1);

    @Override
    public synchronized void watch(ObjectInfo info) {
      seen.add(info.getObjectName() + (info.isDeleted() ? ":deleted" : ":" + info.getSize()));
      notifyAll();
    }

    @Override
    public void endOfData() {
      endOfData.countDown();
    }

    synchronized List<String> await(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen.size() < count && System.nanoTime() < deadline) {
        wait(100);
      }
      return new ArrayList<>(seen);
    }
  }

  @Test
  void watchSeesTheCurrentObjectsThenPutsAndDeletes() throws Exception {
    ObjectStore os = bucket("watched");
    os.put("a", randomBytes(10, 1));
    os.put("a", randomBytes(11, 2));
    os.put("b", randomBytes(20, 3));
    InfoRecorder r = new InfoRecorder();
    try (NatsObjectStoreWatchSubscription sub = os.watch(r)) {
      assertThat(r.endOfData.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(r.await(2)).containsExactly("a:11", "b:20");
      os.put("c", randomBytes(30, 4));
      os.delete("a");
      assertThat(r.await(4)).containsExactly("a:11", "b:20", "c:30", "a:deleted");
    }
  }

  @Test
  void sealedBucketRefusesPuts() throws Exception {
    ObjectStore os = bucket("seal");
    os.put("a", randomBytes(10, 1));
    assertThat(os.seal().isSealed()).isTrue();
    assertThatThrownBy(() -> os.put("b", randomBytes(10, 2)))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10109));
    assertThat(os.getInfo("a").getSize()).isEqualTo(10);
  }
}
