package io.tern.gateway.mqtt;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Where MQTT state lives: sessions with their subscriptions, the QoS 1 messages queued for each
 * session and those delivered but not yet acknowledged, and retained messages. Every method may
 * complete later (a stream-backed store answers over the event bus); callers continue in the
 * future's handlers, which run on their own context.
 *
 * <p>{@link JetStreamMqttSessionStore} keeps them in the stream service (as nats-server keeps them
 * in JetStream); {@link InMemoryMqttSessionStore} in memory, for a server without JetStream.
 */
public interface MqttSessionStore {

  /** A QoS 1 message as stored: the subject it was published on and its MQTT topic. */
  record StoredMessage(String subject, String topic, byte[] payload, boolean retain) {}

  /** A stored message handed to a session under a packet identifier. */
  record Delivery(int packetId, StoredMessage message) {}

  /** A retained message; {@code subject} is the NATS form of {@code topic}. */
  record RetainedMessage(String subject, String topic, byte[] payload, int qos) {}

  /**
   * A session as found when a client connects.
   *
   * @param present       whether a session existed (and was kept: clean session false)
   * @param subscriptions its subscriptions, filter to granted QoS, in the order they were made
   */
  record SessionState(boolean present, Map<String, Integer> subscriptions) {}

  /** Told (from any thread) about the session a connection has open. */
  @FunctionalInterface
  interface SessionListener {
    /** The session has messages to take. */
    void messagesAvailable();

    /** Another gateway's connection took this client id: this one is to close. */
    default void takenOver() {
    }
  }

  /**
   * Attaches a connection to the session of {@code clientId}, creating it; with {@code clean} an
   * existing session is discarded first.
   */
  Future<SessionState> open(String clientId, boolean clean, SessionListener listener);

  /**
   * Detaches {@code listener} (if it is still the session's); {@code discard} removes the
   * session with everything queued for it (clean sessions).
   */
  Future<Void> close(String clientId, SessionListener listener, boolean discard);

  /** Adds or replaces subscriptions, filter to granted QoS. */
  Future<Void> subscribe(String clientId, Map<String, Integer> filters);

  Future<Void> unsubscribe(String clientId, List<String> filters);

  /**
   * Stores a QoS 1 message published on {@code message.subject()}: it is queued for every
   * persistent session (clean session false), connected or not, that has a QoS 1 subscription
   * matching it, and dropped when there is none. Completes once stored, which is when the
   * publisher may be acknowledged. Clean sessions are not served here: their connections
   * {@link #enqueue} what their router subscriptions receive.
   */
  Future<Void> storeMessage(StoredMessage message);

  /** Queues a message for one session only (a retained message delivered on subscribe). */
  Future<Void> enqueue(String clientId, StoredMessage message);

  /** The session's messages delivered but not acknowledged, in delivery order, to send again. */
  Future<List<Delivery>> unacknowledged(String clientId);

  /**
   * Hands out queued messages under new packet identifiers, so that at most {@code maxInFlight}
   * are unacknowledged; they stay in the store until {@link #ack}.
   */
  Future<List<Delivery>> take(String clientId, int maxInFlight);

  /** Removes an acknowledged message; answers whether the packet identifier was in flight. */
  Future<Boolean> ack(String clientId, int packetId);

  /** Stores {@code message} as its topic's retained message, or clears it when the payload is empty. */
  Future<Void> retain(RetainedMessage message);

  /** The retained messages whose subjects match {@code subject} (a NATS subject, wildcards allowed). */
  Future<List<RetainedMessage>> retained(String subject);
}
