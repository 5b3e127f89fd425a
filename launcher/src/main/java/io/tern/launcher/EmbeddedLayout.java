package io.tern.launcher;

/**
 * How many gateway instances an embedded broker runs. On a machine of two cores or fewer one
 * instance takes every client: a connection's publishes are routed by the partition on that same
 * event loop and its deliveries come back to it, so no message crosses threads (a cross-thread
 * hop is a wake-up, which costs more CPU than the routing itself and leaves the clients — which
 * need a core of their own — less room). The other partitions still hold every subscription.
 * Bigger machines keep one instance per core, where the spread of client I/O pays.
 *
 * <p>The system property {@value #PROPERTY} sets the count explicitly (for a 2-core machine whose
 * clients run elsewhere, where two instances can use both cores for client I/O).
 */
final class EmbeddedLayout {
  /** At or below this many cores, one gateway instance serves all clients. */
  static final int SINGLE_GATEWAY_MAX_CORES = 2;
  /** System property naming the gateway instances explicitly. */
  static final String PROPERTY = "tern.gatewayInstances";

  private EmbeddedLayout() {
  }

  /** The gateway instances for {@code configured} (the options' value) on {@code cores} cores. */
  static int gatewayInstances(int configured, int cores) {
    Integer explicit = Integer.getInteger(PROPERTY);
    if (explicit != null && explicit > 0) {
      return explicit;
    }
    return cores <= SINGLE_GATEWAY_MAX_CORES ? 1 : configured;
  }
}
