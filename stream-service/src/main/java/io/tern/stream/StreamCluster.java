package io.tern.stream;

import io.tern.common.bus.Addresses;
import io.tern.common.bus.ForwardedApiRequest;
import io.tern.common.bus.RouterLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several stream-service processes in one cluster. Each stream lives on one of them; two
 * cluster-wide maps (Hazelcast through Vert.x's {@code AsyncMap}) say where:
 * <ul>
 *   <li>{@code tern.js.placement}: {@code <account>\0<stream>} → {@code {"node","subjects"}}, the
 *       owning stream-service node id and the stream's subjects (for the cross-node overlap check);</li>
 *   <li>{@code tern.js.nodes}: stream-service node id → {@code {"member","links","streams"}}, its
 *       cluster member (alive while the cluster manager lists it), its router links and stream count.</li>
 * </ul>
 * Every stream service takes {@code $JS.API.>} in one queue group; a request about a stream owned
 * elsewhere is passed to the owner as a {@link ForwardedApiRequest} (the owner answers the client
 * through the routers), a new stream goes to the node with the fewest streams, and STREAM.NAMES/LIST
 * and INFO are gathered from every node. A request whose owner is gone gets 503/10008. When a node
 * dies, the survivors remove its subscriptions at the routers ({@link RouterLink#closeDeparted}), so
 * the API queue group and the dead node's stream subjects stop routing to it.
 */
final class StreamCluster implements ApiFront {

  private static final Logger LOG = LoggerFactory.getLogger(StreamCluster.class);
  private static final String PLACEMENT_MAP = "tern.js.placement";
  private static final String NODES_MAP = "tern.js.nodes";
  /** What a request about a stream whose owner cannot be reached gets (nats-server's text). */
  static final JsError UNAVAILABLE = new JsError(503, 10008, "JetStream system temporarily unavailable");
  private static final long FORWARD_TIMEOUT_MS = 3000;
  private static final long GATHER_TIMEOUT_MS = 2000;
  private static final long TICK_MS = 1000;
  private static final int NAMES_LIMIT = 1024;
  private static final int LIST_LIMIT = 256;

  private final Vertx vertx;
  private final String nodeId;
  private final int partitions;
  private final Function<String, StreamService> services;
  private final Supplier<Collection<StreamService>> allServices;
  private final Supplier<List<String>> linkIds;
  private AsyncMap<String, String> placement;
  private AsyncMap<String, String> nodes;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Set<String> departed = new HashSet<>();
  private long timer = -1;

  /**
   * @param nodeId      this stream service's node id (unique per process start)
   * @param services    this process's service of an account (null when it has none)
   * @param allServices every service of this process
   * @param linkIds     the node ids of every router link of this process (removed at the routers if it dies)
   */
  StreamCluster(Vertx vertx, String nodeId, int partitions, Function<String, StreamService> services,
                Supplier<Collection<StreamService>> allServices, Supplier<List<String>> linkIds) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.partitions = partitions;
    this.services = services;
    this.allServices = allServices;
    this.linkIds = linkIds;
  }

  /** Opens the maps, takes forwarded requests and queries, registers this node and its recovered streams. */
  Future<Void> start() {
    var bus = vertx.eventBus();
    MessageConsumer<ForwardedApiRequest> forwarded = bus.consumer(Addresses.streamNode(nodeId));
    forwarded.handler(this::onForwarded);
    MessageConsumer<JsonObject> queries = bus.consumer(Addresses.streamNodeQuery(nodeId));
    queries.handler(this::onQuery);
    consumers.add(forwarded);
    consumers.add(queries);
    return vertx.sharedData().<String, String>getAsyncMap(PLACEMENT_MAP)
        .compose(m -> {
          placement = m;
          return vertx.sharedData().<String, String>getAsyncMap(NODES_MAP);
        })
        .compose(m -> {
          nodes = m;
          return Future.all(forwarded.completion(), queries.completion());
        })
        .compose(v -> heartbeat())
        .compose(v -> {
          List<Future<Void>> puts = new ArrayList<>();
          for (StreamService svc : allServices.get()) {
            puts.add(register(svc));
          }
          timer = vertx.setPeriodic(TICK_MS, t -> tick());
          return Future.all(puts).mapEmpty();
        });
  }

  /** Records {@code svc}'s streams as this node's (recovered ones, or an account started later). */
  Future<Void> register(StreamService svc) {
    List<Future<Void>> puts = new ArrayList<>();
    for (Stream s : svc.allStreams()) {
      puts.add(placement.put(key(s.account(), s.name()), record(s.config().subjects())));
    }
    return Future.all(puts).mapEmpty();
  }

  /** Leaves the cluster's stream services: this node's streams answer 10008 until it is back. */
  Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    if (nodes != null) {
      done.add(nodes.remove(nodeId).mapEmpty());
    }
    return Future.join(done).mapEmpty();
  }

  // ------------------------------------------------------------------ membership

  private Future<Void> heartbeat() {
    int streams = 0;
    for (StreamService svc : allServices.get()) {
      streams += svc.allStreams().size();
    }
    JsonObject me = new JsonObject().put("member", memberId()).put("links", new JsonArray(linkIds.get()))
        .put("streams", streams);
    return nodes.put(nodeId, me.encode());
  }

  /** Refreshes this node's record and cleans up after stream-service nodes whose process is gone. */
  private void tick() {
    heartbeat().onFailure(e -> LOG.debug("stream node record not refreshed: {}", e.getMessage()));
    nodes.entries().onSuccess(all -> {
      Set<String> members = members();
      for (Map.Entry<String, String> e : all.entrySet()) {
        if (e.getKey().equals(nodeId)) {
          continue;
        }
        JsonObject rec = new JsonObject(e.getValue());
        if (!members.contains(rec.getString("member")) && departed.add(e.getKey())) {
          LOG.info("stream service {} left the cluster: its streams are unavailable until it returns", e.getKey());
          for (Object link : rec.getJsonArray("links", new JsonArray())) {
            RouterLink.closeDeparted(vertx, (String) link, partitions);
          }
          nodes.remove(e.getKey());
        }
      }
    });
  }

  private String memberId() {
    var manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? "local" : manager.getNodeId();
  }

  /** The cluster's members; without a cluster manager (one process) just this one. */
  private Set<String> members() {
    var manager = ((VertxInternal) vertx).clusterManager();
    return manager == null ? Set.of("local") : new HashSet<>(manager.getNodes());
  }

  /** The stream-service nodes alive now, by node id. */
  private Future<Set<String>> liveNodes() {
    return nodes.entries().map(all -> {
      Set<String> members = members();
      Set<String> live = new HashSet<>();
      all.forEach((id, rec) -> {
        if (members.contains(new JsonObject(rec).getString("member"))) {
          live.add(id);
        }
      });
      live.add(nodeId);
      return live;
    });
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  // ------------------------------------------------------------------ placement records

  static String key(String account, String stream) {
    return account + '\u0000' + stream;
  }

  private String record(List<String> subjects) {
    return new JsonObject().put("node", nodeId).put("subjects", new JsonArray(subjects)).encode();
  }

  @Override
  public void placed(String account, String name, List<String> subjects) {
    placement.put(key(account, name), record(subjects))
        .onFailure(e -> LOG.warn("placement of stream {} not recorded: {}", name, e.getMessage()));
  }

  @Override
  public void removed(String account, String name) {
    forgetIfMine(account, name);
  }

  private void forgetIfMine(String account, String name) {
    String k = key(account, name);
    placement.get(k).onSuccess(rec -> {
      if (rec != null && nodeId.equals(new JsonObject(rec).getString("node"))) {
        placement.removeIfPresent(k, rec);
      }
    });
  }

  // ------------------------------------------------------------------ requests

  @Override
  public void onApi(StreamService svc, RouterLink.Message m) {
    if (m.reply() == null) {
      return;
    }
    ApiSubjects.Kind kind = ApiSubjects.kind(m.subject());
    String name = ApiSubjects.stream(m.subject());
    switch (kind) {
      case GATHER -> gather(svc, m);
      case LOCAL -> svc.onApi(m);
      case STREAM, CREATE -> {
        if (svc.hasStream(name) || svc.isRestoring(name)) {
          if (isSubjectChange(m)) {
            checkOverlapThen(svc, m, name, () -> svc.onApi(m));
          } else {
            svc.onApi(m);
          }
          return;
        }
        placement.get(key(svc.account(), name)).onComplete(ar -> {
          if (ar.failed()) {
            svc.refuse(m, UNAVAILABLE);
            return;
          }
          String rec = ar.result();
          if (rec != null) {
            String owner = new JsonObject(rec).getString("node");
            if (isSubjectChange(m)) {
              checkOverlapThen(svc, m, name, () -> sendTo(owner, svc, m));
            } else {
              sendTo(owner, svc, m);
            }
          } else if (kind == ApiSubjects.Kind.CREATE) {
            checkOverlapThen(svc, m, name, () -> place(svc, m, name));
          } else {
            svc.onApi(m); // nobody has it: "stream not found" and the like, answered here
          }
        });
      }
      default -> svc.onApi(m);
    }
  }

  /** A STREAM.UPDATE may change the stream's subjects: checked against other nodes' streams first. */
  private static boolean isSubjectChange(RouterLink.Message m) {
    return m.subject().startsWith("$JS.API.STREAM.UPDATE.");
  }

  /** The subjects a create/update/restore body asks for, or null when the owner should judge the body. */
  private static List<String> requestedSubjects(RouterLink.Message m, String name) {
    try {
      JsonObject body = new JsonObject(new String(m.payload() == null ? new byte[0] : m.payload(),
          StandardCharsets.UTF_8));
      JsonObject cfg = m.subject().startsWith("$JS.API.STREAM.RESTORE.") ? body.getJsonObject("config") : body;
      if (cfg == null) {
        return null;
      }
      List<String> subjects = new ArrayList<>();
      JsonArray subs = cfg.getJsonArray("subjects");
      if (subs != null) {
        subs.forEach(o -> subjects.add(String.valueOf(o)));
      }
      if (subjects.isEmpty()) {
        subjects.add(name); // nats-server's default: the stream's name
      }
      return subjects;
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /** Refuses with 10065 when the requested subjects overlap a stream of the account on another node. */
  private void checkOverlapThen(StreamService svc, RouterLink.Message m, String name, Runnable next) {
    List<String> wanted = requestedSubjects(m, name);
    if (wanted == null) {
      next.run();
      return;
    }
    String prefix = key(svc.account(), "");
    placement.entries().onComplete(ar -> {
      if (ar.failed()) {
        svc.refuse(m, UNAVAILABLE);
        return;
      }
      for (Map.Entry<String, String> e : ar.result().entrySet()) {
        if (!e.getKey().startsWith(prefix) || e.getKey().equals(key(svc.account(), name))) {
          continue;
        }
        JsonObject rec = new JsonObject(e.getValue());
        for (Object theirs : rec.getJsonArray("subjects", new JsonArray())) {
          for (String mine : wanted) {
            if (SubjectOverlap.overlaps(mine, String.valueOf(theirs))) {
              svc.refuse(m, JsError.SUBJECT_OVERLAP);
              return;
            }
          }
        }
      }
      next.run();
    });
  }

  /** A new stream: recorded on the live node with the fewest streams (first come wins), then created there. */
  private void place(StreamService svc, RouterLink.Message m, String name) {
    Future.all(liveNodes(), placement.entries()).onComplete(ar -> {
      if (ar.failed()) {
        svc.refuse(m, UNAVAILABLE);
        return;
      }
      Set<String> live = ar.result().resultAt(0);
      Map<String, String> all = ar.result().resultAt(1);
      String target = leastLoaded(live, all.values(), nodeId);
      String rec = new JsonObject().put("node", target)
          .put("subjects", new JsonArray(requestedSubjectsOrName(m, name))).encode();
      placement.putIfAbsent(key(svc.account(), name), rec).onComplete(put -> {
        if (put.failed()) {
          svc.refuse(m, UNAVAILABLE);
          return;
        }
        String owner = put.result() == null ? target : new JsonObject(put.result()).getString("node");
        sendTo(owner, svc, m);
      });
    });
  }

  /**
   * The live node holding the fewest placed streams (all accounts; ties go to the smaller node id),
   * {@code self} when it is the only one.
   */
  static String leastLoaded(Set<String> live, Collection<String> records, String self) {
    Map<String, Integer> load = new HashMap<>();
    live.forEach(n -> load.put(n, 0));
    load.put(self, 0);
    for (String rec : records) {
      load.computeIfPresent(new JsonObject(rec).getString("node"), (n, c) -> c + 1);
    }
    String chosen = self;
    for (Map.Entry<String, Integer> e : load.entrySet()) {
      int best = load.get(chosen);
      if (e.getValue() < best || (e.getValue() == best && e.getKey().compareTo(chosen) < 0)) {
        chosen = e.getKey();
      }
    }
    return chosen;
  }

  private static List<String> requestedSubjectsOrName(RouterLink.Message m, String name) {
    List<String> s = requestedSubjects(m, name);
    return s == null ? List.of(name) : s;
  }

  /** Handles {@code m} here when {@code owner} is this node, else passes it to the owner. */
  private void sendTo(String owner, StreamService svc, RouterLink.Message m) {
    if (owner == null || owner.equals(nodeId)) {
      handleHere(svc, m);
      return;
    }
    ForwardedApiRequest f = new ForwardedApiRequest(svc.account(), m.subject(), m.reply(), m.headers(),
        m.payload() == null ? new byte[0] : m.payload());
    vertx.eventBus().request(Addresses.streamNode(owner), f, new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS))
        .onFailure(e -> svc.refuse(m, UNAVAILABLE));
  }

  /** Answers here a request about a stream this node owns (or was just chosen to own). */
  private void handleHere(StreamService svc, RouterLink.Message m) {
    String name = ApiSubjects.stream(m.subject());
    svc.onApi(m);
    if (ApiSubjects.kind(m.subject()) == ApiSubjects.Kind.CREATE && name != null
        && !svc.hasStream(name) && !svc.isRestoring(name)) {
      forgetIfMine(svc.account(), name); // refused: the name is free again
    }
  }

  private void onForwarded(Message<ForwardedApiRequest> msg) {
    ForwardedApiRequest f = msg.body();
    StreamService svc = services.apply(f.account());
    if (svc == null) {
      msg.fail(404, "no JetStream for account " + f.account() + " here");
      return;
    }
    msg.reply(Boolean.TRUE);
    handleHere(svc, new RouterLink.Message(0, f.subject(), f.reply(), f.headers(), f.payload()));
  }

  // ------------------------------------------------------------------ gathered answers

  private void onQuery(Message<JsonObject> msg) {
    JsonObject q = msg.body();
    StreamService svc = services.apply(q.getString("account"));
    msg.reply(local(svc, q.getString("kind"), q.getString("subject")));
  }

  private static JsonObject local(StreamService svc, String kind, String subject) {
    if (svc == null) {
      return new JsonObject();
    }
    return kind.equals("info") ? svc.localUsage()
        : new JsonObject().put("streams", svc.localStreams(kind.equals("list"), subject));
  }

  /** STREAM.NAMES, STREAM.LIST and INFO: every live node's part, then paged or summed here. */
  private void gather(StreamService svc, RouterLink.Message m) {
    String api = m.subject().substring("$JS.API.".length());
    String kind = api.equals("INFO") ? "info" : api.equals("STREAM.LIST") ? "list" : "names";
    ApiRequest req = svc.request(m.reply(), kind.equals("info") ? "account_info"
        : kind.equals("list") ? "stream_list" : "stream_names", m.payload() == null ? new byte[0] : m.payload());
    JsonObject body;
    try {
      body = kind.equals("info") ? new JsonObject() : req.optionalJson();
    } catch (JsException e) {
      svc.refuse(m, e.error());
      return;
    }
    svc.countApi(false);
    String subject = body.getString("subject");
    Future.all(liveNodes(), placement.entries()).onComplete(ar -> {
      Set<String> live = ar.succeeded() ? ar.result().resultAt(0) : Set.of(nodeId);
      Map<String, String> placed = ar.succeeded() ? ar.result().resultAt(1) : Map.of();
      List<String> asked = new ArrayList<>(live);
      List<Future<JsonObject>> parts = new ArrayList<>();
      JsonObject q = new JsonObject().put("account", svc.account()).put("kind", kind).put("subject", subject);
      for (String n : asked) {
        parts.add(n.equals(nodeId) ? Future.succeededFuture(local(svc, kind, subject))
            : vertx.eventBus().<JsonObject>request(Addresses.streamNodeQuery(n), q,
                new DeliveryOptions().setSendTimeout(GATHER_TIMEOUT_MS)).map(Message::body));
      }
      Future.join(parts).onComplete(done -> {
        List<JsonObject> answers = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < parts.size(); i++) {
          Future<JsonObject> f = parts.get(i);
          if (f.succeeded() && f.result() != null) {
            answers.add(f.result());
            answered.add(asked.get(i));
          }
        }
        List<String> offline = offline(svc.account(), placed, answered, subject);
        req.send(kind.equals("info") ? accountInfo(req, svc, answers, offline.size())
            : page(req, body, answers, offline, kind.equals("list")));
      });
    });
  }

  /**
   * The account's streams placed on nodes that did not answer (matching {@code subject} when given):
   * as nats-server, NAMES still lists them, LIST reports them as {@code missing}, INFO counts them.
   */
  static List<String> offline(String account, Map<String, String> placed, Set<String> answered,
                                      String subject) {
    String prefix = key(account, "");
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : placed.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      JsonObject rec = new JsonObject(e.getValue());
      if (answered.contains(rec.getString("node"))) {
        continue;
      }
      boolean matches = subject == null || subject.isEmpty();
      for (Object s : rec.getJsonArray("subjects", new JsonArray())) {
        matches |= SubjectOverlap.overlaps(String.valueOf(s), subject == null ? "" : subject);
      }
      if (matches) {
        out.add(e.getKey().substring(prefix.length()));
      }
    }
    out.sort(String::compareTo);
    return out;
  }

  private static JsonObject accountInfo(ApiRequest req, StreamService svc, List<JsonObject> answers, int offline) {
    long memory = 0;
    long storage = 0;
    long streams = offline;
    long consumers = 0;
    long total = 0;
    long errors = 0;
    for (JsonObject a : answers) {
      memory += a.getLong("memory", 0L);
      storage += a.getLong("storage", 0L);
      streams += a.getLong("streams", 0L);
      consumers += a.getLong("consumers", 0L);
      total += a.getLong("api_total", 0L);
      errors += a.getLong("api_errors", 0L);
    }
    // As a single server, the API total does not count the INFO request being answered.
    return req.response().put("memory", memory).put("storage", storage).put("streams", streams)
        .put("consumers", consumers).put("limits", svc.limitsJson())
        .put("api", new JsonObject().put("total", Math.max(0, total - 1)).put("errors", errors));
  }

  static JsonObject page(ApiRequest req, JsonObject body, List<JsonObject> answers, List<String> offline,
                                 boolean list) {
    List<Object> all = new ArrayList<>();
    for (JsonObject a : answers) {
      a.getJsonArray("streams", new JsonArray()).forEach(all::add);
    }
    if (!list) {
      all.addAll(offline);
    }
    all.sort((x, y) -> nameOf(x).compareTo(nameOf(y)));
    int offset = body.getInteger("offset", 0);
    int limit = list ? LIST_LIMIT : NAMES_LIMIT;
    JsonArray out = new JsonArray();
    for (int i = Math.max(0, offset); i < all.size() && out.size() < limit; i++) {
      out.add(all.get(i));
    }
    JsonObject r = req.response().put("total", all.size() + (list ? offline.size() : 0)).put("offset", offset)
        .put("limit", limit).put("streams", out);
    if (list && !offline.isEmpty()) {
      r.put("missing", new JsonArray(offline));
    }
    return r;
  }

  private static String nameOf(Object entry) {
    return entry instanceof JsonObject info ? info.getJsonObject("config").getString("name", "") : String.valueOf(entry);
  }
}
