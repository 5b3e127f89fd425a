package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamManagement;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stream management through jnats' JetStreamManagement: create, update, info, names, list, delete. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamStreamApiIT extends JetStreamClientTest {

  @Test
  void createReturnsTheNormalisedConfigAndAnEmptyState() throws Exception {
    StreamInfo si = jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
        .storageType(StorageType.File).build());
    StreamConfiguration c = si.getConfiguration();
    assertThat(c.getName()).isEqualTo("ORDERS");
    assertThat(c.getSubjects()).containsExactly("orders.>");
    assertThat(c.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
    assertThat(c.getMaxMsgs()).isEqualTo(-1);
    assertThat(c.getMaxBytes()).isEqualTo(-1);
    assertThat(c.getMaxMsgSize()).isEqualTo(-1);
    assertThat(c.getMaxMsgsPerSubject()).isEqualTo(-1);
    assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.getReplicas()).isEqualTo(1);
    assertThat(c.getDiscardPolicy()).isEqualTo(DiscardPolicy.Old);
    assertThat(si.getStreamState().getMsgCount()).isZero();
    assertThat(si.getStreamState().getLastSequence()).isZero();
    assertThat(si.getCreateTime()).isNotNull();
  }

  @Test
  void streamWithoutSubjectsCapturesItsName() throws Exception {
    StreamInfo si = jsm.addStream(StreamConfiguration.builder().name("PLAIN").storageType(StorageType.Memory).build());
    assertThat(si.getConfiguration().getSubjects()).containsExactly("PLAIN");
    assertThat(si.getConfiguration().getStorageType()).isEqualTo(StorageType.Memory);
  }

  @Test
  void creatingTheSameStreamTwiceSucceedsButADifferentConfigIs10058() throws Exception {
    StreamConfiguration cfg = StreamConfiguration.builder().name("S").subjects("s.*").maxMessages(10).build();
    jsm.addStream(cfg);
    StreamInfo again = jsm.addStream(cfg);
    assertThat(again.getConfiguration().getMaxMsgs()).isEqualTo(10);
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.*")
        .maxMessages(11).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10058))
        .hasMessageContaining("stream name already in use with a different configuration");
  }

  @Test
  void overlappingSubjectsAreRefusedWith10065() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("A").subjects("a.>").build());
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("B").subjects("a.b").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10065));
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("C").subjects("*.x").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10065));
    jsm.addStream(StreamConfiguration.builder().name("D").subjects("b.>").build());
  }

  @Test
  void invalidConfigurationsAre10052AndReplicasAbove1Are10074() throws Exception {
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("R").subjects("r").replicas(3).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10074));
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("X").subjects("x.>", "x.a").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10052));
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("Y").subjects("y")
        .maxAge(Duration.ofMinutes(1)).duplicateWindow(Duration.ofMinutes(5)).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10052))
        .hasMessageContaining("duplicates window can not be larger then max age");
    assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("Z").subjects("$JS.API.>").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10052));
  }

  @Test
  void everyConfigFieldRoundTrips() throws Exception {
    StreamConfiguration cfg = StreamConfiguration.builder().name("FULL").description("all the fields")
        .subjects("full.>").retentionPolicy(RetentionPolicy.Limits).maxMessages(1000).maxBytes(1 << 20)
        .maxAge(Duration.ofHours(1)).maximumMessageSize(4096).maxMessagesPerSubject(5)
        .discardPolicy(DiscardPolicy.New).discardNewPerSubject(true).storageType(StorageType.File)
        .duplicateWindow(Duration.ofSeconds(30)).denyDelete(true).allowDirect(true).build();
    StreamConfiguration c = jsm.addStream(cfg).getConfiguration();
    assertThat(c.getDescription()).isEqualTo("all the fields");
    assertThat(c.getMaxMsgs()).isEqualTo(1000);
    assertThat(c.getMaxBytes()).isEqualTo(1 << 20);
    assertThat(c.getMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(c.getMaximumMessageSize()).isEqualTo(4096);
    assertThat(c.getMaxMsgsPerSubject()).isEqualTo(5);
    assertThat(c.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
    assertThat(c.isDiscardNewPerSubject()).isTrue();
    assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.getDenyDelete()).isTrue();
    assertThat(c.getAllowDirect()).isTrue();
    assertThat(jsm.getStreamInfo("FULL").getConfiguration().getMaxMsgsPerSubject()).isEqualTo(5);
  }

  @Test
  void interestAndWorkQueueRetentionAreAccepted() throws Exception {
    assertThat(jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("wq")
        .retentionPolicy(RetentionPolicy.WorkQueue).build()).getConfiguration().getRetentionPolicy())
        .isEqualTo(RetentionPolicy.WorkQueue);
    assertThat(jsm.addStream(StreamConfiguration.builder().name("IN").subjects("in")
        .retentionPolicy(RetentionPolicy.Interest).build()).getConfiguration().getRetentionPolicy())
        .isEqualTo(RetentionPolicy.Interest);
  }

  @Test
  void updateChangesLimitsButNotStorage() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("U").subjects("u.*").storageType(StorageType.File).build());
    StreamInfo si = jsm.updateStream(StreamConfiguration.builder().name("U").subjects("u.*", "v")
        .storageType(StorageType.File).maxMessages(3).build());
    assertThat(si.getConfiguration().getMaxMsgs()).isEqualTo(3);
    assertThat(si.getConfiguration().getSubjects()).containsExactly("u.*", "v");
    assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("U").subjects("u.*")
        .storageType(StorageType.Memory).build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10052));
    assertThatThrownBy(() -> jsm.updateStream(StreamConfiguration.builder().name("NOPE").subjects("n").build()))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
  }

  @Test
  void updateToFewerMessagesTrimsAtOnce() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("T").subjects("t").build());
    for (int i = 0; i < 5; i++) {
      nc.jetStream().publish("t", new byte[] {(byte) i});
    }
    StreamInfo si = jsm.updateStream(StreamConfiguration.builder().name("T").subjects("t").maxMessages(2).build());
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(2);
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(4);
  }

  @Test
  void infoOfAMissingStreamIs10059() {
    assertThatThrownBy(() -> jsm.getStreamInfo("MISSING"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059))
        .hasMessageContaining("stream not found");
    assertThatThrownBy(() -> jsm.deleteStream("MISSING"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
  }

  @Test
  void infoReportsSubjectCountsWhenAsked() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("I").subjects("i.*").build());
    nc.jetStream().publish("i.a", new byte[1]);
    nc.jetStream().publish("i.a", new byte[1]);
    nc.jetStream().publish("i.b", new byte[1]);
    StreamInfo si = jsm.getStreamInfo("I", StreamInfoOptions.filterSubjects("i.*"));
    assertThat(si.getStreamState().getSubjectCount()).isEqualTo(2);
    assertThat(si.getStreamState().getSubjectMap()).containsEntry("i.a", 2L).containsEntry("i.b", 1L);
  }

  @Test
  void namesAndListAreSortedAndFilterBySubject() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("B2").subjects("b2.>").build());
    jsm.addStream(StreamConfiguration.builder().name("A1").subjects("a1.>").build());
    jsm.addStream(StreamConfiguration.builder().name("C3").subjects("c3").storageType(StorageType.Memory).build());
    assertThat(jsm.getStreamNames()).containsExactly("A1", "B2", "C3");
    assertThat(jsm.getStreamNames("b2.x")).containsExactly("B2");
    List<StreamInfo> list = jsm.getStreams();
    assertThat(list).extracting(si -> si.getConfiguration().getName()).containsExactly("A1", "B2", "C3");
  }

  @Test
  void deleteRemovesTheStreamAndItsSubjects() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("DEL").subjects("del").build());
    nc.jetStream().publish("del", new byte[1]);
    assertThat(jsm.deleteStream("DEL")).isTrue();
    assertThat(jsm.getStreamNames()).isEmpty();
    assertThatThrownBy(() -> nc.jetStream().publish("del", new byte[1])).isNotNull();
    jsm.addStream(StreamConfiguration.builder().name("DEL").subjects("del").build());
    assertThat(nc.jetStream().publish("del", new byte[1]).getSeqno()).isEqualTo(1);
  }

  @Test
  void accountInfoCountsStreamsAndStorage() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("F").subjects("f").storageType(StorageType.File).build());
    jsm.addStream(StreamConfiguration.builder().name("M").subjects("m").storageType(StorageType.Memory).build());
    nc.jetStream().publish("f", "hello".getBytes());
    nc.jetStream().publish("m", "hello".getBytes());
    AccountStatistics stats = jsm.getAccountStatistics();
    assertThat(stats.getStreams()).isEqualTo(2);
    assertThat(stats.getConsumers()).isZero();
    assertThat(stats.getStorage()).isEqualTo(22 + 1 + 5 + 8);
    assertThat(stats.getMemory()).isEqualTo(1 + 5 + 16);
    assertThat(stats.getLimits().getMaxStreams()).isEqualTo(-1);
  }
}
