package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pull consumers: the consumer API, MSG.NEXT with its status replies, and every kind of acknowledgement. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JetStreamPullConsumerIT extends JetStreamClientTest {

  private void stream(int messages) throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.*").build());
    for (int i = 1; i <= messages; i++) {
      js.publish("s." + (i % 2 == 0 ? "even" : "odd"), bytes("m" + i));
    }
  }

  private JsonObject api(String subject, String body) throws Exception {
    Message m = nc.request(subject, bytes(body), Duration.ofSeconds(5));
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
  }

  private JetStreamSubscription bind(String durable) throws Exception {
    return js.subscribe(null, PullSubscribeOptions.bind("S", durable));
  }

  private static String text(Message m) {
    return new String(m.getData(), StandardCharsets.UTF_8);
  }

  @Test
  void durableConsumerCreateInfoNamesListDelete() throws Exception {
    stream(3);
    JsonObject created = api("$JS.API.CONSUMER.DURABLE.CREATE.S.D",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"D\",\"ack_policy\":\"explicit\"}}");
    assertThat(created.getString("type")).isEqualTo("io.nats.jetstream.api.v1.consumer_create_response");
    JsonObject cfg = created.getJsonObject("config");
    assertThat(cfg.encode()).isEqualTo("{\"durable_name\":\"D\",\"deliver_policy\":\"all\","
        + "\"ack_policy\":\"explicit\",\"ack_wait\":30000000000,\"max_deliver\":-1,\"replay_policy\":\"instant\","
        + "\"max_waiting\":512,\"max_ack_pending\":1000,\"num_replicas\":0}");
    assertThat(created.getJsonObject("delivered").encode()).isEqualTo("{\"consumer_seq\":0,\"stream_seq\":0}");
    assertThat(created.getLong("num_pending")).isEqualTo(3);
    assertThat(created.containsKey("push_bound")).isFalse();

    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("E").filterSubject("s.even")
        .ackPolicy(AckPolicy.Explicit).build());
    assertThat(jsm.getConsumerNames("S")).containsExactly("D", "E");
    List<ConsumerInfo> list = jsm.getConsumers("S");
    assertThat(list).extracting(ConsumerInfo::getName).containsExactly("D", "E");
    assertThat(list.get(1).getNumPending()).isEqualTo(1);
    assertThat(jsm.getStreamInfo("S").getStreamState().getConsumerCount()).isEqualTo(2);

    ConsumerInfo e = jsm.getConsumerInfo("S", "E");
    assertThat(e.getConsumerConfiguration().getFilterSubject()).isEqualTo("s.even");
    assertThat(jsm.deleteConsumer("S", "E")).isTrue();
    assertThatThrownBy(() -> jsm.getConsumerInfo("S", "E")).satisfies(x -> assertThat(apiError(x)).isEqualTo(10014));
    assertThatThrownBy(() -> jsm.deleteConsumer("S", "E")).satisfies(x -> assertThat(apiError(x)).isEqualTo(10014));
    assertThatThrownBy(() -> jsm.getConsumerInfo("NOPE", "E"))
        .satisfies(x -> assertThat(apiError(x)).isEqualTo(10059));

    JsonObject names = api("$JS.API.CONSUMER.NAMES.S", "");
    assertThat(names.encode()).isEqualTo("{\"type\":\"io.nats.jetstream.api.v1.consumer_names_response\","
        + "\"total\":1,\"offset\":0,\"limit\":1024,\"consumers\":[\"D\"]}");
  }

  @Test
  void createErrorsUseNatsServerCodes() throws Exception {
    stream(0);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"Y\"}}").getJsonObject("error").getInteger("err_code"))
        .isEqualTo(10017);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"T\",\"config\":{\"durable_name\":\"X\"}}").getJsonObject("error").getInteger("err_code"))
        .isEqualTo(10056);
    assertThat(api("$JS.API.CONSUMER.CREATE.S", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\"}}")
        .getJsonObject("error").getInteger("err_code")).isEqualTo(10020);
    JsonObject filter = api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"filter_subject\":\"t.x\"}}").getJsonObject("error");
    assertThat(filter.getInteger("err_code")).isEqualTo(10093);
    assertThat(filter.getString("description"))
        .isEqualTo("consumer filter subject is not a valid subset of the interest subjects");
    JsonObject policy = api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"deliver_policy\":\"by_start_sequence\"}}")
        .getJsonObject("error");
    assertThat(policy.getInteger("err_code")).isEqualTo(10094);
    assertThat(policy.getString("description"))
        .isEqualTo("consumer delivery policy is deliver by start sequence, but optional start sequence is not set");
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"idle_heartbeat\":1000000000}}")
        .getJsonObject("error").getInteger("err_code")).isEqualTo(10088);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"deliver_subject\":\"d\",\"flow_control\":true}}")
        .getJsonObject("error").getInteger("err_code")).isEqualTo(10108);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"deliver_subject\":\"s.loop\"}}")
        .getJsonObject("error").getInteger("err_code")).isEqualTo(10081);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"max_deliver\":2,\"backoff\":[1,2]}}")
        .getJsonObject("error").getInteger("err_code")).isEqualTo(10116);
    assertThat(api("$JS.API.CONSUMER.DURABLE.CREATE.S.X", "").getJsonObject("error").getInteger("err_code"))
        .isEqualTo(10025);

    api("$JS.API.CONSUMER.DURABLE.CREATE.S.X", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\"}}");
    JsonObject change = api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"ack_policy\":\"explicit\"}}")
        .getJsonObject("error");
    assertThat(change.encode()).isEqualTo("{\"code\":500,\"err_code\":10012,\"description\":\"ack policy can not be updated\"}");
    // an allowed change updates the consumer
    JsonObject updated = api("$JS.API.CONSUMER.DURABLE.CREATE.S.X",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"X\",\"description\":\"now described\"}}");
    assertThat(updated.getJsonObject("config").getString("description")).isEqualTo("now described");
  }

  @Test
  void fetchDeliversInOrderWithMetadataAndAcksMoveTheFloor() throws Exception {
    stream(10);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    JetStreamSubscription sub = bind("D");
    List<Message> first = sub.fetch(4, Duration.ofSeconds(3));
    assertThat(first).extracting(JetStreamPullConsumerIT::text).containsExactly("m1", "m2", "m3", "m4");
    assertThat(first.get(1).getSubject()).isEqualTo("s.even");
    NatsJetStreamMetaData md = first.get(1).metaData();
    assertThat(md.getStream()).isEqualTo("S");
    assertThat(md.getConsumer()).isEqualTo("D");
    assertThat(md.streamSequence()).isEqualTo(2);
    assertThat(md.consumerSequence()).isEqualTo(2);
    assertThat(md.deliveredCount()).isEqualTo(1);
    assertThat(md.pendingCount()).isEqualTo(8);
    first.get(0).ack();
    first.get(1).ackSync(Duration.ofSeconds(5)); // waits for the server's confirmation
    ConsumerInfo ci = jsm.getConsumerInfo("S", "D");
    assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(2);
    assertThat(ci.getDelivered().getStreamSequence()).isEqualTo(4);
    assertThat(ci.getNumAckPending()).isEqualTo(2);
    assertThat(ci.getNumPending()).isEqualTo(6);
    List<Message> rest = sub.fetch(100, Duration.ofSeconds(1));
    assertThat(rest).extracting(JetStreamPullConsumerIT::text).containsExactly("m5", "m6", "m7", "m8", "m9", "m10");
  }

  @Test
  void nakRedeliversTermDoesNotAndAdvisoriesAreSent() throws Exception {
    stream(3);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    Subscription naks = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.S.D");
    Subscription terms = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.S.D");
    nc.flush(Duration.ofSeconds(2));
    JetStreamSubscription sub = bind("D");
    List<Message> got = sub.fetch(3, Duration.ofSeconds(3));
    assertThat(got).hasSize(3);
    got.get(0).nak();
    got.get(1).term();
    got.get(2).inProgress();
    got.get(2).ack();
    Message again = sub.fetch(1, Duration.ofSeconds(3)).get(0);
    assertThat(text(again)).isEqualTo("m1");
    assertThat(again.metaData().deliveredCount()).isEqualTo(2);
    assertThat(again.metaData().consumerSequence()).isEqualTo(4);
    again.ack();
    assertThat(sub.fetch(1, Duration.ofMillis(500))).isEmpty();
    JsonObject nak = new JsonObject(new String(naks.nextMessage(Duration.ofSeconds(3)).getData(), StandardCharsets.UTF_8));
    assertThat(nak.getString("type")).isEqualTo("io.nats.jetstream.advisory.v1.nak");
    assertThat(nak.getLong("stream_seq")).isEqualTo(1);
    assertThat(nak.getLong("deliveries")).isEqualTo(1);
    JsonObject term = new JsonObject(new String(terms.nextMessage(Duration.ofSeconds(3)).getData(), StandardCharsets.UTF_8));
    assertThat(term.getString("type")).isEqualTo("io.nats.jetstream.advisory.v1.terminated");
    assertThat(term.getLong("stream_seq")).isEqualTo(2);
    ConsumerInfo ci = jsm.getConsumerInfo("S", "D");
    assertThat(ci.getNumAckPending()).isZero();
    assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(3);
  }

  @Test
  void nakWithDelayWaitsBeforeRedelivering() throws Exception {
    stream(1);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    JetStreamSubscription sub = bind("D");
    Message m = sub.fetch(1, Duration.ofSeconds(3)).get(0);
    m.nakWithDelay(Duration.ofSeconds(2));
    assertThat(sub.fetch(1, Duration.ofMillis(700))).isEmpty();
    Message again = sub.fetch(1, Duration.ofSeconds(5)).get(0);
    assertThat(again.metaData().deliveredCount()).isEqualTo(2);
  }

  @Test
  void ackWaitRedeliversUpToMaxDeliverThenAdvises() throws Exception {
    stream(1);
    Subscription max = nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.S.D");
    nc.flush(Duration.ofSeconds(2));
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit)
        .ackWait(Duration.ofMillis(500)).maxDeliver(3).build());
    JetStreamSubscription sub = bind("D");
    for (int i = 1; i <= 3; i++) {
      List<Message> got = sub.fetch(1, Duration.ofSeconds(3));
      assertThat(got).hasSize(1);
      assertThat(got.get(0).metaData().deliveredCount()).isEqualTo(i);
    }
    assertThat(sub.fetch(1, Duration.ofSeconds(2))).isEmpty();
    JsonObject adv = new JsonObject(new String(max.nextMessage(Duration.ofSeconds(3)).getData(), StandardCharsets.UTF_8));
    assertThat(adv.getString("type")).isEqualTo("io.nats.jetstream.advisory.v1.max_deliver");
    assertThat(adv.getLong("stream_seq")).isEqualTo(1);
    assertThat(adv.getLong("deliveries")).isEqualTo(3);
    assertThat(jsm.getConsumerInfo("S", "D").getRedelivered()).isLessThanOrEqualTo(1);
  }

  @Test
  void backoffSetsTheRedeliveryDelays() throws Exception {
    stream(1);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit)
        .backoff(Duration.ofMillis(300), Duration.ofSeconds(30)).maxDeliver(5).build());
    ConsumerInfo ci = jsm.getConsumerInfo("S", "D");
    assertThat(ci.getConsumerConfiguration().getAckWait()).isEqualTo(Duration.ofMillis(300));
    JetStreamSubscription sub = bind("D");
    assertThat(sub.fetch(1, Duration.ofSeconds(3))).hasSize(1);
    List<Message> second = sub.fetch(1, Duration.ofSeconds(3));
    assertThat(second).hasSize(1);
    assertThat(second.get(0).metaData().deliveredCount()).isEqualTo(2);
    // the next step of the backoff is 30 s: nothing comes back soon
    assertThat(sub.fetch(1, Duration.ofSeconds(1))).isEmpty();
  }

  @Test
  void pullStatusRepliesHaveNatsServerTexts() throws Exception {
    stream(0);
    api("$JS.API.CONSUMER.DURABLE.CREATE.S.D", "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"D\","
        + "\"ack_policy\":\"explicit\",\"max_batch\":5,\"max_waiting\":1,\"max_expires\":2000000000}}");
    Message none = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D", bytes("{\"batch\":1,\"no_wait\":true}"),
        Duration.ofSeconds(5));
    assertThat(none.getStatus().getCode()).isEqualTo(404);
    assertThat(none.getStatus().getMessage()).isEqualTo("No Messages");

    Message timeout = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D", bytes("{\"batch\":3,\"expires\":300000000}"),
        Duration.ofSeconds(5));
    assertThat(timeout.getStatus().getCode()).isEqualTo(408);
    assertThat(timeout.getStatus().getMessage()).isEqualTo("Request Timeout");
    assertThat(timeout.getHeaders().getFirst("Nats-Pending-Messages")).isEqualTo("3");
    assertThat(timeout.getHeaders().getFirst("Nats-Pending-Bytes")).isEqualTo("0");

    Message big = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D", bytes("6"), Duration.ofSeconds(5));
    assertThat(big.getStatus().getCode()).isEqualTo(409);
    assertThat(big.getStatus().getMessage()).isEqualTo("Exceeded MaxRequestBatch of 5");

    Message longWait = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D", bytes("{\"batch\":1,\"expires\":3000000000}"),
        Duration.ofSeconds(5));
    assertThat(longWait.getStatus().getMessage()).isEqualTo("Exceeded MaxRequestExpires of 2s");

    Message badHb = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D",
        bytes("{\"batch\":1,\"expires\":1000000000,\"idle_heartbeat\":600000000}"), Duration.ofSeconds(5));
    assertThat(badHb.getStatus().getCode()).isEqualTo(400);
    assertThat(badHb.getStatus().getMessage()).isEqualTo("Bad Request - heartbeat value too large");

    // one request waits (max_waiting 1); the next is refused
    Subscription inbox = nc.subscribe("waiter");
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.S.D", "waiter", bytes("{\"batch\":1,\"expires\":1500000000}"));
    nc.flush(Duration.ofSeconds(2));
    Message full = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.D", bytes("{\"batch\":1,\"expires\":1000000000}"),
        Duration.ofSeconds(5));
    assertThat(full.getStatus().getCode()).isEqualTo(409);
    assertThat(full.getStatus().getMessage()).isEqualTo("Exceeded MaxWaiting");

    // deleting the consumer ends the waiting request
    jsm.deleteConsumer("S", "D");
    Message deleted = inbox.nextMessage(Duration.ofSeconds(3));
    assertThat(deleted.getStatus().getCode()).isEqualTo(409);
    assertThat(deleted.getStatus().getMessage()).isEqualTo("Consumer Deleted");

    api("$JS.API.CONSUMER.DURABLE.CREATE.S.P",
        "{\"stream_name\":\"S\",\"config\":{\"durable_name\":\"P\",\"deliver_subject\":\"push.here\"}}");
    Message push = nc.request("$JS.API.CONSUMER.MSG.NEXT.S.P", bytes("1"), Duration.ofSeconds(5));
    assertThat(push.getStatus().getCode()).isEqualTo(409);
    assertThat(push.getStatus().getMessage()).isEqualTo("Consumer is push based");
  }

  @Test
  void noWaitDeliversWhatThereIsThenTimesOut() throws Exception {
    stream(2);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.None).build());
    Subscription inbox = nc.subscribe("nw");
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.S.D", "nw", bytes("{\"batch\":5,\"no_wait\":true}"));
    assertThat(text(inbox.nextMessage(Duration.ofSeconds(3)))).isEqualTo("m1");
    assertThat(text(inbox.nextMessage(Duration.ofSeconds(3)))).isEqualTo("m2");
    Message end = inbox.nextMessage(Duration.ofSeconds(3));
    assertThat(end.getStatus().getCode()).isEqualTo(408);
    assertThat(end.getHeaders().getFirst("Nats-Pending-Messages")).isEqualTo("3");
  }

  @Test
  void idleHeartbeatsWhileAPullRequestWaits() throws Exception {
    stream(0);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    Subscription inbox = nc.subscribe("hb");
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.S.D", "hb",
        bytes("{\"batch\":1,\"expires\":3000000000,\"idle_heartbeat\":500000000}"));
    Message hb = inbox.nextMessage(Duration.ofSeconds(3));
    assertThat(hb.getStatus().getCode()).isEqualTo(100);
    assertThat(hb.getStatus().getMessage()).isEqualTo("Idle Heartbeat");
    assertThat(hb.getHeaders().getFirst("Nats-Last-Consumer")).isEqualTo("0");
    assertThat(hb.getHeaders().getFirst("Nats-Last-Stream")).isEqualTo("0");
  }

  @Test
  void ackNextAcknowledgesAndAsksForMore() throws Exception {
    stream(3);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    Subscription inbox = nc.subscribe("nxt");
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.S.D", "nxt", bytes("1"));
    Message m1 = inbox.nextMessage(Duration.ofSeconds(3));
    assertThat(text(m1)).isEqualTo("m1");
    nc.publish(m1.getReplyTo(), "nxt", bytes("+NXT {\"batch\":2}"));
    assertThat(text(inbox.nextMessage(Duration.ofSeconds(3)))).isEqualTo("m2");
    assertThat(text(inbox.nextMessage(Duration.ofSeconds(3)))).isEqualTo("m3");
    assertThat(jsm.getConsumerInfo("S", "D").getAckFloor().getStreamSequence()).isEqualTo(1);
  }

  @Test
  void ackAllAcknowledgesEverythingBelow() throws Exception {
    stream(5);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.All).build());
    List<Message> got = bind("D").fetch(5, Duration.ofSeconds(3));
    assertThat(got).hasSize(5);
    got.get(3).ack();
    nc.flush(Duration.ofSeconds(2));
    ConsumerInfo ci = jsm.getConsumerInfo("S", "D");
    assertThat(ci.getAckFloor().getStreamSequence()).isEqualTo(4);
    assertThat(ci.getNumAckPending()).isEqualTo(1);
  }

  @Test
  void deliverPoliciesPickTheStart() throws Exception {
    stream(6);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("L").deliverPolicy(DeliverPolicy.Last).build());
    assertThat(text(bind("L").fetch(1, Duration.ofSeconds(3)).get(0))).isEqualTo("m6");
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("N").deliverPolicy(DeliverPolicy.New).build());
    JetStreamSubscription n = bind("N");
    js.publish("s.odd", bytes("m7"));
    assertThat(text(n.fetch(1, Duration.ofSeconds(3)).get(0))).isEqualTo("m7");
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("Q")
        .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(3).build());
    assertThat(text(bind("Q").fetch(1, Duration.ofSeconds(3)).get(0))).isEqualTo("m3");
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("P")
        .deliverPolicy(DeliverPolicy.LastPerSubject).filterSubject("s.*").build());
    assertThat(bind("P").fetch(10, Duration.ofSeconds(1))).extracting(JetStreamPullConsumerIT::text)
        .containsExactly("m6", "m7");
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("F").filterSubject("s.even")
        .headersOnly(true).build());
    List<Message> evens = bind("F").fetch(10, Duration.ofSeconds(1));
    assertThat(evens).hasSize(3);
    assertThat(evens.get(0).getData()).isEmpty();
    assertThat(evens.get(0).getHeaders().getFirst("Nats-Msg-Size")).isEqualTo("2");
  }

  @Test
  void simplifiedApiFetchNextAndConsume() throws Exception {
    stream(30);
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit).build());
    io.nats.client.ConsumerContext cc = nc.getStreamContext("S").getConsumerContext("D");
    Message first = cc.next(Duration.ofSeconds(3));
    assertThat(text(first)).isEqualTo("m1");
    first.ack();
    List<String> fetched = new java.util.ArrayList<>();
    try (io.nats.client.FetchConsumer fc = cc.fetch(io.nats.client.FetchConsumeOptions.builder().maxMessages(9)
        .expiresIn(2000).build())) {
      for (Message m = fc.nextMessage(); m != null; m = fc.nextMessage()) {
        fetched.add(text(m));
        m.ack();
      }
    }
    assertThat(fetched).hasSize(9).startsWith("m2").endsWith("m10");
    java.util.concurrent.CountDownLatch rest = new java.util.concurrent.CountDownLatch(20);
    List<String> consumed = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (io.nats.client.MessageConsumer mc = cc.consume(m -> {
      consumed.add(text(m));
      m.ack();
      rest.countDown();
    })) {
      assertThat(rest.await(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(consumed).startsWith("m11").contains("m30");
    Message none = cc.next(Duration.ofSeconds(1));
    assertThat(none).isNull();
  }

  @Test
  void maxBytesEndsARequestAtTheByteBudget() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.*").build());
    for (int i = 0; i < 5; i++) {
      js.publish("s.x", new byte[100]);
    }
    jsm.addOrUpdateConsumer("S", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.None).build());
    Subscription inbox = nc.subscribe("mb");
    // each delivery counts subject, reply, headers and payload: two fit in 400 bytes, three do not
    nc.publish("$JS.API.CONSUMER.MSG.NEXT.S.D", "mb", bytes("{\"batch\":10,\"max_bytes\":400,\"expires\":2000000000}"));
    int data = 0;
    Message m = inbox.nextMessage(Duration.ofSeconds(3));
    while (m != null && !m.isStatusMessage()) {
      data++;
      m = inbox.nextMessage(Duration.ofSeconds(3));
    }
    assertThat(data).isEqualTo(2);
    assertThat(m).isNotNull();
    assertThat(m.getStatus().getCode()).isEqualTo(409);
    assertThat(m.getStatus().getMessage()).isEqualTo("Message Size Exceeds MaxBytes");
  }
}
