package io.tern.gateway.mqtt;

import io.tern.common.subject.Subjects;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MqttSessionStore} in this process's memory, shared by every MQTT gateway instance: state
 * survives reconnects (on any event loop) but not a restart. Calls come from several event loops,
 * so every method holds the store's lock; listeners are told outside it.
 */
public final class InMemoryMqttSessionStore implements MqttSessionStore {

  /** One session: its subscriptions (filter to QoS, with the filters' subjects) and queues. */
  private static final class Session {
    final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    final Map<String, List<String>> subjects = new HashMap<>();
    final ArrayDeque<StoredMessage> queued = new ArrayDeque<>();
    final LinkedHashMap<Integer, StoredMessage> inFlight = new LinkedHashMap<>();
    SessionListener listener;
    boolean clean;
    int lastPacketId;

    boolean wantsQos1(String subject) {
      for (Map.Entry<String, Integer> e : subscriptions.entrySet()) {
        if (e.getValue() > 0) {
          for (String pattern : subjects.get(e.getKey())) {
            if (Subjects.matches(subject, pattern)) {
              return true;
            }
          }
        }
      }
      return false;
    }

    int nextPacketId() {
      do {
        lastPacketId = lastPacketId >= 65535 ? 1 : lastPacketId + 1;
      } while (inFlight.containsKey(lastPacketId));
      return lastPacketId;
    }
  }

  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, RetainedMessage> retained = new LinkedHashMap<>();

  @Override
  public Future<SessionState> open(String clientId, boolean clean, SessionListener listener) {
    synchronized (this) {
      Session s = clean ? null : sessions.get(clientId);
      boolean present = s != null;
      if (s == null) {
        s = new Session();
        sessions.put(clientId, s);
      }
      s.listener = listener;
      s.clean = clean;
      return Future.succeededFuture(new SessionState(present, new LinkedHashMap<>(s.subscriptions)));
    }
  }

  @Override
  public Future<Void> close(String clientId, SessionListener listener, boolean discard) {
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null && s.listener == listener) {
        s.listener = null;
        if (discard) {
          sessions.remove(clientId);
        }
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> subscribe(String clientId, Map<String, Integer> filters) {
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null) {
        for (Map.Entry<String, Integer> e : filters.entrySet()) {
          s.subscriptions.put(e.getKey(), e.getValue());
          s.subjects.put(e.getKey(), MqttTopics.filterToSubjects(e.getKey()));
        }
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unsubscribe(String clientId, List<String> filters) {
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null) {
        for (String f : filters) {
          s.subscriptions.remove(f);
          s.subjects.remove(f);
        }
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> storeMessage(StoredMessage message) {
    List<SessionListener> notify = new ArrayList<>();
    synchronized (this) {
      for (Session s : sessions.values()) {
        // Clean sessions take QoS 1 messages from their router subscriptions (MqttConnection).
        if (!s.clean && s.wantsQos1(message.subject())) {
          s.queued.add(message);
          if (s.listener != null) {
            notify.add(s.listener);
          }
        }
      }
    }
    notify.forEach(SessionListener::messagesAvailable);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> enqueue(String clientId, StoredMessage message) {
    SessionListener notify = null;
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null) {
        s.queued.add(message);
        notify = s.listener;
      }
    }
    if (notify != null) {
      notify.messagesAvailable();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Delivery>> unacknowledged(String clientId) {
    List<Delivery> list = new ArrayList<>();
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null) {
        s.inFlight.forEach((id, m) -> list.add(new Delivery(id, m)));
      }
    }
    return Future.succeededFuture(list);
  }

  @Override
  public Future<List<Delivery>> take(String clientId, int maxInFlight) {
    List<Delivery> list = new ArrayList<>();
    synchronized (this) {
      Session s = sessions.get(clientId);
      if (s != null) {
        while (!s.queued.isEmpty() && s.inFlight.size() < maxInFlight) {
          StoredMessage m = s.queued.poll();
          int id = s.nextPacketId();
          s.inFlight.put(id, m);
          list.add(new Delivery(id, m));
        }
      }
    }
    return Future.succeededFuture(list);
  }

  @Override
  public Future<Boolean> ack(String clientId, int packetId) {
    synchronized (this) {
      Session s = sessions.get(clientId);
      return Future.succeededFuture(s != null && s.inFlight.remove(packetId) != null);
    }
  }

  @Override
  public Future<Void> retain(RetainedMessage message) {
    synchronized (this) {
      if (message.payload().length == 0) {
        retained.remove(message.subject());
      } else {
        retained.put(message.subject(), message);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<RetainedMessage>> retained(String subject) {
    List<RetainedMessage> list = new ArrayList<>();
    synchronized (this) {
      for (RetainedMessage m : retained.values()) {
        if (Subjects.matches(m.subject(), subject)) {
          list.add(m);
        }
      }
    }
    return Future.succeededFuture(list);
  }

  /** Whether a session of {@code clientId} exists. */
  synchronized boolean has(String clientId) {
    return sessions.containsKey(clientId);
  }

  /** Removes the session of {@code clientId}, attached or not. */
  synchronized void remove(String clientId) {
    sessions.remove(clientId);
  }

  /** How many sessions exist (connected or not); for tests and monitoring. */
  public synchronized int sessionCount() {
    return sessions.size();
  }
}
