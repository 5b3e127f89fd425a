package io.tern.testkit;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@link ProtocolScenarios} scenario against the broker under test
 * ({@code -Dtern.broker=tern|nats-server}), asserting nats-server 2.9.10's exact bytes.
 */
class RawProtocolIT {

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return ProtocolScenarios.all().stream().map(scenario ->
        DynamicTest.dynamicTest(scenario.name(), () -> {
          try (Broker broker = Brokers.start(scenario.config())) {
            scenario.run(broker);
          }
        }));
  }
}
