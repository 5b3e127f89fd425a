package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.KeyValue;
import io.nats.client.ObjectStore;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** KV buckets and object stores on file storage are all there after the broker restarts on its store. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyValueRestartIT extends JetStreamClientTest {

  private void restart() throws Exception {
    nc.close();
    broker.close();
    broker = JsBroker.start(store);
    nc = JsBroker.connect(broker);
    jsm = nc.jetStreamManagement();
    js = nc.jetStream();
  }

  @Test
  void bucketsValuesMarkersAndObjectsSurviveARestart() throws Exception {
    nc.keyValueManagement().create(KeyValueConfiguration.builder().name("cfg").maxHistoryPerKey(3)
        .storageType(StorageType.File).build());
    KeyValue kv = nc.keyValue("cfg");
    kv.put("a", "1");
    kv.put("a", "2");
    kv.put("b", "1");
    kv.delete("b");
    nc.objectStoreManagement().create(ObjectStoreConfiguration.builder("files").storageType(StorageType.File)
        .build());
    byte[] blob = new byte[1024 * 1024 + 17];
    new Random(11).nextBytes(blob);
    ObjectInfo put = nc.objectStore("files").put("blob", blob);

    restart();

    KeyValue after = nc.keyValue("cfg");
    assertThat(new String(after.get("a").getValue(), StandardCharsets.UTF_8)).isEqualTo("2");
    assertThat(after.get("a").getRevision()).isEqualTo(2);
    assertThat(after.get("b")).isNull();
    assertThat(after.history("b")).extracting(KeyValueEntry::getOperation)
        .containsExactly(KeyValueOperation.PUT, KeyValueOperation.DELETE);
    assertThat(after.keys()).containsExactly("a");
    assertThatThrownBy(() -> after.create("a", bytes("x")))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10071));
    assertThat(after.put("c", "new")).isEqualTo(5);
    assertThat(nc.keyValueManagement().getStatus("cfg").getMaxHistoryPerKey()).isEqualTo(3);

    ObjectStore os = nc.objectStore("files");
    ObjectInfo info = os.getInfo("blob");
    assertThat(info.getDigest()).isEqualTo(put.getDigest());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    os.get("blob", out);
    assertThat(out.toByteArray()).isEqualTo(blob);
    assertThat(os.getList()).extracting(ObjectInfo::getObjectName).containsExactly("blob");
  }
}
