package io.tern.gateway.monitor;

/** A monitoring query nats-server would answer with HTTP 400 and this plain-text message. */
final class BadRequest extends RuntimeException {
  BadRequest(String message) {
    super(message, null, false, false);
  }
}
