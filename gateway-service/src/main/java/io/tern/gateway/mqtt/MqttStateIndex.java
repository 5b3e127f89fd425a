package io.tern.gateway.mqtt;

import io.tern.common.subject.Subjects;
import io.tern.gateway.mqtt.MqttRecords.SessionRecord;
import io.tern.gateway.mqtt.MqttSessionStore.RetainedMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one gateway knows of the MQTT state held in the streams: the persistent sessions (by
 * client-id hash) with the subjects of their QoS 1 subscriptions, and the retained messages by
 * subject. Kept by {@link JetStreamMqttSessionStore} on its context; only {@link #anyQos1()} may
 * be read from other threads.
 */
final class MqttStateIndex {

  private final Map<String, SessionRecord> sessions = new HashMap<>();
  private final Map<String, List<String>> qos1Subjects = new HashMap<>();
  private final Map<String, RetainedMessage> retained = new LinkedHashMap<>();
  private volatile boolean anyQos1;

  SessionRecord session(String h) {
    return sessions.get(h);
  }

  boolean hasSession(String h) {
    return sessions.containsKey(h);
  }

  int sessionCount() {
    return sessions.size();
  }

  void putSession(String h, SessionRecord rec) {
    sessions.put(h, rec);
    List<String> subjects = new ArrayList<>();
    rec.subscriptions().forEach((filter, qos) -> {
      if (qos > 0) {
        subjects.addAll(MqttTopics.filterToSubjects(filter));
      }
    });
    qos1Subjects.put(h, subjects);
    anyQos1 |= !subjects.isEmpty();
  }

  void removeSession(String h) {
    sessions.remove(h);
    qos1Subjects.remove(h);
    anyQos1 = qos1Subjects.values().stream().anyMatch(l -> !l.isEmpty());
  }

  /** Whether any persistent session subscribes at QoS 1 (may err towards true); any thread. */
  boolean anyQos1() {
    return anyQos1;
  }

  /** The hashes of the persistent sessions with a QoS 1 subscription that matches {@code subject}. */
  List<String> qos1Targets(String subject) {
    List<String> targets = new ArrayList<>();
    qos1Subjects.forEach((h, subjects) -> {
      for (String pattern : subjects) {
        if (Subjects.matches(subject, pattern)) {
          targets.add(h);
          break;
        }
      }
    });
    return targets;
  }

  /** Sets (or, with null, clears) the retained message of {@code subject}. */
  void retain(String subject, RetainedMessage message) {
    if (message == null) {
      retained.remove(subject);
    } else {
      retained.put(subject, message);
    }
  }

  /** Keeps {@code message} unless a newer one is already known (loading at start). */
  void retainIfAbsent(String subject, RetainedMessage message) {
    retained.putIfAbsent(subject, message);
  }

  int retainedCount() {
    return retained.size();
  }

  /** The retained messages whose subjects match {@code pattern} (wildcards allowed). */
  List<RetainedMessage> retainedMatching(String pattern) {
    List<RetainedMessage> list = new ArrayList<>();
    for (RetainedMessage m : retained.values()) {
      if (Subjects.matches(m.subject(), pattern)) {
        list.add(m);
      }
    }
    return list;
  }
}
