package io.tern.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.bus.InterestSync;
import io.tern.common.bus.RouteBatch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceGateTest {

  private static RouteBatch sub(String node) {
    RouteBatch b = new RouteBatch(node);
    b.addSub(1, 1, "a".getBytes(StandardCharsets.UTF_8), null);
    return b;
  }

  @Test
  void dropsANodesOperationsUntilItsMarkerForThisIncarnation() {
    SourceGate gate = new SourceGate(42);
    assertThat(gate.admit(sub("n1"))).isEqualTo(-1);

    RouteBatch stale = sub("n1");
    InterestSync.addMarker(stale, 41); // a marker for an earlier instance of the partition
    assertThat(gate.admit(stale)).isEqualTo(-1);

    RouteBatch replay = sub("n1");
    InterestSync.addMarker(replay, 42);
    replay.addSub(1, 2, "b".getBytes(StandardCharsets.UTF_8), null);
    assertThat(gate.admit(replay)).isEqualTo(1);
    assertThat(gate.admit(sub("n1"))).isZero();
    assertThat(gate.admit(sub("n2"))).isEqualTo(-1);
    assertThat(gate.syncedNodes()).isEqualTo(1);
  }

  @Test
  void aReplayedSubscriptionReplacesTheOldCopyAndRoutingStartsAtTheMarker() {
    Router router = new Router();
    RouteBatch first = new RouteBatch("gw");
    first.addSub(1, 7, "x".getBytes(StandardCharsets.UTF_8), null);
    first.addSub(1, 7, "x".getBytes(StandardCharsets.UTF_8), null);
    router.route(first, 1, (n, d) -> { });
    assertThat(router.subscriptionCount()).isEqualTo(1);
    RouteBatch close = new RouteBatch("gw");
    close.addClose(1);
    router.route(close, (n, d) -> { });
    assertThat(router.subscriptionCount()).isZero();
    assertThat(router.tries().iterator().next().count()).isZero();
  }
}
