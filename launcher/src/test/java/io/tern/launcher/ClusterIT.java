package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * Distributed mode with each service its own JVM on loopback: 2 gateways, 2 routers, 1 auth and
 * 1 stream process, driven by jnats. The fault tests run last since they kill processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  @TempDir
  static Path dir;

  private ClusterProcesses cluster;
  private ClusterProcesses.Node gw1;
  private ClusterProcesses.Node gw2;
  private ClusterProcesses.Node router2;
  private ClusterProcesses.Node auth;
  private String routes;
  private String clusterName;
  private int gw2Monitor;

  @BeforeAll
  void startTopology() throws Exception {
    cluster = new ClusterProcesses(dir);
    int[] hz = new int[6];
    for (int i = 0; i < hz.length; i++) {
      hz[i] = TernProcess.freePort();
    }
    routes = "nats-route://127.0.0.1:" + hz[0] + ",nats-route://127.0.0.1:" + hz[1];
    clusterName = "it-" + hz[0];
    gw2Monitor = TernProcess.freePort();
    String[] names = {"auth", "router1", "router2", "stream", "gw1", "gw2"};
    String[] services = {"auth", "router", "router", "stream", "gateway", "gateway"};
    for (int i = 0; i < names.length; i++) {
      int client = services[i].equals("gateway") ? TernProcess.freePort() : 0;
      // Gateway 2's slow consumers are cut off at a small max_pending (the back-pressure test).
      Path conf = dir.resolve(names[i] + ".conf");
      java.nio.file.Files.writeString(conf, names[i].equals("gw2") ? "max_pending: 8MB\n" : "");
      ClusterProcesses.Node n = cluster.start(names[i], client, hz[i], "-c", conf.toString(), "--services", services[i],
          "-a", "127.0.0.1", "-p", client == 0 ? "-1" : Integer.toString(client),
          "-m", names[i].equals("gw2") ? Integer.toString(gw2Monitor) : "0",
          "--cluster", "nats://127.0.0.1:" + hz[i], "--routes", routes, "--cluster_name", clusterName,
          "--partitions", "8");
      if (i == 0) {
        // The first member up alone before the others join: started together on a loaded machine,
        // they can form separate clusters that merge later, losing event-bus registrations.
        cluster.awaitReady(90);
      }
      switch (names[i]) {
        case "gw1" -> gw1 = n;
        case "gw2" -> gw2 = n;
        case "router2" -> router2 = n;
        case "auth" -> auth = n;
        default -> { }
      }
    }
    cluster.awaitReady(90);
    awaitFlowing(gw1, gw2, 60);
  }

  @AfterAll
  void stopTopology() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Waits until a message published on {@code from} reaches a subscriber on {@code to}: every hop up. */
  static void awaitFlowing(ClusterProcesses.Node from, ClusterProcesses.Node to, long seconds) throws Exception {
    try (Connection sub = connect(to.url()); Connection pub = connect(from.url())) {
      Subscription s = sub.subscribe("probe");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        try {
          sub.flush(Duration.ofSeconds(2));
        } catch (Exception notYet) {
          continue;
        }
        pub.publish("probe", new byte[0]);
        if (s.nextMessage(Duration.ofMillis(500)) != null) {
          return;
        }
      }
      throw new AssertionError("no message flowed from " + from.name() + " to " + to.name() + "\n" + to.log());
    }
  }

  static Connection connect(String... urls) throws Exception {
    return Nats.connect(new Options.Builder().servers(urls).connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(200)).build());
  }

  @Test
  @Order(1)
  @Timeout(60)
  void publishOnOneGatewaySubscribeOnTheOther() throws Exception {
    try (Connection sub = connect(gw2.url()); Connection pub = connect(gw1.url())) {
      Subscription s = sub.subscribe("orders.>");
      sub.flush(Duration.ofSeconds(10));
      for (int i = 0; i < 1000; i++) {
        pub.publish("orders." + (i % 7), Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
      }
      pub.flush(Duration.ofSeconds(10));
      for (int i = 0; i < 1000; i++) {
        Message m = s.nextMessage(Duration.ofSeconds(10));
        assertThat(m).as("message %d", i).isNotNull();
        assertThat(new String(m.getData(), StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(i));
        assertThat(m.getSubject()).isEqualTo("orders." + (i % 7));
      }
      assertThat(s.nextMessage(Duration.ofMillis(300))).isNull();
    }
  }

  @Test
  @Order(2)
  @Timeout(120)
  void queueGroupSpreadOverGatewaysGetsEachMessageOnce() throws Exception {
    int total = 10_000;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger onGw1 = new AtomicInteger();
    AtomicInteger onGw2 = new AtomicInteger();
    try (Connection a = connect(gw1.url()); Connection b = connect(gw2.url()); Connection pub = connect(gw1.url())) {
      for (Connection c : List.of(a, b)) {
        AtomicInteger count = c == a ? onGw1 : onGw2;
        Dispatcher d = c.createDispatcher(m -> {
          seen.add(new String(m.getData(), StandardCharsets.US_ASCII));
          received.incrementAndGet();
          count.incrementAndGet();
        });
        d.subscribe("work", "workers");
        d.subscribe("work", "workers");
        c.flush(Duration.ofSeconds(10));
      }
      for (int i = 0; i < total; i++) {
        pub.publish("work", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
      }
      pub.flush(Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (received.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(300); // a duplicate would arrive about now
      System.out.printf("queue group: %d on gateway 1, %d on gateway 2%n", onGw1.get(), onGw2.get());
      assertThat(received.get()).isEqualTo(total);
      assertThat(seen).hasSize(total);
      assertThat(onGw1.get()).isPositive();
      assertThat(onGw2.get()).isPositive();
    }
  }

  @Test
  @Order(3)
  @Timeout(60)
  void flushBarrierMakesASubscriptionEffectiveForPublishersOnOtherGateways() throws Exception {
    try (Connection sub = connect(gw2.url()); Connection pub = connect(gw1.url())) {
      for (int i = 0; i < 25; i++) {
        Subscription s = sub.subscribe("barrier." + i);
        sub.flush(Duration.ofSeconds(10));
        pub.publish("barrier." + i, new byte[] {1});
        assertThat(s.nextMessage(Duration.ofSeconds(5))).as("round %d", i).isNotNull();
      }
    }
  }

  @Test
  @Order(4)
  @Timeout(60)
  void infoConnectUrlsListsEveryGateway() throws Exception {
    JsonArray urls = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      urls = infoOf(gw1).getJsonArray("connect_urls");
      if (urls != null && urls.contains(gw2.hostPort())) {
        break;
      }
      Thread.sleep(200);
    }
    // nats-server's form: host:port without a scheme, this server's own URL included.
    assertThat(urls).isNotNull();
    assertThat(urls.getList()).containsExactlyInAnyOrder(gw1.hostPort(), gw2.hostPort());
    assertThat(infoOf(gw2).getString("cluster")).startsWith("it-");
  }

  private static JsonObject infoOf(ClusterProcesses.Node gw) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.clientPort())) {
      s.setSoTimeout(5000);
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).startsWith("INFO ");
      return new JsonObject(line.substring(5).trim());
    }
  }

  @Test
  @Order(7)
  @Timeout(120)
  void killingARouterLeavesOnlyAGapThenDeliveryResumes() throws Exception {
    int publishers = 4;
    try (Connection sub = connect(gw2.url())) {
      List<Connection> pubs = new ArrayList<>();
      // Consecutive connections land on consecutive partitions: some on each router.
      for (int i = 0; i < publishers; i++) {
        pubs.add(connect(gw1.url()));
      }
      long[] last = new long[publishers];
      java.util.Arrays.fill(last, -1);
      AtomicLong receivedCount = new AtomicLong();
      List<String> violations = new CopyOnWriteArrayList<>();
      List<long[]> gaps = new CopyOnWriteArrayList<>();
      AtomicLong lastArrival = new AtomicLong(System.nanoTime());
      AtomicLong longestPause = new AtomicLong();
      Dispatcher d = sub.createDispatcher(m -> {
        String[] parts = new String(m.getData(), StandardCharsets.US_ASCII).split(":");
        int p = Integer.parseInt(parts[0]);
        long seq = Long.parseLong(parts[1]);
        if (!m.getSubject().equals("steady." + p)) {
          violations.add("subject " + m.getSubject() + " for publisher " + p);
        }
        synchronized (last) {
          if (seq <= last[p]) {
            violations.add("publisher " + p + ": " + seq + " after " + last[p]);
          } else if (seq > last[p] + 1) {
            gaps.add(new long[] {p, last[p], seq});
          }
          last[p] = seq;
        }
        long now = System.nanoTime();
        longestPause.accumulateAndGet(now - lastArrival.getAndSet(now), Math::max);
        receivedCount.incrementAndGet();
      });
      d.subscribe("steady.*");
      sub.flush(Duration.ofSeconds(10));
      AtomicBoolean running = new AtomicBoolean(true);
      Thread publisher = new Thread(() -> {
        long seq = 0;
        while (running.get()) {
          for (int p = 0; p < publishers; p++) {
            pubs.get(p).publish("steady." + p, (p + ":" + seq + ":" + PADDING).getBytes(StandardCharsets.US_ASCII));
          }
          seq++;
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      publisher.start();
      try {
        awaitCount(receivedCount, 1000, 30);
        longestPause.set(0);
        long killedAt = System.nanoTime();
        cluster.kill(router2);
        // Delivery must resume on every publisher's stream (the moved partitions included).
        long[] atKill = last.clone();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean allResumed = false;
        while (!allResumed && System.nanoTime() < deadline) {
          Thread.sleep(100);
          synchronized (last) {
            allResumed = true;
            for (int p = 0; p < publishers; p++) {
              // More than PublishCredit's window after the kill: a publisher whose credit barriers
              // died with the router (and were not replayed) would stall before this.
              allResumed &= last[p] > atKill[p] + 2000;
            }
          }
        }
        System.out.printf("router killed: longest pause in delivery %d ms; resumed on all streams after %d ms;"
                + " gaps (publisher, last before, first after): %s%n",
            TimeUnit.NANOSECONDS.toMillis(longestPause.get()),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt),
            gaps.stream().map(java.util.Arrays::toString).toList());
        assertThat(allResumed).as("delivery resumed on every stream").isTrue();
      } finally {
        running.set(false);
        publisher.join(5000);
        for (Connection c : pubs) {
          c.close();
        }
      }
      assertThat(violations).as("no duplicate, reordered or misrouted message").isEmpty();
    }
  }

  /** 4000 bytes per steady message: 2000 of them are more than a publisher's 4 MiB window. */
  private static final String PADDING = "x".repeat(4000);

  private static void awaitCount(AtomicLong count, long atLeast, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (count.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count.get()).isGreaterThanOrEqualTo(atLeast);
  }

  @Test
  @Order(8)
  @Timeout(120)
  void killingAGatewayMovesItsClientsToTheOtherThroughConnectUrls() throws Exception {
    CountDownLatch reconnected = new CountDownLatch(1);
    Options options = new Options.Builder().server(gw1.url()).maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(200)).connectionTimeout(Duration.ofSeconds(5))
        .connectionListener((conn, event) -> {
          if (event == ConnectionListener.Events.RECONNECTED) {
            reconnected.countDown();
          }
        }).build();
    try (Connection client = Nats.connect(options); Connection other = connect(gw2.url())) {
      // The client learned gateway 2 from INFO connect_urls (it was only given gateway 1).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!client.getServers().contains(gw2.url()) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(client.getServers()).contains(gw2.url());
      cluster.kill(gw1);
      assertThat(reconnected.await(60, TimeUnit.SECONDS)).as("reconnected").isTrue();
      assertThat(client.getConnectedUrl()).isEqualTo(gw2.url());
      Subscription s = client.subscribe("after.failover");
      // While the cluster is still noticing the dead process (Hazelcast takes seconds), a flush may
      // wait; bounded retries keep the claim to what is tested here: the client moved and works.
      Message got = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      while (got == null && System.nanoTime() < until) {
        try {
          client.flush(Duration.ofSeconds(5));
        } catch (java.util.concurrent.TimeoutException slow) {
          System.out.println("flush after fail-over timed out once; retrying");
          continue;
        }
        other.publish("after.failover", new byte[] {7});
        got = s.nextMessage(Duration.ofSeconds(2));
      }
      assertThat(got).isNotNull();
    }
  }
  private static java.net.http.HttpResponse<String> http(int port, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(6)
  @Timeout(240)
  void gatewaysComingAndGoingUpdateClientsAndLameDuckMovesClientsToTheRest() throws Exception {
    try (InfoReader onGw1 = new InfoReader(gw1.clientPort())) {
      onGw1.awaitInfo(urls -> urls.contains(gw2.hostPort()), 30);
      // A third gateway joins: gateway 1's client hears of it (nats-server: INFO with the new URL).
      int port3 = TernProcess.freePort();
      int hz3 = TernProcess.freePort();
      Path conf = dir.resolve("gw3.conf");
      java.nio.file.Files.writeString(conf, "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\n");
      ClusterProcesses.Node gw3 = cluster.start("gw3", port3, hz3, "-c", conf.toString(), "--services", "gateway",
          "-a", "127.0.0.1", "-p", Integer.toString(port3), "-m", "0", "--cluster", "nats://127.0.0.1:" + hz3,
          "--routes", routes, "--cluster_name", clusterName, "--partitions", "8");
      cluster.awaitReady(90);
      JsonObject joined = onGw1.awaitInfo(urls -> urls.contains(gw3.hostPort()), 60);
      assertThat(joined.getJsonArray("connect_urls").getList())
          .containsExactlyInAnyOrder(gw1.hostPort(), gw2.hostPort(), gw3.hostPort());
      assertThat(joined.containsKey("ldm")).isFalse();
      awaitFlowing(gw3, gw2, 60);

      // A jnats client of gateway 3 only, with a subscription, learns the others from INFO.
      CountDownLatch lameDuck = new CountDownLatch(1);
      CountDownLatch reconnected = new CountDownLatch(1);
      Options options = new Options.Builder().server(gw3.url()).maxReconnects(-1)
          .reconnectWait(Duration.ofMillis(200)).connectionTimeout(Duration.ofSeconds(5))
          .connectionListener((conn, event) -> {
            if (event == ConnectionListener.Events.LAME_DUCK) {
              lameDuck.countDown();
            } else if (event == ConnectionListener.Events.RECONNECTED) {
              reconnected.countDown();
            }
          }).build();
      try (Connection moved = Nats.connect(options); Connection pub = connect(gw2.url());
           InfoReader onGw3 = new InfoReader(gw3.clientPort())) {
        Subscription s = moved.subscribe("moved.>");
        moved.flush(Duration.ofSeconds(10));
        pub.publish("moved.before", new byte[] {1});
        assertThat(s.nextMessage(Duration.ofSeconds(10))).isNotNull();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!moved.getServers().contains(gw1.url()) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(moved.getServers()).contains(gw1.url(), gw2.url());

        // Lame duck mode (SIGUSR2, as nats-server): the others stop advertising gateway 3 at once...
        Process signal = new ProcessBuilder("kill", "-USR2", Long.toString(gw3.process().pid())).inheritIO().start();
        assertThat(signal.waitFor(10, TimeUnit.SECONDS)).isTrue();
        JsonObject left = onGw1.awaitInfo(urls -> !urls.contains(gw3.hostPort()), 30);
        assertThat(left.getJsonArray("connect_urls").getList()).containsExactlyInAnyOrder(gw1.hostPort(), gw2.hostPort());
        assertThat(left.containsKey("ldm")).as("only the lame duck's own clients get ldm").isFalse();
        // As nats-server (NatsServerClusterReferenceIT): the lame duck's INFO lists only the others.
        JsonObject ldm = onGw3.awaitInfo(urls -> !urls.contains(gw3.hostPort()), 30);
        assertThat(ldm.getBoolean("ldm")).isTrue();
        assertThat(ldm.getJsonArray("connect_urls").getList()).containsExactlyInAnyOrder(gw1.hostPort(), gw2.hostPort());
        // ... its clients get "ldm":true, are closed after the grace period, and reconnect elsewhere
        // with their subscriptions.
        assertThat(lameDuck.await(30, TimeUnit.SECONDS)).as("jnats saw LAME_DUCK").isTrue();
        assertThat(reconnected.await(60, TimeUnit.SECONDS)).as("reconnected").isTrue();
        assertThat(moved.getConnectedUrl()).isIn(gw1.url(), gw2.url());
        Message got = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (got == null && System.nanoTime() < until) {
          try {
            moved.flush(Duration.ofSeconds(5));
          } catch (java.util.concurrent.TimeoutException slow) {
            continue;
          }
          pub.publish("moved.after", new byte[] {2});
          got = s.nextMessage(Duration.ofSeconds(2));
        }
        assertThat(got).as("the subscription moved with the client").isNotNull();
        assertThat(got.getSubject()).isEqualTo("moved.after");
        assertThat(gw3.process().waitFor(60, TimeUnit.SECONDS)).as("gateway 3 exits after lame duck mode").isTrue();
        assertThat(gw3.log()).contains("Entering lame duck mode");
      }
    }
  }

  @Test
  @Order(9)
  @Timeout(120)
  void varzShowsTheClusterAndHealthzFailsWithoutTheAuthService() throws Exception {
    JsonObject varz = new JsonObject(http(gw2Monitor, "/varz").body());
    JsonObject c = varz.getJsonObject("cluster");
    assertThat(c.getString("name")).isEqualTo(clusterName);
    assertThat(c.getString("addr")).isEqualTo("127.0.0.1");
    assertThat(c.getInteger("cluster_port")).isEqualTo(gw2.clusterPort());
    assertThat(c.getJsonArray("urls").getList()).hasSize(2);
    assertThat(http(gw2Monitor, "/healthz").statusCode()).isEqualTo(200);
    cluster.kill(auth);
    java.net.http.HttpResponse<String> health = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      health = http(gw2Monitor, "/healthz");
      if (health.statusCode() == 503) {
        break;
      }
      Thread.sleep(500);
    }
    System.out.println("/healthz without auth: " + health.body());
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(health.body()).getString("error")).startsWith("auth service not available");
  }
  @Test
  @Order(5)
  @Timeout(180)
  void aSlowSubscriberOnAnotherGatewayIsCutOffAtMaxPendingNotBuffered() throws Exception {
    long slowBefore = new JsonObject(http(gw2Monitor, "/varz").body()).getLong("slow_consumers");
    try (Socket slow = new Socket(); Connection pub = connect(gw1.url())) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new java.net.InetSocketAddress("127.0.0.1", gw2.clientPort()), 5000);
      slow.setSoTimeout(10_000);
      slow.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB flood 1\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
      for (String l = in.readLine(); !"PONG".equals(l); l = in.readLine()) {
        assertThat(l).as("before PONG").isNotNull();
      }
      // From now on the subscriber reads nothing: gateway 2 must not keep what it cannot write.
      byte[] payload = new byte[1024];
      long published = 0;
      long slowNow = slowBefore;
      long limit = 256L << 20; // many times gateway 2's max_pending and the processes' heaps
      while (slowNow == slowBefore && published < limit) {
        for (int i = 0; i < 2000; i++) {
          pub.publish("flood", payload);
        }
        published += 2000L * payload.length;
        pub.flush(Duration.ofSeconds(30));
        slowNow = new JsonObject(http(gw2Monitor, "/varz").body()).getLong("slow_consumers");
      }
      System.out.printf("slow consumer cut off after %d MiB published%n", published >> 20);
      assertThat(slowNow).as("slow_consumers on gateway 2").isGreaterThan(slowBefore);
      JsonObject closed = new JsonObject(http(gw2Monitor, "/connz?state=closed").body());
      assertThat(closed.getJsonArray("connections").stream().map(c -> ((JsonObject) c).getString("reason")))
          .anyMatch(r -> r != null && r.startsWith("Slow Consumer"));
    }
    for (ClusterProcesses.Node n : cluster.nodes()) {
      assertThat(n.process().isAlive()).as(n.name() + " alive").isTrue();
    }
    awaitFlowing(gw1, gw2, 60);
  }
}
