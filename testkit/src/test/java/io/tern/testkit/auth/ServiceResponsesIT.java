package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Service import response types across two accounts with jnats: a singleton export lets one
 * response back per request, a streamed or chunked one every response until its response threshold.
 */
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServiceResponsesIT {

  private static final String CONFIG = """
      accounts {
        A {
          users [{user: a, password: a}]
          exports [
            {service: "one.>"}
            {service: "many.>", response_type: stream}
            {service: "chunks.>", response_type: chunked}
            {service: "brief.>", response_type: stream, response_threshold: "300ms"}
          ]
        }
        B {
          users [{user: b, password: b}]
          imports [
            {service: {account: A, subject: "one.>"}}
            {service: {account: A, subject: "many.>"}}
            {service: {account: A, subject: "chunks.>"}}
            {service: {account: A, subject: "brief.>"}}
          ]
        }
      }
      """;

  /** A's service answers every request three times: "r1", "r2", "r3". */
  private static void answerThrice(Connection a, String subject) throws Exception {
    Dispatcher d = a.createDispatcher(msg -> {
      for (int k = 1; k <= 3; k++) {
        a.publish(msg.getReplyTo(), AuthClients.utf8("r" + k));
      }
    });
    d.subscribe(subject);
    a.flush(AuthClients.WAIT);
  }

  /** B sends one request with its own inbox and collects what comes back until a quiet spell. */
  private static int responses(Connection b, String subject) throws Exception {
    String inbox = b.createInbox();
    Subscription replies = b.subscribe(inbox);
    b.flush(AuthClients.WAIT);
    b.publish(subject, inbox, AuthClients.utf8("q"));
    b.flush(AuthClients.WAIT);
    int n = 0;
    Message m = replies.nextMessage(AuthClients.WAIT);
    while (m != null && n < 10) {
      n++;
      m = replies.nextMessage(Duration.ofMillis(500));
    }
    return n;
  }

  @Test
  void aSingletonServiceGetsItsFirstResponseOnly() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b")) {
      answerThrice(a, "one.>");
      assertThat(responses(b, "one.x")).isEqualTo(1);
      // Each request has its own response mapping.
      assertThat(responses(b, "one.y")).isEqualTo(1);
    }
  }

  @Test
  void aSingletonServiceWithTwoRespondersStillGetsOneResponse() throws Exception {
    // Several connections: in Tern their publishes may be routed by different router partitions.
    try (Broker broker = Brokers.start(CONFIG);
         Connection a1 = AuthClients.connect(broker, "a", "a");
         Connection a2 = AuthClients.connect(broker, "a", "a");
         Connection a3 = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b")) {
      for (Connection a : new Connection[] {a1, a2, a3}) {
        Dispatcher d = a.createDispatcher(msg -> a.publish(msg.getReplyTo(), AuthClients.utf8("r")));
        d.subscribe("one.>");
        a.flush(AuthClients.WAIT);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(responses(b, "one.x" + i)).isEqualTo(1);
      }
    }
  }

  @Test
  void streamedAndChunkedServicesGetEveryResponse() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b")) {
      answerThrice(a, "many.>");
      answerThrice(a, "chunks.>");
      assertThat(responses(b, "many.x")).isEqualTo(3);
      assertThat(responses(b, "chunks.x")).isEqualTo(3);
    }
  }

  @Test
  void responsesAfterTheThresholdDoNotComeBack() throws Exception {
    try (Broker broker = Brokers.start(CONFIG);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b")) {
      Subscription requests = a.subscribe("brief.>");
      a.flush(AuthClients.WAIT);
      String inbox = b.createInbox();
      Subscription replies = b.subscribe(inbox);
      b.flush(AuthClients.WAIT);
      b.publish("brief.x", inbox, AuthClients.utf8("q"));
      b.flush(AuthClients.WAIT);
      Message request = AuthClients.next(requests);
      a.publish(request.getReplyTo(), AuthClients.utf8("in time"));
      a.flush(AuthClients.WAIT);
      assertThat(AuthClients.text(AuthClients.next(replies))).isEqualTo("in time");
      // Well past the 300ms threshold (nats-server sweeps expired response mappings on a timer).
      Thread.sleep(2500);
      a.publish(request.getReplyTo(), AuthClients.utf8("late"));
      a.flush(AuthClients.WAIT);
      assertThat(replies.nextMessage(Duration.ofMillis(700))).isNull();
    }
  }
}
