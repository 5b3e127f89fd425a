package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.next;
import static io.tern.testkit.jnats.JnatsClients.subjectsUntil;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.BrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Core publish/subscribe through jnats: round trip, wildcards, payload limit, many subs, echo. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class PubSubIT {

  private static final int MAX_PAYLOAD = 1024 * 1024;

  /** Subjects published to each wildcard subscription; which match is asserted per pattern. */
  private static final List<String> CANDIDATES = List.of("foo", "foo.bar", "foo.baz", "foo.bar.baz",
      "foo.bar.baz.qux", "bar.foo", "foo.bar.qux", "foox.bar", "fo.bar");

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  @Test
  @Timeout(30)
  void publishedMessageReachesSubscriberOnAnotherConnection() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("greet.one");
      sub.flush(WAIT);
      pub.publish("greet.one", utf8("hello"));
      Message m = next(s);
      assertThat(m.getSubject()).isEqualTo("greet.one");
      assertThat(text(m)).isEqualTo("hello");
      assertThat(m.getReplyTo()).isNull();
      assertThat(m.hasHeaders()).isFalse();
    }
  }

  @Test
  @Timeout(60)
  void heardMessagesStayIntactAmongBurstsNobodyHears() throws Exception {
    // Reads holding only publishes nobody hears are parsed in a reused array; a read that also
    // holds a heard publish is kept by its batch. Heard payloads must never see later reads' bytes.
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("heard.one");
      sub.flush(WAIT);
      byte[] noise = new byte[100];
      java.util.Arrays.fill(noise, (byte) '#');
      int heard = 400;
      for (int i = 0; i < heard; i++) {
        for (int k = 0; k < 300; k++) {
          pub.publish("unheard.noise", noise);
        }
        pub.publish("heard.one", utf8("message-" + i + "-" + "x".repeat(i % 97)));
      }
      pub.flush(WAIT);
      for (int i = 0; i < heard; i++) {
        Message m = next(s);
        assertThat(text(m)).isEqualTo("message-" + i + "-" + "x".repeat(i % 97));
      }
    }
  }

  @Test
  @Timeout(30)
  void replySubjectAndEmptyPayloadArriveUnchanged() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("greet.empty");
      sub.flush(WAIT);
      pub.publish("greet.empty", "reply.here", new byte[0]);
      Message m = next(s);
      assertThat(m.getReplyTo()).isEqualTo("reply.here");
      assertThat(m.getData()).isEmpty();
    }
  }

  @Test
  @Timeout(30)
  void singleTokenWildcardMatchesExactlyOneToken() throws Exception {
    assertThat(received("foo.*", "foo.fence")).containsExactly("foo.bar", "foo.baz");
    assertThat(received("foo.*.baz", "foo.fence.baz")).containsExactly("foo.bar.baz");
    assertThat(received("*.bar", "fence.bar")).containsExactly("foo.bar", "foox.bar", "fo.bar");
    assertThat(received("*", "fence")).containsExactly("foo");
  }

  @Test
  @Timeout(30)
  void fullWildcardMatchesOneOrMoreTrailingTokens() throws Exception {
    assertThat(received("foo.>", "foo.fence"))
        .containsExactly("foo.bar", "foo.baz", "foo.bar.baz", "foo.bar.baz.qux", "foo.bar.qux");
    assertThat(received("*.*.>", "fence.x.y"))
        .containsExactly("foo.bar.baz", "foo.bar.baz.qux", "foo.bar.qux");
    assertThat(received(">", "fence")).containsExactlyElementsOf(CANDIDATES);
  }

  /** What a subscription on {@code pattern} is given when every candidate subject is published. */
  private static List<String> received(String pattern, String fence) throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe(pattern);
      sub.flush(WAIT);
      for (String subject : CANDIDATES) {
        pub.publish(subject, utf8(subject));
      }
      pub.publish(fence, new byte[0]);
      return subjectsUntil(s, fence);
    }
  }

  @Test
  @Timeout(30)
  void payloadOfExactlyMaxPayloadRoundTrips() throws Exception {
    byte[] payload = new byte[MAX_PAYLOAD];
    new Random(42).nextBytes(payload);
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      assertThat(pub.getMaxPayload()).isEqualTo(MAX_PAYLOAD);
      Subscription s = sub.subscribe("big");
      sub.flush(WAIT);
      pub.publish("big", payload);
      Message m = next(s);
      assertThat(m.getData()).hasSize(MAX_PAYLOAD).isEqualTo(payload);
    }
  }

  @Test
  @Timeout(30)
  void payloadAboveMaxPayloadIsRejectedByTheClient() throws Exception {
    try (Connection pub = connect(BROKER.broker())) {
      assertThatThrownBy(() -> pub.publish("big", new byte[MAX_PAYLOAD + 1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Message payload size exceed server configuration 1048577 vs 1048576");
      // The connection stays usable: the client never sent the oversized message.
      pub.flush(WAIT);
      assertThat(pub.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }
  }

  @Test
  @Timeout(30)
  void payloadAboveMaxPayloadIsRejectedByTheServerWhenTheClientDoesNotCheck() throws Exception {
    BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    BlockingQueue<Events> closed = new LinkedBlockingQueue<>();
    ErrorListener listener = new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        errors.add(error);
      }
    };
    try (Connection pub = connect(BROKER.broker(),
        b -> b.clientSideLimitChecks(false).errorListener(listener)
            .connectionListener((c, event) -> {
              if (event == Events.CLOSED) {
                closed.add(event);
              }
            }))) {
      pub.publish("big", new byte[MAX_PAYLOAD + 1]);
      String error = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      // jnats strips the quotes of the server's -ERR 'Maximum Payload Violation'.
      assertThat(error).isEqualTo("Maximum Payload Violation");
      // The server closes the connection after that error.
      assertThat(closed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Events.CLOSED);
    }
  }

  @Test
  @Timeout(60)
  void tenThousandSubscriptionsOnOneConnectionEachGetTheirOwnMessage() throws Exception {
    int count = 10_000;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      List<Subscription> subs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        subs.add(sub.subscribe("many." + i));
      }
      sub.flush(WAIT);
      for (int i = 0; i < count; i++) {
        pub.publish("many." + i, utf8(Integer.toString(i)));
      }
      pub.flush(WAIT);
      for (int i = 0; i < count; i++) {
        Message m = next(subs.get(i));
        assertThat(m.getSubject()).isEqualTo("many." + i);
        assertThat(text(m)).isEqualTo(Integer.toString(i));
      }
      // Every subscription got exactly one message: nothing was delivered twice or to a wrong one.
      assertThat(sub.getStatistics().getInMsgs()).isEqualTo(count);
    }
  }

  @Test
  @Timeout(30)
  void noEchoSuppressesOwnMessagesButOthersStillGetThem() throws Exception {
    try (Connection quiet = connect(BROKER.broker(), b -> b.noEcho()); Connection other = connect(BROKER.broker())) {
      Subscription quietSub = quiet.subscribe("echo.test");
      Subscription otherSub = other.subscribe("echo.test");
      quiet.flush(WAIT);
      other.flush(WAIT);

      quiet.publish("echo.test", utf8("from-quiet"));
      assertThat(text(next(otherSub))).isEqualTo("from-quiet");
      // Published after the other side saw from-quiet, so an echoed from-quiet would come first.
      other.publish("echo.test", utf8("from-other"));

      assertThat(text(next(quietSub))).isEqualTo("from-other");
      assertThat(text(next(otherSub))).isEqualTo("from-other");
      // An echoed from-quiet would have reached the quiet connection before from-other.
      assertThat(quiet.getStatistics().getInMsgs()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(30)
  void echoIsOnByDefault() throws Exception {
    try (Connection conn = connect(BROKER.broker())) {
      Subscription s = conn.subscribe("echo.default");
      conn.flush(WAIT);
      conn.publish("echo.default", utf8("mine"));
      assertThat(text(next(s))).isEqualTo("mine");
    }
  }
}
