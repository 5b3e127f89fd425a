package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.InFlight;
import io.tern.common.bus.RouteBatch;
import io.tern.common.config.PermissionsOptions;
import io.tern.common.protocol.NatsParseError;
import io.tern.common.protocol.NatsParser;
import io.tern.common.protocol.NatsProtocolHandler;
import io.tern.common.subject.Subjects;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
  private static final String ACCOUNT_GLOBAL = "$G";
  /** Room left after a read's bytes for what its publish batch appends (subscriptions, say). */
  private static final int READ_SPARE = 256;
  /** The most room left after a read for a publish split across reads (larger ones make the batch grow). */
  private static final int MAX_READ_SPARE = 64 * 1024;
  /** Undelivered publish bytes above which a client is not read until they fall under the low mark. */
  private static final long PUBLISH_HIGH_WATER = 4L << 20;
  private static final long PUBLISH_LOW_WATER = 1L << 20;
  /** Pending output above which a subscriber holds back its publishers (at most max_pending / 2). */
  private static final long STALL_BYTES = 4L << 20;
  /** nats-server's first client PING interval: the RTT is measured this soon after connecting. */
  private static final long FIRST_PING_MILLIS = 2000;

  private final GatewayVerticle gateway;
  private final ServerState server;
  private final ClientTransport socket;
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
  /** The account the auth service bound this connection to. */
  String account = ACCOUNT_GLOBAL;
  /** The user the auth service recognised, or null. */
  String user;
  /** Null unless the auth service gave this connection permissions that restrict something. */
  private ClientPermissions perms;
  /** Whether PUB needs the slow checks: publish permissions or an account payload limit. */
  private boolean checkPublishes;
  private int accountMaxPayload = -1;
  private int maxSubscriptions;
  /** What nkey users sign; null when no nkey user is configured. */
  private String nonce;
  /** Whether the auth service counts this connection in its account (told when it closes). */
  private boolean countedByAuth;
  /** What this connection proved itself with, asked again after a reload (in memory only, as CONNECT is). */
  private JsonObject authRequest;
  private boolean flowPaused;
  private final InFlight inFlight;
  /** Distributed mode's publish window (null in embedded mode, where {@link #inFlight} bounds). */
  private final PublishCredit credit;
  private boolean creditPaused;
  private final long stallBytes;
  private final List<DeliveryBatch> heldBatches = new ArrayList<>(0);
  private long heldTimer = -1;
  private boolean interestChanged;
  private boolean publishedSincePing;
  private boolean dirty;
  private boolean closed;
  private int pingsOut;
  /** When the last server PING went out (System.nanoTime), 0 before the first. */
  private long rttStartNanos;
  /** The round trip time the last PONG measured; 0 while unknown. */
  private long rttNanos;
  private boolean pongSent;
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
  /** Room after each read's bytes, grown to the largest split publish seen (up to MAX_READ_SPARE). */
  private int readSpare = READ_SPARE;

  ClientConnection(GatewayVerticle gateway, ServerState server, ClientTransport socket, int cid, int partition) {
    this.gateway = gateway;
    this.server = server;
    this.socket = socket;
    this.cid = cid;
    this.partition = partition;
    this.remoteHost = socket.remoteHost();
    this.remotePort = socket.remotePort();
    this.parser = new NatsParser(this, server.options().getMaxControlLine(), server.options().getMaxPayload());
    this.authRequired = WebSocketAuth.required(server.options(), socket.connectionType());
    this.inFlight = new InFlight(PUBLISH_HIGH_WATER, PUBLISH_LOW_WATER, gateway.vertx().getOrCreateContext(),
        this::caughtUpWithPublishes);
    this.credit = gateway.localOnly() ? null : new PublishCredit();
    this.stallBytes = Math.min(server.options().getMaxPending() / 2, STALL_BYTES);
    this.maxSubscriptions = server.options().getMaxSubscriptions();
  }

  /** Sends INFO and starts the connection's timers. */
  void start() {
    socket.start(this::handleRead, v -> onSocketClosed());
    if (authRequired && server.options().getAuthorization().isNonceRequired()) {
      nonce = Nonces.next();
    }
    out.append(ServerInfo.forClient(server, cid, remoteHost, socket.connectionType(), false, nonce)
        .getBytes(StandardCharsets.UTF_8));
    long pingMillis = Math.max(1, server.options().getPingInterval().toMillis());
    // As nats-server, the first PING comes early (at most 2s) so that the round trip time is known.
    pingTimer = gateway.vertx().setPeriodic(Math.min(pingMillis, FIRST_PING_MILLIS), pingMillis, id -> pingTick());
    if (authRequired) {
      var timeout = WebSocketAuth.timeout(server.options(), socket.connectionType());
      authTimer = gateway.vertx().setTimer(Math.max(1, timeout.toMillis()), id -> {
        authTimer = -1;
        if (!connectReceived) {
          fail("Authentication Timeout");
        }
      });
    }
    flush();
    if (gateway.tls() != null) {
      // INFO went out in plain text; now the client must start a TLS handshake (nats-server drops
      // a client that sends anything else, without a message).
      socket.upgradeToTls(gateway.tls()).onFailure(e -> {
        LOG.debug("cid {}: TLS handshake failed: {}", cid, e.toString());
        closeNow();
        gateway.endOfTurn();
      });
    }
  }

  private void handleRead(ByteBuf bb) {
    if (closed) {
      return;
    }
    lastActivityMillis = System.currentTimeMillis();
    int n = bb.readableBytes();
    if (server.trace) {
      ProtocolTrace.inbound(this, bb);
    }
    // Netty's read buffers are pooled and direct: copy once into an array of our own, which the
    // parser hands out in ranges and the publish batch then keeps as its bytes (room is left for
    // what the batch appends). An array no batch kept is used again.
    byte[] buf = gateway.readArray(n + readSpare);
    bb.getBytes(bb.readerIndex(), buf, 0, n);
    gateway.startRead(buf, n, partition);
    parser.parse(buf, 0, n);
    gateway.endRead();
    if (credit != null && credit.charge(n)) {
      chargeCredit();
    }
    gateway.endOfTurn(this);
  }

  /** Distributed mode: a barrier for the bytes just read; too many unconfirmed pause reading. */
  private void chargeCredit() {
    credit.issued(gateway.barrierOn(cid, partition));
    if (credit.overWindow() && !creditPaused) {
      creditPaused = true;
      updateReading();
    }
  }

  InFlight inFlight() {
    return inFlight;
  }

  /** Too much of this client's publishing is not yet delivered: stop reading until it is. */
  void publishedTooFarAhead() {
    flowPaused = true;
    updateReading();
    inFlight.requestDrainSignal();
  }

  private void caughtUpWithPublishes() {
    flowPaused = false;
    updateReading();
  }

  /** Whether this subscriber has so much unwritten output that its publishers should wait. */
  boolean isFarBehind() {
    return pendingBytes + out.length() > stallBytes;
  }

  /**
   * Keeps {@code batch} (and so its publishers' back-pressure) until this connection's pending
   * output halves, it closes, or a second (at most the write deadline) passes.
   */
  void holdUntilCaughtUp(DeliveryBatch batch) {
    if (heldBatches.isEmpty()) {
      // Like nats-server's producer stall: at most a second, then the publishers go on and the
      // subscriber meets max_pending or the write deadline.
      long deadline = Math.max(1, Math.min(1000, server.options().getWriteDeadline().toMillis()));
      heldTimer = gateway.vertx().setTimer(deadline, id -> {
        heldTimer = -1;
        releaseHeldBatches();
      });
    }
    heldBatches.add(batch);
  }

  private void releaseHeldBatches() {
    if (heldTimer >= 0) {
      gateway.vertx().cancelTimer(heldTimer);
      heldTimer = -1;
    }
    for (DeliveryBatch b : heldBatches) {
      b.done();
    }
    heldBatches.clear();
  }

  private void updateReading() {
    if (closed) {
      return;
    }
    if (flowPaused || creditPaused || held != null) {
      socket.pause();
    } else {
      socket.resume();
    }
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
    updateReading();
    JsonObject request = new JsonObject()
        .put("user", opts.user).put("pass", opts.pass).put("auth_token", opts.authToken)
        .put("nkey", opts.nkey).put("sig", opts.sig)
        .put("jwt", opts.jwt != null && !opts.jwt.isEmpty() ? opts.jwt : socket.jwtCookie())
        .put("client_ip", remoteHost).put("type", socket.connectionType()).put("nonce", nonce)
        .put("account", opts.account);
    if (server.options().getTls() != null && server.options().getTls().isVerifyAndMap()) {
      request.put("tls_names", new io.vertx.core.json.JsonArray(ClientTls.names(socket.peerCertificates())));
    }
    authRequest = request;
    gateway.authenticate(request).onComplete(ar -> {
      boolean admitted = ar.succeeded() && ar.result().getBoolean("ok", false);
      if (closed) {
        if (admitted) {
          gateway.authenticatedConnectionClosed(ar.result().getString("account", ACCOUNT_GLOBAL));
        }
        return;
      }
      if (!admitted) {
        held = null;
        String error = ar.succeeded() ? ar.result().getString("error") : null;
        fail(error != null ? error : "Authorization Violation");
        gateway.endOfTurn();
        return;
      }
      connectReceived = true;
      cancelAuthTimer();
      countedByAuth = true;
      applyIdentity(ar.result());
      if (!ACCOUNT_GLOBAL.equals(account)) {
        gateway.bindAccount(this, account);
      }
      SystemEvents events = server.systemEvents;
      if (events != null) {
        events.connected(this);
      }
      ok();
      List<Runnable> replay = held;
      held = null;
      for (Runnable r : replay) {
        if (closed) {
          break;
        }
        r.run();
      }
      updateReading();
      gateway.endOfTurn();
    });
  }

  /**
   * After a reload the connection's credentials are checked again: a user that is gone or moved to
   * another account is disconnected; otherwise the new permissions and limits apply, and
   * subscriptions they no longer allow are removed with nats-server's text (which names the sid).
   */
  void recheckAuthentication() {
    if (closed || !countedByAuth || authRequest == null) {
      return;
    }
    gateway.authenticate(authRequest.copy().put("recheck", true)).onComplete(ar -> {
      if (closed) {
        return;
      }
      boolean admitted = ar.succeeded() && ar.result().getBoolean("ok", false);
      if (!admitted || !account.equals(ar.result().getString("account", ACCOUNT_GLOBAL))) {
        // nats-server closes a connection whose user a reload removed without a message; one whose
        // JWT an account update revoked is told so.
        String error = ar.succeeded() ? ar.result().getString("error") : null;
        if (error != null && error.startsWith("User Authentication")) {
          fail(error);
        } else {
          closeNow();
        }
        gateway.endOfTurn();
        return;
      }
      applyIdentity(ar.result());
      if (perms != null) {
        for (GatewaySubscription s : new ArrayList<>(subs.values())) {
          if (perms.subscribeViolation(s.subject, s.queue) != null) {
            removeSubscription(s);
            sendErr("Permissions Violation for Subscription to \"" + s.subject + "\" (sid \"" + s.sid + "\")");
          }
        }
      }
      gateway.endOfTurn();
    });
  }

  /** Takes on the account, user, permissions and account limits the auth service answered with. */
  private void applyIdentity(JsonObject answer) {
    account = answer.getString("account", ACCOUNT_GLOBAL);
    user = answer.getString("user");
    JsonObject p = answer.getJsonObject("permissions");
    perms = p == null ? null : ClientPermissions.compile(PermissionsOptions.fromJson(p));
    maxSubscriptions = server.options().getMaxSubscriptions();
    Integer accountSubs = answer.getInteger("max_subscriptions");
    if (accountSubs != null && accountSubs >= 0 && (maxSubscriptions <= 0 || accountSubs < maxSubscriptions)) {
      maxSubscriptions = accountSubs;
    }
    accountMaxPayload = answer.getInteger("max_payload", -1);
    checkPublishes = perms != null || accountMaxPayload >= 0;
    scheduleExpiry(answer.getLong("expires_at_ms"));
  }

  /** A user JWT (or its time window) runs out: nats-server then says so and closes the connection. */
  private void scheduleExpiry(Long expiresAtMs) {
    if (expiresAtMs == null) {
      return;
    }
    cancelAuthTimer();
    long delay = Math.max(1, expiresAtMs - System.currentTimeMillis());
    authTimer = gateway.vertx().setTimer(delay, id -> {
      authTimer = -1;
      if (!closed) {
        fail("User Authentication Expired");
        gateway.endOfTurn();
      }
    });
  }

  /** The slow part of PUB, for connections with permissions or an account payload limit. */
  private boolean publishAllowed(byte[] buf, int subjOff, int subjLen, int totalLen) {
    if (accountMaxPayload >= 0 && totalLen > accountMaxPayload) {
      fail("Maximum Payload Violation");
      return false;
    }
    if (perms != null && !perms.canPublish(buf, subjOff, subjLen)) {
      sendErr("Permissions Violation for Publish to \"" + new String(buf, subjOff, subjLen, StandardCharsets.UTF_8)
          + "\"");
      return false;
    }
    return true;
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
    if (checkPublishes && !publishAllowed(buf, subjOff, subjLen, totalLen)) {
      return;
    }
    if (opts.pedantic && !Subjects.isValidLiteralSubject(buf, subjOff, subjLen)) {
      // nats-server complains but still routes the message (an empty token then matches nobody).
      sendErr("Invalid Publish Subject");
    }
    inMsgs++;
    inBytes += totalLen;
    if (!(opts.noResponders && replyLen > 0) && gateway.heardByNobody(account, buf, subjOff, subjLen)) {
      // Nobody listens (and nobody started to since the router said so): nats-server would match
      // and drop it too; a request that wants a 503 still goes to the router.
      ok();
      return;
    }
    int flags = (opts.echo ? 0 : RouteBatch.FLAG_NO_ECHO) | (opts.noResponders ? RouteBatch.FLAG_NO_RESPONDERS : 0);
    publishedSincePing = true;
    RouteBatch batch = gateway.routeBatch(partition);
    if (batch.data() == buf) {
      batch.addPubInPlace(cid, flags, subjOff, subjLen, replyOff, replyLen, hdrLen, msgOff, totalLen);
    } else {
      // A publish split across reads is appended after the read's bytes: leave room for the next
      // one, else the batch copies the whole read into a larger array to make room.
      int size = subjLen + replyLen + totalLen;
      if (size > readSpare && size <= MAX_READ_SPARE) {
        readSpare = size + READ_SPARE;
      }
      batch.addPub(cid, flags, buf, subjOff, subjLen, replyOff, replyLen, hdrLen, msgOff, totalLen);
    }
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
    if (perms != null) {
      String violation = perms.subscribeViolation(subject, queue);
      if (violation != null) {
        sendErr(violation);
        return;
      }
    }
    int max = maxSubscriptions;
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
      publishedSincePing = false;
      pongQueue.add(new PendingPong(gateway.barrier(cid), gateway.partitions()));
    } else if (publishedSincePing) {
      // As in nats-server, what this connection published before the PING (its own echo, a 503 for
      // a request nobody hears) reaches it before the PONG: its partition acks after routing them.
      publishedSincePing = false;
      pongQueue.add(new PendingPong(gateway.barrierOn(cid, partition), 1));
    } else if (pongQueue.isEmpty()) {
      pongSent = true;
      write(PONG);
    } else {
      pongQueue.add(new PendingPong(0, 0));
    }
  }

  /** A router has applied everything this connection sent before barrier {@code token}. */
  void barrierAcked(int token) {
    if (credit != null && credit.acked(token)) {
      if (creditPaused && credit.underLowMark()) {
        creditPaused = false;
        updateReading();
      }
      return;
    }
    for (PendingPong p : pongQueue) {
      if (p.token == token) {
        p.remaining--;
        break;
      }
    }
    while (!pongQueue.isEmpty() && pongQueue.peek().remaining <= 0) {
      PendingPong done = pongQueue.poll();
      pongSent = true;
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
    if (rttStartNanos != 0) {
      rttNanos = Math.max(1, System.nanoTime() - rttStartNanos);
    }
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

  /**
   * Appends one routed message for subscription {@code s}; written at the end of the turn. Returns
   * false when the connection's permissions filter it out.
   */
  boolean deliver(GatewaySubscription s, byte[] data, int subjOff, int subjLen, int replyOff, int replyLen,
                  int hdrLen, int msgOff, int totalLen) {
    if (perms != null && perms.watchesDeliveries()
        && !perms.deliverable(data, subjOff, subjLen, data, replyOff, replyLen)) {
      return false;
    }
    if (hdrLen >= 0 && !opts.headers) {
      msgOff += hdrLen;
      totalLen -= hdrLen;
      hdrLen = -1;
    }
    out.appendMsg(data, subjOff, subjLen, s.sidBytes, replyOff, replyLen, hdrLen, msgOff, totalLen);
    outMsgs++;
    outBytes += totalLen;
    markDirty();
    return true;
  }

  /** As the plain {@code deliver}, for a message whose subject or reply the router rewrote. */
  boolean deliver(GatewaySubscription s, byte[] subjData, int subjOff, int subjLen, byte[] replyData, int replyOff,
                  int replyLen, byte[] data, int hdrLen, int msgOff, int totalLen) {
    if (perms != null && perms.watchesDeliveries()
        && !perms.deliverable(subjData, subjOff, subjLen, replyData, replyOff, replyLen)) {
      return false;
    }
    if (hdrLen >= 0 && !opts.headers) {
      msgOff += hdrLen;
      totalLen -= hdrLen;
      hdrLen = -1;
    }
    out.appendMsg(subjData, subjOff, subjLen, s.sidBytes, replyData, replyOff, replyLen, data, hdrLen, msgOff,
        totalLen);
    outMsgs++;
    outBytes += totalLen;
    markDirty();
    return true;
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
    socket.write(outBytes).onComplete(ar -> {
      pendingBytes -= n;
      lastProgressNanos = System.nanoTime();
      if (!heldBatches.isEmpty() && pendingBytes < stallBytes / 2) {
        releaseHeldBatches();
      }
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
    sendPing();
  }

  private void sendPing() {
    pingsOut++;
    rttStartNanos = System.nanoTime();
    write(PING);
    flush();
  }

  /**
   * The round trip time for monitoring. While unknown, a real client (one that named its language)
   * is sent a PING now if it has had its first PONG or has been connected 2s, as nats-server does;
   * not while a PING is unanswered, so that polling monitoring cannot make a connection stale.
   */
  long rttNanos() {
    if (rttNanos == 0 && pingsOut == 0 && !closed && opts.lang != null && connectReceived
        && (pongSent || System.currentTimeMillis() - startMillis > FIRST_PING_MILLIS)) {
      sendPing();
    }
    return rttNanos;
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
    releaseHeldBatches();
    if (pingTimer >= 0) {
      gateway.vertx().cancelTimer(pingTimer);
    }
    cancelAuthTimer();
    if (countedByAuth) {
      countedByAuth = false;
      gateway.authenticatedConnectionClosed(account);
      SystemEvents events = server.systemEvents;
      if (events != null) {
        events.disconnected(this);
      }
    }
    gateway.connectionClosed(this, new ArrayList<>(subs.values()));
    subs.clear();
  }

  private void cancelAuthTimer() {
    if (authTimer >= 0) {
      gateway.vertx().cancelTimer(authTimer);
      authTimer = -1;
    }
  }

  /** The transport's type: STANDARD, WEBSOCKET, ... */
  String connectionType() {
    return socket.connectionType();
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
      write(ServerInfo.forClient(server, cid, remoteHost, socket.connectionType(), true, nonce).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Distributed mode: the flush barriers still waiting for acknowledgements, for a replay. */
  int[] pendingBarrierTokens() {
    int[] pongs = pongQueue.stream().filter(p -> p.token != 0 && p.remaining > 0).mapToInt(p -> p.token).toArray();
    return credit == null ? pongs : java.util.stream.IntStream.concat(
        java.util.Arrays.stream(pongs), java.util.Arrays.stream(credit.pending())).toArray();
  }

  /**
   * Distributed mode: an INFO with the cluster's current {@code connect_urls}, sent as nats-server
   * does to clients that said {@code protocol >= 1} in CONNECT.
   */
  void sendInfoUpdate() {
    if (!closed && connectReceived && opts.protocol >= 1) {
      write(ServerInfo.forClient(server, cid, remoteHost, socket.connectionType(), false, nonce).getBytes(StandardCharsets.UTF_8));
    }
  }

  void closeForShutdown() {
    reason("Server Shutdown");
    closeNow();
  }
}
