package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The consumer half of the stream service: the {@code CONSUMER.*} API with nats-server 2.9.10's
 * JSON and errors, pull requests, acknowledgements on {@code $JS.ACK.>}, flow-control responses on
 * {@code $JS.FC.>}, deliveries that reached nobody, timers, and durability of consumers of file
 * streams. Runs on the stream service's context.
 */
final class ConsumerApi implements ConsumerHost {

  private static final int NAMES_LIMIT = 1024;
  private static final int LIST_LIMIT = 256;
  private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** An API call ready to run with the stream service's error handling. */
  record Call(ApiRequest request, Runnable action) {
  }

  private final RouterLink link;
  private final RocksStorage rocks;
  private final Function<String, Stream> streams;
  private final SecureRandom random = new SecureRandom();
  private final Set<Consumer> toPump = new LinkedHashSet<>();
  private final Set<Consumer> persisted = new java.util.HashSet<>();
  private final List<Consumer> expired = new ArrayList<>();
  private boolean pumpScheduled;
  /** How often push consumers ask the routers about interest on their deliver subjects. */
  private static final long INTEREST_POLL_NANOS = 1_000_000_000L;
  private long lastInterestPoll;
  private boolean stopped;

  /** @param streams finds a stream of the global account by name (null when there is none) */
  ConsumerApi(RouterLink link, RocksStorage rocks, Function<String, Stream> streams) {
    this.link = link;
    this.rocks = rocks;
    this.streams = streams;
  }

  /** Subscribes acknowledgements and flow-control responses (before the routers are waited for). */
  void start() {
    link.subscribe(AckReply.PREFIX + ">", null, this::onAck);
    link.subscribe("$JS.FC.>", null, this::onFlowControl);
    link.onBounce(this::onBounce);
  }

  // ------------------------------------------------------------------ recovery

  /** Re-creates a durable consumer found in the store. */
  void recover(Stream stream, String name, JsonObject record, byte[] state) {
    ConsumerConfig cfg = ConsumerConfig.fromJson(record.getJsonObject("config"));
    Consumer c = new Consumer(stream, name, cfg, record.getLong("created", 0L), this);
    c.selectStart();
    if (state != null) {
      c.restoreState(state);
    }
    stream.consumers().put(name, c);
    persisted.add(c);
  }

  // ------------------------------------------------------------------ backup and restore

  /**
   * The durable consumers of {@code stream} as a backup holds them: each consumer's record (name,
   * created, config) with its delivery state, base64, under {@code state}.
   */
  Map<String, JsonObject> backup(Stream stream) {
    Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
    for (Consumer c : stream.consumers().values()) {
      if (persisted.contains(c)) {
        out.put(c.name(), new JsonObject(record(c))
            .put("state", java.util.Base64.getEncoder().encodeToString(c.encodeState())));
      }
    }
    return out;
  }

  /** Re-creates a backup's consumers on a freshly restored {@code stream}, durable as they were. */
  void restoreBackup(Stream stream, Map<String, JsonObject> backup) {
    boolean file = stream.config().storage() == StreamConfig.Storage.FILE;
    backup.forEach((name, b) -> {
      JsonObject record = b.copy();
      String state = (String) record.remove("state");
      recover(stream, name, record, state == null ? null : java.util.Base64.getDecoder().decode(state));
      Consumer c = stream.consumers().get(name);
      if (file && !c.config().memStorage) {
        rocks.saveConsumerConfig(stream.id(), name, record(c));
        stateChanged(c);
      } else {
        persisted.remove(c);
      }
      afterCommit(() -> schedulePump(c));
    });
  }

  // ------------------------------------------------------------------ routing

  /**
   * The call for {@code $JS.API.CONSUMER.*} tokens {@code t} (after {@code $JS.API.}), or null when
   * nats-server would not answer. {@code MSG.NEXT} is handled here directly and also gives null.
   */
  Call route(String[] t, String api, String reply, byte[] body) {
    if (t.length >= 3 && t[1].equals("MSG") && t[2].equals("NEXT")) {
      if (t.length == 5) {
        nextRequest(t[3], t[4], reply, body);
      }
      return null;
    }
    if (t.length >= 3 && t[1].equals("CREATE")) {
      ApiRequest req = request(reply, "consumer_create", body);
      String stream = t[2];
      String name = t.length >= 4 ? t[3] : "";
      String filter = t.length >= 5 ? api.substring(("CONSUMER.CREATE." + stream + "." + name + ".").length()) : "";
      return new Call(req, () -> create(req, stream, name, filter, t.length == 3 ? Kind.LEGACY_EPHEMERAL : Kind.NEW));
    }
    if (t.length >= 3 && t[1].equals("DURABLE") && t[2].equals("CREATE")) {
      ApiRequest req = request(reply, "consumer_create", body);
      if (t.length != 5) {
        return null; // nats-server subscribes DURABLE.CREATE.*.* only
      }
      return new Call(req, () -> create(req, t[3], t[4], "", Kind.LEGACY_DURABLE));
    }
    if (t.length == 4 && t[1].equals("INFO")) {
      ApiRequest req = request(reply, "consumer_info", body);
      return new Call(req, () -> info(req, find(t[2], t[3])));
    }
    if (t.length == 4 && t[1].equals("DELETE")) {
      ApiRequest req = request(reply, "consumer_delete", body);
      return new Call(req, () -> {
        Consumer c = find(t[2], t[3]);
        remove(c);
        req.send(req.response().put("success", true));
      });
    }
    if (t.length == 3 && (t[1].equals("NAMES") || t[1].equals("LIST"))) {
      boolean list = t[1].equals("LIST");
      ApiRequest req = request(reply, list ? "consumer_list" : "consumer_names", body);
      return new Call(req, () -> names(req, t[2], list));
    }
    return null;
  }

  /**
   * Answers CONSUMER.INFO; a push consumer asks the routers first, so that push_bound is exact (jnats
   * refuses to bind a second subscriber to a push-bound durable).
   */
  private void info(ApiRequest req, Consumer c) {
    if (!c.config().isPush()) {
      req.send(c.info(req.response()));
      return;
    }
    link.hasInterest(c.config().deliverSubject()).onComplete(answer -> {
      if (answer.succeeded()) {
        c.onInterest(answer.result());
      }
      req.send(c.info(req.response()));
    });
  }

  private ApiRequest request(String reply, String type, byte[] body) {
    return new ApiRequest(link, rocks, reply, type, body);
  }

  private Stream stream(String name) {
    Stream s = streams.apply(name);
    if (s == null) {
      throw JsError.STREAM_NOT_FOUND.exception();
    }
    return s;
  }

  private Consumer find(String stream, String name) {
    Consumer c = stream(stream).consumers().get(name);
    if (c == null) {
      throw new JsError(404, 10014, "consumer not found").exception();
    }
    return c;
  }

  // ------------------------------------------------------------------ create

  private enum Kind { LEGACY_EPHEMERAL, LEGACY_DURABLE, NEW }

  private void create(ApiRequest req, String streamName, String subjectName, String subjectFilter, Kind kind) {
    JsonObject body = req.json();
    JsonObject cfgJson;
    String requestStream;
    String action;
    try {
      cfgJson = body.getJsonObject("config", new JsonObject());
      requestStream = body.getString("stream_name", "");
      action = body.getString("action", "");
    } catch (ClassCastException e) {
      throw JsError.INVALID_JSON.exception();
    }
    ConsumerConfig requested = ConsumerConfig.fromJson(cfgJson);
    if (!streamName.equals(requestStream)) {
      throw JsError.STREAM_MISMATCH.exception();
    }
    if (!subjectName.isEmpty() && (subjectName.contains("/") || subjectName.contains("\\"))) {
      throw new JsError(400, 10127, "Consumer name can not contain path separators").exception();
    }
    switch (kind) {
      case LEGACY_DURABLE -> {
        if (requested.durableName().isEmpty()) {
          throw new JsError(400, 10018, "consumer expected to be durable but a durable name was not set").exception();
        }
        if (!subjectName.equals(requested.durableName())) {
          throw durableMismatch();
        }
      }
      case NEW -> {
        if (!requested.durableName().isEmpty() && !subjectName.equals(requested.durableName())) {
          throw durableMismatch();
        }
        requested = requested.withName(subjectName);
      }
      default -> {
        if (!requested.durableName().isEmpty()) {
          throw new JsError(400, 10020, "consumer expected to be ephemeral but a durable name was set in request")
              .exception();
        }
      }
    }
    if (!subjectFilter.isEmpty() && !requested.filterSubject().equals(subjectFilter)) {
      throw new JsError(400, 10131, "Consumer create request did not match filtered subject from create subject")
          .exception();
    }
    if (requested.numReplicas > 1) {
      throw JsError.REPLICAS_NOT_SUPPORTED.exception();
    }
    Stream stream = stream(streamName);
    ConsumerConfig cfg = requested.withDefaults();
    cfg.validate(stream.config());
    String name = cfg.isDurable() ? cfg.durableName() : cfg.name();
    Consumer existing = name.isEmpty() ? null : stream.consumers().get(name);
    if (action.equals("create") && existing != null && !existing.config().equals(cfg)) {
      throw new JsError(400, 10148, "consumer already exists").exception();
    }
    if (action.equals("update") && existing == null) {
      throw new JsError(400, 10149, "consumer does not exist").exception();
    }
    if (existing != null) {
      existing.config().checkUpdate(cfg, existing.pushBound());
      if (!existing.config().equals(cfg)) {
        existing.update(cfg);
        if (persisted.contains(existing)) {
          rocks.saveConsumerConfig(stream.id(), name, record(existing));
        }
      }
      req.send(existing.info(req.response()));
      return;
    }
    long max = stream.config().maxConsumers();
    if (max > 0 && stream.consumers().size() >= max) {
      throw new JsError(400, 10026, "maximum consumers limit reached").exception();
    }
    if (stream.config().retention() == StreamConfig.Retention.WORKQUEUE) {
      checkWorkQueue(stream, cfg);
    }
    if (cfg.isDurable()) {
      ConsumerConfig.checkName(name);
    } else if (name.isEmpty()) {
      do {
        name = randomName();
      } while (stream.consumers().containsKey(name));
      cfg = cfg.withName(name);
    } else {
      ConsumerConfig.checkName(name);
    }
    Consumer c = new Consumer(stream, name, cfg, Rfc3339.nowNanos(), this);
    c.selectStart();
    stream.consumers().put(name, c);
    if (cfg.isDurable() && stream.config().storage() == StreamConfig.Storage.FILE && !cfg.memStorage) {
      persisted.add(c);
      rocks.saveConsumerConfig(stream.id(), name, record(c));
      stateChanged(c);
    }
    req.send(c.info(req.response()));
    // deliveries start once the client has the response (and the consumer is durable)
    afterCommit(() -> schedulePump(c));
  }

  private static JsException durableMismatch() {
    return new JsError(400, 10017, "consumer name in subject does not match durable name in request").exception();
  }

  private static void checkWorkQueue(Stream stream, ConsumerConfig cfg) {
    if (cfg.ackPolicy() != ConsumerConfig.AckPolicy.EXPLICIT) {
      throw new JsError(400, 10098, "workqueue stream requires explicit ack").exception();
    }
    if (!stream.consumers().isEmpty()) {
      if (cfg.filters().isEmpty()) {
        throw new JsError(400, 10099, "multiple non-filtered consumers not allowed on workqueue stream").exception();
      }
      for (Consumer other : stream.consumers().values()) {
        List<String> theirs = other.config().filters();
        boolean overlap = theirs.isEmpty();
        for (String mine : cfg.filters()) {
          for (String t : theirs) {
            overlap |= SubjectOverlap.overlaps(mine, t);
          }
        }
        if (overlap) {
          throw new JsError(400, 10100, "filtered consumer not unique on workqueue stream").exception();
        }
      }
    }
    if (cfg.deliverPolicy() != ConsumerConfig.DeliverPolicy.ALL) {
      throw new JsError(400, 10101, "consumer must be deliver all on workqueue stream").exception();
    }
  }

  private String randomName() {
    StringBuilder sb = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return sb.toString();
  }

  private static String record(Consumer c) {
    return new JsonObject().put("name", c.name()).put("created", c.created()).put("config", c.config().toJson())
        .encode();
  }

  // ------------------------------------------------------------------ names, delete

  private void names(ApiRequest req, String streamName, boolean list) {
    JsonObject body = req.optionalJson();
    int offset;
    try {
      offset = body.getInteger("offset", 0);
    } catch (ClassCastException e) {
      throw JsError.INVALID_JSON.exception();
    }
    Stream stream = stream(streamName);
    List<Consumer> all = new ArrayList<>(stream.consumers().values());
    int limit = list ? LIST_LIMIT : NAMES_LIMIT;
    JsonArray out = new JsonArray();
    for (int i = Math.max(0, offset); i < all.size() && out.size() < limit; i++) {
      Consumer c = all.get(i);
      out.add(list ? c.info(new JsonObject()) : c.name());
    }
    req.send(req.response().put("total", all.size()).put("offset", offset).put("limit", limit)
        .put("consumers", out));
  }

  /** Deletes a consumer: its waiting requests hear so, its record goes, an interest stream forgets what only it needed. */
  void remove(Consumer c) {
    c.close();
    Stream s = c.stream();
    s.consumers().remove(c.name());
    if (persisted.remove(c)) {
      rocks.deleteConsumer(s.id(), c.name());
    }
    toPump.remove(c);
    s.dropUnneeded();
  }

  /** The stream is being deleted: so are its consumers. */
  void streamDeleted(Stream s) {
    for (Consumer c : new ArrayList<>(s.consumers().values())) {
      c.close();
      if (persisted.remove(c)) {
        rocks.deleteConsumer(s.id(), c.name());
      }
      toPump.remove(c);
    }
    s.consumers().clear();
  }

  // ------------------------------------------------------------------ messages

  private void nextRequest(String streamName, String consumerName, String reply, byte[] body) {
    if (reply == null) {
      return;
    }
    Stream s = streams.apply(streamName);
    Consumer c = s == null ? null : s.consumers().get(consumerName);
    if (c == null) {
      return; // nats-server's API subscription swallows requests for consumers it does not have
    }
    c.onNextRequest(reply, body);
  }

  private Consumer consumerOf(AckReply a) {
    Stream s = streams.apply(a.stream());
    return s == null ? null : s.consumers().get(a.consumer());
  }

  private void onAck(RouterLink.Message m) {
    AckReply a = AckReply.parse(m.subject());
    if (a == null) {
      return;
    }
    Consumer c = consumerOf(a);
    if (c != null) {
      c.onAck(a, m.payload(), m.reply());
    }
  }

  private void onFlowControl(RouterLink.Message m) {
    String[] t = m.subject().split("\\.");
    if (t.length != 5) {
      return;
    }
    Stream s = streams.apply(t[2]);
    Consumer c = s == null ? null : s.consumers().get(t[3]);
    if (c != null) {
      c.onFlowControl(m.subject());
    }
  }

  private void onBounce(String reply) {
    if (reply.startsWith(AckReply.PREFIX)) {
      AckReply a = AckReply.parse(reply);
      Consumer c = a == null ? null : consumerOf(a);
      if (c != null) {
        c.onBounce(a);
      }
    } else if (reply.startsWith("$JS.FC.")) {
      String[] t = reply.split("\\.");
      if (t.length == 5) {
        Stream s = streams.apply(t[2]);
        Consumer c = s == null ? null : s.consumers().get(t[3]);
        if (c != null) {
          c.onFlowControlBounce();
        }
      }
    }
  }

  /** Applies timers to every consumer of {@code all}; deletes those that expired. */
  void tick(Iterable<Stream> all) {
    if (stopped) {
      return;
    }
    long now = Rfc3339.nowNanos();
    boolean poll = now - lastInterestPoll >= INTEREST_POLL_NANOS;
    if (poll) {
      lastInterestPoll = now;
    }
    for (Stream s : all) {
      for (Consumer c : s.consumers().values()) {
        c.tick(now);
        if (poll) {
          pollInterest(c);
        }
      }
    }
    if (!expired.isEmpty()) {
      List<Consumer> gone = new ArrayList<>(expired);
      expired.clear();
      for (Consumer c : gone) {
        if (!c.isClosed()) {
          remove(c);
        }
      }
    }
  }

  /** Asks the routers whether a push consumer's deliver subject is listened to. */
  private void pollInterest(Consumer c) {
    if (c.isClosed() || !c.config().isPush()) {
      return;
    }
    link.hasInterest(c.config().deliverSubject()).onSuccess(c::onInterest);
  }

  /** How many consumers there are in {@code all}. */
  static int count(Iterable<Stream> all) {
    int n = 0;
    for (Stream s : all) {
      n += s.consumers().size();
    }
    return n;
  }

  // ------------------------------------------------------------------ ConsumerHost

  @Override
  public void deliver(String subject, String shownSubject, String reply, byte[] headers, byte[] payload) {
    link.publishReportingBounce(subject, shownSubject, reply, headers, payload);
  }

  @Override
  public void publish(String subject, String reply, byte[] headers, byte[] payload) {
    link.publish(subject, reply, headers, payload);
  }

  @Override
  public void afterCommit(Runnable action) {
    rocks.afterCommit(action);
  }

  @Override
  public void schedulePump(Consumer consumer) {
    if (stopped) {
      return;
    }
    toPump.add(consumer);
    if (!pumpScheduled) {
      pumpScheduled = true;
      Context ctx = Vertx.currentContext();
      if (ctx == null) {
        pumpAll();
      } else {
        ctx.runOnContext(v -> pumpAll());
      }
    }
  }

  /** The service is stopping: nothing more is delivered (the store is about to close). */
  void stop() {
    stopped = true;
    toPump.clear();
  }

  private void pumpAll() {
    pumpScheduled = false;
    if (stopped) {
      return;
    }
    List<Consumer> now = new ArrayList<>(toPump);
    toPump.clear();
    for (Consumer c : now) {
      c.pump();
    }
  }

  @Override
  public void stateChanged(Consumer consumer) {
    if (persisted.contains(consumer)) {
      rocks.consumerStateChanged(consumer.stream().id(), consumer.name(), consumer::encodeState);
    }
  }

  @Override
  public void expired(Consumer consumer) {
    expired.add(consumer);
  }
}
