package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionPlacementTest {

  @Test
  void everyPartitionHasExactlyOneOwnerAmongTheRouters() {
    List<String> routers = List.of("a", "b", "c");
    Set<Integer> all = new HashSet<>();
    int total = 0;
    for (String r : routers) {
      Set<Integer> owned = PartitionPlacement.owned(routers, r, 16);
      total += owned.size();
      all.addAll(owned);
    }
    assertThat(total).isEqualTo(16);
    assertThat(all).hasSize(16);
    assertThat(PartitionPlacement.owned(routers, "a", 16)).contains(0, 3, 15);
    assertThat(PartitionPlacement.owned(List.of("b"), "b", 4)).containsExactly(0, 1, 2, 3);
    assertThat(PartitionPlacement.owned(List.of(), "b", 4)).isEmpty();
  }

  @Test
  void clusterBlockBecomesAHazelcastTcpIpConfigWithoutMulticast() {
    var c = new io.tern.common.config.ClusterOptions().setListen("127.0.0.1:7001").setName("n");
    c.addRoute("nats-route://127.0.0.1:7002");
    var hz = ClusterSetup.hazelcastConfig(c);
    assertThat(hz.getClusterName()).isEqualTo("n");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(7001);
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:7002");
    assertThat(hz.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }
}
