package io.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tern.common.bus.RouterLink;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A service node attached with {@link RouterLink} answers a jnats request through the routers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterLinkIT {

  /** Replies to "svc.echo" with the request payload upper-cased, and a header. */
  static final class EchoService extends VerticleBase {
    private final int partitions;
    RouterLink link;

    EchoService(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public Future<?> start() {
      link = new RouterLink(vertx, "echo-test", partitions, true);
      return link.start().compose(v -> {
        link.subscribe("svc.echo", null, m -> link.publish(m.reply(), null,
            "NATS/1.0\r\nX-Svc: echo\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new String(m.payload(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8)));
        return link.barrier();
      });
    }
  }

  @Test
  @SuppressWarnings("try")
  void aLinkedServiceIsSubscribedOnceItsBarrierCompletesAndCanReply() throws Exception {
    try (EmbeddedTern tern = EmbeddedTern.start("")) {
      int partitions = tern.server().state().options().getRouterPartitions();
      tern.server().vertx().deployVerticle(new EchoService(partitions))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Connection nc = Nats.connect(new Options.Builder().server(tern.url()).noReconnect().build());
      try {
        Message reply = nc.request("svc.echo", "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        assertThat(reply).isNotNull();
        assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("HELLO");
        assertThat(reply.getHeaders().getFirst("X-Svc")).isEqualTo("echo");
      } finally {
        nc.close();
      }
    }
  }
}
