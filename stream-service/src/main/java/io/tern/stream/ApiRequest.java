package io.tern.stream;

import io.tern.common.bus.RouterLink;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** One JetStream API request being answered: its reply subject, response type and body. */
final class ApiRequest {
  private static final String TYPE_PREFIX = "io.nats.jetstream.api.v1.";

  final String reply;
  final String type;
  final byte[] body;
  private final RouterLink link;
  private final RocksStorage rocks;

  ApiRequest(RouterLink link, RocksStorage rocks, String reply, String type, byte[] body) {
    this.link = link;
    this.rocks = rocks;
    this.reply = reply;
    this.type = type;
    this.body = body;
  }

  JsonObject json() {
    if (body.length == 0) {
      throw JsError.INVALID_JSON.exception();
    }
    try {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw JsError.INVALID_JSON.exception();
    }
  }

  /** The body as JSON, or an empty object when there is no body. */
  JsonObject optionalJson() {
    return isEmptyBody() ? new JsonObject() : json();
  }

  boolean isEmptyBody() {
    return new String(body, StandardCharsets.UTF_8).isBlank();
  }

  JsonObject response() {
    return new JsonObject().put("type", TYPE_PREFIX + type + "_response");
  }

  /** Sends the response once everything written so far is durable. */
  void send(JsonObject response) {
    byte[] bytes = response.encode().getBytes(StandardCharsets.UTF_8);
    rocks.afterCommit(() -> link.publish(reply, null, null, bytes));
  }
}
