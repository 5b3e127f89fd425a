package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Dispatcher;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Push consumers: deliver subject and group, heartbeats, flow control, ordered consumers, rate limit, inactivity. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JetStreamPushConsumerIT extends JetStreamClientTest {

  private void stream(String name, String subjects, StorageType storage) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(storage).build());
  }

  /** Publishes {@code n} messages with a window of outstanding acknowledgements. */
  private void publish(String subject, int n, int size) throws Exception {
    ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
    for (int i = 1; i <= n; i++) {
      byte[] body = new byte[size];
      byte[] id = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(id, 0, body, 0, Math.min(id.length, size));
      window.add(js.publishAsync(subject, size >= id.length ? body : id));
      if (window.size() >= 256) {
        window.poll().get(30, TimeUnit.SECONDS);
      }
    }
    for (CompletableFuture<PublishAck> f : window) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  private static String text(Message m) {
    return new String(m.getData(), StandardCharsets.UTF_8);
  }

  @Test
  void durablePushConsumerDeliversAndTakesAcks() throws Exception {
    stream("P", "p.*", StorageType.File);
    for (int i = 1; i <= 5; i++) {
      js.publish("p.x", bytes("m" + i));
    }
    JetStreamSubscription sub = js.subscribe("p.*", PushSubscribeOptions.builder().durable("PD")
        .configuration(ConsumerConfiguration.builder().ackPolicy(AckPolicy.Explicit).build()).build());
    for (int i = 1; i <= 5; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(text(m)).isEqualTo("m" + i);
      assertThat(m.getSubject()).isEqualTo("p.x");
      assertThat(m.metaData().consumerSequence()).isEqualTo(i);
      m.ack();
    }
    js.publish("p.y", bytes("m6"));
    Message m6 = sub.nextMessage(Duration.ofSeconds(5));
    assertThat(text(m6)).isEqualTo("m6");
    m6.ackSync(Duration.ofSeconds(5));
    ConsumerInfo ci = jsm.getConsumerInfo("P", "PD");
    assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(6);
    assertThat(ci.getConsumerConfiguration().getDeliverSubject()).isNotBlank();
    assertThat(ci.isPushBound()).isTrue();
  }

  @Test
  void deliverGroupSharesMessagesBetweenMembers() throws Exception {
    stream("Q", "q.*", StorageType.File);
    Set members = new Set();
    Dispatcher d = nc.createDispatcher();
    PushSubscribeOptions opts = PushSubscribeOptions.builder().durable("QD").deliverGroup("workers").build();
    js.subscribe("q.*", "workers", d, m -> members.add("a", m), true, opts);
    js.subscribe("q.*", "workers", d, m -> members.add("b", m), true, opts);
    publish("q.x", 200, 4);
    for (int i = 0; i < 100 && members.total.get() < 200; i++) {
      Thread.sleep(50);
    }
    assertThat(members.total.get()).isEqualTo(200);
    assertThat(members.seen).hasSize(200);
    assertThat(jsm.getConsumerInfo("Q", "QD").getConsumerConfiguration().getDeliverGroup()).isEqualTo("workers");
  }

  /** Messages seen by queue members, each once. */
  private static final class Set {
    final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();
    final AtomicInteger total = new AtomicInteger();

    void add(String member, Message m) {
      seen.put(new String(m.getData(), StandardCharsets.UTF_8), member);
      total.incrementAndGet();
    }
  }

  @Test
  void idleHeartbeatCarriesTheLastSequences() throws Exception {
    stream("H", "h.*", StorageType.File);
    js.publish("h.a", bytes("one"));
    Subscription in = nc.subscribe("hb.in");
    nc.flush(Duration.ofSeconds(2));
    jsm.addOrUpdateConsumer("H", ConsumerConfiguration.builder().durable("HD").deliverSubject("hb.in")
        .idleHeartbeat(Duration.ofMillis(200)).build());
    Message first = in.nextMessage(Duration.ofSeconds(3));
    assertThat(text(first)).isEqualTo("one");
    Message hb = in.nextMessage(Duration.ofSeconds(3));
    assertThat(hb.isStatusMessage()).isTrue();
    assertThat(hb.getStatus().getCode()).isEqualTo(100);
    assertThat(hb.getStatus().getMessage()).isEqualTo("Idle Heartbeat");
    assertThat(hb.getHeaders().getFirst("Nats-Last-Consumer")).isEqualTo("1");
    assertThat(hb.getHeaders().getFirst("Nats-Last-Stream")).isEqualTo("1");
  }

  @Test
  void flowControlRequestsAskForAReply() throws Exception {
    stream("F", "f.*", StorageType.File);
    publish("f.a", 40, 100_000);
    Subscription in = nc.subscribe("fc.in");
    nc.flush(Duration.ofSeconds(2));
    jsm.addOrUpdateConsumer("F", ConsumerConfiguration.builder().durable("FD").deliverSubject("fc.in")
        .flowControl(Duration.ofSeconds(5)).build());
    int data = 0;
    int requests = 0;
    while (data < 40) {
      Message m = in.nextMessage(Duration.ofSeconds(5));
      assertThat(m).as("after %d messages", data).isNotNull();
      if (m.isStatusMessage()) {
        if (m.getStatus().getCode() == 100 && m.getStatus().getMessage().equals("FlowControl Request")) {
          assertThat(m.getReplyTo()).startsWith("$JS.FC.F.FD.");
          requests++;
          nc.publish(m.getReplyTo(), null);
        }
        continue;
      }
      data++;
    }
    assertThat(requests).isPositive();
  }

  @Test
  void flowControlKeepsASlowSubscriberWhole() throws Exception {
    stream("SL", "sl.*", StorageType.File);
    publish("sl.a", 3000, 2048);
    AtomicLong last = new AtomicLong();
    AtomicInteger count = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    Dispatcher d = nc.createDispatcher();
    js.subscribe("sl.*", d, m -> {
      long seq = m.metaData().streamSequence();
      if (seq == last.get() + 1) {
        last.set(seq);
        count.incrementAndGet();
      }
      if (count.get() % 500 == 0) {
        try {
          Thread.sleep(20); // slow subscriber
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (count.get() == 3000) {
        done.countDown();
      }
    }, true, PushSubscribeOptions.builder().configuration(ConsumerConfiguration.builder()
        .flowControl(Duration.ofSeconds(1)).build()).build());
    assertThat(done.await(60, TimeUnit.SECONDS)).as("received %d", count.get()).isTrue();
  }

  @Test
  void orderedConsumerDeliversAHundredThousandInOrder() throws Exception {
    stream("O", "o.*", StorageType.File);
    int n = 100_000;
    publish("o.a", n, 16);
    JetStreamSubscription sub = js.subscribe("o.*", PushSubscribeOptions.builder().ordered(true).build());
    long expected = 1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (expected <= n && System.nanoTime() < deadline) {
      Message m = sub.nextMessage(Duration.ofSeconds(10));
      if (m == null) {
        break;
      }
      assertThat(m.metaData().streamSequence()).isEqualTo(expected);
      expected++;
    }
    assertThat(expected - 1).isEqualTo(n);
    assertThat(sub.nextMessage(Duration.ofMillis(300))).isNull();
  }

  @Test
  void rateLimitedConsumerStillDeliversEverything() throws Exception {
    stream("R", "r.*", StorageType.File);
    publish("r.a", 20, 100);
    JetStreamSubscription sub = js.subscribe("r.*", PushSubscribeOptions.builder().configuration(
        ConsumerConfiguration.builder().rateLimit(80_000).build()).build());
    for (int i = 1; i <= 20; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(10));
      assertThat(m).isNotNull();
      assertThat(m.metaData().streamSequence()).isEqualTo(i);
    }
    String name = sub.getConsumerInfo().getName();
    assertThat(jsm.getConsumerInfo("R", name).getConsumerConfiguration().getRateLimit()).isEqualTo(80_000);
  }

  @Test
  void ephemeralPullConsumerGoesAwayAfterItsInactiveThreshold() throws Exception {
    stream("I", "i.*", StorageType.Memory);
    ConsumerInfo ci = jsm.addOrUpdateConsumer("I", ConsumerConfiguration.builder()
        .inactiveThreshold(Duration.ofMillis(500)).build());
    assertThat(ci.getConsumerConfiguration().getInactiveThreshold()).isEqualTo(Duration.ofMillis(500));
    List<String> names = new ArrayList<>(List.of(ci.getName()));
    for (int i = 0; i < 100 && !names.isEmpty(); i++) {
      Thread.sleep(100);
      names = jsm.getConsumerNames("I");
    }
    assertThat(names).isEmpty();
  }

  @Test
  void ephemeralPushConsumerGoesAwayWhenNobodyListens() throws Exception {
    stream("E", "e.*", StorageType.Memory);
    JetStreamSubscription sub = js.subscribe("e.*", PushSubscribeOptions.builder().configuration(
        ConsumerConfiguration.builder().inactiveThreshold(Duration.ofMillis(500)).build()).build());
    js.publish("e.a", bytes("x"));
    assertThat(sub.nextMessage(Duration.ofSeconds(5))).isNotNull();
    sub.unsubscribe();
    nc.flush(Duration.ofSeconds(2));
    List<String> names = jsm.getConsumerNames("E");
    for (int i = 0; i < 100 && !names.isEmpty(); i++) {
      js.publish("e.a", bytes("y")); // a delivery nobody takes is how the consumer learns it is alone
      Thread.sleep(100);
      names = jsm.getConsumerNames("E");
    }
    assertThat(names).isEmpty();
  }

  @Test
  void orderedLastPerSubjectHeadersOnlyConsumerSeesEachSubjectOnceThenNews() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("KVL").subjects("$KV.b.>").maxMessagesPerSubject(5)
        .storageType(StorageType.File).build());
    js.publish("$KV.b.x", bytes("x1"));
    js.publish("$KV.b.y", bytes("y1"));
    js.publish("$KV.b.x", bytes("x2"));
    JetStreamSubscription sub = js.subscribe("$KV.b.>", PushSubscribeOptions.builder().ordered(true)
        .configuration(ConsumerConfiguration.builder().deliverPolicy(io.nats.client.api.DeliverPolicy.LastPerSubject)
            .headersOnly(true).build()).build());
    Message y = sub.nextMessage(Duration.ofSeconds(5));
    Message x = sub.nextMessage(Duration.ofSeconds(5));
    assertThat(y.getSubject()).isEqualTo("$KV.b.y");
    assertThat(y.metaData().streamSequence()).isEqualTo(2);
    assertThat(y.metaData().pendingCount()).isEqualTo(1);
    assertThat(y.getHeaders().getFirst("Nats-Msg-Size")).isEqualTo("2");
    assertThat(x.metaData().streamSequence()).isEqualTo(3);
    assertThat(x.metaData().pendingCount()).isZero();
    js.publish("$KV.b.z", bytes("z1"));
    Message z = sub.nextMessage(Duration.ofSeconds(5));
    assertThat(z.getSubject()).isEqualTo("$KV.b.z");
    assertThat(z.getData()).isEmpty();
  }

  @Test
  void replayOriginalDeliversEverythingInOrder() throws Exception {
    stream("RO", "ro.*", StorageType.File);
    for (int i = 1; i <= 3; i++) {
      js.publish("ro.a", bytes("m" + i));
      Thread.sleep(200);
    }
    JetStreamSubscription sub = js.subscribe("ro.*", PushSubscribeOptions.builder().configuration(
        ConsumerConfiguration.builder().replayPolicy(io.nats.client.api.ReplayPolicy.Original).build()).build());
    for (int i = 1; i <= 3; i++) {
      Message m = sub.nextMessage(Duration.ofSeconds(5));
      assertThat(m).isNotNull();
      assertThat(text(m)).isEqualTo("m" + i);
    }
    js.publish("ro.a", bytes("m4"));
    assertThat(text(sub.nextMessage(Duration.ofSeconds(5)))).isEqualTo("m4");
  }
}
