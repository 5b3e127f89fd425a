package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Message;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading and removing stored messages: MSG.GET, DIRECT.GET, MSG.DELETE and PURGE. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamMessagesIT extends JetStreamClientTest {

  private static String text(MessageInfo mi) {
    return new String(mi.getData(), StandardCharsets.UTF_8);
  }

  /** Stream G on g.*: g.a=1, g.b=2, g.a=3, g.c=4, g.b=5 (payload = sequence). */
  private void fill(boolean direct) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("G").subjects("g.*").allowDirect(direct).build());
    String[] subjects = {"g.a", "g.b", "g.a", "g.c", "g.b"};
    for (int i = 0; i < subjects.length; i++) {
      js.publish(subjects[i], bytes(Integer.toString(i + 1)));
    }
  }

  @Test
  void msgGetBySequenceLastAndNextBySubject() throws Exception {
    fill(false);
    MessageInfo m2 = jsm.getMessage("G", 2);
    assertThat(m2.getSubject()).isEqualTo("g.b");
    assertThat(m2.getSeq()).isEqualTo(2);
    assertThat(text(m2)).isEqualTo("2");
    assertThat(m2.getTime()).isNotNull();
    assertThat(jsm.getLastMessage("G", "g.a").getSeq()).isEqualTo(3);
    assertThat(jsm.getLastMessage("G", "g.*").getSeq()).isEqualTo(5);
    assertThat(jsm.getNextMessage("G", 2, "g.a").getSeq()).isEqualTo(3);
    assertThat(jsm.getNextMessage("G", 4, "g.*").getSeq()).isEqualTo(4);
    assertThatThrownBy(() -> jsm.getMessage("G", 99))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));
    assertThatThrownBy(() -> jsm.getLastMessage("G", "g.zz"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));
    assertThatThrownBy(() -> jsm.getMessage("NOPE", 1))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10059));
  }

  @Test
  void directGetAnswersWithHeadersAndA404() throws Exception {
    fill(true);
    // jnats uses DIRECT.GET for streams that allow it
    MessageInfo m = jsm.getLastMessage("G", "g.b");
    assertThat(m.getSeq()).isEqualTo(5);
    assertThat(m.getSubject()).isEqualTo("g.b");
    assertThat(text(m)).isEqualTo("5");
    assertThatThrownBy(() -> jsm.getMessage("G", 42))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));

    Message raw = nc.request("$JS.API.DIRECT.GET.G", bytes("{\"seq\":4}"), Duration.ofSeconds(5));
    assertThat(raw.getHeaders().getFirst("Nats-Stream")).isEqualTo("G");
    assertThat(raw.getHeaders().getFirst("Nats-Subject")).isEqualTo("g.c");
    assertThat(raw.getHeaders().getFirst("Nats-Sequence")).isEqualTo("4");
    assertThat(raw.getHeaders().getFirst("Nats-Time-Stamp")).isNotBlank();
    assertThat(new String(raw.getData(), StandardCharsets.UTF_8)).isEqualTo("4");

    Message bySubject = nc.request("$JS.API.DIRECT.GET.G.g.a", new byte[0], Duration.ofSeconds(5));
    assertThat(bySubject.getHeaders().getFirst("Nats-Sequence")).isEqualTo("3");

    Message missing = nc.request("$JS.API.DIRECT.GET.G", bytes("{\"seq\":77}"), Duration.ofSeconds(5));
    assertThat(missing.isStatusMessage()).isTrue();
    assertThat(missing.getStatus().getCode()).isEqualTo(404);
    assertThat(missing.getStatus().getMessage()).isEqualTo("Message Not Found");

    Message empty = nc.request("$JS.API.DIRECT.GET.G", new byte[0], Duration.ofSeconds(5));
    assertThat(empty.getStatus().getCode()).isEqualTo(408);
  }

  @Test
  void directGetKeepsTheMessageHeaders() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("DH").subjects("dh").allowDirect(true).build());
    js.publish(NatsMessage.builder().subject("dh").headers(new Headers().add("X-A", "1")).data(bytes("d")).build());
    Message raw = nc.request("$JS.API.DIRECT.GET.DH", bytes("{\"seq\":1}"), Duration.ofSeconds(5));
    assertThat(raw.getHeaders().getFirst("X-A")).isEqualTo("1");
    assertThat(raw.getHeaders().getFirst("Nats-Sequence")).isEqualTo("1");
  }

  @Test
  void msgDeleteLeavesAGapAndRefusesTwice() throws Exception {
    fill(false);
    assertThat(jsm.deleteMessage("G", 2)).isTrue();
    assertThat(jsm.deleteMessage("G", 3, false)).isTrue();
    assertThatThrownBy(() -> jsm.deleteMessage("G", 2))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10043))
        .hasMessageContaining("sequence 2 not found");
    StreamInfo si = jsm.getStreamInfo("G", StreamInfoOptions.deletedDetails());
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(3);
    assertThat(si.getStreamState().getDeletedCount()).isEqualTo(2);
    assertThat(si.getStreamState().getDeleted()).containsExactly(2L, 3L);
    assertThat(jsm.deleteMessage("G", 1)).isTrue();
    si = jsm.getStreamInfo("G");
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(4);
    assertThat(si.getStreamState().getDeletedCount()).isZero();
    assertThatThrownBy(() -> jsm.getMessage("G", 2)).satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));
  }

  @Test
  void denyDeleteAndDenyPurgeAreEnforced() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("DD").subjects("dd").denyDelete(true).denyPurge(true).build());
    js.publish("dd", bytes("1"));
    assertThatThrownBy(() -> jsm.deleteMessage("DD", 1))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10057));
    assertThatThrownBy(() -> jsm.purgeStream("DD"))
        .satisfies(e -> assertThat(apiError(e)).isEqualTo(10110));
  }

  @Test
  void purgeEverything() throws Exception {
    fill(false);
    assertThat(jsm.purgeStream("G").getPurged()).isEqualTo(5);
    StreamInfo si = jsm.getStreamInfo("G");
    assertThat(si.getStreamState().getMsgCount()).isZero();
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(6);
    assertThat(si.getStreamState().getLastSequence()).isEqualTo(5);
    assertThat(js.publish("g.a", bytes("6")).getSeqno()).isEqualTo(6);
  }

  @Test
  void purgeBySubjectFilter() throws Exception {
    fill(false);
    assertThat(jsm.purgeStream("G", PurgeOptions.subject("g.a")).getPurged()).isEqualTo(2);
    assertThat(jsm.getStreamInfo("G").getStreamState().getMsgCount()).isEqualTo(3);
    assertThatThrownBy(() -> jsm.getLastMessage("G", "g.a")).satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));
  }

  @Test
  void purgeUpToASequence() throws Exception {
    fill(false);
    assertThat(jsm.purgeStream("G", PurgeOptions.builder().sequence(4).build()).getPurged()).isEqualTo(3);
    StreamInfo si = jsm.getStreamInfo("G");
    assertThat(si.getStreamState().getFirstSequence()).isEqualTo(4);
    assertThat(si.getStreamState().getMsgCount()).isEqualTo(2);
  }

  @Test
  void purgeKeepingTheNewest() throws Exception {
    fill(false);
    assertThat(jsm.purgeStream("G", PurgeOptions.builder().keep(2).build()).getPurged()).isEqualTo(3);
    assertThat(jsm.getStreamInfo("G").getStreamState().getFirstSequence()).isEqualTo(4);
    assertThat(jsm.purgeStream("G", PurgeOptions.builder().keep(5).build()).getPurged()).isZero();
  }

  @Test
  void purgeFilterWithKeep() throws Exception {
    fill(false);
    assertThat(jsm.purgeStream("G", PurgeOptions.builder().subject("g.b").keep(1).build()).getPurged()).isEqualTo(1);
    assertThat(jsm.getStreamInfo("G").getStreamState().getMsgCount()).isEqualTo(4);
    assertThat(jsm.getLastMessage("G", "g.b").getSeq()).isEqualTo(5);
    assertThatThrownBy(() -> jsm.getMessage("G", 2)).satisfies(e -> assertThat(apiError(e)).isEqualTo(10037));
  }
}
