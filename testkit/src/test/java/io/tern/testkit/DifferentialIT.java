package io.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@link ProtocolScenarios} scenario against the reference nats-server and against the
 * broker under test, and requires their normalised transcripts to be identical: this catches
 * bytes the scenario's own expectations do not pin down.
 */
class DifferentialIT {

  @TestFactory
  Stream<DynamicTest> sameTranscriptAsReference() {
    assumeTrue(ReferenceServer.available(), "nats-server not installed");
    return ProtocolScenarios.all().stream().map(scenario ->
        DynamicTest.dynamicTest(scenario.name(), () -> {
          List<String> reference = transcript(scenario, ReferenceServer.start(scenario.config()));
          List<String> underTest = transcript(scenario, Brokers.start(scenario.config()));
          assertThat(underTest)
              .as("normalised transcript of '%s' on %s vs nats-server", scenario.name(),
                  Brokers.kind())
              .containsExactlyElementsOf(reference);
        }));
  }

  private static List<String> transcript(Scenario scenario, Broker broker) {
    try (broker) {
      return scenario.run(broker).normalisedTranscript();
    }
  }
}
