package io.tern.gateway.mqtt;

import io.tern.common.bus.RouterLink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The MQTT gateway as an internal client of JetStream, as nats-server's MQTT layer is: requests
 * to {@code $JS.API.>} and stream publishes with a reply inbox ({@code $MQTT.JSA.<node>.<n>}),
 * answered through the routers like any client's. Use it from its link's context only.
 */
final class MqttJetStream {

  /** Thrown into a failed future for a JetStream error reply. */
  static final class ApiException extends RuntimeException {
    final int errCode;

    ApiException(int errCode, String description) {
      super(description + " (" + errCode + ")");
      this.errCode = errCode;
    }
  }

  /** A message read back from a stream: its sequence, subject and payload. */
  record StreamMessage(long seq, String subject, byte[] payload) {}

  /** nats-server's error code for "no message found". */
  static final int NO_MESSAGE = 10037;
  /** nats-server's error code for "stream name already in use with a different configuration". */
  static final int NAME_IN_USE = 10058;

  private final Vertx vertx;
  private final RouterLink link;
  private final String inboxPrefix;
  private final long timeoutMillis;
  private final Map<String, Promise<RouterLink.Message>> pending = new HashMap<>();
  private long next;

  MqttJetStream(Vertx vertx, RouterLink link, long timeoutMillis) {
    this.vertx = vertx;
    this.link = link;
    this.inboxPrefix = "$MQTT.JSA." + link.nodeId() + ".";
    this.timeoutMillis = timeoutMillis;
  }

  /** Subscribes the reply inbox; call once, before any request. */
  void start() {
    link.subscribe(inboxPrefix + "*", null, m -> {
      Promise<RouterLink.Message> p = pending.remove(m.subject());
      if (p != null) {
        p.tryComplete(m);
      }
    });
  }

  /** Publishes {@code payload} on {@code subject} with a reply inbox; completes with the reply. */
  Future<RouterLink.Message> request(String subject, byte[] headers, byte[] payload) {
    String inbox = inboxPrefix + (++next);
    Promise<RouterLink.Message> p = Promise.promise();
    pending.put(inbox, p);
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (pending.remove(inbox) != null) {
        p.tryFail("no JetStream reply on " + subject + " within " + timeoutMillis + " ms");
      }
    });
    link.publish(subject, inbox, headers, payload);
    return p.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** An API request with a JSON body; fails with {@link ApiException} on an error reply. */
  Future<JsonObject> api(String api, JsonObject body) {
    byte[] bytes = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
    return request("$JS.API." + api, null, bytes).map(m -> {
      JsonObject r = new JsonObject(new String(m.payload(), StandardCharsets.UTF_8));
      JsonObject error = r.getJsonObject("error");
      if (error != null) {
        throw new ApiException(error.getInteger("err_code", 0), error.getString("description", "error"));
      }
      return r;
    });
  }

  /** Creates a stream, or accepts one that already exists with this configuration or another. */
  Future<Void> ensureStream(JsonObject config) {
    return api("STREAM.CREATE." + config.getString("name"), config).<Void>mapEmpty()
        .recover(t -> t instanceof ApiException e && e.errCode == NAME_IN_USE
            ? Future.succeededFuture() : Future.failedFuture(t));
  }

  /** Stores a message in the stream that captures {@code subject}; completes with its sequence. */
  Future<Long> store(String subject, byte[] payload) {
    return request(subject, null, payload).map(m -> {
      JsonObject r = new JsonObject(new String(m.payload(), StandardCharsets.UTF_8));
      JsonObject error = r.getJsonObject("error");
      if (error != null) {
        throw new ApiException(error.getInteger("err_code", 0), error.getString("description", "error"));
      }
      return r.getLong("seq", 0L);
    });
  }

  /** Publishes without waiting for the stream's acknowledgement. */
  void storeLater(String subject, byte[] payload) {
    link.publish(subject, null, null, payload);
  }

  /**
   * STREAM.MSG.GET of the first message at or after {@code seq} on {@code filter} (wildcards
   * allowed); completes with null when there is none.
   */
  Future<StreamMessage> next(String stream, String filter, long seq) {
    return get(stream, new JsonObject().put("seq", seq).put("next_by_subj", filter));
  }

  /** STREAM.MSG.GET of the last message on {@code subject}; null when there is none. */
  Future<StreamMessage> last(String stream, String subject) {
    return get(stream, new JsonObject().put("last_by_subj", subject));
  }

  private Future<StreamMessage> get(String stream, JsonObject body) {
    return api("STREAM.MSG.GET." + stream, body).map(r -> {
      JsonObject m = r.getJsonObject("message");
      String data = m.getString("data");
      byte[] payload = data == null ? new byte[0] : Base64.getDecoder().decode(data);
      return new StreamMessage(m.getLong("seq"), m.getString("subject"), payload);
    }).recover(t -> t instanceof ApiException e && e.errCode == NO_MESSAGE
        ? Future.succeededFuture(null) : Future.failedFuture(t));
  }

  /** STREAM.MSG.DELETE, without waiting for the answer. */
  void deleteLater(String stream, long seq) {
    api("STREAM.MSG.DELETE." + stream, new JsonObject().put("seq", seq));
  }

  /** STREAM.PURGE of the messages on {@code filter}. */
  Future<Void> purge(String stream, String filter) {
    return api("STREAM.PURGE." + stream, new JsonObject().put("filter", filter)).mapEmpty();
  }
}
