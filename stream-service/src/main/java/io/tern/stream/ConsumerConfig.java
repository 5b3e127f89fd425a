package io.tern.stream;

import io.tern.common.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A consumer's configuration with nats-server 2.9.10's JSON names, defaults, validation and update
 * rules (plus 2.10's {@code filter_subjects} and {@code metadata}). Durations are nanoseconds.
 * Instances are immutable once {@link #withDefaults} has produced them.
 */
public final class ConsumerConfig {

  /** nats-server's default {@code ack_wait}: 30 s. */
  public static final long DEFAULT_ACK_WAIT = 30_000_000_000L;
  /** nats-server's default {@code max_ack_pending} for acknowledged consumers. */
  public static final int DEFAULT_MAX_ACK_PENDING = 1000;
  /** nats-server's default {@code max_waiting} of pull consumers. */
  public static final int DEFAULT_MAX_WAITING = 512;
  /** nats-server's default {@code inactive_threshold} of ephemeral consumers: 5 s. */
  public static final long DEFAULT_EPHEMERAL_THRESHOLD = 5_000_000_000L;
  private static final int MAX_NAME_LENGTH = 255;
  private static final int MAX_DESCRIPTION_LENGTH = 4096;

  /** Where a new consumer starts. */
  public enum DeliverPolicy {
    ALL("all"), LAST("last"), NEW("new"), BY_START_SEQUENCE("by_start_sequence"),
    BY_START_TIME("by_start_time"), LAST_PER_SUBJECT("last_per_subject");

    final String json;

    DeliverPolicy(String json) {
      this.json = json;
    }
  }

  /** Which deliveries need an acknowledgement. */
  public enum AckPolicy { NONE, ALL, EXPLICIT }

  /** Whether messages come as fast as possible or at their original pace. */
  public enum ReplayPolicy { INSTANT, ORIGINAL }

  String durableName = "";
  String name = "";
  String description = "";
  DeliverPolicy deliverPolicy = DeliverPolicy.ALL;
  long optStartSeq;
  String optStartTime;
  long optStartTimeNanos;
  AckPolicy ackPolicy = AckPolicy.NONE;
  long ackWait;
  long maxDeliver;
  List<Long> backoff = List.of();
  String filterSubject = "";
  List<String> filterSubjects = List.of();
  ReplayPolicy replayPolicy = ReplayPolicy.INSTANT;
  long rateLimitBps;
  String sampleFreq = "";
  long maxWaiting;
  long maxAckPending;
  long idleHeartbeat;
  boolean flowControl;
  boolean headersOnly;
  long maxBatch;
  long maxExpires;
  long maxBytes;
  String deliverSubject = "";
  String deliverGroup = "";
  long inactiveThreshold;
  int numReplicas;
  boolean memStorage;
  Map<String, String> metadata = Map.of();

  private ConsumerConfig() {
  }

  /**
   * Reads the {@code config} object of a create request. Wrong types and unknown enum values are
   * {@link JsError#INVALID_JSON}, as nats-server's JSON decoding fails on them.
   */
  public static ConsumerConfig fromJson(JsonObject j) {
    ConsumerConfig c = new ConsumerConfig();
    try {
      c.durableName = j.getString("durable_name", "");
      c.name = j.getString("name", "");
      c.description = j.getString("description", "");
      c.deliverPolicy = deliverPolicy(j.getString("deliver_policy"));
      c.optStartSeq = j.getLong("opt_start_seq", 0L);
      c.optStartTime = j.getString("opt_start_time");
      if (c.optStartTime != null) {
        c.optStartTimeNanos = parseTime(c.optStartTime);
      }
      c.ackPolicy = enumValue(AckPolicy.class, j.getString("ack_policy"), AckPolicy.NONE);
      c.ackWait = j.getLong("ack_wait", 0L);
      c.maxDeliver = j.getLong("max_deliver", 0L);
      JsonArray bo = j.getJsonArray("backoff");
      if (bo != null) {
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < bo.size(); i++) {
          list.add(bo.getLong(i));
        }
        c.backoff = List.copyOf(list);
      }
      c.filterSubject = j.getString("filter_subject", "");
      JsonArray fs = j.getJsonArray("filter_subjects");
      if (fs != null) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
          list.add(fs.getString(i));
        }
        c.filterSubjects = List.copyOf(list);
      }
      c.replayPolicy = enumValue(ReplayPolicy.class, j.getString("replay_policy"), ReplayPolicy.INSTANT);
      c.rateLimitBps = j.getLong("rate_limit_bps", 0L);
      c.sampleFreq = j.getString("sample_freq", "");
      c.maxWaiting = j.getLong("max_waiting", 0L);
      c.maxAckPending = j.getLong("max_ack_pending", 0L);
      c.idleHeartbeat = j.getLong("idle_heartbeat", 0L);
      c.flowControl = j.getBoolean("flow_control", false);
      c.headersOnly = j.getBoolean("headers_only", false);
      c.maxBatch = j.getLong("max_batch", 0L);
      c.maxExpires = j.getLong("max_expires", 0L);
      c.maxBytes = j.getLong("max_bytes", 0L);
      c.deliverSubject = j.getString("deliver_subject", "");
      c.deliverGroup = j.getString("deliver_group", "");
      c.inactiveThreshold = j.getLong("inactive_threshold", 0L);
      c.numReplicas = j.getInteger("num_replicas", 0);
      c.memStorage = j.getBoolean("mem_storage", false);
      JsonObject md = j.getJsonObject("metadata");
      if (md != null) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : md.fieldNames()) {
          m.put(k, md.getString(k));
        }
        c.metadata = Map.copyOf(m);
      }
    } catch (ClassCastException | IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      throw JsError.INVALID_JSON.exception();
    }
    return c;
  }

  private static DeliverPolicy deliverPolicy(String v) {
    if (v == null || v.isEmpty()) {
      return DeliverPolicy.ALL;
    }
    for (DeliverPolicy p : DeliverPolicy.values()) {
      if (p.json.equals(v)) {
        return p;
      }
    }
    // Go's decoder also takes "last_per_subject" spelled with its constant names; nothing else
    throw new IllegalArgumentException(v);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, E dflt) {
    if (value == null || value.isEmpty()) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase().equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(value);
  }

  static long parseTime(String rfc3339) {
    OffsetDateTime t = OffsetDateTime.parse(rfc3339);
    return t.toEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private ConsumerConfig copy() {
    ConsumerConfig c = new ConsumerConfig();
    c.durableName = durableName;
    c.name = name;
    c.description = description;
    c.deliverPolicy = deliverPolicy;
    c.optStartSeq = optStartSeq;
    c.optStartTime = optStartTime;
    c.optStartTimeNanos = optStartTimeNanos;
    c.ackPolicy = ackPolicy;
    c.ackWait = ackWait;
    c.maxDeliver = maxDeliver;
    c.backoff = backoff;
    c.filterSubject = filterSubject;
    c.filterSubjects = filterSubjects;
    c.replayPolicy = replayPolicy;
    c.rateLimitBps = rateLimitBps;
    c.sampleFreq = sampleFreq;
    c.maxWaiting = maxWaiting;
    c.maxAckPending = maxAckPending;
    c.idleHeartbeat = idleHeartbeat;
    c.flowControl = flowControl;
    c.headersOnly = headersOnly;
    c.maxBatch = maxBatch;
    c.maxExpires = maxExpires;
    c.maxBytes = maxBytes;
    c.deliverSubject = deliverSubject;
    c.deliverGroup = deliverGroup;
    c.inactiveThreshold = inactiveThreshold;
    c.numReplicas = numReplicas;
    c.memStorage = memStorage;
    c.metadata = metadata;
    return c;
  }

  /** A copy with the name set (the consumer's name as the API request chose it). */
  ConsumerConfig withName(String n) {
    ConsumerConfig c = copy();
    c.name = n;
    return c;
  }

  /** nats-server's defaults (setConsumerConfigDefaults), applied before validation. */
  public ConsumerConfig withDefaults() {
    ConsumerConfig c = copy();
    if (c.deliverSubject.isEmpty() && c.maxWaiting == 0) {
      c.maxWaiting = DEFAULT_MAX_WAITING;
    }
    if (c.ackWait == 0 && c.ackPolicy != AckPolicy.NONE) {
      c.ackWait = DEFAULT_ACK_WAIT;
    }
    if (c.maxDeliver == 0) {
      c.maxDeliver = -1;
    }
    if (!c.backoff.isEmpty()) {
      c.ackWait = c.backoff.get(0);
    }
    if (c.ackPolicy != AckPolicy.NONE && c.maxAckPending == 0) {
      c.maxAckPending = DEFAULT_MAX_ACK_PENDING;
    }
    if (c.durableName.isEmpty() && c.inactiveThreshold == 0) {
      c.inactiveThreshold = DEFAULT_EPHEMERAL_THRESHOLD;
    }
    return c;
  }

  /** checkConsumerCfg of nats-server: the checks that need only this config and the stream's. */
  public void validate(StreamConfig stream) {
    if (numReplicas > 1) {
      throw new JsError(400, 10126, "consumer config replica count exceeds parent stream").exception();
    }
    if (numReplicas < 0) {
      throw new JsError(400, 10133, "replicas count cannot be negative").exception();
    }
    if (!backoff.isEmpty() && maxDeliver <= backoff.size()) {
      throw new JsError(400, 10116, "max deliver is required to be > length of backoff values").exception();
    }
    if (description.length() > MAX_DESCRIPTION_LENGTH) {
      throw new JsError(400, 10107, "consumer description is too long, maximum allowed is "
          + MAX_DESCRIPTION_LENGTH).exception();
    }
    if (!deliverSubject.isEmpty()) {
      if (!Subjects.isLiteral(deliverSubject)) {
        throw new JsError(400, 10079, "consumer deliver subject has wildcards").exception();
      }
      if (!Subjects.isValidSubject(deliverSubject)) {
        throw new JsError(400, 10112, "invalid push consumer deliver subject").exception();
      }
      for (String s : stream.subjects()) {
        if (Subjects.matches(deliverSubject, s)) {
          throw new JsError(400, 10081, "consumer deliver subject forms a cycle").exception();
        }
      }
      if (maxWaiting != 0) {
        throw new JsError(400, 10080, "consumer in push mode can not set max waiting").exception();
      }
      if (maxAckPending > 0 && ackPolicy == AckPolicy.NONE) {
        throw new JsError(400, 10082, "consumer requires ack policy for max ack pending").exception();
      }
      if (idleHeartbeat > 0 && idleHeartbeat < 100_000_000L) {
        throw new JsError(400, 10083, "consumer idle heartbeat needs to be >= 100ms").exception();
      }
    } else {
      if (ackPolicy == AckPolicy.NONE && stream.retention() == StreamConfig.Retention.WORKQUEUE) {
        throw new JsError(400, 10084, "consumer in pull mode requires explicit ack policy on workqueue stream")
            .exception();
      }
      if (rateLimitBps > 0) {
        throw new JsError(400, 10086, "consumer in pull mode can not have rate limit set").exception();
      }
      if (maxWaiting < 0) {
        throw new JsError(400, 10087, "consumer max waiting needs to be positive").exception();
      }
      if (idleHeartbeat > 0) {
        throw new JsError(400, 10088, "consumer idle heartbeat requires a push based consumer").exception();
      }
      if (flowControl) {
        throw new JsError(400, 10089, "consumer flow control requires a push based consumer").exception();
      }
      if (maxBatch < 0) {
        throw new JsError(400, 10114, "consumer max request batch needs to be > 0").exception();
      }
      if (maxExpires != 0 && maxExpires < 1_000_000L) {
        throw new JsError(400, 10115, "consumer max request expires needs to be >= 1ms").exception();
      }
    }
    if (!filterSubject.isEmpty() && !filterSubjects.isEmpty()) {
      throw new JsError(400, 10136, "consumer cannot have both FilterSubject and FilterSubjects specified")
          .exception();
    }
    for (String f : filters()) {
      if (f.isEmpty()) {
        throw new JsError(400, 10139, "consumer filter in FilterSubjects cannot be empty").exception();
      }
      if (!validFilter(f, stream)) {
        throw new JsError(400, 10093, "consumer filter subject is not a valid subset of the interest subjects")
            .exception();
      }
    }
    for (int i = 0; i < filterSubjects.size(); i++) {
      for (int k = i + 1; k < filterSubjects.size(); k++) {
        if (SubjectOverlap.overlaps(filterSubjects.get(i), filterSubjects.get(k))) {
          throw new JsError(400, 10138, "consumer subject filters cannot overlap").exception();
        }
      }
    }
    checkStartPolicy();
    if (!sampleFreq.isEmpty()) {
      String s = sampleFreq.endsWith("%") ? sampleFreq.substring(0, sampleFreq.length() - 1) : sampleFreq;
      try {
        if (Integer.parseInt(s) < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new JsError(400, 10095, "failed to parse consumer sampling configuration: strconv.Atoi: parsing "
            + Json.quote(s) + ": invalid syntax").exception();
      }
    }
    if (flowControl && idleHeartbeat == 0) {
      throw new JsError(400, 10108, "consumer with flow control also needs heartbeats").exception();
    }
    if (!durableName.isEmpty() && !name.isEmpty() && !name.equals(durableName)) {
      throw new JsError(400, 10132, "Consumer Durable and Name have to be equal if both are provided").exception();
    }
  }

  /** Whether {@code filter} can match something the stream stores (validFilteredSubject). */
  private static boolean validFilter(String filter, StreamConfig stream) {
    if (!Subjects.isValidSubject(filter)) {
      return false;
    }
    for (String s : stream.subjects()) {
      if (SubjectOverlap.overlaps(s, filter)) {
        return true;
      }
    }
    return false;
  }

  private void checkStartPolicy() {
    boolean hasTime = optStartTime != null;
    switch (deliverPolicy) {
      case ALL -> badStart("all", hasTime);
      case LAST -> badStart("last", hasTime);
      case NEW -> badStart("new", hasTime);
      case LAST_PER_SUBJECT -> {
        badStart("last per subject", hasTime);
        if (filters().isEmpty()) {
          throw policy("consumer delivery policy is deliver last per subject, but optional filter subject is not set");
        }
      }
      case BY_START_SEQUENCE -> {
        if (optStartSeq == 0) {
          throw policy("consumer delivery policy is deliver by start sequence, but optional start sequence is not set");
        }
        if (hasTime) {
          throw policy("consumer delivery policy is deliver by start sequence, but optional start time is also set");
        }
      }
      case BY_START_TIME -> {
        if (!hasTime) {
          throw policy("consumer delivery policy is deliver by start time, but optional start time is not set");
        }
        if (optStartSeq != 0) {
          throw policy("consumer delivery policy is deliver by start time, but optional start sequence is also set");
        }
      }
      default -> {
      }
    }
  }

  private void badStart(String dp, boolean hasTime) {
    if (optStartSeq > 0) {
      throw policy("consumer delivery policy is deliver " + dp + ", but optional start sequence is also set");
    }
    if (hasTime) {
      throw policy("consumer delivery policy is deliver " + dp + ", but optional start time is also set");
    }
  }

  private static JsException policy(String text) {
    return new JsError(400, 10094, text).exception();
  }

  /**
   * checkNewConsumerConfig of nats-server: what an update may not change. Plain errors become
   * 10012 with the text, as nats-server wraps them.
   *
   * @param deliverSubjectBound whether the current deliver subject has a live subscriber
   */
  public void checkUpdate(ConsumerConfig next, boolean deliverSubjectBound) {
    if (equals(next)) {
      return;
    }
    if (deliverPolicy != next.deliverPolicy) {
      throw update("deliver policy can not be updated");
    }
    if (optStartSeq != next.optStartSeq) {
      throw update("start sequence can not be updated");
    }
    if (!Objects.equals(optStartTime, next.optStartTime)) {
      throw update("start time can not be updated");
    }
    if (ackPolicy != next.ackPolicy) {
      throw update("ack policy can not be updated");
    }
    if (replayPolicy != next.replayPolicy) {
      throw update("replay policy can not be updated");
    }
    if (idleHeartbeat != next.idleHeartbeat) {
      throw update("heart beats can not be updated");
    }
    if (flowControl != next.flowControl) {
      throw update("flow control can not be updated");
    }
    if (maxWaiting != next.maxWaiting) {
      throw update("max waiting can not be updated");
    }
    if (!deliverSubject.equals(next.deliverSubject)) {
      if (deliverSubject.isEmpty()) {
        throw update("can not update pull consumer to push based");
      }
      if (next.deliverSubject.isEmpty()) {
        throw update("can not update push consumer to pull based");
      }
      if (deliverSubjectBound) {
        throw new JsError(400, 10013, "consumer name already in use").exception();
      }
    }
    if (!next.backoff.isEmpty() && next.maxDeliver <= next.backoff.size()) {
      throw new JsError(400, 10116, "max deliver is required to be > length of backoff values").exception();
    }
  }

  private static JsException update(String text) {
    return new JsError(500, 10012, text).exception();
  }

  /** Checks a durable or consumer name (isValidName, JSMaxNameLen). */
  static void checkName(String n) {
    if (n.length() > MAX_NAME_LENGTH) {
      throw new JsError(400, 10102, "consumer name is too long, maximum allowed is " + MAX_NAME_LENGTH).exception();
    }
    for (int i = 0; i < n.length(); i++) {
      char ch = n.charAt(i);
      if (ch == '.' || ch == '*' || ch == '>' || Character.isWhitespace(ch)) {
        throw new JsError(400, 10103, "durable name can not contain '.', '*', '>'").exception();
      }
    }
  }

  /** The filter subjects in effect (empty: everything). */
  public List<String> filters() {
    if (!filterSubject.isEmpty()) {
      return List.of(filterSubject);
    }
    return filterSubjects;
  }

  public boolean isDurable() {
    return !durableName.isEmpty();
  }

  public boolean isPush() {
    return !deliverSubject.isEmpty();
  }

  public String durableName() {
    return durableName;
  }

  public String name() {
    return name;
  }

  public DeliverPolicy deliverPolicy() {
    return deliverPolicy;
  }

  public AckPolicy ackPolicy() {
    return ackPolicy;
  }

  public String deliverSubject() {
    return deliverSubject;
  }

  public String filterSubject() {
    return filterSubject;
  }

  /** The configuration as nats-server writes it (Go field order, omitempty respected). */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    putIf(j, "durable_name", durableName);
    putIf(j, "name", name);
    putIf(j, "description", description);
    j.put("deliver_policy", deliverPolicy.json);
    if (optStartSeq != 0) {
      j.put("opt_start_seq", optStartSeq);
    }
    if (optStartTime != null) {
      j.put("opt_start_time", Rfc3339.format(optStartTimeNanos));
    }
    j.put("ack_policy", ackPolicy.name().toLowerCase());
    if (ackWait != 0) {
      j.put("ack_wait", ackWait);
    }
    if (maxDeliver != 0) {
      j.put("max_deliver", maxDeliver);
    }
    if (!backoff.isEmpty()) {
      j.put("backoff", new JsonArray(new ArrayList<>(backoff)));
    }
    putIf(j, "filter_subject", filterSubject);
    if (!filterSubjects.isEmpty()) {
      j.put("filter_subjects", new JsonArray(new ArrayList<>(filterSubjects)));
    }
    j.put("replay_policy", replayPolicy.name().toLowerCase());
    if (rateLimitBps != 0) {
      j.put("rate_limit_bps", rateLimitBps);
    }
    putIf(j, "sample_freq", sampleFreq);
    if (maxWaiting != 0) {
      j.put("max_waiting", maxWaiting);
    }
    if (maxAckPending != 0) {
      j.put("max_ack_pending", maxAckPending);
    }
    if (idleHeartbeat != 0) {
      j.put("idle_heartbeat", idleHeartbeat);
    }
    if (flowControl) {
      j.put("flow_control", true);
    }
    if (headersOnly) {
      j.put("headers_only", true);
    }
    if (maxBatch != 0) {
      j.put("max_batch", maxBatch);
    }
    if (maxExpires != 0) {
      j.put("max_expires", maxExpires);
    }
    if (maxBytes != 0) {
      j.put("max_bytes", maxBytes);
    }
    putIf(j, "deliver_subject", deliverSubject);
    putIf(j, "deliver_group", deliverGroup);
    if (inactiveThreshold != 0) {
      j.put("inactive_threshold", inactiveThreshold);
    }
    j.put("num_replicas", numReplicas);
    if (memStorage) {
      j.put("mem_storage", true);
    }
    if (!metadata.isEmpty()) {
      JsonObject md = new JsonObject();
      metadata.forEach(md::put);
      j.put("metadata", md);
    }
    return j;
  }

  private static void putIf(JsonObject j, String key, String value) {
    if (value != null && !value.isEmpty()) {
      j.put(key, value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumerConfig c && toJson().equals(c.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  /** Go's %q for the sampling error text. */
  private static final class Json {
    static String quote(String s) {
      return io.vertx.core.json.Json.encode(s);
    }
  }
}
