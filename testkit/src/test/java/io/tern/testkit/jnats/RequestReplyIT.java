package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.support.Status;
import io.tern.testkit.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Request/reply through jnats, including the server's 503 no-responders answer. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class RequestReplyIT {

  /**
   * Far longer than the wait on the future: a BROKER.broker() without no-responders support makes the wait
   * run out first, so the test fails with a TimeoutException instead of passing on jnats's timeout.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  /** Answers every request on {@code subject} with "re:" + its payload. */
  private static Dispatcher respondOn(Connection responder, String subject, String queue)
      throws Exception {
    Dispatcher dispatcher = responder.createDispatcher();
    dispatcher.subscribe(subject, queue,
        m -> responder.publish(m.getReplyTo(), utf8("re:" + text(m))));
    responder.flush(WAIT);
    return dispatcher;
  }

  @Test
  @Timeout(30)
  void requestGetsTheResponderReply() throws Exception {
    try (Connection responder = connect(BROKER.broker()); Connection requester = connect(BROKER.broker())) {
      respondOn(responder, "svc.echo", "svc");
      Message reply = requester.request("svc.echo", utf8("ping"), WAIT);
      assertThat(reply).isNotNull();
      assertThat(text(reply)).isEqualTo("re:ping");
      assertThat(reply.isStatusMessage()).isFalse();
    }
  }

  @Test
  @Timeout(30)
  void requestWithPerRequestInboxGetsTheReply() throws Exception {
    // Old style: a fresh inbox subscription per request with UNSUB after one message.
    try (Connection responder = connect(BROKER.broker());
        Connection requester = connect(BROKER.broker(), b -> b.oldRequestStyle())) {
      respondOn(responder, "svc.old", "svc");
      for (int i = 0; i < 20; i++) {
        Message reply = requester.request("svc.old", utf8("n" + i), WAIT);
        assertThat(reply).isNotNull();
        assertThat(text(reply)).isEqualTo("re:n" + i);
      }
    }
  }

  @Test
  @Timeout(60)
  void manyConcurrentRequestsEachGetTheirOwnReply() throws Exception {
    int threads = 4;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Connection responderA = connect(BROKER.broker()); Connection responderB = connect(BROKER.broker());
        Connection requester = connect(BROKER.broker())) {
      respondOn(responderA, "svc.many", "svc");
      respondOn(responderB, "svc.many", "svc");
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          List<CompletableFuture<Message>> inFlight = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            inFlight.add(requester.requestWithTimeout("svc.many", utf8(thread + "-" + i), WAIT));
          }
          List<String> replies = new ArrayList<>();
          for (CompletableFuture<Message> f : inFlight) {
            replies.add(text(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)));
          }
          return replies;
        }));
      }
      for (int t = 0; t < threads; t++) {
        List<String> replies = results.get(t).get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        assertThat(replies).hasSize(perThread);
        for (int i = 0; i < perThread; i++) {
          assertThat(replies.get(i)).isEqualTo("re:" + t + "-" + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(30)
  void requestWithoutRespondersFailsWithStatus503WhenReported() throws Exception {
    try (Connection requester = connect(BROKER.broker(), b -> b.reportNoResponders())) {
      CompletableFuture<Message> reply =
          requester.requestWithTimeout("nobody.home", utf8("anyone?"), REQUEST_TIMEOUT);
      assertThatThrownBy(() -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(JetStreamStatusException.class)
          .satisfies(e -> {
            Status status = ((JetStreamStatusException) e).getStatus();
            assertThat(status.getCode()).isEqualTo(503);
            assertThat(status.isNoResponders()).isTrue();
          });
    }
  }

  @Test
  @Timeout(30)
  void requestWithoutRespondersIsCancelledByDefault() throws Exception {
    // Without reportNoResponders jnats turns the 503 into a cancelled future (and the blocking
    // request(...) into null, like a timeout).
    try (Connection requester = connect(BROKER.broker())) {
      CompletableFuture<Message> reply =
          requester.requestWithTimeout("nobody.home", utf8("anyone?"), REQUEST_TIMEOUT);
      assertThatThrownBy(() -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(CancellationException.class);
      assertThat(reply.isCancelled()).isTrue();
    }
  }

  @Test
  @Timeout(30)
  void requestAfterTheResponderUnsubscribedGetsNoResponders() throws Exception {
    try (Connection responder = connect(BROKER.broker());
        Connection requester = connect(BROKER.broker(), b -> b.reportNoResponders())) {
      Dispatcher service = respondOn(responder, "svc.gone", "svc");
      assertThat(text(requester.request("svc.gone", utf8("1"), WAIT))).isEqualTo("re:1");
      // Unsubscribe and flush rather than close: the server drops a closed client's interest only
      // once it notices the socket is gone, so a request right after close() can still be routed
      // to it and be lost.
      service.unsubscribe("svc.gone");
      responder.flush(WAIT);

      CompletableFuture<Message> reply =
          requester.requestWithTimeout("svc.gone", utf8("2"), REQUEST_TIMEOUT);
      assertThatThrownBy(() -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .cause()
          .isInstanceOfSatisfying(JetStreamStatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(503));
    }
  }
}
