package io.tern.testkit.jetstream;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw JetStream API requests and publishes sent to Tern and to nats-server 2.9.10 get the
 * same JSON (times normalised): field names, values, omitted fields, error codes and texts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JetStreamJsonShapeIT {

  /** Subject and body of each request, in order. */
  private static final String[][] SCRIPT = {
      {"$JS.API.INFO", ""},
      {"$JS.API.STREAM.CREATE.S1", "{\"name\":\"S1\",\"subjects\":[\"foo.>\"]}"},
      {"$JS.API.STREAM.CREATE.S1", "{\"name\":\"S1\",\"subjects\":[\"foo.>\"]}"},
      {"$JS.API.STREAM.CREATE.S1", "{\"name\":\"S1\",\"subjects\":[\"foo.*\"]}"},
      {"$JS.API.STREAM.CREATE.S2", "{\"name\":\"S2\",\"subjects\":[\"foo.bar\"]}"},
      {"$JS.API.STREAM.CREATE.S3", "{\"name\":\"S3\",\"subjects\":[\"a\"],\"num_replicas\":3}"},
      {"$JS.API.STREAM.CREATE.S4", "{\"name\":\"S5\",\"subjects\":[\"b\"]}"},
      {"$JS.API.STREAM.CREATE.S4", "bad json"},
      {"$JS.API.STREAM.CREATE.S4", "{\"name\":\"S4\",\"subjects\":[\"s4\"],\"storage\":\"tape\"}"},
      {"$JS.API.STREAM.CREATE.M", "{\"name\":\"M\",\"storage\":\"memory\",\"max_msgs\":2,\"discard\":\"new\","
          + "\"allow_direct\":true,\"description\":\"d\",\"max_age\":3600000000000}"},
      {"foo.a", "hello"},
      {"foo.b", "world"},
      {"M", "1"},
      {"M", "2"},
      {"M", "3"},
      {"$JS.API.STREAM.INFO.S1", ""},
      {"$JS.API.STREAM.INFO.S1", "{\"subjects_filter\":\">\"}"},
      {"$JS.API.STREAM.INFO.NOPE", ""},
      {"$JS.API.STREAM.NAMES", ""},
      {"$JS.API.STREAM.LIST", ""},
      {"$JS.API.STREAM.MSG.GET.S1", "{\"seq\":2}"},
      {"$JS.API.STREAM.MSG.GET.S1", "{\"seq\":9}"},
      {"$JS.API.STREAM.MSG.GET.S1", "{}"},
      {"$JS.API.STREAM.MSG.GET.S1", "{\"last_by_subj\":\"foo.a\"}"},
      {"$JS.API.STREAM.MSG.DELETE.S1", "{\"seq\":1}"},
      {"$JS.API.STREAM.MSG.DELETE.S1", "{\"seq\":1}"},
      {"$JS.API.STREAM.INFO.S1", "{\"deleted_details\":true}"},
      {"$JS.API.STREAM.PURGE.S1", "{\"seq\":1,\"keep\":1}"},
      {"$JS.API.STREAM.PURGE.S1", ""},
      {"$JS.API.STREAM.UPDATE.S1", "{\"name\":\"S1\",\"subjects\":[\"foo.>\"],\"storage\":\"memory\"}"},
      {"$JS.API.STREAM.UPDATE.S1", "{\"name\":\"S1\",\"subjects\":[\"foo.>\"],\"sealed\":true}"},
      {"foo.c", "sealed"},
      {"$JS.API.STREAM.INFO.M", ""},
      {"$JS.API.STREAM.DELETE.S1", "{\"x\":1}"},
      {"$JS.API.STREAM.DELETE.S1", ""},
      {"$JS.API.STREAM.DELETE.S1", ""},
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
