package io.tern.gateway.monitor;

import io.tern.common.bus.Addresses;
import io.tern.common.config.TernOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * {@code /healthz} as nats-server 2.9.10 answers it: {@code {"status":"ok"}}, or HTTP 503 with
 * {@code {"status":"unavailable","error":"..."}} when the routers do not answer or JetStream is
 * enabled in the config but the stream service does not answer ({@code JetStream not enabled},
 * nats-server's text). {@code js-enabled-only} (and the deprecated {@code js-enabled}) stop after
 * that check and {@code js-server-only} skips per-stream checks; on a single server nats-server
 * checks nothing further either, so in Tern all three ask the same. In distributed mode an absent
 * auth service is a 503 too: no client could log in.
 */
final class Healthz {
  static final String JS_NOT_ENABLED = "JetStream not enabled";
  static final String AUTH_MISSING = "auth service not available";
  private static final long ASK_TIMEOUT_MS = 2000;

  /** A health answer: the HTTP status and the JSON body. */
  record Health(int status, JsonObject json) {
    static Health ok() {
      return new Health(200, new JsonObject().put("status", "ok"));
    }

    static Health unavailable(String error) {
      return new Health(503, new JsonObject().put("status", "unavailable").put("error", error));
    }
  }

  private Healthz() {
  }

  /** Checks the query's booleans first (400 with nats-server's text for a bad one). */
  static void validate(Query q) {
    q.bool("js-enabled");
    q.bool("js-enabled-only");
    q.bool("js-server-only");
  }

  /** {@code routers} completes when every router partition answered. */
  static Future<Health> check(Vertx vertx, TernOptions options, Future<?> routers) {
    return check(vertx, options, routers, false);
  }

  /**
   * As {@link #check(Vertx, TernOptions, Future)}; {@code distributed} also asks the auth service,
   * which in embedded mode runs in the same process and cannot be missing.
   */
  static Future<Health> check(Vertx vertx, TernOptions options, Future<?> routers, boolean distributed) {
    return routers.transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(Health.unavailable("router service not ready: " + ar.cause().getMessage()));
      }
      if (distributed) {
        DeliveryOptions ask = new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS);
        return vertx.eventBus().request(Addresses.ACCOUNTS_GET, null, ask)
            .transform(auth -> auth.succeeded() ? streams(vertx, options)
                : Future.succeededFuture(Health.unavailable(AUTH_MISSING)));
      }
      return streams(vertx, options);
    });
  }

  private static Future<Health> streams(Vertx vertx, TernOptions options) {
    if (!options.getJetStream().isEnabled()) {
      return Future.succeededFuture(Health.ok());
    }
    DeliveryOptions ask = new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS);
    return vertx.eventBus().request(Addresses.STREAM_STATS, null, ask)
        .map(reply -> Health.ok())
        .otherwise(e -> Health.unavailable(JS_NOT_ENABLED));
  }
}
