package io.tern.common.bus;

/**
 * The few, fixed event-bus addresses the services meet on. Never one address per NATS
 * subscription: clustered consumers live in a Hazelcast multimap.
 */
public final class Addresses {
  private Addresses() {
  }

  /** Prefix of a router partition's address; the partition number follows. */
  public static final String ROUTER_PREFIX = "tern.router.";
  /** Prefix of a node's address (a gateway or stream-service instance); the node id follows. */
  public static final String NODE_PREFIX = "tern.node.";
  /** Where gateways ask the auth service about a CONNECT. */
  public static final String AUTH_CONNECT = "tern.auth.connect";

  /**
   * Distributed mode: router partitions announce themselves here (published, JSON
   * {@code {"partition":p,"incarnation":i,"node":n}}) when they start and every second after.
   */
  public static final String PARTITIONS = "tern.partitions";
  /** Distributed mode: a node that just started asks every partition to announce itself now. */
  public static final String PARTITIONS_QUERY = "tern.partitions.query";

  /** The address of router partition {@code partition}. */
  public static String router(int partition) {
    return ROUTER_PREFIX + partition;
  }

  /** The address of node {@code nodeId}. */
  public static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }

  /**
   * Where router partition {@code partition} answers monitoring's requests for its subject-trie
   * statistics (a JSON object); a separate consumer, off the routing path.
   */
  public static String routerStats(int partition) {
    return ROUTER_PREFIX + partition + ".stats";
  }
}
