package io.tern.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recently closed connections, oldest dropped first, for {@code /connz?state=closed}.
 * Gateways on several event loops add to it, so it is synchronized; it is touched once per closed
 * connection, never per message.
 */
public final class ClosedConnections {
  private final int capacity;
  private final ArrayDeque<ConnectionSnapshot> ring;

  public ClosedConnections(int capacity) {
    this.capacity = Math.max(0, capacity);
    this.ring = new ArrayDeque<>(Math.min(this.capacity, 1024));
  }

  public synchronized void add(ConnectionSnapshot c) {
    if (capacity == 0) {
      return;
    }
    if (ring.size() == capacity) {
      ring.pollFirst();
    }
    ring.addLast(c);
  }

  /** The remembered connections, oldest first. */
  public synchronized List<ConnectionSnapshot> list() {
    return new ArrayList<>(ring);
  }
}
