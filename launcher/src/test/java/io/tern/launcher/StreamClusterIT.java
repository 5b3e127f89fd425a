package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stream-service processes in one cluster (plus auth, router and two gateways, each its own
 * JVM on loopback), driven by jnats: streams are spread over both, every API call works through
 * either gateway, subjects may not overlap across nodes, a killed stream node's streams answer
 * 10008 while the other's keep working, and after a restart on the same store every acknowledged
 * message is there. The fault tests run last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamClusterIT {

  private static final int STREAMS = 6;
  private static final int MESSAGES = 20;

  @TempDir
  static Path dir;

  private ClusterProcesses cluster;
  private ClusterProcesses.Node gw1;
  private ClusterProcesses.Node gw2;
  private ClusterProcesses.Node stream1;
  private String[] stream1Args;
  private Connection c1;
  private Connection c2;
  /** Stream name → the stream service node holding it (STREAM.INFO's cluster leader). */
  private final Map<String, String> leaders = new HashMap<>();

  @BeforeAll
  void startTopology() throws Exception {
    cluster = new ClusterProcesses(dir);
    String[] names = {"auth", "router", "stream1", "stream2", "gw1", "gw2"};
    String[] services = {"auth", "router", "stream", "stream", "gateway", "gateway"};
    int[] hz = new int[names.length];
    for (int i = 0; i < hz.length; i++) {
      hz[i] = TernProcess.freePort();
    }
    String routes = "nats-route://127.0.0.1:" + hz[0] + ",nats-route://127.0.0.1:" + hz[1];
    String clusterName = "js-" + hz[0];
    for (int i = 0; i < names.length; i++) {
      int client = services[i].equals("gateway") ? TernProcess.freePort() : 0;
      List<String> args = new ArrayList<>(List.of("--services", services[i], "-a", "127.0.0.1",
          "-p", client == 0 ? "-1" : Integer.toString(client), "-m", "0",
          "--cluster", "nats://127.0.0.1:" + hz[i], "--routes", routes, "--cluster_name", clusterName,
          "--partitions", "4"));
      if (services[i].equals("stream")) {
        args.addAll(List.of("-js", "-sd", dir.resolve("store-" + names[i]).toString()));
      }
      ClusterProcesses.Node n = cluster.start(names[i], client, hz[i], args.toArray(String[]::new));
      if (i == 0) {
        cluster.awaitReady(90); // the first member alone first (see ClusterIT)
      }
      switch (names[i]) {
        case "gw1" -> gw1 = n;
        case "gw2" -> gw2 = n;
        case "stream1" -> {
          stream1 = n;
          stream1Args = args.toArray(String[]::new);
        }
        default -> { }
      }
    }
    cluster.awaitReady(120);
    ClusterIT.awaitFlowing(gw1, gw2, 60);
    c1 = ClusterIT.connect(gw1.url());
    c2 = ClusterIT.connect(gw2.url());
    awaitJetStream(c1);
    awaitJetStream(c2);
  }

  @AfterAll
  void stopTopology() throws Exception {
    if (c1 != null) {
      c1.close();
    }
    if (c2 != null) {
      c2.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JetStreamOptions quick() {
    return JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(3)).build();
  }

  private static void awaitJetStream(Connection c) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        c.jetStreamManagement(quick()).getAccountStatistics();
        return;
      } catch (Exception notYet) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("JetStream never answered", notYet);
        }
      }
    }
  }

  private static String name(int i) {
    return "S" + i;
  }

  private static String subject(int i, int n) {
    return "t" + i + ".m" + n;
  }

  @Test
  @Order(1)
  @Timeout(120)
  void streamsAreSpreadOverBothStreamServicesAndSeenFromEitherGateway() throws Exception {
    JetStreamManagement jsm1 = c1.jetStreamManagement(quick());
    JetStreamManagement jsm2 = c2.jetStreamManagement(quick());
    for (int i = 0; i < STREAMS; i++) {
      JetStreamManagement jsm = i % 2 == 0 ? jsm1 : jsm2;
      StreamInfo info = jsm.addStream(StreamConfiguration.builder().name(name(i)).subjects("t" + i + ".>").build());
      assertThat(info.getClusterInfo()).as("cluster info of %s", name(i)).isNotNull();
      leaders.put(name(i), info.getClusterInfo().getLeader());
    }
    Map<String, Integer> perNode = new HashMap<>();
    leaders.values().forEach(l -> perNode.merge(l, 1, Integer::sum));
    assertThat(perNode).as("streams per stream service").hasSize(2).containsValues(STREAMS / 2, STREAMS / 2);
    for (int i = 0; i < STREAMS; i++) {
      assertThat(jsm1.getStreamInfo(name(i)).getClusterInfo().getLeader()).isEqualTo(leaders.get(name(i)));
      assertThat(jsm2.getStreamInfo(name(i)).getClusterInfo().getLeader()).isEqualTo(leaders.get(name(i)));
    }
    Set<String> all = new TreeSet<>(leaders.keySet());
    assertThat(new TreeSet<>(jsm1.getStreamNames())).isEqualTo(all);
    assertThat(new TreeSet<>(jsm2.getStreamNames())).isEqualTo(all);
    assertThat(jsm2.getStreams().stream().map(s -> s.getConfiguration().getName()).toList())
        .containsExactlyElementsOf(all);
    assertThat(new TreeSet<>(jsm1.getStreamNames("t3.x"))).containsExactly(name(3));
    assertThat(jsm1.getAccountStatistics().getStreams()).isEqualTo(STREAMS);
  }

  @Test
  @Order(2)
  @Timeout(120)
  void publishAndPullThroughEitherGatewayOnStreamsOfBothNodes() throws Exception {
    JetStream js1 = c1.jetStream(quick());
    JetStream js2 = c2.jetStream(quick());
    for (int i = 0; i < STREAMS; i++) {
      for (int n = 1; n <= MESSAGES; n++) {
        PublishAck ack = (n % 2 == 0 ? js1 : js2).publish(subject(i, n), payload(i, n));
        assertThat(ack.getStream()).isEqualTo(name(i));
        assertThat(ack.getSeqno()).isEqualTo(n);
      }
    }
    for (int i = 0; i < STREAMS; i++) {
      JetStream js = i % 2 == 0 ? js2 : js1;
      assertThat(pull(js, i, "d" + i)).containsExactlyElementsOf(expected(i));
    }
  }

  @Test
  @Order(3)
  @Timeout(60)
  void subjectsOverlappingAStreamOnEitherNodeAreRefused() throws Exception {
    JetStreamManagement jsm = c2.jetStreamManagement(quick());
    for (int i = 0; i < STREAMS; i++) {
      int s = i;
      assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("OVER" + s)
          .subjects("t" + s + ".m1").build()))
          .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10065));
    }
    assertThat(new TreeSet<>(jsm.getStreamNames())).hasSize(STREAMS);
  }

  @Test
  @Order(4)
  @Timeout(60)
  void aRefusedCreateLeavesItsSubjectsAndNameFree() throws Exception {
    JetStreamManagement jsm = c1.jetStreamManagement(quick());
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder().name("BAD").subjects("bad.>")
          .maxAge(Duration.ofSeconds(1)).duplicateWindow(Duration.ofSeconds(5)).build()))
          .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10052));
    }
    // The refused stream's subjects are no one's: another stream may take them.
    StreamInfo other = c2.jetStreamManagement(quick()).addStream(
        StreamConfiguration.builder().name("GOOD").subjects("bad.x").build());
    assertThat(other.getConfiguration().getSubjects()).containsExactly("bad.x");
    assertThat(jsm.getStreamNames()).contains("GOOD").doesNotContain("BAD");
    assertThatThrownBy(() -> jsm.getStreamInfo("BAD"))
        .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10059));
    assertThat(jsm.deleteStream("GOOD")).isTrue();
    assertThat(new TreeSet<>(jsm.getStreamNames())).hasSize(STREAMS);
  }

  @Test
  @Order(5)
  @Timeout(120)
  void keyValueAndBackupRestoreWorkThroughEitherGateway() throws Exception {
    c1.keyValueManagement().create(io.nats.client.api.KeyValueConfiguration.builder().name("cfg").build());
    c2.keyValue("cfg").put("k", "v1");
    assertThat(c1.keyValue("cfg").get("k").getValueAsString()).isEqualTo("v1");
    Path backup = dir.resolve("backup-S0");
    new StreamBackupClient(c1).backup(name(0), backup, n -> { });
    io.vertx.core.json.JsonObject description = StreamBackupClient.verifyBackup(backup);
    io.vertx.core.json.JsonObject config = description.getJsonObject("config").copy().put("name", "R0")
        .put("subjects", new io.vertx.core.json.JsonArray().add("r0.>"));
    io.vertx.core.json.JsonObject restored = new StreamBackupClient(c2).restoreArchive(config,
        description.getJsonObject("state"), java.nio.file.Files.readAllBytes(backup.resolve(StreamBackupClient.ARCHIVE)),
        n -> { });
    assertThat(restored.getJsonObject("state").getLong("messages")).isEqualTo(MESSAGES);
    JetStreamManagement jsm = c1.jetStreamManagement(quick());
    assertThat(jsm.getStreamInfo("R0").getStreamState().getMsgCount()).isEqualTo(MESSAGES);
    // Back to the six streams the fault test counts.
    c2.keyValueManagement().delete("cfg");
    jsm.deleteStream("R0");
    assertThat(new TreeSet<>(c2.jetStreamManagement(quick()).getStreamNames())).hasSize(STREAMS);
  }

  @Test
  @Order(6)
  @Timeout(180)
  void aKilledStreamNodesStreamsAnswer10008TheOthersWorkAndARestartKeepsEveryAckedMessage() throws Exception {
    cluster.kill(stream1);
    JetStreamManagement jsm1 = c1.jetStreamManagement(quick());
    JetStreamManagement jsm2 = c2.jetStreamManagement(quick());
    // Until the cluster has noticed, a request may still go to the dead process and time out.
    Set<String> down = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (down == null) {
      assertThat(System.nanoTime()).as("the dead node's streams never answered 10008").isLessThan(deadline);
      Set<String> unavailable = new TreeSet<>();
      boolean settled = true;
      for (int i = 0; i < STREAMS; i++) {
        try {
          jsm1.getStreamInfo(name(i));
        } catch (JetStreamApiException e) {
          assertThat(e.getApiErrorCode()).isEqualTo(10008);
          assertThat(e.getErrorCode()).isEqualTo(503);
          unavailable.add(name(i));
        } catch (Exception timeout) {
          settled = false;
        }
      }
      if (settled && unavailable.size() == STREAMS / 2) {
        down = unavailable;
      }
    }
    String deadNode = leaders.get(down.iterator().next());
    for (String s : down) {
      assertThat(leaders.get(s)).as("streams of one node are down").isEqualTo(deadNode);
    }
    // Every further call answers at once (no timeouts): through both gateways, five rounds.
    JetStream js1 = c1.jetStream(quick());
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < STREAMS; i++) {
        JetStreamManagement jsm = round % 2 == 0 ? jsm1 : jsm2;
        if (down.contains(name(i))) {
          int s = i;
          assertThatThrownBy(() -> jsm.getStreamInfo(name(s)))
              .isInstanceOfSatisfying(JetStreamApiException.class, e -> assertThat(e.getApiErrorCode()).isEqualTo(10008));
        } else {
          assertThat(jsm.getStreamInfo(name(i)).getStreamState().getMsgCount()).isEqualTo(MESSAGES);
        }
      }
    }
    for (int i = 0; i < STREAMS; i++) {
      if (!down.contains(name(i))) {
        assertThat(js1.publish(subject(i, MESSAGES + 1), payload(i, MESSAGES + 1)).getSeqno()).isEqualTo(MESSAGES + 1);
        assertThat(pull(c2.jetStream(quick()), i, "after" + i)).hasSize(MESSAGES + 1);
      }
    }
    // As nats-server 2.9.10 (NatsServerStreamClusterReferenceIT): NAMES still lists the offline
    // streams, LIST gives the others and names them "missing", INFO counts them.
    assertThat(new TreeSet<>(jsm2.getStreamNames())).hasSize(STREAMS);
    io.vertx.core.json.JsonObject list = new io.vertx.core.json.JsonObject(new String(
        c2.request("$JS.API.STREAM.LIST", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).getData(),
        StandardCharsets.UTF_8));
    assertThat(list.getInteger("total")).isEqualTo(STREAMS);
    assertThat(list.getJsonArray("streams")).hasSize(STREAMS - down.size());
    assertThat(new TreeSet<>(list.getJsonArray("missing").getList())).isEqualTo(down);
    assertThat(jsm2.getAccountStatistics().getStreams()).as("INFO counts the offline streams too").isEqualTo(STREAMS);
    // The dead node's stream subjects no longer route to it: a publish finds no responders at once.
    String deadStream = down.iterator().next();
    int dead = Integer.parseInt(deadStream.substring(1));
    assertThatThrownBy(() -> js1.publish(subject(dead, 99), payload(dead, 99)))
        .hasMessageContaining("503 No Responders");

    ClusterProcesses.Node again = cluster.start("stream1-again", 0, stream1.clusterPort(), stream1Args);
    cluster.awaitReady(again, 120);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String s : down) {
      while (true) {
        try {
          assertThat(jsm2.getStreamInfo(s).getStreamState().getMsgCount()).as("acknowledged messages of %s", s)
              .isEqualTo(MESSAGES);
          break;
        } catch (JetStreamApiException | java.io.IOException notYet) {
          assertThat(System.nanoTime()).as("stream %s never came back", s).isLessThan(deadline);
          Thread.sleep(200);
        }
      }
    }
    for (String s : down) {
      int i = Integer.parseInt(s.substring(1));
      assertThat(pull(c1.jetStream(quick()), i, "restarted" + i)).containsExactlyElementsOf(expected(i));
    }
    assertThat(new TreeSet<>(jsm1.getStreamNames())).hasSize(STREAMS);
  }

  private static byte[] payload(int stream, int n) {
    return ("m-" + stream + "-" + n).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> expected(int stream) {
    List<String> out = new ArrayList<>();
    for (int n = 1; n <= MESSAGES; n++) {
      out.add("m-" + stream + "-" + n);
    }
    return out;
  }

  /** Every message of stream {@code i} through a new durable pull consumer, acknowledged. */
  private static List<String> pull(JetStream js, int i, String durable) throws Exception {
    JetStreamSubscription sub = js.subscribe("t" + i + ".>", PullSubscribeOptions.builder()
        .stream(name(i)).durable(durable).build());
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<Message> batch = sub.fetch(50, Duration.ofSeconds(1));
      if (batch.isEmpty() && !got.isEmpty()) {
        break;
      }
      for (Message m : batch) {
        got.add(new String(m.getData(), StandardCharsets.UTF_8));
        m.ackSync(Duration.ofSeconds(3));
      }
    }
    sub.unsubscribe();
    return got;
  }
}
