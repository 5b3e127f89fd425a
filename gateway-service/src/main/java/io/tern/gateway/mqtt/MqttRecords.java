package io.tern.gateway.mqtt;

import io.tern.gateway.mqtt.MqttSessionStore.RetainedMessage;
import io.tern.gateway.mqtt.MqttSessionStore.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How MQTT state is laid out in JetStream: stream names and subjects, and the bytes of each record.
 *
 * <ul>
 *   <li>{@code $MQTT_sess} ({@code $MQTT.sess.>}, one message per subject): a session's record at
 *       {@code $MQTT.sess.<hash>} (JSON: client id and subscriptions; empty when removed), and the
 *       highest queue sequence it was handed at {@code $MQTT.sess.<hash>.dlv}.</li>
 *   <li>{@code $MQTT_msgs} ({@code $MQTT.msgs.*}): each persistent session's QoS 1 queue at
 *       {@code $MQTT.msgs.<hash>}, a message deleted once the client acknowledges it.</li>
 *   <li>{@code $MQTT_rmsgs} ({@code $MQTT.rmsgs.>}, one message per subject): the retained message
 *       of subject {@code s} at {@code $MQTT.rmsgs.s}; an empty message clears it.</li>
 * </ul>
 * The hash stands for the client id, which may hold characters a subject cannot.
 */
final class MqttRecords {

  static final String SESSIONS = "$MQTT_sess";
  static final String MESSAGES = "$MQTT_msgs";
  static final String RETAINED = "$MQTT_rmsgs";
  static final String SESSION_PREFIX = "$MQTT.sess.";
  static final String MESSAGE_PREFIX = "$MQTT.msgs.";
  static final String RETAINED_PREFIX = "$MQTT.rmsgs.";
  /** Where a persistent session is told that its queue has grown. */
  static final String NOTIFY_PREFIX = "$MQTT.notify.";
  /** Where a gateway announces that a client id connected to it, so others close theirs. */
  static final String TAKEOVER_PREFIX = "$MQTT.takeover.";

  private MqttRecords() {}

  /** The stream configurations, as nats-server's MQTT layer makes them (file storage, one replica). */
  static JsonObject[] streamConfigs() {
    return new JsonObject[] {
        stream(SESSIONS, SESSION_PREFIX + ">").put("max_msgs_per_subject", 1),
        stream(MESSAGES, MESSAGE_PREFIX + "*"),
        stream(RETAINED, RETAINED_PREFIX + ">").put("max_msgs_per_subject", 1)
    };
  }

  private static JsonObject stream(String name, String subject) {
    return new JsonObject().put("name", name).put("subjects", new io.vertx.core.json.JsonArray().add(subject))
        .put("retention", "limits").put("storage", "file").put("num_replicas", 1);
  }

  /** A subject token standing for {@code clientId}: hex of the first 16 bytes of its SHA-256. */
  static String hash(String clientId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- session records ----

  static byte[] encodeSession(String clientId, Map<String, Integer> subscriptions) {
    JsonObject subs = new JsonObject();
    subscriptions.forEach(subs::put);
    return new JsonObject().put("id", clientId).put("subs", subs).encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A session record read back: client id and subscriptions in the order they were made. */
  record SessionRecord(String clientId, Map<String, Integer> subscriptions) {}

  /** Null for an empty (removed) record. */
  static SessionRecord decodeSession(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    JsonObject j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    Map<String, Integer> subs = new LinkedHashMap<>();
    JsonObject s = j.getJsonObject("subs", new JsonObject());
    for (String filter : s.fieldNames()) {
      subs.put(filter, s.getInteger(filter));
    }
    return new SessionRecord(j.getString("id"), subs);
  }

  // ---- queued and retained messages: [flags or qos:1][topic length:2][topic][payload] ----

  static byte[] encodeQueued(StoredMessage m) {
    return encode(m.retain() ? 1 : 0, m.topic(), m.payload());
  }

  static StoredMessage decodeQueued(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    boolean retain = b.get() == 1;
    String topic = readTopic(b);
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new StoredMessage(MqttTopics.topicToSubject(topic), topic, payload, retain);
  }

  static byte[] encodeRetained(RetainedMessage m) {
    return encode(m.qos(), m.topic(), m.payload());
  }

  /** Null for an empty record (a cleared retained message). */
  static RetainedMessage decodeRetained(String subject, byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int qos = b.get();
    String topic = readTopic(b);
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new RetainedMessage(subject, topic, payload, qos);
  }

  private static byte[] encode(int flag, String topic, byte[] payload) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(3 + t.length + payload.length);
    b.put((byte) flag).putShort((short) t.length).put(t).put(payload);
    return b.array();
  }

  private static String readTopic(ByteBuffer b) {
    int len = b.getShort() & 0xFFFF;
    byte[] t = new byte[len];
    b.get(t);
    return new String(t, StandardCharsets.UTF_8);
  }
}
