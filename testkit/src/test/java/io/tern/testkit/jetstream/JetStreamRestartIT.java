package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.tern.testkit.Broker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker stopped and started again on the same store has every file stream, config and message. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JetStreamRestartIT {

  private static final int MESSAGES = 10_000;

  @TempDir
  Path store;

  @Test
  void streamsConfigsAndMessagesSurviveARestart() throws Exception {
    StreamConfiguration bigCfg = StreamConfiguration.builder().name("BIG").subjects("big.*")
        .storageType(StorageType.File).description("ten thousand").build();
    StreamConfiguration kvCfg = StreamConfiguration.builder().name("KV").subjects("kv.>")
        .maxMessagesPerSubject(1).discardPolicy(DiscardPolicy.New).allowRollup(true)
        .duplicateWindow(Duration.ofMinutes(1)).build();
    StreamInfo bigBefore;
    StreamInfo kvBefore;
    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      JetStreamManagement jsm = nc.jetStreamManagement();
      JetStream js = nc.jetStream();
      jsm.addStream(bigCfg);
      jsm.addStream(kvCfg);
      jsm.addStream(StreamConfiguration.builder().name("MEM").subjects("mem").storageType(StorageType.Memory).build());
      List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        acks.add(js.publishAsync("big." + (i % 7), ("m" + i).getBytes(StandardCharsets.UTF_8)));
        if (acks.size() == 512) {
          for (CompletableFuture<PublishAck> a : acks) {
            a.get(30, TimeUnit.SECONDS);
          }
          acks.clear();
        }
      }
      for (CompletableFuture<PublishAck> a : acks) {
        a.get(30, TimeUnit.SECONDS);
      }
      js.publish("kv.a", "1".getBytes(StandardCharsets.UTF_8), PublishOptions.builder().messageId("kv-1").build());
      js.publish("kv.b", "2".getBytes(StandardCharsets.UTF_8));
      js.publish("mem", "gone".getBytes(StandardCharsets.UTF_8));
      jsm.deleteMessage("BIG", 5);
      jsm.purgeStream("BIG", io.nats.client.PurgeOptions.builder().sequence(3).build());
      bigBefore = jsm.getStreamInfo("BIG");
      kvBefore = jsm.getStreamInfo("KV");
      nc.close();
    }

    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      JetStreamManagement jsm = nc.jetStreamManagement();
      assertThat(jsm.getStreamNames()).containsExactly("BIG", "KV");
      StreamInfo big = jsm.getStreamInfo("BIG");
      assertThat(big.getConfiguration().getDescription()).isEqualTo("ten thousand");
      assertThat(big.getConfiguration().getSubjects()).containsExactly("big.*");
      assertThat(big.getStreamState().getMsgCount()).isEqualTo(MESSAGES - 3);
      assertThat(big.getStreamState().getByteCount()).isEqualTo(bigBefore.getStreamState().getByteCount());
      assertThat(big.getStreamState().getFirstSequence()).isEqualTo(3);
      assertThat(big.getStreamState().getLastSequence()).isEqualTo(MESSAGES);
      assertThat(big.getStreamState().getDeletedCount()).isEqualTo(1);
      assertThat(big.getCreateTime()).isEqualTo(bigBefore.getCreateTime());
      for (int i = 3; i <= MESSAGES; i += 997) {
        if (i != 5) {
          assertThat(new String(jsm.getMessage("BIG", i).getData(), StandardCharsets.UTF_8)).isEqualTo("m" + (i - 1));
        }
      }
      assertThat(new String(jsm.getLastMessage("BIG", "big.3").getData(), StandardCharsets.UTF_8))
          .isEqualTo("m" + (MESSAGES - 1 - ((MESSAGES - 1 - 3) % 7)));

      StreamInfo kv = jsm.getStreamInfo("KV");
      assertThat(kv.getConfiguration().getMaxMsgsPerSubject()).isEqualTo(1);
      assertThat(kv.getConfiguration().getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
      assertThat(kv.getConfiguration().getAllowRollup()).isTrue();
      assertThat(kv.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(1));
      assertThat(kv.getStreamState().getMsgCount()).isEqualTo(kvBefore.getStreamState().getMsgCount());

      JetStream js = nc.jetStream();
      // the deduplication window and the sequence survive too
      PublishAck dup = js.publish("kv.a", "1".getBytes(StandardCharsets.UTF_8),
          PublishOptions.builder().messageId("kv-1").build());
      assertThat(dup.isDuplicate()).isTrue();
      assertThat(js.publish("big.0", "next".getBytes(StandardCharsets.UTF_8)).getSeqno()).isEqualTo(MESSAGES + 1);
      nc.close();
    }
  }

  @Test
  void aPurgedStreamKeepsItsSequenceAcrossARestart() throws Exception {
    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("P").subjects("p").build());
      for (int i = 0; i < 10; i++) {
        nc.jetStream().publish("p", new byte[] {1});
      }
      nc.jetStreamManagement().purgeStream("P");
      nc.close();
    }
    try (Broker broker = JsBroker.start(store)) {
      Connection nc = JsBroker.connect(broker);
      StreamInfo si = nc.jetStreamManagement().getStreamInfo("P");
      assertThat(si.getStreamState().getMsgCount()).isZero();
      assertThat(si.getStreamState().getLastSequence()).isEqualTo(10);
      assertThat(si.getStreamState().getFirstSequence()).isEqualTo(11);
      assertThat(nc.jetStream().publish("p", new byte[] {1}).getSeqno()).isEqualTo(11);
      nc.close();
    }
  }
}
