package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.common.config.TernOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** INFO {@code connect_urls} in distributed mode, and in lame duck mode as nats-server 2.9.10 sends it. */
class ServerInfoClusterTest {

  private static ServerState clustered() {
    TernOptions o = new TernOptions();
    o.getWebSocket().setPort(8080);
    ServerState s = new ServerState(o);
    s.clusterFacts(new ClusterFacts("c1", "127.0.0.1", 6222, List.of("127.0.0.1:6223"), "10.0.0.1:4222", "10.0.0.1:8080"));
    s.clusterUrls(List.of("10.0.0.1:4222", "10.0.0.2:4222"));
    s.clusterFacts().wsUrls(List.of("10.0.0.1:8080", "10.0.0.2:8080"));
    return s;
  }

  private static JsonObject info(String line) {
    assertThat(line).startsWith("INFO ").endsWith(" \r\n");
    return new JsonObject(line.substring(5).trim());
  }

  @Test
  void everyGatewayIsAdvertisedIncludingThisOne() {
    JsonObject j = info(ServerInfo.forClient(clustered(), 1, "127.0.0.1", "STANDARD", false, null));
    assertThat(j.getJsonArray("connect_urls").getList()).containsExactly("10.0.0.1:4222", "10.0.0.2:4222");
    assertThat(j.containsKey("ldm")).isFalse();
    assertThat(j.containsKey("ws_connect_urls")).isFalse();
  }

  @Test
  void lameDuckInfoListsOnlyTheOtherGateways() {
    JsonObject j = info(ServerInfo.forClient(clustered(), 1, "127.0.0.1", "STANDARD", true, null));
    assertThat(j.getJsonArray("connect_urls").getList()).containsExactly("10.0.0.2:4222");
    assertThat(j.getBoolean("ldm")).isTrue();
  }

  @Test
  void webSocketClientsGetTheWebSocketUrls() {
    JsonObject j = info(ServerInfo.forClient(clustered(), 1, "127.0.0.1", "WEBSOCKET", false, null));
    assertThat(j.getJsonArray("connect_urls").getList()).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    JsonObject ldm = info(ServerInfo.forClient(clustered(), 1, "127.0.0.1", "WEBSOCKET", true, null));
    assertThat(ldm.getJsonArray("connect_urls").getList()).containsExactly("10.0.0.2:8080");
  }

  @Test
  void varzClusterBlockHasNatsServersFields() {
    JsonObject c = clustered().clusterFacts().varz();
    assertThat(c.fieldNames()).containsExactly("name", "addr", "cluster_port", "auth_timeout", "urls", "tls_timeout");
    assertThat(c.getJsonArray("urls").getList()).containsExactly("127.0.0.1:6223");
    assertThat(c.getInteger("cluster_port")).isEqualTo(6222);
  }
}
