package io.tern.stream;

import io.tern.common.protocol.NatsHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One consumer of a stream as a state machine, with nats-server 2.9.10's delivery rules: where it
 * is in the stream ({@code sseq}/{@code dseq} are the next stream and consumer sequences), its
 * acknowledgement floor, the deliveries awaiting an acknowledgement with their redelivery counts,
 * and, for a pull consumer, the waiting requests; for a push consumer, flow control, heartbeats and
 * whether anybody listens on the deliver subject (learnt from deliveries nobody received).
 * Single-threaded: the stream service's context owns it; time comes in through {@link #tick}.
 */
public final class Consumer {

  /** A delivery awaiting acknowledgement: its first consumer sequence and when it was (re)sent. */
  private static final class Pending {
    final long dseq;
    long timestamp;

    Pending(long dseq, long timestamp) {
      this.dseq = dseq;
      this.timestamp = timestamp;
    }
  }

  /** The next message to deliver and how to undo taking it. */
  private record Next(StoredMessage message, long deliveries, boolean redelivery, long prevSseq,
                      long[] prevSkipList, int prevSkip) {
  }

  /** nats-server's flow-control window: starts at 2 MB, doubles per response, up to 32 MB. */
  private static final int FC_LIMIT = 32 * 1024 * 1024;
  /** How long a push consumer whose deliveries bounced waits before trying again. */
  private static final long PROBE_NANOS = 250_000_000L;
  /** At most this many deliveries per pump; more continue in the next task. */
  private static final int PUMP_BUDGET = 512;
  private static final String HEARTBEAT_STATUS = "Idle Heartbeat";

  private final Stream stream;
  private final String name;
  private final long created;
  private final ConsumerHost host;
  private ConsumerConfig config;
  private List<String> filters;
  private boolean closed;

  // delivery position and acknowledgement state
  private long sseq;
  private long dseq = 1;
  private long adflr;
  private long asflr;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final Map<Long, Long> redelivered = new HashMap<>();
  private final ArrayDeque<Long> redeliverQueue = new ArrayDeque<>();
  private final Set<Long> onRedeliverQueue = new HashSet<>();
  private long[] skipList;
  private int skipIndex;
  private long skipResume;
  private long lastDelivered;
  private long lastAcked;
  private long nextPendingCheck;

  // cached num_pending
  private long numPending;
  private boolean numPendingValid;

  // pull
  private final ArrayDeque<PullRequest> waiting = new ArrayDeque<>();
  private long lastRequest;

  // push
  private boolean active = true;
  private boolean everDelivered;
  /** The routers' last answer: somebody subscribes to the deliver subject. */
  private boolean listened;
  private long inactiveSince;
  private long lastBounce;
  private long nextProbe;
  private long lastPushActivity;
  private long fcBytes;
  private long fcWindow = FC_LIMIT / 16;
  private long fcOutstandingBytes;
  private String fcId;
  private double rateTokens;
  private long rateRefilled;
  private long replayLastTs;
  private long replayWaited;
  private long resumeAt;

  Consumer(Stream stream, String name, ConsumerConfig config, long created, ConsumerHost host) {
    this.stream = stream;
    this.name = name;
    this.config = config;
    this.created = created;
    this.host = host;
    this.filters = effectiveFilters(config, stream.config());
    long now = Rfc3339.nowNanos();
    this.lastRequest = now;
    this.lastPushActivity = now;
    this.rateRefilled = now;
  }

  /** A filter that covers every subject of the stream filters nothing. */
  private static List<String> effectiveFilters(ConsumerConfig c, StreamConfig s) {
    List<String> fs = c.filters();
    for (String f : fs) {
      boolean coversAll = true;
      for (String subj : s.subjects()) {
        if (!SubjectOverlap.isSubset(subj, f)) {
          coversAll = false;
          break;
        }
      }
      if (coversAll) {
        return List.of();
      }
    }
    return fs;
  }

  public String name() {
    return name;
  }

  public ConsumerConfig config() {
    return config;
  }

  public Stream stream() {
    return stream;
  }

  public long created() {
    return created;
  }

  /** Whether messages on {@code subject} are for this consumer. */
  public boolean matches(String subject) {
    if (filters.isEmpty()) {
      return true;
    }
    for (String f : filters) {
      if (io.tern.common.subject.Subjects.matches(subject, f)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the pull/push target has been seen to be listening (push_bound). */
  public boolean pushBound() {
    return config.isPush() && active && (listened || everDelivered);
  }

  /**
   * What the routers say about interest on the deliver subject (push consumers, polled): losing it
   * starts the inactivity clock even with nothing to deliver, regaining it resumes delivery.
   */
  void onInterest(boolean listening) {
    if (closed || !config.isPush()) {
      return;
    }
    listened = listening;
    if (listening && !active) {
      active = true;
      host.schedulePump(this);
    } else if (!listening && active) {
      markInactive();
    }
  }

  // ------------------------------------------------------------------ start

  /** Picks the starting position for a new consumer (selectStartingSeqNo). */
  void selectStart() {
    long first = stream.firstSeq();
    long last = stream.lastSeq();
    long next;
    switch (config.deliverPolicy()) {
      case ALL -> next = first;
      case LAST -> {
        next = last;
        if (!filters.isEmpty()) {
          long best = 0;
          for (String f : filters) {
            StoredMessage m = stream.lastBySubject(f);
            if (m != null && m.seq() > best) {
              best = m.seq();
            }
          }
          next = best;
        }
      }
      case LAST_PER_SUBJECT -> {
        long[] seqs = stream.lastSeqsPerSubject(filters);
        if (seqs.length > 0) {
          skipList = seqs;
          skipIndex = 0;
          skipResume = last;
          next = seqs[0];
        } else {
          next = last;
        }
      }
      case BY_START_SEQUENCE -> next = config.optStartSeq;
      case BY_START_TIME -> next = stream.seqFromTime(config.optStartTimeNanos);
      default -> next = last + 1;
    }
    if (stream.messages() == 0 && last == 0) {
      next = 1;
    } else if (next < first) {
      next = first;
    } else if (next > last) {
      next = last + 1;
    }
    sseq = next;
    dseq = 1;
    adflr = 0;
    asflr = sseq - 1;
    numPendingValid = false;
  }

  /** Replaces the configuration after an allowed update. */
  void update(ConsumerConfig next) {
    boolean deliverChanged = !next.deliverSubject().equals(config.deliverSubject());
    this.config = next;
    this.filters = effectiveFilters(next, stream.config());
    numPendingValid = false;
    if (deliverChanged) {
      // nats-server redelivers everything pending when the deliver subject changes
      for (Long seq : pending.keySet()) {
        queueRedelivery(seq);
      }
      active = true;
      fcId = null;
      fcBytes = 0;
    }
    host.stateChanged(this);
    host.schedulePump(this);
  }

  // ------------------------------------------------------------------ stream events

  /** The stream's subjects may have changed: whether a filter covers them all is decided again. */
  void streamUpdated() {
    filters = effectiveFilters(config, stream.config());
    numPendingValid = false;
  }

  /** A message was appended to the stream. */
  void onAppend(StoredMessage m) {
    if (closed || !matches(m.subject())) {
      return;
    }
    if (numPendingValid && m.seq() >= sseq) {
      numPending++;
    }
    host.schedulePump(this);
  }

  /** A message left the stream (limits, delete, acknowledgement by another consumer). */
  void onRemoved(long seq, String subject) {
    if (numPendingValid && seq >= sseq && matches(subject)) {
      numPending = Math.max(0, numPending - 1);
    }
  }

  /** The stream changed in bulk (purge): recount pending messages when next needed. */
  void invalidatePending() {
    numPendingValid = false;
  }

  /** The stream was purged up to {@code firstSeq}: skip what is gone and forget its acknowledgements. */
  void onPurged(long firstSeq) {
    numPendingValid = false;
    if (sseq < firstSeq) {
      sseq = firstSeq;
    }
    if (asflr < firstSeq - 1) {
      asflr = firstSeq - 1;
      Iterator<Map.Entry<Long, Pending>> it = pending.headMap(firstSeq).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Long, Pending> e = it.next();
        if (e.getValue().dseq > adflr) {
          adflr = e.getValue().dseq;
          dseq = Math.max(dseq, adflr);
        }
        redelivered.remove(e.getKey());
        it.remove();
      }
      redeliverQueue.removeIf(seq -> seq < firstSeq && onRedeliverQueue.remove(seq));
    }
    host.stateChanged(this);
  }

  /** Messages matching the filter from the current position on (num_pending). */
  long numPending() {
    if (!numPendingValid) {
      if (skipList != null) {
        long n = 0;
        for (int i = skipIndex; i < skipList.length; i++) {
          if (stream.contains(skipList[i])) {
            n++;
          }
        }
        numPending = n + stream.countFrom(skipResume + 1, filters);
      } else {
        numPending = stream.countFrom(sseq, filters);
      }
      numPendingValid = true;
    }
    return numPending;
  }

  // ------------------------------------------------------------------ choosing messages

  private StoredMessage nextMatching(long from) {
    long start = Math.max(from, stream.firstSeq());
    if (filters.isEmpty()) {
      for (long seq = start; seq <= stream.lastSeq(); seq++) {
        if (stream.contains(seq)) {
          return stream.get(seq);
        }
      }
      return null;
    }
    long best = -1;
    for (String f : filters) {
      long s = stream.nextSeqMatching(f, start);
      if (s >= 0 && (best < 0 || s < best)) {
        best = s;
      }
    }
    return best < 0 ? null : stream.get(best);
  }

  private boolean maxAckPendingReached() {
    return config.maxAckPending > 0 && pending.size() >= config.maxAckPending;
  }

  /** Takes the next delivery: redeliveries first, then the skip list, then new messages. */
  private Next takeNext() {
    while (!redeliverQueue.isEmpty()) {
      long seq = redeliverQueue.poll();
      onRedeliverQueue.remove(seq);
      if (config.ackPolicy() != ConsumerConfig.AckPolicy.NONE && !pending.containsKey(seq)) {
        continue;
      }
      long count = redelivered.merge(seq, 1L, Long::sum);
      long dc = count + 1;
      if (config.maxDeliver > 0 && dc > config.maxDeliver) {
        if (dc == config.maxDeliver + 1) {
          maxDeliveriesAdvisory(seq, dc - 1);
        }
        pending.remove(seq);
        host.stateChanged(this);
        continue;
      }
      StoredMessage m = stream.get(seq);
      if (m == null) {
        pending.remove(seq);
        redelivered.remove(seq);
        continue;
      }
      return new Next(m, dc, true, sseq, skipList, skipIndex);
    }
    if (maxAckPendingReached()) {
      return null;
    }
    long prevSseq = sseq;
    long[] prevSkipList = skipList;
    int prevSkip = skipIndex;
    while (skipList != null) {
      long seq = skipList[skipIndex++];
      if (skipIndex >= skipList.length) {
        skipList = null;
        sseq = skipResume + 1;
      }
      StoredMessage m = stream.get(seq);
      if (m != null) {
        if (numPendingValid) {
          numPending = Math.max(0, numPending - 1);
        }
        return new Next(m, 1, false, prevSseq, prevSkipList, prevSkip);
      }
    }
    StoredMessage m = nextMatching(sseq);
    if (m == null) {
      if (sseq <= stream.lastSeq()) {
        sseq = stream.lastSeq() + 1;
      }
      return null;
    }
    sseq = m.seq() + 1;
    if (numPendingValid) {
      numPending = Math.max(0, numPending - 1);
    }
    return new Next(m, 1, false, prevSseq, prevSkipList, prevSkip);
  }

  /** Puts back a delivery that was taken but not sent. */
  private void putBack(Next n) {
    long seq = n.message().seq();
    if (n.redelivery()) {
      long c = redelivered.merge(seq, -1L, Long::sum);
      if (c <= 0) {
        redelivered.remove(seq);
      }
      redeliverQueue.addFirst(seq);
      onRedeliverQueue.add(seq);
      return;
    }
    sseq = n.prevSseq();
    skipList = n.prevSkipList();
    skipIndex = n.prevSkip();
    numPendingValid = false;
  }

  private void queueRedelivery(long seq) {
    if (onRedeliverQueue.add(seq)) {
      redeliverQueue.add(seq);
    }
  }

  // ------------------------------------------------------------------ delivery

  /** Delivers what the consumer may deliver now; called whenever something may have changed. */
  public void pump() {
    if (closed) {
      return;
    }
    if (config.isPush()) {
      pumpPush();
    } else {
      pumpPull();
    }
  }

  private void pumpPush() {
    long now = Rfc3339.nowNanos();
    if (now < resumeAt) {
      return;
    }
    for (int budget = PUMP_BUDGET; budget > 0; budget--) {
      if (!active && now < nextProbe) {
        return;
      }
      if (config.flowControl && fcBytes > fcWindow) {
        return;
      }
      if (config.rateLimitBps > 0 && !rateAllows(now)) {
        return;
      }
      Next n = takeNext();
      if (n == null) {
        return;
      }
      if (config.replayPolicy == ConsumerConfig.ReplayPolicy.ORIGINAL && !n.redelivery() && replayLastTs > 0
          && n.message().seq() != replayWaited) {
        // the original gap between the two messages, less the time already spent since the last one
        long delay = n.message().timestamp() - replayLastTs - (now - lastDelivered);
        if (delay > 1_000_000L) {
          putBack(n);
          replayWaited = n.message().seq();
          resumeAt = now + delay;
          return;
        }
      }
      resumeAt = 0;
      if (!n.redelivery()) {
        replayLastTs = n.message().timestamp();
      }
      int size = send(n, config.deliverSubject(), now);
      if (config.rateLimitBps > 0) {
        rateTokens -= size;
      }
      if (!active) {
        nextProbe = now + PROBE_NANOS; // one probe, then wait for a bounce or its absence
        return;
      }
    }
    host.schedulePump(this);
  }

  private boolean rateAllows(long now) {
    double perNano = config.rateLimitBps / 8.0 / 1e9;
    double burst = Math.max(config.rateLimitBps / 8.0, 1);
    rateTokens = Math.min(burst, rateTokens + (now - rateRefilled) * perNano);
    rateRefilled = now;
    if (rateTokens >= 0) {
      return true;
    }
    resumeAt = now + (long) (-rateTokens / perNano);
    return false;
  }

  private void pumpPull() {
    long now = Rfc3339.nowNanos();
    boolean exhausted = false;
    int budget = PUMP_BUDGET;
    while (!waiting.isEmpty() && budget-- > 0) {
      Next n = takeNext();
      if (n == null) {
        exhausted = !maxAckPendingReached();
        break;
      }
      PullRequest r = waiting.peekFirst();
      int size = deliverySize(n);
      if (r.bytesLeft > 0) {
        if (size > r.bytesLeft) {
          status(r.reply, 409, "Message Size Exceeds MaxBytes", r);
          waiting.pollFirst();
          putBack(n);
          continue;
        }
        r.bytesLeft -= size;
        if (r.bytesLeft == 0) {
          r.remaining = 1;
        }
      }
      long cseq = dseq;
      send(n, r.reply, now);
      if (r.delivered == 0) {
        r.firstConsumerSeq = cseq;
      }
      r.lastConsumerSeq = cseq;
      r.delivered++;
      r.remaining--;
      lastRequest = now;
      if (r.heartbeat > 0) {
        r.nextHeartbeat = now + r.heartbeat;
      }
      waiting.pollFirst();
      if (r.remaining > 0) {
        waiting.addLast(r); // nats-server serves waiting requests round robin
      }
    }
    if (budget < 0 && !waiting.isEmpty()) {
      host.schedulePump(this);
      return;
    }
    if (exhausted) {
      endOfStream();
    }
  }

  /** No more messages for now: one-shot (no_wait) requests end here. */
  private void endOfStream() {
    Iterator<PullRequest> it = waiting.iterator();
    while (it.hasNext()) {
      PullRequest r = it.next();
      if (!r.noWait) {
        continue;
      }
      if (r.delivered > 0) {
        status(r.reply, 408, "Request Timeout", r);
        it.remove();
      } else if (r.expires == 0) {
        status(r.reply, 404, "No Messages", null);
        it.remove();
      }
    }
  }

  /** The size nats-server counts against a request's max_bytes: subject, ack reply, headers, payload. */
  private int deliverySize(Next n) {
    StoredMessage m = n.message();
    int hdr = m.headers() == null ? 0 : m.headers().length;
    int ack = new AckReply(stream.name(), name, n.deliveries(), m.seq(), dseq, m.timestamp(), numPending())
        .format().length();
    return m.subject().length() + ack + hdr + (config.headersOnly ? 0 : m.payload().length);
  }

  /** Sends one delivery and records it; returns its size as flow control counts it. */
  private int send(Next n, String to, long now) {
    StoredMessage m = n.message();
    long cseq = dseq++;
    String ack = new AckReply(stream.name(), name, n.deliveries(), m.seq(), cseq, m.timestamp(), numPending())
        .format();
    byte[] headers = m.headers();
    byte[] payload = m.payload();
    if (config.headersOnly) {
      NatsHeaders.Field size = new NatsHeaders.Field("Nats-Msg-Size", Integer.toString(payload.length));
      headers = headers != null && headers.length > 0 ? NatsHeaders.append(headers, List.of(size))
          : NatsHeaders.empty().add(size.key(), size.value()).toBytes();
      payload = new byte[0];
    }
    host.deliver(to, m.subject(), ack, headers, payload);
    int size = m.subject().length() + ack.length() + (headers == null ? 0 : headers.length) + payload.length;
    switch (config.ackPolicy()) {
      case EXPLICIT, ALL -> {
        Pending p = pending.get(m.seq());
        if (p == null) {
          pending.put(m.seq(), new Pending(cseq, now));
        } else {
          p.timestamp = now;
        }
        if (nextPendingCheck == 0) {
          nextPendingCheck = now + ackWait(0);
        }
      }
      default -> {
        adflr = cseq;
        asflr = m.seq();
      }
    }
    lastDelivered = now;
    lastPushActivity = now;
    everDelivered = true;
    host.stateChanged(this);
    if (config.isPush() && config.flowControl) {
      fcBytes += size;
      if (fcId == null && fcBytes > fcWindow / 2) {
        sendFlowControl();
      } else if (fcId != null && fcBytes - fcOutstandingBytes >= fcWindow) {
        fcOutstandingBytes += size;
      }
    }
    if (config.ackPolicy() == ConsumerConfig.AckPolicy.NONE) {
      stream.acked(this, m.seq());
    }
    return size;
  }

  private void sendFlowControl() {
    String id = "$JS.FC." + stream.name() + "." + name + "." + UUID.randomUUID().toString().substring(0, 4);
    fcId = id;
    fcOutstandingBytes = fcBytes;
    host.deliver(config.deliverSubject(), null, id, NatsHeaders.status(100, "FlowControl Request").toBytes(), new byte[0]);
  }

  /** A flow-control response arrived on {@code subject}. */
  void onFlowControl(String subject) {
    if (!subject.equals(fcId)) {
      return;
    }
    if (fcWindow < FC_LIMIT) {
      fcWindow = Math.min(FC_LIMIT, fcWindow * 2);
    }
    fcBytes = Math.max(0, fcBytes - fcOutstandingBytes);
    fcId = null;
    fcOutstandingBytes = 0;
    host.schedulePump(this);
  }

  private void sendHeartbeat(String to) {
    NatsHeaders h = NatsHeaders.status(100, HEARTBEAT_STATUS)
        .add("Nats-Last-Consumer", Long.toString(dseq - 1))
        .add("Nats-Last-Stream", Long.toString(sseq - 1));
    if (fcId != null) {
      h.add("Nats-Consumer-Stalled", fcId);
    }
    host.publish(to, null, h.toBytes(), new byte[0]);
  }

  private void status(String to, int code, String text, PullRequest pendingOf) {
    NatsHeaders h = NatsHeaders.status(code, text);
    if (pendingOf != null) {
      h.add("Nats-Pending-Messages", Integer.toString(pendingOf.remaining))
          .add("Nats-Pending-Bytes", Long.toString(Math.max(0, pendingOf.bytesLeft)));
    }
    host.publish(to, null, h.toBytes(), new byte[0]);
  }

  // ------------------------------------------------------------------ bounces (nobody listening)

  /** A delivery with this acknowledgement reply reached nobody. */
  void onBounce(AckReply a) {
    if (closed) {
      return;
    }
    if (config.isPush()) {
      markInactive();
      fcId = null;
      fcBytes = 0;
      fcOutstandingBytes = 0;
      if (a.deliveries() > 1) {
        undoRedelivery(a.streamSeq());
      } else if (a.consumerSeq() < dseq) {
        rewind(a.streamSeq(), a.consumerSeq());
      }
    } else {
      waiting.removeIf(r -> r.delivered > 0 && a.consumerSeq() >= r.firstConsumerSeq
          && a.consumerSeq() <= r.lastConsumerSeq);
      if (pending.containsKey(a.streamSeq())) {
        undoRedelivery(a.streamSeq());
      }
    }
    host.stateChanged(this);
  }

  /** A flow-control request reached nobody. */
  void onFlowControlBounce() {
    markInactive();
    fcId = null;
    fcBytes = 0;
  }

  private void markInactive() {
    long now = Rfc3339.nowNanos();
    if (active) {
      active = false;
      inactiveSince = now;
    }
    lastBounce = now;
    nextProbe = now + PROBE_NANOS;
  }

  private void undoRedelivery(long seq) {
    Long c = redelivered.get(seq);
    if (c != null) {
      if (c <= 1) {
        redelivered.remove(seq);
      } else {
        redelivered.put(seq, c - 1);
      }
    }
    if (pending.containsKey(seq) || config.ackPolicy() == ConsumerConfig.AckPolicy.NONE) {
      queueRedelivery(seq);
    }
  }

  /** The first delivery of {@code bouncedSeq} as {@code bouncedCseq} never arrived: go back to it. */
  private void rewind(long bouncedSeq, long bouncedCseq) {
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      if (e.getValue().dseq >= bouncedCseq) {
        if (e.getKey() >= bouncedSeq) {
          it.remove();
          redelivered.remove(e.getKey());
        } else {
          queueRedelivery(e.getKey());
        }
      }
    }
    redeliverQueue.removeIf(s -> {
      if (s >= bouncedSeq && !pending.containsKey(s)) {
        onRedeliverQueue.remove(s);
        return true;
      }
      return false;
    });
    if (skipList == null || bouncedSeq >= skipResume) {
      sseq = Math.min(sseq, bouncedSeq);
    }
    dseq = bouncedCseq;
    if (dseq == 1) {
      lastDelivered = 0; // nothing ever arrived
    }
    if (adflr >= bouncedCseq) {
      adflr = bouncedCseq - 1;
    }
    if (asflr >= bouncedSeq) {
      asflr = bouncedSeq - 1;
    }
    numPendingValid = false;
  }

  // ------------------------------------------------------------------ pull requests

  /** A {@code CONSUMER.MSG.NEXT} request (or the request part of {@code +NXT}). */
  void onNextRequest(String reply, byte[] body) {
    if (reply == null || reply.isEmpty() || closed) {
      return;
    }
    if (config.isPush()) {
      status(reply, 409, "Consumer is push based", null);
      return;
    }
    long now = Rfc3339.nowNanos();
    String text = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8).trim();
    int batch = 1;
    long expires = 0;
    long maxBytes = 0;
    boolean noWait = false;
    long heartbeat = 0;
    if (text.startsWith("{")) {
      try {
        JsonObject j = new JsonObject(text);
        batch = j.getInteger("batch", 0);
        expires = j.getLong("expires", 0L);
        maxBytes = j.getLong("max_bytes", 0L);
        noWait = j.getBoolean("no_wait", false);
        heartbeat = j.getLong("idle_heartbeat", 0L);
      } catch (DecodeException | ClassCastException e) {
        status(reply, 400, "Bad Request - invalid JSON", null);
        return;
      }
      if (heartbeat > 0 && heartbeat * 2 > expires) {
        status(reply, 400, "Bad Request - heartbeat value too large", null);
        return;
      }
    } else if (!text.isEmpty()) {
      try {
        batch = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        batch = 1;
      }
    }
    if (config.maxBatch > 0 && batch > config.maxBatch) {
      status(reply, 409, "Exceeded MaxRequestBatch of " + config.maxBatch, null);
      return;
    }
    if (expires > 0 && config.maxExpires > 0 && expires > config.maxExpires) {
      status(reply, 409, "Exceeded MaxRequestExpires of " + GoDuration.format(config.maxExpires), null);
      return;
    }
    if (maxBytes > 0 && config.maxBytes > 0 && maxBytes > config.maxBytes) {
      status(reply, 409, "Exceeded MaxRequestMaxBytes of " + config.maxBytes, null);
      return;
    }
    if (waiting.size() >= config.maxWaiting) {
      expireRequests(now);
    }
    lastRequest = now;
    if (noWait) {
      long available = numPending() + redeliverQueue.size();
      if (available == 0 && expires == 0) {
        status(reply, 404, "No Messages", null);
        return;
      }
      if (available > 0) {
        long wanted = 0;
        for (PullRequest r : waiting) {
          wanted += r.remaining;
        }
        if (available < wanted) {
          status(reply, 408, "Requests Pending", null);
          return;
        }
      }
    }
    if (waiting.size() >= config.maxWaiting) {
      status(reply, 409, "Exceeded MaxWaiting", null);
      return;
    }
    waiting.addLast(new PullRequest(reply, Math.max(batch, 1), maxBytes, noWait,
        expires > 0 ? now + expires : 0, heartbeat, now));
    pumpPull();
  }

  private void expireRequests(long now) {
    Iterator<PullRequest> it = waiting.iterator();
    while (it.hasNext()) {
      PullRequest r = it.next();
      if (r.expires > 0 && now >= r.expires) {
        status(r.reply, 408, "Request Timeout", r);
        it.remove();
      }
    }
  }

  // ------------------------------------------------------------------ acknowledgements

  /** An acknowledgement (any kind) published to one of this consumer's reply subjects. */
  void onAck(AckReply a, byte[] body, String reply) {
    if (closed) {
      return;
    }
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    String trimmed = text.trim();
    boolean confirm = reply != null && !reply.isEmpty();
    if (trimmed.isEmpty() || trimmed.equals("+ACK") || trimmed.equals("+OK")) {
      ack(a.streamSeq(), a.consumerSeq());
    } else if (trimmed.startsWith("+NXT")) {
      ack(a.streamSeq(), a.consumerSeq());
      confirm = false;
      onNextRequest(reply, trimmed.substring(4).getBytes(StandardCharsets.UTF_8));
    } else if (trimmed.startsWith("-NAK")) {
      nak(a, trimmed.substring(4).trim());
    } else if (trimmed.equals("+WPI")) {
      Pending p = pending.get(a.streamSeq());
      if (p != null) {
        p.timestamp = Rfc3339.nowNanos();
        host.stateChanged(this);
      }
    } else if (trimmed.startsWith("+TERM")) {
      ack(a.streamSeq(), a.consumerSeq());
      advisory("MSG_TERMINATED", "terminated", a, true);
    } else {
      confirm = false;
    }
    if (confirm) {
      host.afterCommit(() -> host.publish(reply, null, null, new byte[0]));
    }
  }

  private void ack(long seq, long cseq) {
    long now = Rfc3339.nowNanos();
    switch (config.ackPolicy()) {
      case EXPLICIT -> {
        boolean wasFull = maxAckPendingReached();
        Pending p = pending.remove(seq);
        if (p == null) {
          return;
        }
        long d = p.dseq;
        if (pending.isEmpty()) {
          adflr = dseq - 1;
          asflr = sseq - 1;
        } else if (d == adflr + 1) {
          adflr = d;
          asflr = seq;
          Map.Entry<Long, Pending> next = pending.ceilingEntry(seq + 1);
          if (next != null) {
            adflr = next.getValue().dseq - 1;
            asflr = next.getKey() - 1;
          }
        }
        redelivered.remove(seq);
        if (onRedeliverQueue.remove(seq)) {
          redeliverQueue.remove(seq);
        }
        lastAcked = now;
        host.stateChanged(this);
        stream.acked(this, seq);
        if (wasFull) {
          host.schedulePump(this);
        }
      }
      case ALL -> {
        if (cseq <= adflr || seq <= asflr) {
          return;
        }
        boolean wasFull = maxAckPendingReached();
        long from = asflr;
        adflr = cseq;
        asflr = seq;
        List<Long> done = new ArrayList<>(pending.headMap(seq, true).keySet());
        for (Long s : done) {
          pending.remove(s);
          redelivered.remove(s);
          if (onRedeliverQueue.remove(s)) {
            redeliverQueue.remove(s);
          }
        }
        lastAcked = now;
        host.stateChanged(this);
        if (stream.config().retention() != StreamConfig.Retention.LIMITS) {
          for (long s = Math.max(from + 1, stream.firstSeq()); s <= seq; s++) {
            stream.acked(this, s);
          }
        }
        if (wasFull) {
          host.schedulePump(this);
        }
      }
      default -> {
        // nothing to acknowledge
      }
    }
  }

  private void nak(AckReply a, String arg) {
    long seq = a.streamSeq();
    if (a.consumerSeq() <= adflr || a.consumerSeq() >= dseq) {
      return;
    }
    if (!pending.isEmpty() && !pending.containsKey(seq)) {
      return;
    }
    advisory("MSG_NAKED", "nak", a, true);
    if (!arg.isEmpty()) {
      long delay;
      try {
        if (arg.startsWith("{")) {
          delay = new JsonObject(arg).getLong("delay", 0L);
        } else {
          delay = GoDuration.parse(arg);
        }
      } catch (RuntimeException e) {
        delay = -1;
      }
      if (delay >= 0) {
        if (onRedeliverQueue.remove(seq)) {
          redeliverQueue.remove(seq);
        }
        Pending p = pending.get(seq);
        if (p != null) {
          long now = Rfc3339.nowNanos();
          p.timestamp = now - config.ackWait + delay;
          nextPendingCheck = Math.min(nextPendingCheck == 0 ? Long.MAX_VALUE : nextPendingCheck, now + 10_000_000L);
          host.stateChanged(this);
        }
        return;
      }
    }
    queueRedelivery(seq);
    host.schedulePump(this);
  }

  private long ackWait(long next) {
    return (next > 0 ? next : config.ackWait) + 1_000_000L;
  }

  /** Puts deliveries whose ack wait (or backoff step) has passed on the redelivery queue. */
  private void checkPending(long now) {
    long next = ackWait(0);
    if (!config.backoff.isEmpty()) {
      next = config.backoff.get(config.backoff.size() - 1);
    }
    long first = stream.firstSeq();
    List<Long> expired = new ArrayList<>();
    boolean changed = false;
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      long seq = e.getKey();
      if (seq < first) {
        it.remove();
        redelivered.remove(seq);
        changed = true;
        continue;
      }
      long elapsed = now - e.getValue().timestamp;
      long deadline = config.ackWait;
      if (!config.backoff.isEmpty()) {
        int dc = redelivered.getOrDefault(seq, 0L).intValue();
        int nbi = dc + 1;
        if (dc + 1 >= config.backoff.size()) {
          dc = config.backoff.size() - 1;
          nbi = dc;
        }
        deadline = config.backoff.get(dc);
        next = Math.min(next, config.backoff.get(nbi));
      }
      if (elapsed >= deadline) {
        if (!onRedeliverQueue.contains(seq)) {
          expired.add(seq);
        }
      } else if (deadline - elapsed < next) {
        next = deadline - elapsed;
      }
    }
    if (!expired.isEmpty()) {
      long off = now - pending.get(expired.get(0)).timestamp;
      for (Long seq : expired) {
        queueRedelivery(seq);
        pending.get(seq).timestamp += off;
      }
      host.schedulePump(this);
    }
    nextPendingCheck = pending.isEmpty() ? 0 : now + ackWait(next);
    if (changed) {
      host.stateChanged(this);
    }
  }

  // ------------------------------------------------------------------ needs (interest retention)

  /** Whether this consumer still needs {@code seq} (needAck of nats-server). */
  boolean needsAck(long seq, String subject) {
    if (!matches(subject)) {
      return false;
    }
    return switch (config.ackPolicy()) {
      case NONE, ALL -> seq > asflr;
      case EXPLICIT -> seq > asflr && (seq >= sseq || pending.containsKey(seq));
    };
  }

  // ------------------------------------------------------------------ timers

  /** Applies whatever time made due: redeliveries, request expiry, heartbeats, inactivity. */
  void tick(long now) {
    if (closed) {
      return;
    }
    if (nextPendingCheck != 0 && now >= nextPendingCheck) {
      checkPending(now);
    }
    if (config.isPush()) {
      if (config.idleHeartbeat > 0 && now - lastPushActivity >= config.idleHeartbeat) {
        lastPushActivity = now;
        if (active) {
          sendHeartbeat(config.deliverSubject());
        }
      }
      if (resumeAt != 0 && now >= resumeAt) {
        resumeAt = 0;
        host.schedulePump(this);
      }
      if (!active && now >= nextProbe) {
        if (numPending() > 0 || !redeliverQueue.isEmpty()) {
          host.schedulePump(this);
        }
      }
      if (!active && lastDelivered > lastBounce && now - lastDelivered >= PROBE_NANOS) {
        active = true; // the probe was not bounced: somebody listens again
        host.schedulePump(this);
      }
      if (!active && config.inactiveThreshold > 0 && now - inactiveSince >= config.inactiveThreshold) {
        host.expired(this);
      }
    } else {
      boolean expired = false;
      Iterator<PullRequest> it = waiting.iterator();
      while (it.hasNext()) {
        PullRequest r = it.next();
        if (r.expires > 0 && now >= r.expires) {
          status(r.reply, 408, "Request Timeout", r);
          it.remove();
          expired = true;
        } else if (r.heartbeat > 0 && now >= r.nextHeartbeat) {
          sendHeartbeat(r.reply);
          r.nextHeartbeat = now + r.heartbeat;
        }
      }
      if (expired) {
        lastRequest = now;
      }
      if (config.inactiveThreshold > 0 && waiting.isEmpty() && now - lastRequest >= config.inactiveThreshold) {
        host.expired(this);
      }
    }
  }

  // ------------------------------------------------------------------ advisories

  private void advisory(String kind, String type, AckReply a, boolean withConsumerSeq) {
    JsonObject j = new JsonObject().put("type", "io.nats.jetstream.advisory.v1." + type)
        .put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 22))
        .put("timestamp", Rfc3339.format(Rfc3339.nowNanos()))
        .put("stream", stream.name()).put("consumer", name);
    if (withConsumerSeq) {
      j.put("consumer_seq", a.consumerSeq());
    }
    j.put("stream_seq", a.streamSeq()).put("deliveries", a.deliveries());
    host.publish("$JS.EVENT.ADVISORY.CONSUMER." + kind + "." + stream.name() + "." + name, null, null,
        j.encode().getBytes(StandardCharsets.UTF_8));
  }

  private void maxDeliveriesAdvisory(long seq, long deliveries) {
    advisory("MAX_DELIVERIES", "max_deliver", new AckReply(stream.name(), name, deliveries, seq, 0, 0, 0), false);
  }

  // ------------------------------------------------------------------ info

  /** ConsumerInfo without the response type. */
  public JsonObject info(JsonObject into) {
    JsonObject delivered = new JsonObject().put("consumer_seq", dseq - 1).put("stream_seq", sseq - 1);
    if (lastDelivered != 0) {
      delivered.put("last_active", Rfc3339.format(lastDelivered));
    }
    // nats-server reports its store's floor, which stays at zero until something is acknowledged
    JsonObject floor = new JsonObject().put("consumer_seq", adflr).put("stream_seq", adflr == 0 ? 0 : asflr);
    if (lastAcked != 0) {
      floor.put("last_active", Rfc3339.format(lastAcked));
    }
    into.put("stream_name", stream.name()).put("name", name).put("created", Rfc3339.format(created))
        .put("config", config.toJson()).put("delivered", delivered).put("ack_floor", floor)
        .put("num_ack_pending", pending.size()).put("num_redelivered", redelivered.size())
        .put("num_waiting", waiting.size()).put("num_pending", numPending());
    if (pushBound()) {
      into.put("push_bound", true);
    }
    return into;
  }

  /** Ends the consumer: waiting pull requests hear {@code 409 Consumer Deleted}. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PullRequest r : waiting) {
      status(r.reply, 409, "Consumer Deleted", null);
    }
    waiting.clear();
  }

  boolean isClosed() {
    return closed;
  }

  // ------------------------------------------------------------------ persistence

  /** The delivery state as stored: positions, floors, pending deliveries, redelivery counts. */
  byte[] encodeState() {
    int skipLeft = skipList == null ? 0 : skipList.length - skipIndex;
    ByteBuffer b = ByteBuffer.allocate(8 * 9 + 4 + pending.size() * 24 + 4 + redelivered.size() * 16 + 4
        + skipLeft * 8);
    b.putLong(1).putLong(sseq).putLong(dseq).putLong(adflr).putLong(asflr).putLong(lastDelivered)
        .putLong(lastAcked).putLong(skipResume).putLong(0);
    b.putInt(pending.size());
    pending.forEach((seq, p) -> b.putLong(seq).putLong(p.dseq).putLong(p.timestamp));
    b.putInt(redelivered.size());
    redelivered.forEach((seq, c) -> b.putLong(seq).putLong(c));
    b.putInt(skipLeft);
    for (int i = 0; i < skipLeft; i++) {
      b.putLong(skipList[skipIndex + i]);
    }
    return b.array();
  }

  /** Restores {@link #encodeState()}'s record (recovery); deliveries pending are due for redelivery on their timers. */
  void restoreState(byte[] state) {
    ByteBuffer b = ByteBuffer.wrap(state);
    b.getLong();
    sseq = b.getLong();
    dseq = b.getLong();
    adflr = b.getLong();
    asflr = b.getLong();
    lastDelivered = b.getLong();
    lastAcked = b.getLong();
    skipResume = b.getLong();
    b.getLong();
    int n = b.getInt();
    long first = stream.firstSeq();
    for (int i = 0; i < n; i++) {
      long seq = b.getLong();
      long d = b.getLong();
      long ts = b.getLong();
      if (seq >= first) {
        pending.put(seq, new Pending(d, ts));
      }
    }
    int r = b.getInt();
    for (int i = 0; i < r; i++) {
      long seq = b.getLong();
      long c = b.getLong();
      if (pending.containsKey(seq)) {
        redelivered.put(seq, c);
      }
    }
    int skipLeft = b.getInt();
    if (skipLeft > 0) {
      skipList = new long[skipLeft];
      for (int i = 0; i < skipLeft; i++) {
        skipList[i] = b.getLong();
      }
      skipIndex = 0;
    }
    if (!pending.isEmpty()) {
      nextPendingCheck = Rfc3339.nowNanos();
    }
    numPendingValid = false;
  }
}
