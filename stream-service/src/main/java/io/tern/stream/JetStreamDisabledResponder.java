package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code $JS.API.>} in an account without JetStream as nats-server 2.9.10 does: each known
 * API gets its response type with error 10039 "JetStream not enabled for account" (and the list
 * fields its response always has); {@code MSG.NEXT}, {@code DIRECT.GET} and unknown subjects get
 * no answer at all, so the requester times out.
 */
public final class JetStreamDisabledResponder {

  private static final String PREFIX = "$JS.API.";
  private static final String TYPE_PREFIX = "io.nats.jetstream.api.v1.";

  private final RouterLink link;
  private final String queue;

  /** @param link a link bound to the account */
  public JetStreamDisabledResponder(RouterLink link) {
    this(link, null);
  }

  /**
   * @param link  a link bound to the account
   * @param queue the queue group to subscribe in (several stream services in one cluster), or null
   */
  public JetStreamDisabledResponder(RouterLink link, String queue) {
    this.link = link;
    this.queue = queue;
  }

  /** Subscribes the API; the returned barrier completes once the routers have it. */
  public io.vertx.core.Future<Void> start() {
    link.subscribe(PREFIX + ">", queue, this::onRequest);
    return link.barrier();
  }

  private void onRequest(RouterLink.Message m) {
    if (m.reply() == null) {
      return;
    }
    JsonObject r = response(m.subject().substring(PREFIX.length()).split("\\.", -1));
    if (r != null) {
      link.publish(m.reply(), null, null, r.encode().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The error response to API tokens {@code t}; null when nats-server does not answer. */
  static JsonObject response(String[] t) {
    String type = type(t);
    if (type == null) {
      return null;
    }
    JsonObject r = new JsonObject().put("type", TYPE_PREFIX + type)
        .put("error", AccountLimits.NOT_ENABLED.toJson());
    switch (type) {
      case "stream_names_response" -> paging(r).putNull("streams");
      case "stream_list_response" -> paging(r).put("streams", new JsonArray());
      case "consumer_names_response", "consumer_list_response" -> paging(r).put("consumers", new JsonArray());
      case "stream_info_response" -> paging(r);
      case "stream_purge_response" -> r.put("purged", 0);
      default -> {
        // the other responses carry only the error
      }
    }
    return r;
  }

  private static JsonObject paging(JsonObject r) {
    return r.put("total", 0).put("offset", 0).put("limit", 0);
  }

  private static String type(String[] t) {
    if (t.length == 1 && t[0].equals("INFO")) {
      return "account_info_response";
    }
    if (t.length >= 2 && t[0].equals("STREAM")) {
      if (t.length == 2 && (t[1].equals("NAMES") || t[1].equals("LIST"))) {
        return "stream_" + t[1].toLowerCase(java.util.Locale.ROOT) + "_response";
      }
      if (t.length == 3) {
        return switch (t[1]) {
          case "CREATE", "UPDATE", "INFO", "DELETE", "PURGE", "SNAPSHOT", "RESTORE" ->
              "stream_" + t[1].toLowerCase(java.util.Locale.ROOT) + "_response";
          default -> null;
        };
      }
      if (t.length == 4 && t[1].equals("MSG") && (t[2].equals("GET") || t[2].equals("DELETE"))) {
        return "stream_msg_" + t[2].toLowerCase(java.util.Locale.ROOT) + "_response";
      }
      return null;
    }
    if (t.length >= 3 && t[0].equals("CONSUMER")) {
      if (t[1].equals("CREATE") || (t[1].equals("DURABLE") && t[2].equals("CREATE"))) {
        return "consumer_create_response";
      }
      if (t.length == 3 && (t[1].equals("NAMES") || t[1].equals("LIST"))) {
        return "consumer_" + t[1].toLowerCase(java.util.Locale.ROOT) + "_response";
      }
      if (t.length == 4 && (t[1].equals("INFO") || t[1].equals("DELETE"))) {
        return "consumer_" + t[1].toLowerCase(java.util.Locale.ROOT) + "_response";
      }
    }
    return null;
  }
}
