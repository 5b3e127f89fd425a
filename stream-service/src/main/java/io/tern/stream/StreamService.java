package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.tern.common.protocol.NatsHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JetStream's stream half as a router node: answers {@code $JS.API.>} and stores what is published
 * to every stream's subjects, with nats-server 2.9.10's JSON shapes and error codes. Runs on one
 * Vert.x context; durable writes go through {@link RocksStorage}'s group commit and every reply
 * waits for the commit that covers it.
 */
public final class StreamService {

  /** The account every connection belongs to until accounts reach the data path. */
  public static final String GLOBAL_ACCOUNT = "$G";

  private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);
  private static final String API_PREFIX = "$JS.API.";
  private static final String TYPE_PREFIX = "io.nats.jetstream.api.v1.";
  private static final int NAMES_LIMIT = 1024;
  private static final int LIST_LIMIT = 256;
  private static final int SUBJECTS_LIMIT = 100_000;

  private final RouterLink link;
  private final RocksStorage rocks;
  private final Vertx vertx;
  private final Set<String> restoring = new HashSet<>();
  private final Map<String, TreeMap<String, Stream>> accounts = new HashMap<>();
  private final Map<Stream, List<Integer>> subscriptions = new HashMap<>();
  private final Map<String, String> quoted = new HashMap<>();
  private long apiTotal;
  private long apiErrors;

  private final ConsumerApi consumers;

  private final String account;
  private final AccountLimits limits;
  /** Distributed mode with several stream services: where API requests go first; null otherwise. */
  private ApiFront front;

  public StreamService(RouterLink link, RocksStorage rocks) {
    this(null, link, rocks);
  }

  /** With {@code vertx}, backups are built off the event loop and stalled transfers time out. */
  public StreamService(Vertx vertx, RouterLink link, RocksStorage rocks) {
    this(vertx, link, rocks, GLOBAL_ACCOUNT, null);
  }

  /**
   * The JetStream of {@code account} with its {@code limits} (null: unlimited); {@code link} must
   * already be bound to that account. Every account's service shares one {@link RocksStorage}, whose
   * keys carry the account.
   */
  public StreamService(Vertx vertx, RouterLink link, RocksStorage rocks, String account,
                       io.tern.common.config.AccountJetStreamOptions limits) {
    this.vertx = vertx;
    this.link = link;
    this.rocks = rocks;
    this.account = account;
    this.limits = new AccountLimits(limits);
    this.consumers = new ConsumerApi(link, rocks, name -> streams(account).get(name));
  }

  /**
   * Distributed mode: API requests arrive through a queue subscription and go to {@code front}, which
   * answers them here or passes them to the stream service owning their stream. Call before {@link #start()}.
   */
  void front(ApiFront front) {
    this.front = front;
  }

  /** Applies an account's changed JetStream limits (an updated account JWT) to later requests. */
  public void limits(io.tern.common.config.AccountJetStreamOptions changed) {
    limits.update(changed);
  }

  /** The account's JetStream limits as {@code $JS.API.INFO} reports them. */
  public JsonObject limitsJson() {
    return limits.toJson();
  }

  /** The account whose JetStream this is. */
  public String account() {
    return account;
  }

  /** Re-creates the durable consumers found in the store (after the streams, before {@link #start()}). */
  public void recoverConsumers(List<RocksStorage.RecoveredConsumer> found) {
    Map<Long, Stream> byId = new HashMap<>();
    allStreams().forEach(s -> byId.put(s.id(), s));
    for (RocksStorage.RecoveredConsumer c : found) {
      Stream s = byId.get(c.streamId());
      if (s != null) {
        consumers.recover(s, c.name(), new JsonObject(c.json()), c.state());
      }
    }
  }

  /** Stops deliveries before the store closes. */
  public void stop() {
    consumers.stop();
  }

  /** Applies consumer timers (ack wait, request expiry, heartbeats, inactivity); call periodically. */
  public void tickConsumers() {
    consumers.tick(allStreams());
  }

  /** Adds a stream of this account recovered from the store (before {@link #start()}). */
  public void addRecovered(Stream stream) {
    if (!stream.account().equals(account)) {
      throw new IllegalArgumentException("stream of account " + stream.account() + " given to " + account);
    }
    streams(stream.account()).put(stream.name(), stream);
  }

  /**
   * Subscribes the API and every stream's subjects; completes once the routers have applied them,
   * so nothing published after start is missed.
   */
  public Future<Void> start() {
    link.noEcho(true);
    if (front == null) {
      link.subscribe("$JS.API.>", null, this::onApi);
    } else {
      // One stream service of the cluster takes each request; the front passes it to the owner.
      link.subscribe("$JS.API.>", ApiFront.API_QUEUE, m -> front.onApi(this, m));
    }
    consumers.start();
    for (TreeMap<String, Stream> streams : accounts.values()) {
      for (Stream s : streams.values()) {
        subscribe(s);
      }
    }
    return link.barrier();
  }

  /** Applies {@code max_age} and ages out deduplication entries; call periodically. */
  public void expire() {
    long now = Rfc3339.nowNanos();
    for (TreeMap<String, Stream> streams : accounts.values()) {
      for (Stream s : streams.values()) {
        s.expire(now);
      }
    }
  }

  /** Every stream of every account (monitoring, tests). */
  public List<Stream> allStreams() {
    List<Stream> out = new ArrayList<>();
    accounts.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  private TreeMap<String, Stream> streams(String account) {
    return accounts.computeIfAbsent(account, a -> new TreeMap<>());
  }

  private void subscribe(Stream s) {
    List<Integer> ids = new ArrayList<>();
    for (String subject : s.config().subjects()) {
      ids.add(link.subscribe(subject, null, m -> onPublish(s, m)));
    }
    subscriptions.put(s, ids);
  }

  private void unsubscribe(Stream s) {
    List<Integer> ids = subscriptions.remove(s);
    if (ids != null) {
      ids.forEach(link::unsubscribe);
    }
  }

  // ------------------------------------------------------------------ publish

  private void onPublish(Stream stream, RouterLink.Message m) {
    String reply = m.reply();
    long size = m.subject().length() + (m.headers() == null ? 0 : m.headers().length)
        + (m.payload() == null ? 0 : m.payload().length);
    if (!limits.allowsPublish(streams(account).values(), stream.config().storage(), size)) {
      if (reply != null) {
        byte[] body = ("{\"error\":" + AccountLimits.INSUFFICIENT_RESOURCES.toJson().encode() + ",\"stream\":"
            + quote(stream.name()) + ",\"seq\":0}").getBytes(StandardCharsets.UTF_8);
        rocks.afterCommit(() -> link.publish(reply, null, null, body));
      }
      return;
    }
    Stream.PublishResult r = stream.publish(m.subject(), m.headers(), m.payload(), Rfc3339.nowNanos());
    if (reply == null || (stream.config().noAck() && r.error() == null)) {
      return;
    }
    String ack;
    if (r.error() != null) {
      ack = "{\"error\":" + r.error().toJson().encode() + ",\"stream\":" + quote(stream.name()) + ",\"seq\":0}";
    } else if (r.duplicate()) {
      ack = "{\"stream\":" + quote(stream.name()) + ", \"seq\":" + r.seq() + ",\"duplicate\": true}";
    } else {
      ack = "{\"stream\":" + quote(stream.name()) + ", \"seq\":" + r.seq() + "}";
    }
    byte[] body = ack.getBytes(StandardCharsets.UTF_8);
    // Async publishers give every message its own reply subject: not worth the routers' cache.
    rocks.afterCommit(() -> link.publishReply(reply, null, body));
  }

  /** JSON string of {@code s}; stream names repeat in every PubAck, so their encodings are kept. */
  private String quote(String s) {
    String q = quoted.get(s);
    if (q == null) {
      q = Json.encode(s);
      if (quoted.size() > 10_000) {
        quoted.clear();
      }
      quoted.put(s, q);
    }
    return q;
  }

  // ------------------------------------------------------------------ API

  /** Whether this service holds stream {@code name}. */
  boolean hasStream(String name) {
    return streams(account).containsKey(name);
  }

  /** Whether stream {@code name} is being restored here (its archive is still arriving). */
  boolean isRestoring(String name) {
    return restoring.contains(name);
  }

  /** A request to answer through this service's link (distributed mode's gathered answers). */
  ApiRequest request(String reply, String type, byte[] body) {
    return new ApiRequest(link, rocks, reply, type, body);
  }

  /** Counts an API request answered outside {@link #onApi} (a gathered one). */
  void countApi(boolean error) {
    apiTotal++;
    if (error) {
      apiErrors++;
    }
  }

  /** This service's streams matching {@code subject} (all when null or empty): names, or infos when {@code list}. */
  JsonArray localStreams(boolean list, String subject) {
    JsonArray out = new JsonArray();
    for (Stream s : streams(account).values()) {
      if (subject == null || subject.isEmpty() || s.captures(subject)) {
        out.add(list ? info(new JsonObject(), s, false, null) : s.name());
      }
    }
    return out;
  }

  /** This service's share of {@code $JS.API.INFO}: usage and API counters. */
  JsonObject localUsage() {
    long memory = 0;
    long storage = 0;
    TreeMap<String, Stream> streams = streams(account);
    for (Stream s : streams.values()) {
      if (s.config().storage() == StreamConfig.Storage.MEMORY) {
        memory += s.bytes();
      } else {
        storage += s.bytes();
      }
    }
    return new JsonObject().put("memory", memory).put("storage", storage).put("streams", streams.size())
        .put("consumers", ConsumerApi.count(streams.values())).put("api_total", apiTotal).put("api_errors", apiErrors);
  }

  /**
   * Answers {@code m} with {@code error} instead of handling it (its stream's owner is unreachable):
   * the API's JSON error, or a status message for DIRECT.GET and CONSUMER.MSG.NEXT.
   */
  void refuse(RouterLink.Message m, JsError error) {
    if (m.reply() == null) {
      return;
    }
    String api = m.subject().substring(API_PREFIX.length());
    if (api.startsWith("DIRECT.GET.") || api.startsWith("CONSUMER.MSG.NEXT.")) {
      apiTotal++;
      apiErrors++;
      sendStatus(m.reply(), 503, null);
      return;
    }
    onApi(m, error);
  }

  /** Handles an API request here (the stream, if it names one, is this service's or nobody's). */
  void onApi(RouterLink.Message m) {
    onApi(m, null);
  }

  private void onApi(RouterLink.Message m, JsError refusal) {
    if (m.reply() == null) {
      return;
    }
    String api = m.subject().substring(API_PREFIX.length());
    byte[] body = m.payload() == null ? new byte[0] : m.payload();
    if (api.startsWith("DIRECT.GET.")) {
      apiTotal++;
      directGet(api.substring("DIRECT.GET.".length()), m.reply(), body);
      return;
    }
    String[] t = api.split("\\.", -1);
    ApiRequest req;
    Runnable action;
    if (t.length == 1 && t[0].equals("INFO")) {
      req = new ApiRequest(link, rocks, m.reply(), "account_info", body);
      action = () -> accountInfo(req);
    } else if (t.length == 3 && t[0].equals("STREAM")) {
      String name = t[2];
      switch (t[1]) {
        case "CREATE" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_create", body);
          action = () -> createOrUpdate(req, name, true);
        }
        case "UPDATE" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_update", body);
          action = () -> createOrUpdate(req, name, false);
        }
        case "INFO" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_info", body);
          action = () -> streamInfo(req, name);
        }
        case "DELETE" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_delete", body);
          action = () -> deleteStream(req, name);
        }
        case "PURGE" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_purge", body);
          action = () -> purge(req, name);
        }
        case "SNAPSHOT" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_snapshot", body);
          action = () -> snapshot(req, name);
        }
        case "RESTORE" -> {
          req = new ApiRequest(link, rocks, m.reply(), "stream_restore", body);
          action = () -> restore(req, name);
        }
        default -> {
          return;
        }
      }
    } else if (t.length == 2 && t[0].equals("STREAM") && t[1].equals("NAMES")) {
      req = new ApiRequest(link, rocks, m.reply(), "stream_names", body);
      action = () -> names(req, false);
    } else if (t.length == 2 && t[0].equals("STREAM") && t[1].equals("LIST")) {
      req = new ApiRequest(link, rocks, m.reply(), "stream_list", body);
      action = () -> names(req, true);
    } else if (t.length == 4 && t[0].equals("STREAM") && t[1].equals("MSG") && t[2].equals("GET")) {
      req = new ApiRequest(link, rocks, m.reply(), "stream_msg_get", body);
      action = () -> msgGet(req, t[3]);
    } else if (t.length == 4 && t[0].equals("STREAM") && t[1].equals("MSG") && t[2].equals("DELETE")) {
      req = new ApiRequest(link, rocks, m.reply(), "stream_msg_delete", body);
      action = () -> msgDelete(req, t[3]);
    } else if (t[0].equals("CONSUMER")) {
      ConsumerApi.Call call = consumers.route(t, api, m.reply(), body);
      if (call == null) {
        return;
      }
      req = call.request();
      Runnable create = call.action();
      action = isConsumerCreate(t) ? () -> {
        if (!consumerExists(t, body)) {
          limits.checkNewConsumer(ConsumerApi.count(streams(account).values()));
        }
        create.run();
      } : create;
    } else {
      return; // nats-server does not answer unknown API subjects either
    }
    apiTotal++;
    if (refusal != null) {
      apiErrors++;
      sendError(req, refusal);
      return;
    }
    try {
      action.run();
    } catch (JsException e) {
      apiErrors++;
      sendError(req, e.error());
    } catch (RuntimeException e) {
      LOG.error("JetStream API request {} failed", m.subject(), e);
      apiErrors++;
      sendError(req, new JsError(500, 10003, String.valueOf(e.getMessage())));
    }
  }

  private static boolean isConsumerCreate(String[] t) {
    return t.length >= 3 && (t[1].equals("CREATE") || (t[1].equals("DURABLE") && t[2].equals("CREATE")));
  }

  /** Whether a consumer create request names a consumer that exists (an update, not a new one). */
  private boolean consumerExists(String[] t, byte[] body) {
    Stream s = streams(account).get(t[1].equals("CREATE") ? t[2] : t.length > 3 ? t[3] : "");
    if (s == null) {
      return false;
    }
    String name = t[1].equals("CREATE") ? (t.length >= 4 ? t[3] : "") : (t.length >= 5 ? t[4] : "");
    if (name.isEmpty()) {
      try {
        JsonObject cfg = new JsonObject(new String(body, StandardCharsets.UTF_8)).getJsonObject("config");
        if (cfg != null) {
          name = cfg.getString("durable_name", cfg.getString("name", ""));
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return !name.isEmpty() && s.consumers().containsKey(name);
  }

  private void sendError(ApiRequest req, JsError error) {
    JsonObject r = req.response().put("error", error.toJson());
    switch (req.type) {
      case "stream_info" -> r.put("total", 0).put("offset", 0).put("limit", 0);
      case "stream_purge" -> r.put("purged", 0);
      case "consumer_names", "consumer_list" -> r.put("total", 0).put("offset", 0).put("limit", 0)
          .put("consumers", new JsonArray());
      case "stream_restore" -> r.put("deliver_subject", "");
      default -> {
        // the other responses carry only the error
      }
    }
    req.send(r);
  }

  private Stream find(String name) {
    Stream s = streams(account).get(name);
    if (s == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    return s;
  }

  /**
   * What {@code /jsz} reports of this stream service: accounts with streams, streams, messages,
   * bytes by storage, and API counters.
   */
  public JsonObject statistics() {
    long memory = 0;
    long storage = 0;
    long messages = 0;
    int streamCount = 0;
    int accountsWithStreams = 0;
    for (TreeMap<String, Stream> streams : accounts.values()) {
      if (!streams.isEmpty()) {
        accountsWithStreams++;
      }
      for (Stream st : streams.values()) {
        streamCount++;
        messages += st.messages();
        if (st.config().storage() == StreamConfig.Storage.MEMORY) {
          memory += st.bytes();
        } else {
          storage += st.bytes();
        }
      }
    }
    return new JsonObject().put("memory", memory).put("storage", storage)
        .put("accounts", accountsWithStreams).put("streams", streamCount)
        .put("consumers", ConsumerApi.count(allStreams()))
        .put("messages", messages).put("bytes", memory + storage)
        .put("api", new JsonObject().put("total", apiTotal).put("errors", apiErrors));
  }

  private void accountInfo(ApiRequest req) {
    JsonObject usage = localUsage();
    req.send(req.response().put("memory", usage.getLong("memory")).put("storage", usage.getLong("storage"))
        .put("streams", usage.getInteger("streams")).put("consumers", usage.getValue("consumers"))
        .put("limits", limits.toJson())
        .put("api", new JsonObject().put("total", apiTotal - 1).put("errors", apiErrors)));
  }

  private JsonObject info(JsonObject into, Stream s, boolean deletedDetails, String subjectsFilter) {
    into.put("config", s.config().toJson())
        .put("created", Rfc3339.format(s.created()))
        .put("state", s.stateJson(deletedDetails, subjectsFilter));
    if (front != null) {
      // As a clustered nats-server says which server leads the stream: here, the stream service holding it.
      into.put("cluster", new JsonObject().put("leader", front.nodeId()));
    }
    return into;
  }

  private void createOrUpdate(ApiRequest req, String name, boolean create) {
    JsonObject body = req.json();
    StreamConfig requested = StreamConfig.fromJson(body);
    if (requested.name().isEmpty()) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    if (!requested.name().equals(name)) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    StreamConfig cfg = requested.withDefaults();
    TreeMap<String, Stream> streams = streams(account);
    Stream existing = streams.get(name);
    if (!create && existing == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    cfg.validate();
    if (create && cfg.sealed()) {
      throw JsError.invalidConfig("stream configuration for create can not be sealed").exception();
    }
    if (create && existing != null) {
      if (!existing.config().equals(cfg)) {
        throw JsError.NAME_IN_USE.exception();
      }
      req.send(info(req.response(), existing, false, null).put("did_create", true));
      return;
    }
    for (Stream other : streams.values()) {
      if (other != existing) {
        for (String subject : cfg.subjects()) {
          if (other.captures(subject)) {
            throw JsError.SUBJECT_OVERLAP.exception();
          }
        }
      }
    }
    Stream stream;
    if (create) {
      limits.checkNewStream(streams.values(), cfg);
      stream = newStream(name, cfg, Rfc3339.nowNanos());
    } else {
      StreamConfig old = existing.config();
      if (old.storage() != cfg.storage()) {
        throw JsError.invalidConfig("stream configuration update can not change storage type").exception();
      }
      if (old.sealed() && !cfg.sealed()) {
        throw JsError.invalidConfig("stream configuration update can not unseal a sealed stream").exception();
      }
      if (old.retention() != cfg.retention()) {
        throw JsError.invalidConfig("stream configuration update can not change retention policy").exception();
      }
      if (cfg.sealed()) {
        cfg = cfg.sealedCopy();
      }
      limits.checkReservation(streams.values(), existing, cfg);
      stream = existing;
      boolean resubscribe = !old.subjects().equals(cfg.subjects());
      stream.update(cfg);
      if (resubscribe) {
        unsubscribe(stream);
        subscribe(stream);
        if (front != null) {
          front.placed(account, name, cfg.subjects());
        }
      }
    }
    Stream done = stream;
    // The reply waits for the stream to be durable and for every router to route its subjects here:
    // a client publishes right after the reply and must find the stream.
    rocks.afterCommit(() -> link.barrier().onComplete(v -> {
      JsonObject r = info(req.response(), done, false, null);
      if (create) {
        r.put("did_create", true);
      }
      byte[] bytes = r.encode().getBytes(StandardCharsets.UTF_8);
      link.publish(req.reply, null, null, bytes);
    }));
  }

  /** Creates, records and subscribes a stream (configuration validated, name free, no overlap). */
  private Stream newStream(String name, StreamConfig cfg, long created) {
    StreamStore store = cfg.storage() == StreamConfig.Storage.FILE
        ? rocks.create(account, name) : new MemoryStreamStore();
    long id = store instanceof RocksStreamStore r ? r.id() : 0;
    Stream stream = new Stream(account, id, cfg, created, store);
    stream.saveConfig();
    streams(account).put(name, stream);
    subscribe(stream);
    if (front != null) {
      front.placed(account, name, cfg.subjects());
    }
    return stream;
  }

  private void checkNoOverlap(StreamConfig cfg) {
    for (Stream other : streams(account).values()) {
      for (String subject : cfg.subjects()) {
        if (other.captures(subject)) {
          throw JsError.SUBJECT_OVERLAP.exception();
        }
      }
    }
  }

  // ------------------------------------------------------------------ backup and restore

  private static final JsError DELIVER_SUBJECT_INVALID = new JsError(400, 10015, "deliver subject not valid");
  private static final JsError NAME_EXISTS_RESTORE = new JsError(400, 10130, "stream name already in use, cannot restore");

  /** STREAM.SNAPSHOT: replies with config and state, then streams the backup (see SnapshotSender). */
  private void snapshot(ApiRequest req, String name) {
    if (req.isEmptyBody()) {
      throw JsError.BAD_REQUEST.exception();
    }
    JsonObject body = req.json();
    Stream s = find(name);
    if (!body.containsKey("deliver_subject")) {
      throw JsError.BAD_REQUEST.exception();
    }
    String deliver = body.getString("deliver_subject", "");
    if (deliver.isEmpty() || !io.tern.common.subject.Subjects.isLiteral(deliver)) {
      throw DELIVER_SUBJECT_INVALID.exception();
    }
    SnapshotSender sender = new SnapshotSender(link, vertx, name, deliver,
        body.getInteger("chunk_size", 0), body.getInteger("window_size", 0));
    req.send(req.response().put("config", s.config().toJson()).put("state", s.stateJson(false, null)));
    JsonObject header = s.archiveHeader();
    Map<String, JsonObject> consumerBackup = body.getBoolean("no_consumers", false)
        ? new java.util.LinkedHashMap<>() : consumers.backup(s);
    // Once every write so far is durable the store holds what the header describes.
    rocks.afterCommit(() -> {
      Future<byte[]> built;
      if (vertx != null && s.store() instanceof RocksStreamStore) {
        built = vertx.executeBlocking(() -> s.archive(header, consumerBackup).toBytes(), false);
      } else {
        built = Future.succeededFuture(s.archive(header, consumerBackup).toBytes());
      }
      built.onSuccess(sender::start).onFailure(e -> {
        LOG.error("snapshot of stream {} failed", name, e);
        sender.fail("snapshot failed: " + e.getMessage());
      });
    });
  }

  /**
   * STREAM.RESTORE: checks the request, replies with a deliver subject, collects the chunks, then
   * creates the stream under the requested name and configuration with the archive's messages.
   */
  private void restore(ApiRequest req, String name) {
    if (req.isEmptyBody()) {
      throw JsError.BAD_REQUEST.exception();
    }
    JsonObject body = req.json();
    JsonObject config = body.getJsonObject("config");
    if (config == null) {
      throw JsError.BAD_REQUEST.exception();
    }
    StreamConfig requested = StreamConfig.fromJson(config);
    if (!requested.name().isEmpty() && !requested.name().equals(name)) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    StreamConfig cfg = StreamConfig.fromJson(config.copy().put("name", name)).withDefaults();
    if (streams(account).containsKey(name) || restoring.contains(name)) {
      throw NAME_EXISTS_RESTORE.exception();
    }
    cfg.validate();
    checkNoOverlap(cfg);
    limits.checkNewStream(streams(account).values(), cfg);
    restoring.add(name);
    RestoreReceiver receiver = new RestoreReceiver(link, vertx, name,
        (bytes, reply) -> finishRestore(name, cfg, bytes, reply), () -> restoreFailed(name),
        reply -> {
          restoreFailed(name);
          replyLater(reply, new JsonObject().put("type", TYPE_PREFIX + "stream_create_response").put("error",
              new JsError(500, 10062, "restore failed: archive larger than " + RestoreReceiver.MAX_ARCHIVE + " bytes")
                  .toJson()));
        });
    receiver.start().onComplete(v ->
        req.send(req.response().put("deliver_subject", receiver.deliverSubject())));
  }

  private void finishRestore(String name, StreamConfig cfg, byte[] bytes, String reply) {
    Future<StreamArchive> parsed = vertx != null
        ? vertx.executeBlocking(() -> StreamArchive.read(bytes), false)
        : Future.succeededFuture().map(v -> StreamArchive.read(bytes));
    parsed.onComplete(ar -> {
      restoring.remove(name);
      JsonObject r = new JsonObject().put("type", TYPE_PREFIX + "stream_create_response");
      try {
        if (ar.failed()) {
          throw new IllegalArgumentException(ar.cause().getMessage());
        }
        if (streams(account).containsKey(name)) {
          throw new IllegalArgumentException("stream name already in use");
        }
        checkNoOverlap(cfg);
        StreamArchive archive = ar.result();
        long created = archive.stream().getLong("created", Rfc3339.nowNanos());
        Stream stream = newStream(name, cfg, created);
        stream.restore(archive.messages(), archive.lastSeq(), archive.lastTimestamp(), Rfc3339.nowNanos());
        consumers.restoreBackup(stream, archive.consumers());
        rocks.afterCommit(() -> link.barrier().onComplete(v -> {
          JsonObject ok = info(r, stream, false, null);
          if (reply != null) {
            link.publish(reply, null, null, ok.encode().getBytes(StandardCharsets.UTF_8));
          }
        }));
      } catch (JsException e) {
        restoreFailed(name);
        replyLater(reply, r.put("error", new JsError(500, 10062, "restore failed: " + e.error().description()).toJson()));
      } catch (RuntimeException e) {
        restoreFailed(name);
        replyLater(reply, r.put("error", new JsError(500, 10062, "restore failed: " + e.getMessage()).toJson()));
      }
    });
  }

  /** A restore that ended without a stream: the name is free again (here and in the cluster's placement). */
  private void restoreFailed(String name) {
    restoring.remove(name);
    if (front != null && !streams(account).containsKey(name)) {
      front.removed(account, name);
    }
  }

  private void replyLater(String reply, JsonObject response) {
    if (reply != null) {
      byte[] bytes = response.encode().getBytes(StandardCharsets.UTF_8);
      rocks.afterCommit(() -> link.publish(reply, null, null, bytes));
    }
  }

  private void streamInfo(ApiRequest req, String name) {
    JsonObject body = req.optionalJson();
    Stream s = find(name);
    String filter = body.getString("subjects_filter");
    boolean details = body.getBoolean("deleted_details", false);
    JsonObject r = req.response();
    if (filter != null && !filter.isEmpty()) {
      Map<String, Long> counts = s.subjectCounts(filter);
      r.put("total", counts.size()).put("offset", 0).put("limit", SUBJECTS_LIMIT);
    } else {
      r.put("total", 0).put("offset", 0).put("limit", 0);
    }
    req.send(info(r, s, details, filter));
  }

  private void deleteStream(ApiRequest req, String name) {
    if (!req.isEmptyBody()) {
      throw JsError.NOT_EMPTY_REQUEST.exception();
    }
    Stream s = find(name);
    unsubscribe(s);
    consumers.streamDeleted(s);
    streams(account).remove(name);
    s.drop();
    if (front != null) {
      front.removed(account, name);
    }
    req.send(req.response().put("success", true));
  }

  private void purge(ApiRequest req, String name) {
    JsonObject body = req.optionalJson();
    Stream s = find(name);
    long seq = body.getLong("seq", 0L);
    long keep = body.getLong("keep", 0L);
    if (seq > 0 && keep > 0) {
      throw JsError.BAD_REQUEST.exception();
    }
    // "erase" is Tern's own field: nats-server's purge request has none.
    long purged = s.purge(body.getString("filter"), seq, keep, body.getBoolean("erase", false));
    req.send(req.response().put("success", true).put("purged", purged));
  }

  private void names(ApiRequest req, boolean list) {
    JsonObject body = req.optionalJson();
    int offset = body.getInteger("offset", 0);
    String subject = body.getString("subject");
    List<Stream> matching = new ArrayList<>();
    for (Stream s : streams(account).values()) {
      if (subject == null || subject.isEmpty() || s.captures(subject)) {
        matching.add(s);
      }
    }
    int limit = list ? LIST_LIMIT : NAMES_LIMIT;
    JsonArray out = new JsonArray();
    for (int i = Math.max(0, offset); i < matching.size() && out.size() < limit; i++) {
      Stream s = matching.get(i);
      out.add(list ? info(new JsonObject(), s, false, null) : s.name());
    }
    req.send(req.response().put("total", matching.size()).put("offset", offset).put("limit", limit)
        .put("streams", out));
  }

  /** The message a MSG.GET or DIRECT.GET body asks for; null when there is none. */
  private static StoredMessage lookup(Stream s, JsonObject body) {
    long seq = body.getLong("seq", 0L);
    String last = body.getString("last_by_subj", "");
    String next = body.getString("next_by_subj", "");
    if (!last.isEmpty() && seq == 0 && next.isEmpty()) {
      return s.lastBySubject(last);
    }
    if (!next.isEmpty() && last.isEmpty()) {
      return s.nextBySubject(next, seq);
    }
    if (seq > 0 && last.isEmpty()) {
      return s.get(seq);
    }
    throw JsError.BAD_REQUEST.exception();
  }

  private void msgGet(ApiRequest req, String name) {
    JsonObject body;
    if (req.isEmptyBody()) {
      throw JsError.BAD_REQUEST.exception();
    }
    try {
      body = req.json();
    } catch (JsException e) {
      throw JsError.BAD_REQUEST.exception();
    }
    Stream s = find(name);
    StoredMessage m = lookup(s, body);
    if (m == null) {
      throw JsError.NO_MESSAGE.exception();
    }
    JsonObject msg = new JsonObject().put("subject", m.subject()).put("seq", m.seq());
    if (m.headers() != null && m.headers().length > 0) {
      msg.put("hdrs", Base64.getEncoder().encodeToString(m.headers()));
    }
    if (m.payload().length > 0) {
      msg.put("data", Base64.getEncoder().encodeToString(m.payload()));
    }
    msg.put("time", Rfc3339.format(m.timestamp()));
    req.send(req.response().put("message", msg));
  }

  private void msgDelete(ApiRequest req, String name) {
    JsonObject body = req.json();
    Stream s = find(name);
    long seq = body.getLong("seq", 0L);
    s.deleteMessage(seq, !body.getBoolean("no_erase", false));
    req.send(req.response().put("success", true));
  }

  private void directGet(String rest, String reply, byte[] body) {
    int dot = rest.indexOf('.');
    String name = dot < 0 ? rest : rest.substring(0, dot);
    String subject = dot < 0 ? null : rest.substring(dot + 1);
    Stream s = streams(account).get(name);
    if (s == null || !s.config().allowDirect()) {
      // nats-server only listens for streams that allow direct gets: the requester sees no responders.
      sendStatus(reply, 503, null);
      return;
    }
    StoredMessage m;
    if (subject != null) {
      m = subject.isEmpty() ? null : s.lastBySubject(subject);
    } else {
      if (new String(body, StandardCharsets.UTF_8).isBlank()) {
        sendStatus(reply, 408, "Empty Request");
        return;
      }
      JsonObject json;
      try {
        json = new JsonObject(new String(body, StandardCharsets.UTF_8));
      } catch (DecodeException | ClassCastException e) {
        sendStatus(reply, 408, "Malformed Request");
        return;
      }
      try {
        m = lookup(s, json);
      } catch (JsException | ClassCastException e) {
        sendStatus(reply, 408, "Bad Request");
        return;
      }
    }
    if (m == null) {
      sendStatus(reply, 404, "Message Not Found");
      return;
    }
    List<NatsHeaders.Field> fields = List.of(
        new NatsHeaders.Field("Nats-Stream", s.name()),
        new NatsHeaders.Field("Nats-Subject", m.subject()),
        new NatsHeaders.Field("Nats-Sequence", Long.toString(m.seq())),
        new NatsHeaders.Field("Nats-Time-Stamp", Rfc3339.format(m.timestamp())));
    byte[] headers;
    if (m.headers() != null && m.headers().length > 0) {
      headers = NatsHeaders.append(m.headers(), fields);
    } else {
      NatsHeaders h = NatsHeaders.empty();
      fields.forEach(f -> h.add(f.key(), f.value()));
      headers = h.toBytes();
    }
    byte[] payload = m.payload();
    rocks.afterCommit(() -> link.publish(reply, null, headers, payload));
  }

  private void sendStatus(String reply, int code, String description) {
    byte[] headers = NatsHeaders.status(code, description).toBytes();
    rocks.afterCommit(() -> link.publish(reply, null, headers, new byte[0]));
  }
}
