package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.tern.common.protocol.NatsHeaders;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.UUID;

/**
 * Sends one stream backup to a {@code STREAM.SNAPSHOT} requester as nats-server does: chunks of at
 * most {@code chunk_size} bytes to the deliver subject, each with the reply subject {@code
 * $JS.SNAPSHOT.ACK.<stream>.<id>.<chunk length>.<chunk number>} (numbers from 1); at most {@code
 * window} unacknowledged bytes are in flight, an ack to a chunk's reply subject releases its
 * length. After the last chunk comes an empty message without headers. When acks stop while the
 * window is full the transfer ends with an empty message whose header is a 408 status.
 */
final class SnapshotSender {

  static final int DEFAULT_CHUNK = 128 * 1024;
  static final int MAX_CHUNK = 1024 * 1024;
  static final int DEFAULT_WINDOW = 8 * 1024 * 1024;
  private static final long STALL_TIMEOUT_MS = 30_000;

  private final RouterLink link;
  private final Vertx vertx;
  private final String deliver;
  private final String ackBase;
  private final int chunkSize;
  private final int window;
  private byte[] archive;
  private int offset;
  private int chunk;
  private long outstanding;
  private int ackSub = -1;
  private long timer = -1;
  private boolean done;

  SnapshotSender(RouterLink link, Vertx vertx, String stream, String deliver, int chunkSize, int window) {
    this.link = link;
    this.vertx = vertx;
    this.deliver = deliver;
    this.ackBase = "$JS.SNAPSHOT.ACK." + stream + "." + UUID.randomUUID().toString().replace("-", "");
    this.chunkSize = chunkSize <= 0 ? DEFAULT_CHUNK : Math.min(chunkSize, MAX_CHUNK);
    this.window = window <= 0 ? DEFAULT_WINDOW : Math.max(window, this.chunkSize);
  }

  /** Starts sending {@code bytes}, once the ack subscription is in effect at the routers. */
  void start(byte[] bytes) {
    this.archive = bytes;
    ackSub = link.subscribe(ackBase + ".>", null, this::onAck);
    link.barrier().onComplete(v -> pump());
  }

  /** Ends the transfer with a failure status instead of the archive. */
  void fail(String description) {
    finish(NatsHeaders.status(500, description).toBytes());
  }

  private void onAck(RouterLink.Message m) {
    String[] t = m.subject().split("\\.");
    try {
      outstanding -= Long.parseLong(t[t.length - 2]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return;
    }
    pump();
  }

  private void pump() {
    if (done) {
      return;
    }
    while (offset < archive.length && outstanding < window) {
      int len = Math.min(chunkSize, archive.length - offset);
      byte[] data = Arrays.copyOfRange(archive, offset, offset + len);
      offset += len;
      chunk++;
      outstanding += len;
      link.publish(deliver, ackBase + "." + len + "." + chunk, null, data);
    }
    if (offset >= archive.length) {
      finish(null);
      return;
    }
    rearmStallTimer();
  }

  private void rearmStallTimer() {
    if (vertx == null) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(STALL_TIMEOUT_MS, id -> finish(NatsHeaders.status(408, "Snapshot Ack Timeout").toBytes()));
  }

  private void finish(byte[] statusHeaders) {
    if (done) {
      return;
    }
    done = true;
    if (timer >= 0 && vertx != null) {
      vertx.cancelTimer(timer);
    }
    link.publish(deliver, null, statusHeaders, new byte[0]);
    if (ackSub >= 0) {
      // acks of the last chunks may still come: they find no subscriber, which is harmless
      link.unsubscribe(ackSub);
    }
    archive = null;
  }
}
