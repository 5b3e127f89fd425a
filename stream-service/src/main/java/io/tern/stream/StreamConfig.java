package io.tern.stream;

import io.tern.common.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's configuration with nats-server's JSON field names, defaults and validation. Durations
 * are nanoseconds. Two configurations are the same stream when their normalised forms are equal,
 * which is how a repeated create is told apart from a conflicting one.
 */
public record StreamConfig(
    String name,
    String description,
    List<String> subjects,
    Retention retention,
    long maxConsumers,
    long maxMsgs,
    long maxBytes,
    long maxAge,
    long maxMsgsPerSubject,
    long maxMsgSize,
    Discard discard,
    Storage storage,
    int numReplicas,
    boolean noAck,
    long duplicateWindow,
    boolean allowDirect,
    boolean mirrorDirect,
    boolean discardNewPerSubject,
    boolean sealed,
    boolean denyDelete,
    boolean denyPurge,
    boolean allowRollupHdrs,
    Map<String, String> metadata) {

  /** nats-server's default deduplication window, two minutes. */
  public static final long DEFAULT_DUPLICATE_WINDOW = 120_000_000_000L;

  /** Retention policy. */
  public enum Retention { LIMITS, INTEREST, WORKQUEUE }

  /** What a full stream does with a new message. */
  public enum Discard { OLD, NEW }

  /** Where messages live. */
  public enum Storage { FILE, MEMORY }

  /**
   * Reads a request body. Unknown fields are ignored as nats-server ignores them; wrong types and
   * unknown enum values are {@link JsError#INVALID_JSON}; features Tern does not have yet (mirrors,
   * sources, republish) are refused rather than silently dropped.
   */
  public static StreamConfig fromJson(JsonObject j) {
    try {
      if (j.getValue("mirror") != null) {
        throw JsError.invalidConfig("stream mirrors are not supported by this server yet").exception();
      }
      JsonArray sources = j.getJsonArray("sources");
      if (sources != null && !sources.isEmpty()) {
        throw JsError.invalidConfig("stream sources are not supported by this server yet").exception();
      }
      if (j.getValue("republish") != null) {
        throw JsError.invalidConfig("stream republish is not supported by this server yet").exception();
      }
      List<String> subjects = new ArrayList<>();
      JsonArray subs = j.getJsonArray("subjects");
      if (subs != null) {
        for (int i = 0; i < subs.size(); i++) {
          subjects.add(subs.getString(i));
        }
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      JsonObject md = j.getJsonObject("metadata");
      if (md != null) {
        for (String k : md.fieldNames()) {
          metadata.put(k, md.getString(k));
        }
      }
      return new StreamConfig(
          j.getString("name", ""),
          j.getString("description", ""),
          List.copyOf(subjects),
          enumValue(Retention.class, j.getString("retention"), Retention.LIMITS),
          j.getLong("max_consumers", 0L),
          j.getLong("max_msgs", 0L),
          j.getLong("max_bytes", 0L),
          j.getLong("max_age", 0L),
          j.getLong("max_msgs_per_subject", 0L),
          j.getLong("max_msg_size", 0L),
          enumValue(Discard.class, j.getString("discard"), Discard.OLD),
          enumValue(Storage.class, j.getString("storage"), Storage.FILE),
          j.getInteger("num_replicas", 0),
          j.getBoolean("no_ack", false),
          j.getLong("duplicate_window", 0L),
          j.getBoolean("allow_direct", false),
          j.getBoolean("mirror_direct", false),
          j.getBoolean("discard_new_per_subject", false),
          j.getBoolean("sealed", false),
          j.getBoolean("deny_delete", false),
          j.getBoolean("deny_purge", false),
          j.getBoolean("allow_rollup_hdrs", false),
          Map.copyOf(metadata));
    } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
      throw JsError.INVALID_JSON.exception();
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, E dflt) {
    if (value == null || value.isEmpty()) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(value);
  }

  /** nats-server's defaults: zero limits mean unlimited (-1), no subjects means the stream name. */
  public StreamConfig withDefaults() {
    long dup = duplicateWindow;
    if (dup == 0) {
      dup = maxAge != 0 && maxAge < DEFAULT_DUPLICATE_WINDOW ? maxAge : DEFAULT_DUPLICATE_WINDOW;
    }
    return new StreamConfig(name, description, subjects.isEmpty() ? List.of(name) : subjects, retention,
        unlimited(maxConsumers), unlimited(maxMsgs), unlimited(maxBytes), maxAge, unlimited(maxMsgsPerSubject),
        unlimited(maxMsgSize), discard, storage, numReplicas == 0 ? 1 : numReplicas, noAck, dup, allowDirect,
        mirrorDirect, discardNewPerSubject, sealed, denyDelete, denyPurge, allowRollupHdrs, metadata);
  }

  private static long unlimited(long v) {
    return v == 0 ? -1 : v;
  }

  /** Checks a normalised configuration as nats-server does, throwing its 10052/10074 errors. */
  public void validate() {
    if (numReplicas > 1) {
      throw JsError.REPLICAS_NOT_SUPPORTED.exception();
    }
    if (duplicateWindow < 0) {
      throw JsError.invalidConfig("duplicates window can not be negative").exception();
    }
    if (maxAge != 0 && duplicateWindow > maxAge) {
      throw JsError.invalidConfig("duplicates window can not be larger then max age").exception();
    }
    if (maxAge < 0) {
      throw JsError.invalidConfig("max age needs to be >= 0").exception();
    }
    if (discardNewPerSubject && discard != Discard.NEW) {
      throw JsError.invalidConfig("discard new per subject requires discard new policy to be set").exception();
    }
    if (denyPurge && allowRollupHdrs) {
      throw JsError.invalidConfig("roll-ups require the purge permission").exception();
    }
    List<String> seen = new ArrayList<>();
    for (String s : subjects) {
      if (s == null || !Subjects.isValidSubject(s)) {
        throw JsError.invalidConfig("invalid subject").exception();
      }
      if (seen.contains(s)) {
        throw JsError.invalidConfig("duplicate subjects detected").exception();
      }
      if (SubjectOverlap.overlaps(s, "$JS.API.>")) {
        throw JsError.invalidConfig("subjects overlap with jetstream api").exception();
      }
      for (String other : seen) {
        if (SubjectOverlap.overlaps(s, other)) {
          throw JsError.invalidConfig("subject \"" + other + "\" overlaps with \"" + s + "\"").exception();
        }
      }
      seen.add(s);
    }
  }

  /** A sealed copy: nats-server also turns on discard new, deny delete and deny purge. */
  public StreamConfig sealedCopy() {
    return new StreamConfig(name, description, subjects, retention, maxConsumers, maxMsgs, maxBytes, maxAge,
        maxMsgsPerSubject, maxMsgSize, Discard.NEW, storage, numReplicas, noAck, duplicateWindow, allowDirect,
        mirrorDirect, discardNewPerSubject, true, true, true, false, metadata);
  }

  /** The configuration as nats-server writes it (empty optional fields omitted). */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("name", name);
    if (!description.isEmpty()) {
      j.put("description", description);
    }
    j.put("subjects", new JsonArray(new ArrayList<>(subjects)))
        .put("retention", retention.name().toLowerCase())
        .put("max_consumers", maxConsumers)
        .put("max_msgs", maxMsgs)
        .put("max_bytes", maxBytes)
        .put("max_age", maxAge)
        .put("max_msgs_per_subject", maxMsgsPerSubject)
        .put("max_msg_size", maxMsgSize)
        .put("discard", discard.name().toLowerCase())
        .put("storage", storage.name().toLowerCase())
        .put("num_replicas", numReplicas);
    if (noAck) {
      j.put("no_ack", true);
    }
    j.put("duplicate_window", duplicateWindow)
        .put("allow_direct", allowDirect)
        .put("mirror_direct", mirrorDirect);
    if (discardNewPerSubject) {
      j.put("discard_new_per_subject", true);
    }
    j.put("sealed", sealed)
        .put("deny_delete", denyDelete)
        .put("deny_purge", denyPurge)
        .put("allow_rollup_hdrs", allowRollupHdrs);
    if (!metadata.isEmpty()) {
      JsonObject md = new JsonObject();
      metadata.forEach(md::put);
      j.put("metadata", md);
    }
    return j;
  }
}
