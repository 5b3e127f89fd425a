package io.tern.testkit.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tern.testkit.EmbeddedTern;
import io.tern.testkit.ReferenceServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /jsz} counts the streams and messages the stream service holds, as nats-server's does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@SuppressWarnings("try")
class JszIT {

  @TempDir
  Path dir;

  /** Two streams, one of them in memory, with 3 and 2 messages; returns /jsz afterwards. */
  private static JsonObject jszAfterTraffic(String url, int httpPort) throws Exception {
    Connection nc = Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(10))
        .noReconnect().build());
    try {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name("JA").subjects("ja.>").storageType(StorageType.File).build());
      jsm.addStream(StreamConfiguration.builder().name("JB").subjects("jb").storageType(StorageType.Memory).build());
      JetStream js = nc.jetStream();
      for (int i = 0; i < 3; i++) {
        js.publish("ja." + i, ("a" + i).getBytes(StandardCharsets.UTF_8));
      }
      js.publish("jb", "b0".getBytes(StandardCharsets.UTF_8));
      js.publish("jb", "b1".getBytes(StandardCharsets.UTF_8));
    } finally {
      nc.close();
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/jsz")).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body());
  }

  @Test
  void countsStreamsMessagesAndBytesLikeNatsServer() throws Exception {
    JsonObject tern;
    try (EmbeddedTern t = EmbeddedTern.start(JsBroker.config(dir.resolve("tern")))) {
      tern = jszAfterTraffic(t.url(), t.httpPort());
    }
    assertThat(tern.containsKey("disabled")).isFalse();
    assertThat(tern.getInteger("streams")).isEqualTo(2);
    assertThat(tern.getLong("messages")).isEqualTo(5);
    assertThat(tern.getLong("bytes")).isEqualTo(tern.getLong("memory") + tern.getLong("storage"));
    assertThat(tern.getLong("memory")).isPositive();
    assertThat(tern.getLong("storage")).isPositive();
    assertThat(tern.getInteger("accounts")).isEqualTo(1);
    assertThat(tern.getJsonObject("api").getLong("total")).isGreaterThanOrEqualTo(2);

    Assumptions.assumeTrue(ReferenceServer.available(), "Debian's nats-server is not installed");
    JsonObject ref;
    try (ReferenceServer n = ReferenceServer.startWithMonitoring(JsBroker.config(dir.resolve("ref")))) {
      ref = jszAfterTraffic(n.url(), n.httpPort());
    }
    for (String field : new String[] {"streams", "messages", "bytes", "memory", "storage", "accounts"}) {
      assertThat(tern.getLong(field)).as(field).isEqualTo(ref.getLong(field));
    }
  }

}
