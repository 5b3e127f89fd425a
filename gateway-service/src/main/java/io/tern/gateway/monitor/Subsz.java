package io.tern.gateway.monitor;

import io.tern.common.subject.Subjects;
import io.tern.gateway.ConnectionSnapshot;
import io.tern.gateway.ConnectionSnapshot.SubscriptionSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /subsz}: the routers' subject-trie statistics, summed over the partitions, and with
 * {@code subs=1} the subscriptions themselves ({@code offset}, {@code limit}, {@code test}).
 */
final class Subsz {
  private Subsz() {
  }

  static void validate(Query q) {
    q.bool("subs");
    q.integer("offset", 0);
    q.integer("limit", Connz.DEFAULT_LIMIT);
    String test = q.string("test");
    if (test != null && !Subjects.isValidLiteralSubject(test)) {
      throw new BadRequest("invalid test subject, must be valid publish subject: " + test);
    }
  }

  /**
   * Adds the partitions' statistics up. Every partition holds every subscription (SUB goes to
   * all of them), so counts of subscriptions, inserts and removes are one partition's; each
   * publish is matched in one partition only, so matches and caches add up.
   */
  static JsonObject stats(List<JsonObject> partitions) {
    long subs = 0;
    long inserts = 0;
    long removes = 0;
    long matches = 0;
    long cache = 0;
    double hits = 0;
    long maxFanout = 0;
    double fanoutSum = 0;
    for (JsonObject p : partitions) {
      subs = Math.max(subs, p.getLong("num_subscriptions"));
      inserts = Math.max(inserts, p.getLong("num_inserts"));
      removes = Math.max(removes, p.getLong("num_removes"));
      long m = p.getLong("num_matches");
      matches += m;
      hits += p.getDouble("cache_hit_rate") * m;
      long c = p.getLong("num_cache");
      cache += c;
      maxFanout = Math.max(maxFanout, p.getLong("max_fanout"));
      fanoutSum += p.getDouble("avg_fanout") * c;
    }
    return new JsonObject()
        .put("num_subscriptions", subs)
        .put("num_cache", cache)
        .put("num_inserts", inserts)
        .put("num_removes", removes)
        .put("num_matches", matches)
        .put("cache_hit_rate", Json.goFloat(matches == 0 ? 0 : hits / matches))
        .put("max_fanout", maxFanout)
        .put("avg_fanout", Json.goFloat(cache == 0 ? 0 : fanoutSum / cache));
  }

  static JsonObject build(String serverId, Query q, JsonObject stats, List<ConnectionSnapshot> open) {
    if (!q.bool("subs")) {
      return stats;
    }
    String test = q.string("test");
    List<SubscriptionSnapshot> subs = new ArrayList<>();
    for (ConnectionSnapshot c : open) {
      for (SubscriptionSnapshot s : c.subscriptions()) {
        if (test == null || Subjects.matches(test, s.subject())) {
          subs.add(s);
        }
      }
    }
    int offset = Math.max(0, q.integer("offset", 0));
    int limit = q.integer("limit", Connz.DEFAULT_LIMIT);
    if (limit <= 0) {
      limit = Connz.DEFAULT_LIMIT;
    }
    JsonArray list = new JsonArray();
    for (int i = offset; i < subs.size() && list.size() < limit; i++) {
      list.add(subscription(subs.get(i), true));
    }
    JsonObject out = new JsonObject().put("server_id", serverId).put("now", Json.time(Instant.now()));
    out.mergeIn(stats);
    return out.put("total", subs.size()).put("offset", offset).put("limit", limit)
        .put("subscriptions_list", list);
  }

  static JsonObject subscription(SubscriptionSnapshot s, boolean withAccount) {
    JsonObject j = new JsonObject();
    if (withAccount) {
      j.put("account", "$G");
    }
    j.put("subject", s.subject());
    if (s.queue() != null) {
      j.put("qgroup", s.queue());
    }
    return j.put("sid", s.sid()).put("msgs", s.msgs()).put("cid", s.cid());
  }
}
