package io.tern.launcher;

import io.tern.router.RouterVerticle;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which router partitions this process runs: partition {@code p} belongs to
 * {@code sorted(routers)[p % routers]}, computed by every router process from the same
 * membership. Lost partitions are undeployed at once; a gained partition whose previous owner is
 * still alive (a router joined) is deployed after a hand-off delay, so that the two instances
 * rarely overlap. Nodes replay their interest to each new instance (see
 * {@link io.tern.common.bus.InterestSync}). Runs on {@link ClusterMembers}'s context.
 */
final class PartitionPlacement {

  private static final Logger LOG = LoggerFactory.getLogger("tern");
  static final long HANDOFF_MILLIS = 1000;

  private final Vertx vertx;
  private final String me;
  private final int partitions;
  /** Partition to deployment id; absent while not deployed, "" while deploying. */
  private final Map<Integer, String> deployed = new HashMap<>();
  private List<String> routers = List.of();

  PartitionPlacement(Vertx vertx, String me, int partitions) {
    this.vertx = vertx;
    this.me = me;
    this.partitions = partitions;
  }

  /** The partitions {@code node} owns among {@code routers} (sorted node ids). */
  static Set<Integer> owned(List<String> routers, String node, int partitions) {
    Set<Integer> out = new TreeSet<>();
    if (routers.isEmpty()) {
      return out;
    }
    for (int p = 0; p < partitions; p++) {
      if (routers.get(p % routers.size()).equals(node)) {
        out.add(p);
      }
    }
    return out;
  }

  void onRouters(List<String> current) {
    List<String> previous = routers;
    routers = current;
    Set<Integer> want = owned(current, me, partitions);
    for (Integer p : new ArrayList<>(deployed.keySet())) {
      if (!want.contains(p)) {
        undeploy(p);
      }
    }
    List<Integer> now = new ArrayList<>();
    List<Integer> later = new ArrayList<>();
    for (int p : want) {
      if (deployed.containsKey(p)) {
        continue;
      }
      String before = previous.isEmpty() ? null : previous.get(p % previous.size());
      if (before != null && !before.equals(me) && current.contains(before)) {
        later.add(p);
      } else {
        now.add(p);
      }
    }
    now.forEach(this::deploy);
    if (!later.isEmpty()) {
      vertx.setTimer(HANDOFF_MILLIS, id -> later.forEach(p -> {
        if (owned(routers, me, partitions).contains(p) && !deployed.containsKey(p)) {
          deploy(p);
        }
      }));
    }
    LOG.info("Router partitions owned here: {} of {}", want.size(), partitions);
  }

  private void deploy(int p) {
    deployed.put(p, "");
    vertx.deployVerticle(new RouterVerticle(p, me)).onComplete(ar -> {
      if (ar.failed()) {
        deployed.remove(p);
        LOG.error("Router partition {} failed to start: {}", p, ar.cause().getMessage());
      } else if (deployed.containsKey(p)) {
        deployed.put(p, ar.result());
      } else {
        vertx.undeploy(ar.result()); // lost while starting
      }
    });
  }

  private void undeploy(int p) {
    String id = deployed.remove(p);
    if (id != null && !id.isEmpty()) {
      vertx.undeploy(id);
    }
  }

  Set<Integer> deployedPartitions() {
    return new TreeSet<>(deployed.keySet());
  }
}
