package io.tern.bench;

import java.util.ArrayList;
import java.util.List;

/** The catalogue of scenarios the runner knows; JetStream scenarios are to be added here. */
final class Scenarios {

    private Scenarios() {
    }


    /** Core NATS scenarios for every payload size, in run order. */
    static List<Scenario> core(List<Integer> sizes) {
        List<Scenario> all = new ArrayList<>();
        for (PubSubScenario.Topology topology : PubSubScenario.Topology.values()) {
            for (int size : sizes) {
                all.add(new PubSubScenario(topology, size));
            }
        }
        for (int size : sizes) {
            all.add(new RequestReplyScenario(size));
        }
        return all;
    }

    /**
   * JetStream scenarios: synchronous and asynchronous (window {@value JetStreamPublishScenario#WINDOW})
   * publishing of 16 B and 1 KiB messages into a file-backed stream, and draining such a stream
   * with a pull consumer (batch {@value JetStreamConsumeScenario#PULL_BATCH}) or a push consumer.
   */
  static List<Scenario> jetStream() {
    List<Scenario> all = new ArrayList<>();
    for (boolean async : new boolean[] {false, true}) {
      for (int size : new int[] {16, 1024}) {
        all.add(new JetStreamPublishScenario(async, size));
      }
    }
    for (boolean pull : new boolean[] {true, false}) {
      for (int size : new int[] {16, 1024}) {
        all.add(new JetStreamConsumeScenario(pull, size));
      }
    }
    return all;
  }

  /**
   * Key-Value scenarios: sequential puts and gets of 16 B and 1 KiB values on a file-backed bucket
   * of {@value KeyValueScenario#KEYS} keys.
   */
  static List<Scenario> keyValue() {
    List<Scenario> all = new ArrayList<>();
    for (int size : new int[] {16, 1024}) {
      all.add(KeyValueScenario.put(size));
      all.add(KeyValueScenario.get(size));
    }
    return all;
  }

  /** The scenarios whose name or id is in {@code only}; all of them when {@code only} is empty. */
    static List<Scenario> select(List<Scenario> all, List<String> only) {
        if (only.isEmpty()) {
            return all;
        }
        List<Scenario> selected = new ArrayList<>();
        for (Scenario scenario : all) {
            if (only.contains(scenario.name()) || only.contains(scenario.id())) {
                selected.add(scenario);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no scenario matches " + only);
        }
        return selected;
    }
}
