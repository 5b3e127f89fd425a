package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Receives one stream backup for {@code STREAM.RESTORE} as nats-server does: the client publishes
 * chunks to {@code $JS.SNAPSHOT.RESTORE.<stream>.<id>}, each answered with an empty message on its
 * reply subject, and ends with an empty message whose reply subject gets the outcome. Gives up
 * after a minute without chunks, and refuses archives over {@link #MAX_ARCHIVE} (held in memory).
 */
final class RestoreReceiver {

  private static final long IDLE_TIMEOUT_MS = 60_000;
  /** Archives are collected in memory; a larger upload is abandoned. */
  static final long MAX_ARCHIVE = 1L << 30;

  private final RouterLink link;
  private final Vertx vertx;
  private final String deliver;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final BiConsumer<byte[], String> onEnd;
  private final Runnable onAbandon;
  private final java.util.function.Consumer<String> onTooLarge;
  private int sub = -1;
  private long timer = -1;

  /**
   * @param onEnd gets the archive bytes and the reply subject of the final message
   * @param onAbandon runs when the client stopped sending
   * @param onTooLarge gets the reply subject of the chunk that took the archive over {@link #MAX_ARCHIVE}
   */
  RestoreReceiver(RouterLink link, Vertx vertx, String stream, BiConsumer<byte[], String> onEnd, Runnable onAbandon,
      java.util.function.Consumer<String> onTooLarge) {
    this.link = link;
    this.vertx = vertx;
    this.deliver = "$JS.SNAPSHOT.RESTORE." + stream + "." + UUID.randomUUID().toString().replace("-", "");
    this.onEnd = onEnd;
    this.onAbandon = onAbandon;
    this.onTooLarge = onTooLarge;
  }

  String deliverSubject() {
    return deliver;
  }

  /** Subscribes the deliver subject; the returned barrier completes once routers route it here. */
  io.vertx.core.Future<Void> start() {
    sub = link.subscribe(deliver, null, this::onChunk);
    rearm();
    return link.barrier();
  }

  private void onChunk(RouterLink.Message m) {
    byte[] data = m.payload() == null ? new byte[0] : m.payload();
    if (data.length > 0) {
      if ((long) received.size() + data.length > MAX_ARCHIVE) {
        stop();
        onTooLarge.accept(m.reply());
        return;
      }
      received.writeBytes(data);
      if (m.reply() != null) {
        link.publish(m.reply(), null, null, new byte[0]);
      }
      rearm();
      return;
    }
    stop();
    onEnd.accept(received.toByteArray(), m.reply());
  }

  private void rearm() {
    if (vertx == null) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(IDLE_TIMEOUT_MS, id -> {
      timer = -1;
      stop();
      onAbandon.run();
    });
  }

  private void stop() {
    if (timer >= 0 && vertx != null) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (sub >= 0) {
      link.unsubscribe(sub);
      sub = -1;
    }
  }
}
