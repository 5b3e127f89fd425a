package io.tern.testkit.jnats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading is disconnected — by {@code max_pending} or by the write
 * deadline — while a healthy subscriber of the same subject still gets every message.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowConsumerIT {

  private static final int MESSAGES = 1500;
  private static final byte[] PAYLOAD = new byte[32 * 1024];

  @Test
  void pendingBytesOverMaxPendingDisconnectOnlyTheSlowConsumer() throws Exception {
    floodAndExpectSlowConsumerClosed("max_pending: 262144\nmax_payload: 65536\n", 0);
  }

  @Test
  void aWriteStalledPastTheWriteDeadlineDisconnectsTheSlowConsumer() throws Exception {
    // The stall must outlast the deadline before the test starts draining the socket itself.
    floodAndExpectSlowConsumerClosed("write_deadline: \"1s\"\n", 2500);
  }

  private void floodAndExpectSlowConsumerClosed(String config, long stallMillis) throws Exception {
    try (Broker broker = Brokers.startWithMonitoring(config);
         Socket slow = stalledSubscriber(broker, "flood");
         Connection fast = JnatsClients.connect(broker, b -> b.maxMessagesInOutgoingQueue(100_000));
         Connection publisher = JnatsClients.connect(broker)) {
      Subscription sub = fast.subscribe("flood");
      sub.setPendingLimits(-1, -1);
      fast.flush(JnatsClients.WAIT);
      for (int i = 0; i < MESSAGES; i++) {
        publisher.publish("flood", PAYLOAD);
        if (i % 100 == 99) {
          publisher.flush(JnatsClients.WAIT);
          Thread.sleep(20);
        }
      }
      publisher.flush(JnatsClients.WAIT);
      int received = 0;
      while (received < MESSAGES && sub.nextMessage(JnatsClients.WAIT) != null) {
        received++;
      }
      assertThat(received).as("the healthy subscriber gets every message").isEqualTo(MESSAGES);
      Thread.sleep(stallMillis);
      assertThat(closedByServer(slow)).as("the stalled subscriber was disconnected").isTrue();
      assertThat(globalSlowConsumers(broker.httpPort())).as("counted in its account ($G)").isPositive();
    }
  }

  /** {@code /accstatz?unused=1}'s slow_consumers of account $G. */
  private static long globalSlowConsumers(int httpPort) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/accstatz?unused=1"))
            .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    var list = new io.vertx.core.json.JsonObject(r.body()).getJsonArray("account_statz");
    for (int i = 0; i < list.size(); i++) {
      if ("$G".equals(list.getJsonObject(i).getString("acc"))) {
        return list.getJsonObject(i).getLong("slow_consumers");
      }
    }
    throw new AssertionError("no $G in " + r.body());
  }

  /** A raw connection with a tiny receive buffer that subscribes and then never reads. */
  private static Socket stalledSubscriber(Broker broker, String subject) throws IOException, InterruptedException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5000);
    OutputStream out = s.getOutputStream();
    out.write(("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB " + subject + " 1\r\nPING\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    // Read INFO and PONG so the subscription is known to be in place; then never read again.
    s.setSoTimeout(5000);
    InputStream in = s.getInputStream();
    StringBuilder seen = new StringBuilder();
    while (!seen.toString().contains("PONG\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before PONG: " + seen);
      }
      seen.append((char) b);
    }
    return s;
  }

  /** Drains what the kernel holds and reports whether the server closed the connection. */
  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout(20_000);
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = s.getInputStream();
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
