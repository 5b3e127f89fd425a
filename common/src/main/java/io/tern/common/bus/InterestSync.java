package io.tern.common.bus;

/**
 * The handshake that lets a router partition that has just started (or moved to another process)
 * trust a node's operations. A partition instance has a random {@code incarnation}, which it
 * announces on {@link Addresses#PARTITIONS}. A node that sees a new incarnation replays its whole
 * interest to that partition, led by a marker: a {@code BARRIER} op whose cid is {@link #MARKER_CID}
 * and whose token is the incarnation. Until the partition has seen a node's marker it drops that
 * node's operations, so it never routes a publish without the publisher's account binding or with
 * half of a node's subscriptions: loss while a partition moves is a gap, never a wrong delivery.
 * The partition acknowledges the marker like any barrier, which tells the node it is in sync.
 */
public final class InterestSync {

  /** The connection id of replay markers; no client connection ever has it. */
  public static final int MARKER_CID = Integer.MIN_VALUE;

  private InterestSync() {
  }

  /** The index of {@code incarnation}'s marker in {@code batch}, or -1. */
  public static int markerIndex(RouteBatch batch, int incarnation) {
    for (int i = 0, n = batch.size(); i < n; i++) {
      if (batch.type(i) == RouteBatch.BARRIER && batch.cid(i) == MARKER_CID && batch.token(i) == incarnation) {
        return i;
      }
    }
    return -1;
  }

  /** Appends the marker that starts a replay to {@code incarnation}. */
  public static void addMarker(RouteBatch batch, int incarnation) {
    batch.addBarrier(MARKER_CID, incarnation);
  }
}
