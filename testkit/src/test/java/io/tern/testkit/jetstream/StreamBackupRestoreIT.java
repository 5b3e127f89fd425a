package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.tern.launcher.StreamBackupClient;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore through {@code STREAM.SNAPSHOT} / {@code STREAM.RESTORE}, with the client the
 * {@code tern stream} commands use: 100,000 messages (headers on some, interior deletes) and two
 * durable consumers backed up from one broker and restored on a second one, then compared message
 * by message and consumer by consumer; a damaged
 * archive and an existing name are refused. Runs against nats-server too (its archive is its own).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StreamBackupRestoreIT {

  private static final int MESSAGES = 100_000;

  @TempDir
  Path storeA;
  @TempDir
  Path storeB;
  @TempDir
  Path backup;

  @Test
  void roundTripToASecondBrokerKeepsEveryMessageHeaderAndSequence() throws Exception {
    try (Broker a = JsBroker.start(storeA); Broker b = JsBroker.start(storeB);
        Connection ncA = JsBroker.connect(a); Connection ncB = JsBroker.connect(b)) {
      JetStreamManagement jsm = ncA.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
          .storageType(StorageType.File).description("backed up").build());
      publish(ncA.jetStream());
      jsm.deleteMessage("ORDERS", 10);
      jsm.deleteMessage("ORDERS", 50_000, false);
      // two durable consumers at different positions: one acked 1,000 messages, one has 300
      // delivered of which 100 acked (200 pending acks)
      jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("D1")
          .ackPolicy(AckPolicy.Explicit).build());
      jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("D2").filterSubject("orders.3")
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMinutes(10)).build());
      consume(ncA.jetStream(), "D1", 1000, 1000);
      consume(ncA.jetStream(), "D2", 300, 100);

      JsonObject described = new StreamBackupClient(ncA).backup("ORDERS", backup, n -> { });
      assertThat(described.getJsonObject("state").getLong("messages")).isEqualTo(MESSAGES - 2L);
      assertThat(Files.size(backup.resolve(StreamBackupClient.ARCHIVE))).isPositive();

      JsonObject info = new StreamBackupClient(ncB).restore(backup, n -> { });
      assertThat(info.getString("type")).isEqualTo("io.nats.jetstream.api.v1.stream_create_response");
      assertThat(info.getJsonObject("config").getString("description")).isEqualTo("backed up");
      JsonObject stateA = stateOf(ncA);
      JsonObject stateB = stateOf(ncB);
      for (String field : List.of("messages", "bytes", "first_seq", "last_seq", "first_ts", "last_ts", "num_deleted")) {
        assertThat(stateB.getValue(field)).as(field).isEqualTo(stateA.getValue(field));
      }
      assertSameMessages(ncA, ncB);
      for (String durable : List.of("D1", "D2")) {
        JsonObject ca = consumerInfo(ncA, durable);
        JsonObject cb = consumerInfo(ncB, durable);
        assertThat(cb.getJsonObject("config")).as(durable).isEqualTo(ca.getJsonObject("config"));
        for (String field : List.of("delivered", "ack_floor", "num_ack_pending", "num_pending", "num_redelivered")) {
          assertThat(cb.getValue(field)).as(durable + " " + field).isEqualTo(ca.getValue(field));
        }
      }
      assertThat(consumerInfo(ncB, "D1").getJsonObject("ack_floor").getLong("stream_seq")).isEqualTo(1001L);
      assertThat(consumerInfo(ncB, "D2").getLong("num_ack_pending")).isEqualTo(200L);

      // the name exists now: refused, on the broker that has it
      assertThatThrownBy(() -> new StreamBackupClient(ncB).restore(backup, n -> { }))
          .hasMessageContaining("stream name already in use, cannot restore (10130)");
    }
  }

  @Test
  void aDamagedArchiveIsRefused() throws Exception {
    try (Broker a = JsBroker.start(storeA); Connection nc = JsBroker.connect(a)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
      JetStream js = nc.jetStream();
      for (int i = 0; i < 500; i++) {
        js.publish("s." + i, ("payload " + i).getBytes(StandardCharsets.UTF_8));
      }
      JsonObject described = new StreamBackupClient(nc).backup("S", backup, n -> { });
      jsm.deleteStream("S");
      Path archive = backup.resolve(StreamBackupClient.ARCHIVE);
      byte[] bytes = Files.readAllBytes(archive);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(archive, bytes);

      // the client checks the archive against backup.json before sending it
      assertThatThrownBy(() -> new StreamBackupClient(nc).restore(backup, n -> { }))
          .hasMessageContaining("does not match backup.json");
      // and the broker checks what it receives
      assertThatThrownBy(() -> new StreamBackupClient(nc).restoreArchive(described.getJsonObject("config"),
          described.getJsonObject("state"), bytes, n -> { }))
          .hasMessageContaining("restore failed").hasMessageContaining("(10062)");
      assertThat(jsm.getStreamNames()).doesNotContain("S");
    }
  }

  @Test
  void requestErrorsAsNatsServerAnswersThem() throws Exception {
    try (Broker a = JsBroker.start(storeA); Connection nc = JsBroker.connect(a)) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("S").subjects("s.>").build());
      assertThat(api(nc, "SNAPSHOT.S", "{}")).isEqualTo(error(400, 10003, "bad request"));
      assertThat(api(nc, "SNAPSHOT.S", "{\"deliver_subject\":\"\"}")).isEqualTo(error(400, 10015, "deliver subject not valid"));
      assertThat(api(nc, "SNAPSHOT.NOPE", "{\"deliver_subject\":\"x.y\"}")).isEqualTo(error(404, 10059, "stream not found"));
      assertThat(api(nc, "RESTORE.T", "{}").getJsonObject("error")).isEqualTo(error(400, 10003, "bad request"));
      JsonObject exists = api(nc, "RESTORE.S", "{\"config\":{\"name\":\"S\",\"subjects\":[\"s.>\"]}}");
      assertThat(exists.getJsonObject("error")).isEqualTo(error(400, 10130, "stream name already in use, cannot restore"));
      assertThat(exists.getString("deliver_subject")).isEmpty();
      JsonObject ok = api(nc, "RESTORE.T", "{\"config\":{\"name\":\"T\",\"subjects\":[\"t.>\"]}}");
      assertThat(ok.getString("type")).isEqualTo("io.nats.jetstream.api.v1.stream_restore_response");
      assertThat(ok.getString("deliver_subject")).startsWith("$JS.SNAPSHOT.RESTORE.T.");
    }
  }

  @Test
  void unacknowledgedChunksStopAtTheWindow() throws Exception {
    // nats-server 2.9.10 ignores window_size (it keeps 8 MiB in flight whatever is asked)
    assumeThat(Brokers.kind()).isEqualTo("tern");
    try (Broker a = JsBroker.start(storeA); Connection nc = JsBroker.connect(a)) {
      nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("W").subjects("w.>").build());
      JetStream js = nc.jetStream();
      for (int i = 0; i < 300; i++) {
        js.publish("w." + i, ("x".repeat(400) + i).getBytes(StandardCharsets.UTF_8));
      }
      io.nats.client.Subscription sub = nc.subscribe("snap.in");
      nc.flush(Duration.ofSeconds(5));
      api(nc, "SNAPSHOT.W", "{\"deliver_subject\":\"snap.in\",\"chunk_size\":1024,\"window_size\":4096}");
      List<Message> unacked = new ArrayList<>();
      for (Message m = sub.nextMessage(Duration.ofSeconds(5)); m != null; m = sub.nextMessage(Duration.ofSeconds(1))) {
        unacked.add(m);
      }
      assertThat(unacked).hasSize(4);
      assertThat(unacked.get(0).getReplyTo()).matches("\\$JS\\.SNAPSHOT\\.ACK\\.W\\.[0-9a-f]+\\.1024\\.1");
      java.io.ByteArrayOutputStream archive = new java.io.ByteArrayOutputStream();
      int chunks = 0;
      while (true) {
        for (Message m : unacked) {
          archive.writeBytes(m.getData());
          nc.publish(m.getReplyTo(), new byte[0]);
          chunks++;
        }
        unacked.clear();
        Message m = sub.nextMessage(Duration.ofSeconds(10));
        assertThat(m).as("chunk after %d", chunks).isNotNull();
        if (m.getData().length == 0) {
          assertThat(m.hasHeaders()).isFalse();
          break;
        }
        unacked.add(m);
        assertThat(chunks).isLessThan(10_000);
      }
      assertThat(io.tern.stream.StreamArchive.read(archive.toByteArray()).messages()).hasSize(300);
    }
  }

  private static JsonObject api(Connection nc, String api, String body) throws Exception {
    Message m = nc.request("$JS.API.STREAM." + api, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    JsonObject r = new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
    return r.containsKey("error") && api.startsWith("SNAPSHOT") ? r.getJsonObject("error") : r;
  }

  private static JsonObject error(int code, int errCode, String description) {
    return new JsonObject().put("code", code).put("err_code", errCode).put("description", description);
  }

  private static void publish(JetStream js) throws Exception {
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
    for (int i = 1; i <= MESSAGES; i++) {
      byte[] data = ("message " + i).getBytes(StandardCharsets.UTF_8);
      if (i % 3 == 0) {
        Headers h = new Headers().add("X-Index", Integer.toString(i)).add("X-Kind", "three", "multi");
        acks.add(js.publishAsync(io.nats.client.impl.NatsMessage.builder().subject("orders." + (i % 17))
            .headers(h).data(data).build()));
      } else {
        acks.add(js.publishAsync("orders." + (i % 17), data));
      }
      if (acks.size() == 1000) {
        for (CompletableFuture<PublishAck> f : acks) {
          f.get(30, TimeUnit.SECONDS);
        }
        acks.clear();
      }
    }
    for (CompletableFuture<PublishAck> f : acks) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /** Fetches {@code fetch} messages with durable {@code durable} and acks the first {@code ack} of them. */
  private static void consume(JetStream js, String durable, int fetch, int ack) throws Exception {
    JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("ORDERS", durable));
    int fetched = 0;
    while (fetched < fetch) {
      List<Message> batch = sub.fetch(Math.min(256, fetch - fetched), Duration.ofSeconds(10));
      assertThat(batch).isNotEmpty();
      for (Message m : batch) {
        if (fetched < ack) {
          m.ackSync(Duration.ofSeconds(10));
        }
        fetched++;
      }
    }
    sub.unsubscribe();
  }

  private static JsonObject consumerInfo(Connection nc, String durable) throws Exception {
    Message m = nc.request("$JS.API.CONSUMER.INFO.ORDERS." + durable, new byte[0], Duration.ofSeconds(10));
    JsonObject info = new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
    assertThat(info.containsKey("error")).as(info.encode()).isFalse();
    // last_active times are the moment of the last delivery: equal only when restored as they were
    info.getJsonObject("delivered").remove("last_active");
    info.getJsonObject("ack_floor").remove("last_active");
    return info;
  }

  private static JsonObject stateOf(Connection nc) throws Exception {
    Message m = nc.request("$JS.API.STREAM.INFO.ORDERS", new byte[0], Duration.ofSeconds(10));
    return new JsonObject(new String(m.getData(), StandardCharsets.UTF_8)).getJsonObject("state");
  }

  /** Every sequence read from both brokers with STREAM.MSG.GET, a window of requests at a time. */
  private static void assertSameMessages(Connection a, Connection b) throws Exception {
    int window = 500;
    for (int from = 1; from <= MESSAGES; from += window) {
      List<CompletableFuture<Message>> fa = new ArrayList<>();
      List<CompletableFuture<Message>> fb = new ArrayList<>();
      for (int seq = from; seq < from + window && seq <= MESSAGES; seq++) {
        byte[] body = ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        fa.add(a.request("$JS.API.STREAM.MSG.GET.ORDERS", body));
        fb.add(b.request("$JS.API.STREAM.MSG.GET.ORDERS", body));
      }
      for (int i = 0; i < fa.size(); i++) {
        String ma = new String(fa.get(i).get(30, TimeUnit.SECONDS).getData(), StandardCharsets.UTF_8);
        String mb = new String(fb.get(i).get(30, TimeUnit.SECONDS).getData(), StandardCharsets.UTF_8);
        assertThat(new JsonObject(mb)).as("sequence %d", from + i).isEqualTo(new JsonObject(ma));
        long seq = from + i;
        if (seq == 10 || seq == 50_000) {
          assertThat(ma).contains("\"error\"");
        } else {
          assertThat(ma).contains("\"seq\":" + seq);
        }
      }
    }
  }
}
