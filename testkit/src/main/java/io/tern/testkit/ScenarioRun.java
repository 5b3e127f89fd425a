package io.tern.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One execution of a {@link Scenario} against one broker: its connections and what they got. */
public final class ScenarioRun {
  private final Scenario scenario;
  private final Broker broker;
  private final Map<String, RawClient> clients = new LinkedHashMap<>();
  private String current;

  ScenarioRun(Scenario scenario, Broker broker) {
    this.scenario = scenario;
    this.broker = broker;
  }

  public Broker broker() {
    return broker;
  }

  /** The connections in the order they were opened. */
  public Map<String, RawClient> clients() {
    return clients;
  }

  /** Name of the connection the last step used. */
  public String currentName() {
    return current;
  }

  RawClient open(String conn) {
    if (clients.containsKey(conn)) {
      throw new IllegalStateException("connection " + conn + " opened twice");
    }
    current = conn;
    clients.put(conn, RawClient.connect(broker));
    return clients.get(conn);
  }

  RawClient select(String conn) {
    RawClient client = clients.get(conn);
    if (client == null) {
      throw new IllegalStateException("connection " + conn + " is not open");
    }
    current = conn;
    return client;
  }

  void closeAll() {
    clients.values().forEach(RawClient::close);
  }

  /**
   * Everything every connection received, normalised by {@link TranscriptNormaliser} and the
   * scenario's rewrites, one protocol item per entry prefixed with the connection name.
   */
  public List<String> normalisedTranscript() {
    List<String> out = new ArrayList<>();
    clients.forEach((name, client) -> {
      for (String line : TranscriptNormaliser.normalise(client.transcriptBytes(),
          client.skipsServerPings(), client.closedByPeer())) {
        String rewritten = line;
        for (Scenario.Rewrite r : scenario.rewrites()) {
          rewritten = r.pattern().matcher(rewritten).replaceAll(r.replacement());
        }
        out.add(name + ": " + rewritten);
      }
    });
    return out;
  }
}
