package io.tern.testkit.jnats;

import static io.tern.testkit.jnats.JnatsClients.WAIT;
import static io.tern.testkit.jnats.JnatsClients.connect;
import static io.tern.testkit.jnats.JnatsClients.next;
import static io.tern.testkit.jnats.JnatsClients.text;
import static io.tern.testkit.jnats.JnatsClients.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.tern.testkit.BrokerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Message headers (HPUB/HMSG) through jnats. */
// jnats's Connection.close() declares InterruptedException, which javac's "try" lint flags.
@SuppressWarnings("try")
class HeadersIT {

  @RegisterExtension
  static final BrokerExtension BROKER = new BrokerExtension();

  private static Headers sampleHeaders() {
    return new Headers()
        .add("X-Multi", "one", "two", "three")
        .add("MiXeD-CaSe", "Value With Spaces")
        .add("x-multi", "lower-case key is a different key");
  }

  private static void assertSampleHeaders(Message m) {
    assertThat(m.hasHeaders()).isTrue();
    Headers h = m.getHeaders();
    assertThat(h.keySet()).containsExactlyInAnyOrder("X-Multi", "MiXeD-CaSe", "x-multi");
    assertThat(h.get("X-Multi")).containsExactly("one", "two", "three");
    assertThat(h.get("MiXeD-CaSe")).containsExactly("Value With Spaces");
    assertThat(h.get("x-multi")).containsExactly("lower-case key is a different key");
  }

  @Test
  @Timeout(30)
  void headersAndPayloadRoundTripWithMultipleValuesAndKeyCasePreserved() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("hdr.roundtrip");
      sub.flush(WAIT);
      pub.publish("hdr.roundtrip", sampleHeaders(), utf8("body"));
      Message m = next(s);
      assertSampleHeaders(m);
      assertThat(text(m)).isEqualTo("body");
      assertThat(m.getReplyTo()).isNull();
    }
  }

  @Test
  @Timeout(30)
  void headersWithEmptyPayloadAndReplySubjectRoundTrip() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("hdr.empty");
      sub.flush(WAIT);
      pub.publish(NatsMessage.builder().subject("hdr.empty").replyTo("hdr.reply")
          .headers(new Headers().add("Only", "header")).data(new byte[0]).build());
      Message m = next(s);
      assertThat(m.getHeaders().get("Only")).containsExactly("header");
      assertThat(m.getData()).isEmpty();
      assertThat(m.getReplyTo()).isEqualTo("hdr.reply");
    }
  }

  @Test
  @Timeout(30)
  void headersTravelOnRequestAndReply() throws Exception {
    try (Connection responder = connect(BROKER.broker()); Connection requester = connect(BROKER.broker())) {
      responder.createDispatcher().subscribe("hdr.svc", m -> {
        Headers back = new Headers().add("Echoed-Count",
            Integer.toString(m.getHeaders().get("X-Multi").size()));
        responder.publish(m.getReplyTo(), back, m.getData());
      });
      responder.flush(WAIT);
      Message reply = requester.request("hdr.svc", sampleHeaders(), utf8("q"), WAIT);
      assertThat(reply).isNotNull();
      assertThat(reply.getHeaders().get("Echoed-Count")).containsExactly("3");
      assertThat(text(reply)).isEqualTo("q");
    }
  }

  @Test
  @Timeout(30)
  void messageWithoutHeadersHasNone() throws Exception {
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("hdr.none");
      sub.flush(WAIT);
      pub.publish("hdr.none", utf8("plain"));
      Message m = next(s);
      assertThat(m.hasHeaders()).isFalse();
      assertThat(text(m)).isEqualTo("plain");
    }
  }

  @Test
  @Timeout(30)
  void subscriberWithoutHeaderSupportGetsThePayloadOnly() throws Exception {
    // no_responders needs headers, so a header-less client must not ask for it (see below).
    try (Connection sub = connect(BROKER.broker(), b -> b.noHeaders().noNoResponders());
        Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("hdr.legacy");
      sub.flush(WAIT);
      pub.publish("hdr.legacy", sampleHeaders(), utf8("payload only"));
      Message m = next(s);
      // The server strips the header block for a client whose CONNECT did not ask for headers.
      assertThat(m.hasHeaders()).isFalse();
      assertThat(text(m)).isEqualTo("payload only");
    }
  }

  @Test
  @Timeout(30)
  void noRespondersWithoutHeadersIsRefusedAtConnect() {
    BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    ErrorListener listener = new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        errors.add(error);
      }
    };
    // jnats still sends no_responders:true when only noHeaders() is set. It reports the -ERR at
    // once but gives up the connect only after its connection timeout, hence a short one.
    assertThatThrownBy(() -> connect(BROKER.broker(), b -> b.noHeaders().errorListener(listener)
        .connectionTimeout(Duration.ofSeconds(2))).close())
        .isInstanceOf(IOException.class);
    assertThat(errors).contains("no responders requires headers support");
  }

  @Test
  @Timeout(30)
  void manyHeaderMessagesKeepTheirOwnHeaders() throws Exception {
    int count = 1_000;
    try (Connection sub = connect(BROKER.broker()); Connection pub = connect(BROKER.broker())) {
      Subscription s = sub.subscribe("hdr.many");
      sub.flush(WAIT);
      for (int i = 0; i < count; i++) {
        pub.publish("hdr.many", new Headers().add("Seq", Integer.toString(i)).add("Tag", "a", "b"),
            utf8("m" + i));
      }
      for (int i = 0; i < count; i++) {
        Message m = next(s);
        assertThat(m.getHeaders().get("Seq")).containsExactly(Integer.toString(i));
        assertThat(m.getHeaders().get("Tag")).isEqualTo(List.of("a", "b"));
        assertThat(text(m)).isEqualTo("m" + i);
      }
    }
  }
}
