package io.tern.router;

import io.tern.common.bus.InterestSync;
import io.tern.common.bus.RouteBatch;
import java.util.HashSet;
import java.util.Set;

/**
 * Distributed mode: which nodes a router partition instance is in sync with (see
 * {@link InterestSync}). A node's operations count only from its replay marker on; before it, the
 * partition does not know the node's subscriptions and account bindings.
 */
final class SourceGate {

  private final int incarnation;
  private final Set<String> synced = new HashSet<>();

  SourceGate(int incarnation) {
    this.incarnation = incarnation;
  }

  int incarnation() {
    return incarnation;
  }

  /** The index of {@code batch}'s first op to apply, or -1 to drop the whole batch. */
  int admit(RouteBatch batch) {
    if (synced.contains(batch.source())) {
      return 0;
    }
    int marker = InterestSync.markerIndex(batch, incarnation);
    if (marker >= 0) {
      synced.add(batch.source());
    }
    return marker;
  }

  int syncedNodes() {
    return synced.size();
  }
}
