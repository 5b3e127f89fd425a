package io.tern.gateway.monitor;

import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.ConnectionSnapshot.SubscriptionSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /connz}: nats-server's query parameters ({@code sort}, {@code subs}, {@code offset},
 * {@code limit}, {@code cid}, {@code state}, {@code auth}, {@code user}, {@code acc}) and its JSON.
 */
final class Connz {
  static final int DEFAULT_LIMIT = 1024;

  private static final Map<String, Comparator<ConnectionSnapshot>> SORTS = Map.ofEntries(
      Map.entry("cid", Comparator.comparingLong(ConnectionSnapshot::cid)),
      Map.entry("start", Comparator.comparing(ConnectionSnapshot::start)),
      Map.entry("subs", Comparator.comparingInt((ConnectionSnapshot c) -> c.subscriptions().size()).reversed()),
      Map.entry("pending", Comparator.comparingLong(ConnectionSnapshot::pendingBytes).reversed()),
      Map.entry("msgs_to", Comparator.comparingLong(ConnectionSnapshot::outMsgs).reversed()),
      Map.entry("msgs_from", Comparator.comparingLong(ConnectionSnapshot::inMsgs).reversed()),
      Map.entry("bytes_to", Comparator.comparingLong(ConnectionSnapshot::outBytes).reversed()),
      Map.entry("bytes_from", Comparator.comparingLong(ConnectionSnapshot::inBytes).reversed()),
      Map.entry("last", Comparator.comparing(ConnectionSnapshot::lastActivity).reversed()),
      Map.entry("idle", Comparator.comparing(ConnectionSnapshot::lastActivity)),
      Map.entry("uptime", Comparator.comparing(ConnectionSnapshot::start)),
      Map.entry("stop", Comparator.comparing(ConnectionSnapshot::stop).reversed()),
      Map.entry("reason", Comparator.comparing(ConnectionSnapshot::reason)),
      Map.entry("rtt", Comparator.comparingLong(ConnectionSnapshot::cid)));

  private Connz() {
  }

  /** Checks the query before any connection is gathered. */
  static void validate(Query q) {
    String state = state(q);
    String sort = q.string("sort");
    if (sort != null) {
      if (!SORTS.containsKey(sort)) {
        throw new BadRequest("invalid sorting option: " + sort);
      }
      if ((sort.equals("stop") || sort.equals("reason")) && !state.equals("closed")) {
        throw new BadRequest("sort by " + sort + " only valid on closed connections");
      }
    }
    q.integer("offset", 0);
    q.integer("limit", DEFAULT_LIMIT);
    q.unsigned("cid");
    subs(q);
    q.bool("auth");
  }

  static String state(Query q) {
    String s = q.string("state");
    if (s == null || s.equals("open")) {
      return "open";
    }
    return switch (s) {
      case "closed" -> "closed";
      case "any", "all" -> "all";
      default -> throw new BadRequest("Error decoding state for " + s);
    };
  }

  /** 0: no subscriptions, 1: subjects, 2: details. */
  private static int subs(Query q) {
    String v = q.string("subs");
    if ("detail".equals(v)) {
      return 2;
    }
    return q.bool("subs") ? 1 : 0;
  }

  static JsonObject build(String serverId, Query q, List<ConnectionSnapshot> open, List<ConnectionSnapshot> closed) {
    String state = state(q);
    int subs = subs(q);
    boolean auth = q.bool("auth");
    String user = q.string("user");
    String acc = q.string("acc");
    String mqttClient = q.string("mqtt_client");
    long cid = q.unsigned("cid");
    int offset = Math.max(0, q.integer("offset", 0));
    int limit = q.integer("limit", DEFAULT_LIMIT);
    if (limit <= 0) {
      limit = DEFAULT_LIMIT;
    }
    List<ConnectionSnapshot> all = new ArrayList<>();
    if (!state.equals("closed")) {
      all.addAll(open);
    }
    if (!state.equals("open")) {
      all.addAll(closed);
    }
    all.removeIf(c -> (user != null && !user.equals(c.user())) || (acc != null && !acc.equals(c.account()))
        || (cid != 0 && c.cid() != cid) || (mqttClient != null && !mqttClient.equals(c.mqttClient())));
    String sort = q.string("sort");
    all.sort(SORTS.get(sort == null ? "cid" : sort));
    if (cid != 0) {
      limit = 1;
    }
    Instant now = Instant.now();
    JsonArray list = new JsonArray();
    for (int i = offset; i < all.size() && list.size() < limit; i++) {
      list.add(connection(all.get(i), now, subs, auth));
    }
    return new JsonObject()
        .put("server_id", serverId)
        .put("now", Json.time(now))
        .put("num_connections", list.size())
        .put("total", all.size())
        .put("offset", offset)
        .put("limit", limit)
        .put("connections", list);
  }

  private static JsonObject connection(ConnectionSnapshot c, Instant now, int subs, boolean auth) {
    Instant end = c.isClosed() ? c.stop() : now;
    JsonObject j = new JsonObject()
        .put("cid", c.cid())
        .put("kind", "Client")
        .put("type", c.type())
        .put("ip", c.ip())
        .put("port", c.port())
        .put("start", Json.time(c.start()))
        .put("last_activity", Json.time(c.lastActivity()));
    if (c.isClosed()) {
      j.put("stop", Json.time(c.stop())).put("reason", c.reason());
    }
    j.put("rtt", Json.rtt(c.rttNanos()))
        .put("uptime", Json.uptime(Duration.between(c.start(), end)))
        .put("idle", Json.uptime(Duration.between(c.lastActivity(), end)))
        .put("pending_bytes", c.pendingBytes())
        .put("in_msgs", c.inMsgs())
        .put("out_msgs", c.outMsgs())
        .put("in_bytes", c.inBytes())
        .put("out_bytes", c.outBytes())
        .put("subscriptions", c.subscriptions().size());
    putIfSet(j, "name", c.name());
    putIfSet(j, "lang", c.lang());
    putIfSet(j, "version", c.version());
    putIfSet(j, "mqtt_client", c.mqttClient());
    if (auth && c.user() != null) {
      j.put("authorized_user", c.user()).put("account", c.account());
      if (c.jwt() != null) {
        // As nats-server: the user JWT, who issued it and its name.
        JsonObject claims = jwtClaims(c.jwt());
        j.put("jwt", c.jwt());
        putIfSet(j, "issuer_key", claims.getString("iss"));
        putIfSet(j, "name_tag", claims.getString("name"));
      }
    }
    if (!c.subscriptions().isEmpty()) {
      // As nats-server: subjects for subs=1; details for subs=detail, and for closed ones with subs=1 too.
      if (subs == 1) {
        JsonArray subjects = new JsonArray();
        c.subscriptions().forEach(s -> subjects.add(s.subject()));
        j.put("subscriptions_list", subjects);
      }
      if (subs == 2 || (subs == 1 && c.isClosed())) {
        JsonArray details = new JsonArray();
        for (SubscriptionSnapshot s : c.subscriptions()) {
          // nats-server leaves the account out of an open connection's details.
          details.add(Subsz.subscription(s, c.isClosed()));
        }
        j.put("subscriptions_list_detail", details);
      }
    }
    return j;
  }

  private static JsonObject jwtClaims(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
          java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static void putIfSet(JsonObject j, String key, String value) {
    if (value != null && !value.isEmpty()) {
      j.put(key, value);
    }
  }
}
