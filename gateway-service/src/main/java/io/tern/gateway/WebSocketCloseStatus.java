package io.tern.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The close frame that follows a fatal {@code -ERR} on a WebSocket: nats-server's status code and
 * reason text for the closed state behind each error. (nats-server sends 1006 for a stale
 * connection; RFC 6455 forbids sending 1006, so Tern says 1001 there.)
 */
record WebSocketCloseStatus(short code, String reason) {

  static final WebSocketCloseStatus PROTOCOL_VIOLATION = new WebSocketCloseStatus((short) 1002, "Protocol Violation");

  private static final Map<String, WebSocketCloseStatus> BY_ERROR = Map.of(
      "Unknown Protocol Operation", PROTOCOL_VIOLATION,
      "Maximum Payload Violation", new WebSocketCloseStatus((short) 1009, "Maximum Message Payload Exceeded"),
      "maximum control line exceeded", new WebSocketCloseStatus((short) 1008, "Maximum Control Line Exceeded"),
      "Authorization Violation", new WebSocketCloseStatus((short) 1008, "Authentication Failure"),
      "Authentication Timeout", new WebSocketCloseStatus((short) 1008, "Authentication Timeout"),
      "maximum connections exceeded", new WebSocketCloseStatus((short) 1008, "Maximum Connections Exceeded"),
      "Stale Connection", new WebSocketCloseStatus((short) 1001, "Stale Connection"),
      "invalid client protocol", new WebSocketCloseStatus((short) 1002, "Bad Client Protocol Version"),
      "no responders requires headers support",
      new WebSocketCloseStatus((short) 1011, "No Responders Requires Headers"));

  /** The close for the last {@code -ERR '...'} line in {@code lastBytes}, or a protocol violation. */
  static WebSocketCloseStatus afterError(byte[] lastBytes) {
    String text = new String(lastBytes, StandardCharsets.UTF_8);
    int start = text.lastIndexOf("-ERR '");
    int end = text.lastIndexOf('\'');
    if (start >= 0 && end > start + 6) {
      WebSocketCloseStatus known = BY_ERROR.get(text.substring(start + 6, end));
      if (known != null) {
        return known;
      }
    }
    return PROTOCOL_VIOLATION;
  }
}
