package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.tern.common.bus.RouteBatch;
import io.tern.common.protocol.NatsParseError;
import io.tern.common.protocol.NatsParser;
import io.tern.common.protocol.NatsProtocolHandler;
import io.tern.common.subject.Subjects;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One NATS client connection, living on its gateway's event loop: parses what the client sends,
 * turns it into route-batch operations, and writes what the routers deliver to it.
 */
final class ClientConnection implements NatsProtocolHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
  private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

  private final GatewayVerticle gateway;
  private final ServerState server;
  private final NetSocketInternal socket;
  final int cid;
  final int partition;
  final String remoteHost;
  final int remotePort;
  private final NatsParser parser;
  private final boolean authRequired;
  final ConnectOptions opts = new ConnectOptions();
  private final Map<String, GatewaySubscription> subs = new HashMap<>();
  private final OutboundBuffer out = new OutboundBuffer();
  private final ArrayDeque<PendingPong> pongQueue = new ArrayDeque<>();
  private List<Runnable> held;
  private boolean connectReceived;
  private boolean interestChanged;
  private boolean dirty;
  private boolean closed;
  private int pingsOut;
  private long pingTimer = -1;
  private long authTimer = -1;
  private long pendingBytes;
  private long lastProgressNanos = System.nanoTime();
  final long startMillis = System.currentTimeMillis();
  long lastActivityMillis = startMillis;
  long inMsgs;
  long inBytes;
  long outMsgs;
  long outBytes;
  /** Why the connection closed (nats-server's words); set once, read by monitoring. */
  private String closeReason;

  ClientConnection(GatewayVerticle gateway, ServerState server, NetSocket socket, int cid, int partition) {
    this.gateway = gateway;
    this.server = server;
    this.socket = (NetSocketInternal) socket;
    this.cid = cid;
    this.partition = partition;
    this.remoteHost = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
    this.remotePort = socket.remoteAddress() == null ? 0 : socket.remoteAddress().port();
    this.parser = new NatsParser(this, server.options().getMaxControlLine(), server.options().getMaxPayload());
    this.authRequired = server.options().getAuthorization().isRequired();
  }

  /** Sends INFO and starts the connection's timers. */
  void start() {
    socket.handler(this::handleRead);
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(e -> LOG.debug("cid {}: {}", cid, e.toString()));
    out.append(ServerInfo.forClient(server, cid, remoteHost).getBytes(StandardCharsets.UTF_8));
    long pingMillis = Math.max(1, server.options().getPingInterval().toMillis());
    pingTimer = gateway.vertx().setPeriodic(pingMillis, id -> pingTick());
    if (authRequired) {
      var timeout = server.options().getAuthorization().getTimeout();
      if (timeout == null) {
        timeout = server.options().getAuthTimeout();
      }
      authTimer = gateway.vertx().setTimer(Math.max(1, timeout.toMillis()), id -> {
        authTimer = -1;
        if (!connectReceived) {
          fail("Authentication Timeout");
        }
      });
    }
    flush();
  }

  private void handleRead(Buffer buffer) {
    if (closed) {
      return;
    }
    lastActivityMillis = System.currentTimeMillis();
    ByteBuf bb = ((BufferInternal) buffer).getByteBuf();
    int n = bb.readableBytes();
    if (server.trace) {
      ProtocolTrace.inbound(this, bb);
    }
    if (bb.hasArray()) {
      parser.parse(bb.array(), bb.arrayOffset() + bb.readerIndex(), n);
    } else {
      byte[] copy = new byte[n];
      bb.getBytes(bb.readerIndex(), copy);
      parser.parse(copy, 0, n);
    }
    gateway.endOfTurn();
  }

  // ---- protocol callbacks ----

  @Override
  public void onConnect(byte[] buf, int off, int len) {
    if (held != null) {
      byte[] copy = Arrays.copyOfRange(buf, off, off + len);
      held.add(() -> onConnect(copy, 0, copy.length));
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(new String(buf, off, len, StandardCharsets.UTF_8));
      opts.apply(json);
    } catch (RuntimeException e) {
      LOG.debug("cid {}: bad CONNECT: {}", cid, e.getMessage());
      closeNow();
      return;
    }
    if (opts.protocol > 1) {
      fail("invalid client protocol");
      return;
    }
    if (opts.noResponders && !opts.headers) {
      fail("no responders requires headers support");
      return;
    }
    if (!authRequired || connectReceived) {
      connectReceived = true;
      ok();
      return;
    }
    held = new ArrayList<>();
    socket.pause();
    JsonObject request = new JsonObject()
        .put("user", opts.user).put("pass", opts.pass).put("auth_token", opts.authToken)
        .put("nkey", opts.nkey).put("sig", opts.sig).put("jwt", opts.jwt)
        .put("client_ip", remoteHost).put("type", "STANDARD");
    gateway.authenticate(request).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed() || !ar.result().getBoolean("ok", false)) {
        held = null;
        fail("Authorization Violation");
        gateway.endOfTurn();
        return;
      }
      connectReceived = true;
      cancelAuthTimer();
      ok();
      List<Runnable> replay = held;
      held = null;
      for (Runnable r : replay) {
        if (closed) {
          break;
        }
        r.run();
      }
      socket.resume();
      gateway.endOfTurn();
    });
  }

  private boolean refuseBeforeConnect() {
    if (authRequired && !connectReceived) {
      fail("Authorization Violation");
      return true;
    }
    return false;
  }

  @Override
  public void onPub(byte[] buf, int subjOff, int subjLen, int replyOff, int replyLen,
                    int hdrLen, int msgOff, int totalLen) {
    if (held != null) {
      byte[] copy = new byte[subjLen + replyLen + totalLen];
      System.arraycopy(buf, subjOff, copy, 0, subjLen);
      System.arraycopy(buf, replyOff, copy, subjLen, replyLen);
      System.arraycopy(buf, msgOff, copy, subjLen + replyLen, totalLen);
      held.add(() -> onPub(copy, 0, subjLen, subjLen, replyLen, hdrLen, subjLen + replyLen, totalLen));
      return;
    }
    if (refuseBeforeConnect()) {
      return;
    }
    if (hdrLen >= 0 && !opts.headers) {
      // nats-server drops a client that sends HPUB without having announced header support.
      closeNow();
      return;
    }
    if (opts.pedantic && !Subjects.isValidLiteralSubject(buf, subjOff, subjLen)) {
      // nats-server complains but still routes the message (an empty token then matches nobody).
      sendErr("Invalid Publish Subject");
    }
    inMsgs++;
    inBytes += totalLen;
    int flags = (opts.echo ? 0 : RouteBatch.FLAG_NO_ECHO) | (opts.noResponders ? RouteBatch.FLAG_NO_RESPONDERS : 0);
    gateway.routeBatch(partition).addPub(cid, flags, buf, subjOff, subjLen, replyOff, replyLen, hdrLen, msgOff, totalLen);
    ok();
  }

  @Override
  public void onSub(byte[] buf, int subjOff, int subjLen, int queueOff, int queueLen, int sidOff, int sidLen) {
    String subject = new String(buf, subjOff, subjLen, StandardCharsets.ISO_8859_1);
    String queue = queueLen == 0 ? null : new String(buf, queueOff, queueLen, StandardCharsets.ISO_8859_1);
    String sid = new String(buf, sidOff, sidLen, StandardCharsets.ISO_8859_1);
    if (held != null) {
      held.add(() -> subscribe(subject, queue, sid));
      return;
    }
    subscribe(subject, queue, sid);
  }

  private void subscribe(String subject, String queue, String sid) {
    if (refuseBeforeConnect()) {
      return;
    }
    if (!Subjects.isValidSubject(subject)) {
      sendErr("Invalid Subject");
      return;
    }
    int max = server.options().getMaxSubscriptions();
    if (max > 0 && subs.size() >= max) {
      sendErr("maximum subscriptions exceeded");
      return;
    }
    if (!subs.containsKey(sid)) {
      GatewaySubscription s = gateway.addSubscription(this, subject, queue, sid);
      subs.put(sid, s);
      interestChanged = true;
    }
    ok();
  }

  @Override
  public void onUnsub(byte[] buf, int sidOff, int sidLen, long max) {
    String sid = new String(buf, sidOff, sidLen, StandardCharsets.ISO_8859_1);
    if (held != null) {
      held.add(() -> unsubscribe(sid, max));
      return;
    }
    unsubscribe(sid, max);
  }

  private void unsubscribe(String sid, long max) {
    if (refuseBeforeConnect()) {
      return;
    }
    GatewaySubscription s = subs.get(sid);
    if (s != null) {
      if (max > 0 && s.delivered < max) {
        s.max = max;
      } else {
        removeSubscription(s);
      }
    }
    ok();
  }

  void removeSubscription(GatewaySubscription s) {
    if (subs.remove(s.sid) == s) {
      gateway.removeSubscription(s);
      interestChanged = true;
    }
  }

  @Override
  public void onPing() {
    if (held != null) {
      held.add(this::onPing);
      return;
    }
    if (refuseBeforeConnect()) {
      return;
    }
    if (interestChanged) {
      interestChanged = false;
      pongQueue.add(new PendingPong(gateway.barrier(cid), gateway.partitions()));
    } else if (pongQueue.isEmpty()) {
      write(PONG);
    } else {
      pongQueue.add(new PendingPong(0, 0));
    }
  }

  /** A router has applied everything this connection sent before barrier {@code token}. */
  void barrierAcked(int token) {
    for (PendingPong p : pongQueue) {
      if (p.token == token) {
        p.remaining--;
        break;
      }
    }
    while (!pongQueue.isEmpty() && pongQueue.peek().remaining <= 0) {
      PendingPong done = pongQueue.poll();
      write(PONG);
      if (done.after != null) {
        write(done.after.toByteArray());
      }
    }
  }

  /**
   * A PONG waiting for routers to confirm the connection's interest. Replies to the operations
   * that followed the PING (+OK, -ERR) wait behind it, so the client sees them in nats-server's order.
   */
  private static final class PendingPong {
    final int token;
    int remaining;
    java.io.ByteArrayOutputStream after;

    PendingPong(int token, int remaining) {
      this.token = token;
      this.remaining = remaining;
    }
  }

  @Override
  public void onInfo(byte[] buf, int off, int len) {
    try {
      new JsonObject(new String(buf, off, len, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      closeNow();
    }
  }

  @Override
  public void onPong() {
    pingsOut = 0;
  }

  @Override
  public void onError(NatsParseError error) {
    switch (error) {
      case UNKNOWN_OP, BAD_PAYLOAD_TERMINATOR -> fail("Unknown Protocol Operation");
      case MAX_CONTROL_LINE -> fail("maximum control line exceeded");
      case MAX_PAYLOAD -> fail("Maximum Payload Violation");
      // Bad arguments and a client's own -ERR close silently, as in nats-server.
      default -> closeNow();
    }
  }

  // ---- delivery ----

  /** Appends one routed message for subscription {@code s}; written at the end of the turn. */
  void deliver(GatewaySubscription s, byte[] data, int subjOff, int subjLen, int replyOff, int replyLen,
               int hdrLen, int msgOff, int totalLen) {
    if (hdrLen >= 0 && !opts.headers) {
      msgOff += hdrLen;
      totalLen -= hdrLen;
      hdrLen = -1;
    }
    out.appendMsg(data, subjOff, subjLen, s.sidBytes, replyOff, replyLen, hdrLen, msgOff, totalLen);
    outMsgs++;
    outBytes += totalLen;
    markDirty();
  }

  void deliverNoResponders(GatewaySubscription s, byte[] data, int replyOff, int replyLen) {
    out.appendNoResponders(data, replyOff, replyLen, s.sidBytes);
    markDirty();
  }

  private void markDirty() {
    if (!dirty) {
      dirty = true;
      gateway.markDirty(this);
    }
  }

  private void write(byte[] bytes) {
    out.append(bytes);
    markDirty();
  }

  private void ok() {
    if (opts.verbose) {
      reply(OK);
    }
  }

  void sendErr(String text) {
    reply(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A reply to the client's own operation: behind any PONG still waiting for a barrier. */
  private void reply(byte[] bytes) {
    PendingPong last = pongQueue.peekLast();
    if (last == null) {
      write(bytes);
    } else {
      if (last.after == null) {
        last.after = new java.io.ByteArrayOutputStream();
      }
      last.after.writeBytes(bytes);
    }
  }

  /** Writes everything buffered to the socket in one write; disconnects a slow consumer. */
  void flush() {
    dirty = false;
    if (closed || out.isEmpty()) {
      return;
    }
    int n = out.length();
    if (pendingBytes + n > server.options().getMaxPending()) {
      slowConsumer("pending bytes over max_pending");
      return;
    }
    pendingBytes += n;
    ByteBuf outBytes = out.takeByteBuf();
    if (server.trace) {
      ProtocolTrace.outbound(this, outBytes);
    }
    socket.writeMessage(outBytes).onComplete(ar -> {
      pendingBytes -= n;
      lastProgressNanos = System.nanoTime();
    });
  }

  /**
   * Bytes handed to the socket but not yet written to the kernel (Vert.x's write queue and Netty's
   * outbound buffer): what nats-server calls a client's pending bytes.
   */
  long pendingBytes() {
    return pendingBytes;
  }

  /**
   * Called periodically on the event loop: a connection with pending bytes that saw no write
   * complete for the write deadline is a slow consumer.
   */
  void checkWriteDeadline(long nowNanos) {
    if (closed) {
      return;
    }
    if (pendingBytes == 0) {
      lastProgressNanos = nowNanos;
    } else if (nowNanos - lastProgressNanos > server.options().getWriteDeadline().toNanos()) {
      slowConsumer("write deadline exceeded");
    } else if (LOG.isTraceEnabled()) {
      LOG.trace("cid {}: {} bytes pending", cid, pendingBytes);
    }
  }

  private void slowConsumer(String why) {
    reason(why.startsWith("write") ? "Slow Consumer (Write Deadline)" : "Slow Consumer (Pending Bytes)");
    LOG.info("cid {}: slow consumer ({}), closing", cid, why);
    server.slowConsumers.increment();
    closeNow();
  }

  private void pingTick() {
    if (closed) {
      return;
    }
    if (pingsOut + 1 > server.options().getPingMax()) {
      server.staleConnections.increment();
      fail("Stale Connection");
      return;
    }
    pingsOut++;
    write(PING);
    flush();
  }

  /** Sends {@code -ERR '<text>'} and closes once it is written. */
  void fail(String text) {
    if (closed) {
      return;
    }
    reason(CloseReasons.forError(text));
    write(("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8));
    Buffer last = out.take();
    closed = true;
    dirty = false;
    socket.end(last);
    cleanup();
  }

  void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    socket.close();
    cleanup();
  }

  private void onSocketClosed() {
    if (!closed) {
      reason("Client Closed");
      closed = true;
      cleanup();
    }
  }

  private void cleanup() {
    parser.stop();
    if (pingTimer >= 0) {
      gateway.vertx().cancelTimer(pingTimer);
    }
    cancelAuthTimer();
    gateway.connectionClosed(this, new ArrayList<>(subs.values()));
    subs.clear();
  }

  private void cancelAuthTimer() {
    if (authTimer >= 0) {
      gateway.vertx().cancelTimer(authTimer);
      authTimer = -1;
    }
  }

  boolean isClosed() {
    return closed;
  }

  int subscriptionCount() {
    return subs.size();
  }

  // ---- operations hooks (monitoring, lame duck, trace); never on the per-message path ----

  private void reason(String why) {
    if (closeReason == null) {
      closeReason = why;
    }
  }

  String closeReason() {
    return closeReason;
  }

  ConnectionSnapshot snapshot() {
    return ConnectionSnapshot.open(this, subs.values());
  }

  /** Lame duck mode: INFO with {@code "ldm":true}, so the client reconnects elsewhere. */
  void sendLameDuckInfo() {
    if (!closed) {
      write(ServerInfo.forClient(server, cid, remoteHost, true).getBytes(StandardCharsets.UTF_8));
    }
  }

  void closeForShutdown() {
    reason("Server Shutdown");
    closeNow();
  }
}
