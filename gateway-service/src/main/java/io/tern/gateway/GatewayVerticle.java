package io.tern.gateway;

import io.netty.util.collection.IntObjectHashMap;
import io.tern.common.bus.Addresses;
import io.tern.common.bus.BusCodecs;
import io.tern.common.bus.DeliveryBatch;
import io.tern.common.bus.InterestSync;
import io.tern.common.bus.LocalPartitions;
import io.tern.common.bus.PartitionWatcher;
import io.tern.common.bus.RouteBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway instance: a NATS client listener (sharing the port with its sibling instances) on
 * one event loop, and a node on the event bus. It batches its connections' operations to the
 * router partitions and writes the routers' deliveries to its connections, once per turn.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final ServerState server;
  private final boolean localOnly;
  private final String nodeId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
  private final IntObjectHashMap<GatewaySubscription> subsById = new IntObjectHashMap<>();
  private final IntObjectHashMap<ClientConnection> connections = new IntObjectHashMap<>();
  private final List<ClientConnection> dirty = new ArrayList<>();
  private RouteBatch[] batches;
  private int[] lastBatchData;
  private int[] lastBatchOps;
  private byte[] readArray;
  private byte[] spareRead;
  private static final int MAX_SPARE_READ = 256 * 1024;
  private int readLength;
  private int readPartition = -1;
  private final NoInterestCache noInterest = new NoInterestCache();
  /** Embedded mode: the routers' interest generation (null when routers are elsewhere). */
  private java.util.concurrent.atomic.AtomicLong interestGeneration;
  /** Router partitions on this instance's own event loop; connections are pinned to one of them. */
  private int[] localPartitions = new int[0];
  private String[] routerAddresses;
  private DeliveryOptions routeDelivery;
  private EventBus bus;
  private NetServer netServer;
  /** Distributed mode: keeps this node's interest in sync with the router partitions. */
  private PartitionWatcher watcher;
  private WebSocketListener webSocket;
  private ClientTls tls;
  private int nextSubId;
  private int nextToken;

  public GatewayVerticle(ServerState server, boolean localOnly) {
    this.server = server;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    BusCodecs.register(bus);
    server.gateways.add(this);
    int partitions = server.options().getRouterPartitions();
    batches = new RouteBatch[partitions];
    lastBatchData = new int[partitions];
    lastBatchOps = new int[partitions];
    // Pinning to a partition on this thread is an embedded-mode shortcut; clustered partitions move.
    localPartitions = localOnly ? LocalPartitions.onCurrentThread(vertx) : new int[0];
    interestGeneration = localOnly ? LocalPartitions.interestGeneration(vertx) : null;
    routerAddresses = new String[partitions];
    for (int i = 0; i < partitions; i++) {
      routerAddresses[i] = Addresses.router(i);
    }
    routeDelivery = new DeliveryOptions().setLocalOnly(localOnly);
    String address = Addresses.node(nodeId);
    MessageConsumer<DeliveryBatch> consumer = localOnly ? bus.localConsumer(address) : bus.consumer(address);
    consumer.handler(msg -> onDeliveries(msg.body()));
    MessageConsumer<Object> reloaded = localOnly ? bus.localConsumer(Addresses.AUTH_RELOADED)
        : bus.consumer(Addresses.AUTH_RELOADED);
    reloaded.handler(msg -> {
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        c.recheckAuthentication();
      }
    });
    long tick = Math.max(100, Math.min(1000, server.options().getWriteDeadline().toMillis() / 2));
    vertx.setPeriodic(tick, id -> {
      long now = System.nanoTime();
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        c.checkWriteDeadline(now);
      }
    });
    NetServerOptions netOptions = new NetServerOptions()
        .setHost(server.options().getHost())
        .setPort(server.options().getPort())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    if (server.options().getTls() != null) {
      tls = ClientTls.create(server.options().getTls());
    }
    netServer = vertx.createNetServer(netOptions).connectHandler(this::onConnection);
    Future<Void> registered = consumer.completion();
    if (!localOnly) {
      watcher = new PartitionWatcher(vertx, partitions, (p, incarnation) -> InterestReplay.replay(this, p, incarnation));
      registered = registered.compose(v -> watcher.start());
    }
    return registered
        .compose(v -> netServer.listen())
        .onSuccess(s -> {
          server.clientPort(s.actualPort());
        })
        .compose(s -> startWebSocket());
  }

  @Override
  public Future<?> stop() {
    server.gateways.remove(this);
    for (ClientConnection c : new ArrayList<>(connections.values())) {
      c.closeNow();
    }
    endOfTurn();
    Future<Void> ws = webSocket == null ? Future.succeededFuture() : webSocket.close();
    return ws.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close());
  }

  /** The WebSocket listener, when configured: its connections join this instance like TCP ones. */
  private Future<?> startWebSocket() {
    if (!server.options().getWebSocket().isEnabled()) {
      return Future.succeededFuture();
    }
    webSocket = new WebSocketListener(vertx, server.options(), this::accept, new MqttWebSocketBridge(vertx, server));
    return webSocket.listen(server.options().getHost())
        .onSuccess(http -> server.webSocketPort(http.actualPort()));
  }

  Vertx vertx() {
    return vertx;
  }

  /** The port the listener got (useful after asking for port 0). */
  public int actualPort() {
    return netServer == null ? -1 : netServer.actualPort();
  }

  private void onConnection(NetSocket socket) {
    accept(new TcpTransport(socket));
  }

  /** Takes a new client, whatever its transport, onto this instance's event loop. */
  void accept(ClientTransport transport) {
    long cid = server.nextCid();
    int partition = localPartitions.length > 0
        ? localPartitions[(int) (cid % localPartitions.length)]
        : (int) (cid % batches.length);
    ClientConnection c = new ClientConnection(this, server, transport, (int) cid, partition);
    if (!server.tryAddConnection()) {
      c.start();
      c.fail("maximum connections exceeded");
      return;
    }
    connections.put(c.cid, c);
    server.clients.put(cid, c);
    c.start();
  }

  // ---- outbound to routers ----

  RouteBatch routeBatch(int partition) {
    RouteBatch b = batches[partition];
    if (b == null && partition == readPartition && readArray != null) {
      // The publisher's partition takes the read itself: its publishes are recorded in place.
      b = new RouteBatch(nodeId, readArray, readLength, Math.min(lastBatchOps[partition] + 4, 1 << 15));
      readArray = null;
      batches[partition] = b;
    } else if (b == null) {
      // Sized like the previous batch to this partition, so busy publishers do not regrow arrays.
      b = new RouteBatch(nodeId, Math.min(lastBatchData[partition] + 256, 1 << 20),
          Math.min(lastBatchOps[partition] + 4, 1 << 15));
      batches[partition] = b;
    }
    return b;
  }

  /**
   * Whether a publish on this subject in {@code account} can be dropped here: the routers reported
   * nobody listening and no interest was added since (embedded mode only).
   */
  boolean heardByNobody(String account, byte[] buf, int off, int len) {
    return interestGeneration != null
        && noInterest.heardByNobody(account, buf, off, len, (int) interestGeneration.get());
  }

  /**
   * An array for the next read of at least {@code length} bytes: the previous read's when no batch
   * kept it (a read whose publishes nobody hears), else a fresh one.
   */
  byte[] readArray(int length) {
    byte[] a = spareRead;
    if (a != null && a.length >= length) {
      spareRead = null;
      return a;
    }
    return new byte[length];
  }

  /**
   * The bytes of the read being parsed, of a connection publishing through {@code partition}:
   * that partition's next batch is built on them, so publishes in the read are not copied again.
   */
  void startRead(byte[] read, int length, int partition) {
    readArray = read;
    readLength = length;
    readPartition = partition;
  }

  void endRead() {
    if (readArray != null && readArray.length <= MAX_SPARE_READ) {
      // No batch took it, so nothing refers to it any more.
      spareRead = readArray;
    }
    readArray = null;
    readPartition = -1;
  }

  /** The TLS settings clients upgrade with after INFO; null when TLS is off. */
  ClientTls tls() {
    return tls;
  }

  int partitions() {
    return batches.length;
  }

  GatewaySubscription addSubscription(ClientConnection c, String subject, String queue, String sid) {
    if (interestGeneration != null) {
      // The routers bump it only when they apply the SUB; a PUB behind it in the same read must
      // already not be dropped as unheard.
      interestGeneration.incrementAndGet();
    }
    int subId = ++nextSubId;
    GatewaySubscription s = new GatewaySubscription(subId, c, subject, queue, sid);
    subsById.put(subId, s);
    byte[] subj = subject.getBytes(StandardCharsets.ISO_8859_1);
    byte[] q = queue == null ? null : queue.getBytes(StandardCharsets.ISO_8859_1);
    for (int p = 0; p < batches.length; p++) {
      routeBatch(p).addSub(c.cid, subId, subj, q);
    }
    return s;
  }

  /** Tells every partition which account the connection's later operations belong to. */
  void bindAccount(ClientConnection c, String account) {
    byte[] name = account.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < batches.length; p++) {
      routeBatch(p).addBind(c.cid, name);
    }
  }

  void removeSubscription(GatewaySubscription s) {
    subsById.remove(s.subId);
    for (int p = 0; p < batches.length; p++) {
      routeBatch(p).addUnsub(s.connection.cid, s.subId);
    }
  }

  /** Asks every partition to acknowledge once this connection's earlier operations are in effect. */
  int barrier(int cid) {
    int token = ++nextToken;
    for (int p = 0; p < batches.length; p++) {
      routeBatch(p).addBarrier(cid, token);
    }
    return token;
  }

  /** As {@link #barrier(int)}, on one partition only: the one the connection publishes through. */
  int barrierOn(int cid, int partition) {
    int token = ++nextToken;
    routeBatch(partition).addBarrier(cid, token);
    return token;
  }

  void connectionClosed(ClientConnection c, List<GatewaySubscription> subs) {
    if (connections.remove(c.cid) != null) {
      server.removeConnection();
      server.clients.remove((long) c.cid);
      for (GatewaySubscription s : subs) {
        subsById.remove(s.subId);
      }
      for (int p = 0; p < batches.length; p++) {
        routeBatch(p).addClose(c.cid);
      }
      server.inMsgs.add(c.inMsgs);
      server.inBytes.add(c.inBytes);
      server.outMsgs.add(c.outMsgs);
      server.outBytes.add(c.outBytes);
      server.closedConnections().add(ConnectionSnapshot.closed(c, subs));
      server.accounts.connectionClosed(c);
    }
  }

  Future<JsonObject> authenticate(JsonObject request) {
    return bus.<JsonObject>request(Addresses.AUTH_CONNECT, request, routeDelivery).map(m -> m.body());
  }

  /** Tells the auth service a connection it admitted to {@code account} is gone (account connection counts). */
  void authenticatedConnectionClosed(String account) {
    bus.send(Addresses.AUTH_DISCONNECT, account, routeDelivery);
  }

  void markDirty(ClientConnection c) {
    dirty.add(c);
  }

  /**
   * Ends the current unit of work: one event-bus message per router partition that has
   * operations, and one socket write per connection that has output.
   */
  void endOfTurn() {
    endOfTurn(null);
  }

  /**
   * As {@link #endOfTurn()}, charging the batches to {@code publisher}'s back-pressure: a client
   * whose publishes are not yet delivered everywhere beyond a bound stops being read.
   */
  void endOfTurn(ClientConnection publisher) {
    boolean overHighWater = false;
    for (int p = 0; p < batches.length; p++) {
      RouteBatch b = batches[p];
      if (b != null && !b.isEmpty()) {
        batches[p] = null;
        lastBatchData[p] = b.dataLength();
        lastBatchOps[p] = b.size();
        // Distributed mode charges nothing: a batch sent to a partition that is moving is never
        // released, and it would pause its publisher for good.
        if (publisher != null && localOnly) {
          overHighWater |= publisher.inFlight().add(b);
        }
        bus.send(routerAddresses[p], b, routeDelivery);
      }
    }
    if (overHighWater) {
      publisher.publishedTooFarAhead();
    }
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }

  // ---- inbound from routers ----

  private void onDeliveries(DeliveryBatch d) {
    byte[] data = d.data();
    for (int i = 0, n = d.size(); i < n; i++) {
      if ((d.flags(i) & DeliveryBatch.FLAG_NO_INTEREST) != 0) {
        ClientConnection publisher = connections.get(d.subId(i));
        if (publisher != null) {
          noInterest.put(publisher.account, data, d.subjectOffset(i), d.subjectLength(i), d.headerLength(i));
        }
        continue;
      }
      GatewaySubscription s = subsById.get(d.subId(i));
      if (s == null || s.connection.isClosed()) {
        continue;
      }
      int flags = d.flags(i);
      if (flags != 0) {
        if ((flags & DeliveryBatch.FLAG_NO_RESPONDERS) != 0) {
          s.connection.deliverNoResponders(s, data, d.subjectOffset(i), d.subjectLength(i));
          continue;
        }
        // A subject or reply the router rewrote (mapping, import) lives in the batch's extra bytes.
        byte[] extra = d.extra();
        if (!s.connection.deliver(s, (flags & DeliveryBatch.FLAG_SUBJECT_EXTRA) != 0 ? extra : data,
            d.subjectOffset(i), d.subjectLength(i), (flags & DeliveryBatch.FLAG_REPLY_EXTRA) != 0 ? extra : data,
            d.replyOffset(i), d.replyLength(i), data, d.headerLength(i), d.messageOffset(i), d.messageLength(i))) {
          continue;
        }
      } else if (!s.connection.deliver(s, data, d.subjectOffset(i), d.subjectLength(i), d.replyOffset(i),
          d.replyLength(i), d.headerLength(i), d.messageOffset(i), d.messageLength(i))) {
        continue;
      }
      s.delivered++;
      if (s.max > 0 && s.delivered >= s.max) {
        s.connection.removeSubscription(s);
      }
    }
    for (int i = 0, n = d.barrierCount(); i < n; i++) {
      ClientConnection c = connections.get(d.barrierCid(i));
      if (c != null) {
        c.barrierAcked(d.barrierToken(i));
      } else if (watcher != null && d.barrierCid(i) == InterestSync.MARKER_CID) {
        watcher.markerAcked(d.barrierToken(i));
      }
    }
    // A subscriber far behind holds on to the batch, which keeps its publishers paused until
    // it catches up (bounded by the write deadline): as nats-server stalls fast producers.
    ClientConnection behind = null;
    for (int i = 0; i < dirty.size() && behind == null; i++) {
      if (dirty.get(i).isFarBehind()) {
        behind = dirty.get(i);
      }
    }
    endOfTurn();
    if (behind != null && !behind.isClosed()) {
      behind.holdUntilCaughtUp(d);
    } else {
      d.done();
    }
  }

  String nodeId() {
    return nodeId;
  }

  /** Embedded mode (local event bus); false in distributed mode. */
  boolean localOnly() {
    return localOnly;
  }

  // ---- distributed mode hooks ----

  Iterable<ClientConnection> connectionList() {
    return connections.values();
  }

  Iterable<GatewaySubscription> subscriptionList() {
    return subsById.values();
  }

  /** Sends every client that understands asynchronous INFO the current {@code connect_urls}. */
  public Future<Void> refreshInfo() {
    return onLoop(() -> {
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        c.sendInfoUpdate();
      }
      endOfTurn();
      return null;
    });
  }

  /** Distributed mode: replays started by this instance so far; 0 in embedded mode. */
  public long replays() {
    return watcher == null ? 0 : watcher.replays();
  }

  // ---- operations hooks (monitoring, lame duck): called from other threads, run on this loop ----

  /** Copies every open connection of this instance, on this instance's event loop. */
  public Future<List<ConnectionSnapshot>> snapshot() {
    return onLoop(() -> {
      List<ConnectionSnapshot> list = new ArrayList<>(connections.size());
      for (ClientConnection c : connections.values()) {
        if (!c.isClosed()) {
          list.add(c.snapshot());
        }
      }
      return list;
    });
  }

  /**
   * Stops accepting new clients (lame duck mode); the port closes once every instance stopped.
   * A graceful shutdown rather than close(), which would drop every connection at once: open
   * connections stay until lame duck mode closes them, or are closed after {@code keepOpenFor}.
   */
  public Future<Void> stopAccepting(java.time.Duration keepOpenFor) {
    if (netServer != null) {
      netServer.shutdown(keepOpenFor.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    return Future.succeededFuture();
  }

  /** Sends every connection of this instance the lame duck INFO; returns their ids. */
  public Future<List<Integer>> announceLameDuck() {
    return onLoop(() -> {
      List<Integer> cids = new ArrayList<>(connections.size());
      for (ClientConnection c : new ArrayList<>(connections.values())) {
        c.sendLameDuckInfo();
        cids.add(c.cid);
      }
      endOfTurn();
      return cids;
    });
  }

  /** Closes connection {@code cid} with the reason {@code Server Shutdown}, if it is still open. */
  public Future<Void> closeForShutdown(int cid) {
    return onLoop(() -> {
      ClientConnection c = connections.get(cid);
      if (c != null) {
        c.closeForShutdown();
        endOfTurn();
      }
      return null;
    });
  }

  private <T> Future<T> onLoop(java.util.concurrent.Callable<T> task) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(task.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
