package io.tern.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.tern.testkit.Broker;
import io.tern.testkit.Brokers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Subject mappings: templates, functions, weights (and the drop rule), per account, and reload. */
@SuppressWarnings("try")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MappingsIT {

  @Test
  void wildcardTemplatesAndFunctions() throws Exception {
    String config = """
        mappings {
          "orders.*.*": "shipping.{{wildcard(2)}}.{{wildcard(1)}}"
          "legacy.*": "modern.$1"
          "split.*": "parts.{{split(1,-)}}"
          "slice.*": "sliced.{{sliceFromLeft(1,2)}}"
          "splitleft.*": "sl.{{splitFromLeft(1,3)}}"
          "part.*.*": "p.{{partition(5,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"
        }
        """;
    try (Broker broker = Brokers.start(config); Connection c = AuthClients.connect(broker, b -> b)) {
      Subscription sub = c.subscribe(">");
      c.flush(AuthClients.WAIT);
      c.publish("orders.eu.42", new byte[0]);
      c.publish("legacy.thing", new byte[0]);
      c.publish("split.a-b--c", new byte[0]);
      c.publish("slice.abcde", new byte[0]);
      c.publish("splitleft.abcdef", new byte[0]);
      c.publish("part.alpha.beta", new byte[0]);
      c.publish("part.k.7", new byte[0]);
      c.publish("unmapped", new byte[0]);
      c.flush(AuthClients.WAIT);
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("shipping.42.eu");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("modern.thing");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("parts.a.b.c");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("sliced.ab.cd.e");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("sl.abc.def");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("p." + fnvPartition("alphabeta", 5) + ".alpha.beta");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("p." + fnvPartition("k7", 5) + ".k.7");
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("unmapped");
    }
  }

  /** FNV-1a (32 bit) of the joined wildcard tokens, modulo the partition count. */
  private static long fnvPartition(String key, int partitions) {
    int h = 0x811c9dc5;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Integer.toUnsignedLong(h) % partitions;
  }

  @Test
  void weightedDestinationsSplitTrafficAndTheRestKeepsItsSubject() throws Exception {
    String config = """
        mappings {
          "w": [{destination: "w.a", weight: 80%}, {destination: "w.b", weight: 20%}]
          "r": [{destination: "r.x", weight: 30%}]
          "chaos": [{destination: "chaos", weight: 40%}]
        }
        """;
    int n = 10_000;
    try (Broker broker = Brokers.start(config); Connection c = AuthClients.connect(broker, b -> b)) {
      Subscription sub = c.subscribe(">");
      sub.setPendingLimits(-1, -1);
      c.flush(AuthClients.WAIT);
      for (String subject : new String[] {"w", "r", "chaos"}) {
        for (int i = 0; i < n; i++) {
          c.publish(subject, new byte[0]);
        }
      }
      c.publish("done", new byte[0]);
      c.flush(AuthClients.WAIT);
      Map<String, Integer> counts = new HashMap<>();
      Message m;
      while (!(m = AuthClients.next(sub)).getSubject().equals("done")) {
        counts.merge(m.getSubject(), 1, Integer::sum);
      }
      assertThat(counts.get("w.a") + counts.get("w.b")).isEqualTo(n);
      assertThat(counts.get("w.a")).isBetween(7700, 8300);
      assertThat(counts.get("r.x")).isBetween(2700, 3300);
      assertThat(counts.get("r")).isEqualTo(n - counts.get("r.x"));
      // The source listed as its own destination: the remaining 60% is dropped on purpose.
      assertThat(counts.get("chaos")).isBetween(3700, 4300);
    }
  }

  @Test
  void accountMappingsApplyOnlyInTheirAccount() throws Exception {
    String config = """
        accounts {
          A { users [{user: a, password: a}], mappings { "in": "out.a" } }
          B { users [{user: b, password: b}] }
        }
        """;
    try (Broker broker = Brokers.start(config);
         Connection a = AuthClients.connect(broker, "a", "a");
         Connection b = AuthClients.connect(broker, "b", "b")) {
      Subscription sa = a.subscribe(">");
      Subscription sb = b.subscribe(">");
      a.flush(AuthClients.WAIT);
      b.flush(AuthClients.WAIT);
      a.publish("in", new byte[0]);
      b.publish("in", new byte[0]);
      a.flush(AuthClients.WAIT);
      b.flush(AuthClients.WAIT);
      assertThat(AuthClients.next(sa).getSubject()).isEqualTo("out.a");
      assertThat(AuthClients.next(sb).getSubject()).isEqualTo("in");
    }
  }

  @Test
  void aMappingChangedByReloadTakesEffectWithoutDroppingConnections() throws Exception {
    String before = "mappings { \"m\": \"v.1\" }\n";
    String after = "mappings { \"m\": \"v.2\" }\n";
    try (Broker broker = Brokers.start(before); Connection c = AuthClients.connect(broker, b -> b)) {
      Subscription sub = c.subscribe("v.*");
      c.flush(AuthClients.WAIT);
      c.publish("m", new byte[0]);
      c.flush(AuthClients.WAIT);
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("v.1");
      broker.reload(after);
      c.publish("m", new byte[0]);
      c.flush(AuthClients.WAIT);
      assertThat(AuthClients.next(sub).getSubject()).isEqualTo("v.2");
      assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      assertThat(sub.nextMessage(Duration.ofMillis(200))).isNull();
    }
  }
}
