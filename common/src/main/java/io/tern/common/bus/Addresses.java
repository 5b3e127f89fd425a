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
  /** Where monitoring asks the stream service for its {@code /jsz} statistics. */
  public static final String STREAM_STATS = "tern.stream.stats";
  /** Where gateways ask the auth service about a CONNECT. */
  public static final String AUTH_CONNECT = "tern.auth.connect";
  /** Where gateways tell the auth service an authenticated connection of an account closed. */
  public static final String AUTH_DISCONNECT = "tern.auth.disconnect";
  /** Where the auth service tells gateways that users changed: they recheck their connections. */
  public static final String AUTH_RELOADED = "tern.auth.reloaded";
  /** Where the auth service publishes account configuration (imports, mappings) to every router. */
  public static final String ACCOUNTS = "tern.accounts";
  /** Operator mode: account JWT updates, lookups, lists and deletes, answered by the auth service. */
  public static final String AUTH_CLAIMS = "tern.auth.claims";
  /** Where a starting router asks the auth service for the current account configuration. */
  public static final String ACCOUNTS_GET = "tern.accounts.get";

  /**
   * Distributed mode: router partitions announce themselves here (published, JSON
   * {@code {"partition":p,"incarnation":i,"node":n}}) when they start and every second after.
   */
  public static final String PARTITIONS = "tern.partitions";
  /** Distributed mode: a node that just started asks every partition to announce itself now. */
  public static final String PARTITIONS_QUERY = "tern.partitions.query";

  /**
   * Distributed mode: a gateway process entering lame duck mode publishes its advertised client
   * URLs here (JSON {@code {"url":..,"ws_url":..}}) so the other gateways stop advertising them.
   */
  public static final String GATEWAY_LAME_DUCK = "tern.gateway.lameduck";

  /**
   * Distributed mode: where stream-service node {@code nodeId} takes {@link ForwardedApiRequest}s
   * for the streams it owns (replying {@code true} once it has taken one).
   */
  public static String streamNode(String nodeId) {
    return "tern.stream.node." + nodeId;
  }

  /**
   * Distributed mode: where stream-service node {@code nodeId} answers questions about its own
   * streams (JSON, for STREAM.NAMES/LIST and {@code $JS.API.INFO} gathered from every node).
   */
  public static String streamNodeQuery(String nodeId) {
    return "tern.stream.node." + nodeId + ".query";
  }

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

  /**
   * Where router partition {@code partition} answers {@link InterestQuery}s with a Boolean; a
   * separate consumer, off the routing path.
   */
  public static String routerInterest(int partition) {
    return ROUTER_PREFIX + partition + ".interest";
  }
}
