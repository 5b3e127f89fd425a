package io.tern.stream;

import io.tern.common.bus.Addresses;

import io.tern.common.bus.RouterLink;
import io.tern.common.config.JetStreamOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JetStream service: opens the RocksDB store, recovers every stream, and attaches a {@link
 * StreamService} to the routers as node {@code jetstream}. Its start completes only when the API
 * and all stream subjects are routed here.
 */
public final class StreamVerticle extends VerticleBase {

  /** The node id of the stream service on the bus. */
  public static final String NODE_ID = "jetstream";

  /** How often {@code max_age} and the deduplication windows are applied. */
  private static final long EXPIRY_PERIOD_MS = 250;
  /** How often consumer timers (ack wait, expiry, heartbeats) are looked at. */
  private static final long CONSUMER_TICK_MS = 20;

  private final JetStreamOptions options;
  private final int routerPartitions;
  private RocksStorage rocks;
  private RouterLink link;
  private StreamService service;

  private final boolean localOnly;

  /** The stream service of embedded mode, on the local event bus. */
  public StreamVerticle(JetStreamOptions options, int routerPartitions) {
    this(options, routerPartitions, true);
  }

  /** The stream service; with {@code localOnly} false it is a node of the clustered event bus. */
  public StreamVerticle(JetStreamOptions options, int routerPartitions, boolean localOnly) {
    this.options = options;
    this.routerPartitions = routerPartitions;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    Path dir = options.getStoreDir() != null ? options.getStoreDir() : Path.of("data", "jetstream");
    Duration syncInterval = options.getSyncInterval();
    return vertx.executeBlocking(() -> {
      var encryption = options.getEncryption();
      ValueCodec codec = encryption.isEnabled()
          ? new EncryptingCodec(encryption.getKey(), encryption.getCipher()) : ValueCodec.PLAIN;
      RocksStorage storage = RocksStorage.open(dir, syncInterval == null, codec);
      List<Stream> recovered = recover(storage);
      return new Object[] {storage, recovered};
    }).compose(opened -> {
      rocks = (RocksStorage) opened[0];
      rocks.bind(context);
      // Clustered, every stream service process needs its own node address.
      String nodeId = localOnly ? NODE_ID : NODE_ID + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      link = new RouterLink(vertx, nodeId, routerPartitions, localOnly);
      service = new StreamService(vertx, link, rocks);
      @SuppressWarnings("unchecked")
      List<Stream> recovered = (List<Stream>) opened[1];
      recovered.forEach(service::addRecovered);
      service.recoverConsumers(rocks.recoverConsumers());
      vertx.setPeriodic(EXPIRY_PERIOD_MS, t -> service.expire());
      vertx.setPeriodic(CONSUMER_TICK_MS, t -> service.tickConsumers());
      if (syncInterval != null) {
        vertx.setPeriodic(Math.max(1, syncInterval.toMillis()), t -> rocks.requestWalSync());
      }
      // Embedded, the routers are up: wait until the API is subscribed everywhere. Clustered, the
      // routers may come later and get this interest by replay, so the service does not wait.
      var bus = vertx.eventBus();
      var stats = localOnly ? bus.<Object>localConsumer(Addresses.STREAM_STATS)
          : bus.<Object>consumer(Addresses.STREAM_STATS);
      stats.handler(msg -> msg.reply(service.statistics()));
      return link.start().compose(v -> {
        Future<Void> subscribed = service.start();
        return localOnly ? subscribed : Future.<Void>succeededFuture();
      });
    });
  }

  private static List<Stream> recover(RocksStorage storage) {
    long now = Rfc3339.nowNanos();
    List<Stream> out = new ArrayList<>();
    for (RocksStorage.Recovered r : storage.recover()) {
      JsonObject j = new JsonObject(r.json());
      StreamConfig cfg = StreamConfig.fromJson(j.getJsonObject("config")).withDefaults();
      Stream s = new Stream(j.getString("account", StreamService.GLOBAL_ACCOUNT), r.id(), cfg,
          j.getLong("created", 0L), r.store());
      s.recover(r.lastSeq(), r.lastTimestamp(), now);
      out.add(s);
    }
    return out;
  }

  @Override
  public Future<?> stop() {
    if (service != null) {
      service.stop();
    }
    if (rocks != null) {
      rocks.endTurnNow();
    }
    Future<?> unlinked = link == null ? Future.succeededFuture() : link.stop();
    return unlinked.eventually(() -> rocks == null ? Future.succeededFuture()
        : vertx.executeBlocking(() -> {
          rocks.close();
          return null;
        }));
  }

  public JetStreamOptions options() {
    return options;
  }

  /** The service, once started (tests, monitoring). */
  public StreamService service() {
    return service;
  }
}
