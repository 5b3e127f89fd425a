package io.tern.gateway;

import java.nio.charset.StandardCharsets;

/** A client's subscription as its gateway holds it: the source of truth the routers follow. */
final class GatewaySubscription {
  final int subId;
  final ClientConnection connection;
  final String subject;
  final String queue;
  final String sid;
  final byte[] sidBytes;
  /** Auto-unsubscribe after this many messages; 0 means never. */
  long max;
  long delivered;

  GatewaySubscription(int subId, ClientConnection connection, String subject, String queue, String sid) {
    this.subId = subId;
    this.connection = connection;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.sidBytes = sid.getBytes(StandardCharsets.ISO_8859_1);
  }
}
