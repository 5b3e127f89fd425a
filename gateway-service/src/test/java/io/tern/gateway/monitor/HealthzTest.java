package io.tern.gateway.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.bus.Addresses;
import io.tern.common.config.TernOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthzTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Healthz.Health check(TernOptions options, Future<?> routers) throws Exception {
    return Healthz.check(vertx, options, routers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void jetStreamEnabledButNotAnsweringIsUnavailable() throws Exception {
    TernOptions options = new TernOptions();
    options.getJetStream().setEnabled(true);
    Healthz.Health h = check(options, Future.succeededFuture());
    assertThat(h.status()).isEqualTo(503);
    assertThat(h.json()).isEqualTo(new JsonObject().put("status", "unavailable").put("error", "JetStream not enabled"));

    vertx.eventBus().consumer(Addresses.STREAM_STATS, m -> m.reply(new JsonObject()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Healthz.Health ok = check(options, Future.succeededFuture());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json()).isEqualTo(new JsonObject().put("status", "ok"));
  }

  @Test
  void withoutJetStreamOnlyTheRoutersCount() throws Exception {
    TernOptions options = new TernOptions();
    options.getJetStream().setEnabled(false);
    assertThat(check(options, Future.succeededFuture()).status()).isEqualTo(200);
    Healthz.Health down = check(options, Future.failedFuture("timeout"));
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().getString("status")).isEqualTo("unavailable");
    assertThat(down.json().getString("error")).startsWith("router service not ready");
  }
}
