package io.tern.gateway;

import io.tern.common.bus.InterestSync;
import io.tern.common.bus.RouteBatch;
import java.nio.charset.StandardCharsets;

/**
 * Distributed mode: a gateway instance's whole interest sent to a router partition's new
 * instance, in the order the partition needs it — the marker, every connection's account binding,
 * every live subscription, then the flush barriers still waiting (so their PONGs are not lost with
 * the old instance). It travels in the same ordered batch stream as the live operations.
 */
final class InterestReplay {

  private static final String ACCOUNT_GLOBAL = "$G";

  private InterestReplay() {
  }

  static void replay(GatewayVerticle gateway, int partition, int incarnation) {
    RouteBatch b = gateway.routeBatch(partition);
    InterestSync.addMarker(b, incarnation);
    for (ClientConnection c : gateway.connectionList()) {
      if (!c.isClosed() && !ACCOUNT_GLOBAL.equals(c.account)) {
        b.addBind(c.cid, c.account.getBytes(StandardCharsets.UTF_8));
      }
    }
    for (GatewaySubscription s : gateway.subscriptionList()) {
      b.addSub(s.connection.cid, s.subId, s.subject.getBytes(StandardCharsets.ISO_8859_1),
          s.queue == null ? null : s.queue.getBytes(StandardCharsets.ISO_8859_1));
    }
    for (ClientConnection c : gateway.connectionList()) {
      for (int token : c.pendingBarrierTokens()) {
        b.addBarrier(c.cid, token);
      }
    }
    gateway.endOfTurn();
  }
}
