package io.tern.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What monitoring reports about one client connection, copied on the connection's own event
 * loop so that the HTTP side never reads live connection state from another thread.
 *
 * @param stop   when it closed, or null while open
 * @param reason why it closed (nats-server's words, e.g. {@code Client Closed}), or null while open
 * @param mqttClient the MQTT client id for an MQTT connection, null for NATS clients
 * @param type       /connz's connection type: {@code nats}, {@code websocket} or {@code mqtt}
 * @param rttNanos   the round trip time last measured with a server PING, 0 while unknown
 * @param account    the account the connection is bound to
 * @param jwt        the user JWT it authenticated with (operator mode), or null
 */
public record ConnectionSnapshot(long cid, String ip, int port, Instant start, Instant lastActivity,
                                 Instant stop, String reason, long pendingBytes, long inMsgs, long outMsgs,
                                 long inBytes, long outBytes, String name, String lang, String version,
                                 String user, List<SubscriptionSnapshot> subscriptions, String mqttClient,
                                 String type, long rttNanos, String account, String jwt) {

  /** A snapshot of a connection in {@code $G} without a JWT or a measured round trip time. */
  public ConnectionSnapshot(long cid, String ip, int port, Instant start, Instant lastActivity,
                            Instant stop, String reason, long pendingBytes, long inMsgs, long outMsgs,
                            long inBytes, long outBytes, String name, String lang, String version,
                            String user, List<SubscriptionSnapshot> subscriptions, String mqttClient,
                            String type) {
    this(cid, ip, port, start, lastActivity, stop, reason, pendingBytes, inMsgs, outMsgs, inBytes, outBytes,
        name, lang, version, user, subscriptions, mqttClient, type, 0, "$G", null);
  }

  /** A snapshot whose type follows from the MQTT client id (NATS over TCP otherwise). */
  public ConnectionSnapshot(long cid, String ip, int port, Instant start, Instant lastActivity,
                            Instant stop, String reason, long pendingBytes, long inMsgs, long outMsgs,
                            long inBytes, long outBytes, String name, String lang, String version,
                            String user, List<SubscriptionSnapshot> subscriptions, String mqttClient) {
    this(cid, ip, port, start, lastActivity, stop, reason, pendingBytes, inMsgs, outMsgs, inBytes, outBytes,
        name, lang, version, user, subscriptions, mqttClient, mqttClient == null ? "nats" : "mqtt");
  }

  /** A NATS client's snapshot (no MQTT client id). */
  public ConnectionSnapshot(long cid, String ip, int port, Instant start, Instant lastActivity,
                            Instant stop, String reason, long pendingBytes, long inMsgs, long outMsgs,
                            long inBytes, long outBytes, String name, String lang, String version,
                            String user, List<SubscriptionSnapshot> subscriptions) {
    this(cid, ip, port, start, lastActivity, stop, reason, pendingBytes, inMsgs, outMsgs, inBytes, outBytes,
        name, lang, version, user, subscriptions, null);
  }

  /** One subscription of a connection as {@code /connz?subs=detail} and {@code /subsz?subs=1} show it. */
  public record SubscriptionSnapshot(String subject, String queue, String sid, long msgs, long cid) {}

  /** Copies {@code c}'s state; call on its event loop. */
  static ConnectionSnapshot open(ClientConnection c, Collection<GatewaySubscription> subs) {
    return of(c, subs, null, null);
  }

  /** Copies a connection that has just closed; call on its event loop. */
  static ConnectionSnapshot closed(ClientConnection c, Collection<GatewaySubscription> subs) {
    String reason = c.closeReason() == null ? "Client Closed" : c.closeReason();
    return of(c, subs, Instant.now(), reason);
  }

  private static ConnectionSnapshot of(ClientConnection c, Collection<GatewaySubscription> subs, Instant stop,
                                       String reason) {
    List<SubscriptionSnapshot> list = new ArrayList<>(subs.size());
    for (GatewaySubscription s : subs) {
      list.add(new SubscriptionSnapshot(s.subject, s.queue, s.sid, s.delivered, c.cid));
    }
    return new ConnectionSnapshot(c.cid, c.remoteHost, c.remotePort, Instant.ofEpochMilli(c.startMillis),
        Instant.ofEpochMilli(c.lastActivityMillis), stop, reason, c.pendingBytes(), c.inMsgs, c.outMsgs,
        c.inBytes, c.outBytes, c.opts.name, c.opts.lang, c.opts.version,
        c.opts.jwt != null ? c.user : c.opts.user, List.copyOf(list), null,
        WebSocketMonitoring.connzType(c), c.rttNanos(), c.account, c.opts.jwt);
  }

  /** Whether the connection has closed. */
  public boolean isClosed() {
    return stop != null;
  }
}
