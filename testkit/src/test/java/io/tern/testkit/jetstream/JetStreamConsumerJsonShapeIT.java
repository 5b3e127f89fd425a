package io.tern.testkit.jetstream;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw consumer API requests sent to Tern and to nats-server 2.9.10 get the same JSON
 * (times normalised): ConsumerInfo and ConsumerConfig fields, defaults, omitted fields, error codes
 * and texts, names and lists.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamConsumerJsonShapeIT {

  /** Subject and body of each request, in order. */
  private static final String[][] SCRIPT = {
      {"$JS.API.STREAM.CREATE.C", "{\"name\":\"C\",\"subjects\":[\"c.>\"]}"},
      {"c.a", "1"},
      {"c.b", "2"},
      {"c.a", "3"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"c.a\"}}"},
      {"$JS.API.CONSUMER.CREATE.C.N1", "{\"stream_name\":\"C\",\"config\":{\"ack_policy\":\"all\","
          + "\"deliver_policy\":\"last\",\"ack_wait\":5000000000,\"max_ack_pending\":10,\"description\":\"n\"}}"},
      {"$JS.API.CONSUMER.CREATE.C.N2.c.b", "{\"stream_name\":\"C\",\"config\":{\"filter_subject\":\"c.b\","
          + "\"deliver_policy\":\"new\",\"max_batch\":10,\"max_expires\":1000000000,\"max_bytes\":1024}}"},
      {"$JS.API.CONSUMER.CREATE.C.N3.c.b", "{\"stream_name\":\"C\",\"config\":{\"filter_subject\":\"c.a\"}}"},
      {"$JS.API.CONSUMER.CREATE.C.P1", "{\"stream_name\":\"C\",\"config\":{\"deliver_subject\":\"push.p1\","
          + "\"flow_control\":true,\"idle_heartbeat\":5000000000,\"headers_only\":true}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.P2", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"P2\","
          + "\"deliver_subject\":\"push.p2\",\"deliver_group\":\"g\",\"rate_limit_bps\":1000000,"
          + "\"replay_policy\":\"original\",\"ack_policy\":\"explicit\",\"max_deliver\":5,"
          + "\"backoff\":[1000000000,2000000000],\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":2}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"Y\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"deliver_policy\":\"last_per_subject\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"sample_freq\":\"abc\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"deliver_subject\":\"push.*\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"deliver_subject\":\"d\",\"idle_heartbeat\":50000000}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"max_waiting\":-1}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\","
          + "\"rate_limit_bps\":5}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.X.Y", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"X\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.NOPE.X", "{\"stream_name\":\"NOPE\",\"config\":{\"durable_name\":\"X\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"c.a\",\"deliver_policy\":\"new\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.C.D1", "{\"stream_name\":\"C\",\"config\":{\"durable_name\":\"D1\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"c.a\",\"max_waiting\":5}}"},
      {"$JS.API.CONSUMER.MSG.NEXT.C.D1", "1"},
      {"$JS.API.CONSUMER.MSG.NEXT.C.N2", "{\"batch\":11}"},
      {"$JS.API.CONSUMER.MSG.NEXT.C.N2", "{\"batch\":1,\"max_bytes\":2048}"},
      {"$JS.API.CONSUMER.MSG.NEXT.C.N2", "{\"batch\":1,\"no_wait\":true}"},
      {"$JS.API.CONSUMER.INFO.C.D1", ""},
      {"$JS.API.CONSUMER.INFO.C.P2", ""},
      {"$JS.API.CONSUMER.INFO.C.NOPE", ""},
      {"$JS.API.CONSUMER.INFO.NOPE.D1", ""},
      {"$JS.API.CONSUMER.NAMES.C", ""},
      {"$JS.API.CONSUMER.NAMES.C", "{\"offset\":2}"},
      {"$JS.API.CONSUMER.LIST.C", ""},
      {"$JS.API.CONSUMER.NAMES.NOPE", ""},
      {"$JS.API.STREAM.INFO.C", ""},
      {"$JS.API.CONSUMER.DELETE.C.N1", ""},
      {"$JS.API.CONSUMER.DELETE.C.N1", ""},
      {"$JS.API.STREAM.CREATE.W", "{\"name\":\"W\",\"subjects\":[\"w.>\"],\"retention\":\"workqueue\"}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.A", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"A\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"w.a\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.B", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"B\","
          + "\"ack_policy\":\"explicit\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.B", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"B\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"w.*\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.B", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"B\","
          + "\"ack_policy\":\"none\",\"filter_subject\":\"w.b\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.B", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"B\","
          + "\"ack_policy\":\"explicit\",\"filter_subject\":\"w.b\",\"deliver_policy\":\"last\"}}"},
      {"$JS.API.CONSUMER.DURABLE.CREATE.W.B", "{\"stream_name\":\"W\",\"config\":{\"durable_name\":\"B\","
          + "\"ack_policy\":\"all\",\"filter_subject\":\"w.b\",\"deliver_subject\":\"wb\"}}"},
      {"$JS.API.STREAM.DELETE.C", ""},
      {"$JS.API.INFO", ""},
  };

  @TempDir
  Path ternStore;
  @TempDir
  Path natsStore;

  @Test
  void ternAnswersAsNatsServerDoes() throws Exception {
    ApiScript.assertTernAnswersAsNatsServer(SCRIPT, ternStore, natsStore);
  }
}
