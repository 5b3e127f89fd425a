package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-account JetStream: each account with {@code jetstream} has its own streams and limits, an
 * account without it is refused with 10039, and account limits give nats-server's error codes.
 */
class JetStreamAccountsIT {

  @TempDir
  Path store;
  Broker broker;

  @BeforeEach
  void start() {
    broker = startBroker();
  }

  private Broker startBroker() {
    return Brokers.start(JsBroker.config(store) + """
        accounts {
          A { jetstream: enabled, users: [{user: a, password: a}] }
          B { jetstream { max_streams: 1, max_mem: 1M, max_file: 10M, max_consumers: 2 }, users: [{user: b, password: b}] }
          C { users: [{user: c, password: c}] }
        }
        """);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Connection connect(String user) throws Exception {
    return Nats.connect(new Options.Builder().server(broker.url()).userInfo(user, user).noReconnect()
        .connectionTimeout(Duration.ofSeconds(5)).build());
  }

  private static StreamConfiguration stream(String name, String subject) {
    return StreamConfiguration.builder().name(name).subjects(subject).build();
  }

  private static int apiError(Throwable t) {
    return ((JetStreamApiException) t).getApiErrorCode();
  }

  @Test
  void sameStreamNameInTwoAccountsHoldsSeparateData() throws Exception {
    try (Connection a = connect("a"); Connection b = connect("b")) {
      a.jetStreamManagement().addStream(stream("ORDERS", "orders"));
      b.jetStreamManagement().addStream(stream("ORDERS", "orders"));
      a.jetStream().publish("orders", "from a".getBytes(StandardCharsets.UTF_8));
      a.jetStream().publish("orders", "from a again".getBytes(StandardCharsets.UTF_8));
      b.jetStream().publish("orders", "from b".getBytes(StandardCharsets.UTF_8));

      assertThat(a.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(2);
      assertThat(b.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(1);
      assertThat(new String(b.jetStreamManagement().getMessage("ORDERS", 1).getData(), StandardCharsets.UTF_8))
          .isEqualTo("from b");

      AccountStatistics infoA = a.jetStreamManagement().getAccountStatistics();
      AccountStatistics infoB = b.jetStreamManagement().getAccountStatistics();
      assertThat(infoA.getStreams()).isEqualTo(1);
      assertThat(infoA.getLimits().getMaxStreams()).isEqualTo(-1);
      assertThat(infoB.getLimits().getMaxStreams()).isEqualTo(1);
      assertThat(infoB.getLimits().getMaxConsumers()).isEqualTo(2);
      assertThat(infoB.getLimits().getMaxMemory()).isEqualTo(1_000_000);
      assertThat(infoB.getLimits().getMaxStorage()).isEqualTo(10_000_000);

      a.jetStreamManagement().deleteStream("ORDERS");
      assertThat(b.jetStreamManagement().getStreamNames()).containsExactly("ORDERS");
    }
  }

  @Test
  void accountWithoutJetStreamIsRefused() throws Exception {
    try (Connection c = connect("c")) {
      JetStreamManagement jsm = c.jetStreamManagement();
      assertThatThrownBy(jsm::getAccountStatistics).satisfies(t -> assertThat(apiError(t)).isEqualTo(10039));
      assertThatThrownBy(() -> jsm.addStream(stream("S", "s")))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10039));
      Message reply = c.request("$JS.API.STREAM.NAMES", new byte[0], Duration.ofSeconds(5));
      assertThat(new String(reply.getData(), StandardCharsets.UTF_8))
          .contains("\"err_code\":10039").contains("\"description\":\"JetStream not enabled for account\"");
    }
  }

  @Test
  void accountLimitsGiveNatsServerErrors() throws Exception {
    try (Connection b = connect("b")) {
      JetStreamManagement jsm = b.jetStreamManagement();
      jsm.addStream(stream("S1", "x"));
      assertThatThrownBy(() -> jsm.addStream(stream("S2", "y")))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10027));
      jsm.deleteStream("S1");
      assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("S3").subjects("z")
          .storageType(StorageType.Memory).maxBytes(2_000_000).build()))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10028));
      jsm.addStream(StreamConfiguration.builder().name("S4").subjects("z").storageType(StorageType.Memory).build());
      jsm.addOrUpdateConsumer("S4", io.nats.client.api.ConsumerConfiguration.builder().durable("D1").build());
      jsm.addOrUpdateConsumer("S4", io.nats.client.api.ConsumerConfiguration.builder().durable("D2").build());
      // updating an existing consumer is not a new one
      jsm.addOrUpdateConsumer("S4", io.nats.client.api.ConsumerConfiguration.builder().durable("D2")
          .description("updated").build());
      assertThatThrownBy(() -> jsm.addOrUpdateConsumer("S4",
          io.nats.client.api.ConsumerConfiguration.builder().durable("D3").build()))
          .satisfies(t -> assertThat(apiError(t)).isEqualTo(10026));
    }
  }

  @Test
  void eachAccountGetsItsStreamsBackAfterARestart() throws Exception {
    try (Connection a = connect("a"); Connection b = connect("b")) {
      a.jetStreamManagement().addStream(stream("ORDERS", "orders"));
      b.jetStreamManagement().addStream(stream("ORDERS", "orders.>"));
      for (int i = 0; i < 3; i++) {
        a.jetStream().publish("orders", ("a" + i).getBytes(StandardCharsets.UTF_8));
      }
      b.jetStream().publish("orders.1", "b".getBytes(StandardCharsets.UTF_8));
    }
    broker.close();
    broker = startBroker();
    try (Connection a = connect("a"); Connection b = connect("b")) {
      assertThat(a.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(3);
      assertThat(a.jetStreamManagement().getStreamInfo("ORDERS").getConfiguration().getSubjects())
          .containsExactly("orders");
      assertThat(b.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount()).isEqualTo(1);
      assertThat(b.jetStream().publish("orders.2", new byte[0]).getSeqno()).isEqualTo(2);
    }
  }

  @Test
  void consumersAndAcksWorkInsideAnAccount() throws Exception {
    try (Connection a = connect("a"); Connection b = connect("b")) {
      a.jetStreamManagement().addStream(stream("WORK", "work"));
      b.jetStreamManagement().addStream(stream("WORK", "work"));
      a.jetStream().publish("work", "job-a".getBytes(StandardCharsets.UTF_8));
      b.jetStream().publish("work", "job-b".getBytes(StandardCharsets.UTF_8));
      a.jetStreamManagement().addOrUpdateConsumer("WORK",
          io.nats.client.api.ConsumerConfiguration.builder().durable("C").build());
      io.nats.client.JetStreamSubscription sub = a.jetStream().subscribe(null,
          io.nats.client.PullSubscribeOptions.bind("WORK", "C"));
      java.util.List<Message> got = sub.fetch(1, Duration.ofSeconds(5));
      assertThat(got).hasSize(1);
      assertThat(new String(got.get(0).getData(), StandardCharsets.UTF_8)).isEqualTo("job-a");
      got.get(0).ackSync(Duration.ofSeconds(5));
      io.nats.client.api.ConsumerInfo info = a.jetStreamManagement().getConsumerInfo("WORK", "C");
      assertThat(info.getAckFloor().getStreamSequence()).isEqualTo(1);
      assertThat(info.getNumAckPending()).isZero();
      assertThat(b.jetStreamManagement().getConsumerNames("WORK")).isEmpty();
    }
  }
}
