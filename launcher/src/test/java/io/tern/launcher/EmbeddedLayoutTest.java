package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedLayoutTest {
  @Test
  void smallMachinesRunOneGateway() {
    assertThat(EmbeddedLayout.gatewayInstances(2, 2)).isEqualTo(1);
    assertThat(EmbeddedLayout.gatewayInstances(1, 1)).isEqualTo(1);
  }

  @Test
  void biggerMachinesKeepTheConfiguredInstances() {
    assertThat(EmbeddedLayout.gatewayInstances(8, 8)).isEqualTo(8);
    assertThat(EmbeddedLayout.gatewayInstances(3, 4)).isEqualTo(3);
  }

  @Test
  void thePropertyWinsOnAnyMachine() {
    String before = System.getProperty(EmbeddedLayout.PROPERTY);
    System.setProperty(EmbeddedLayout.PROPERTY, "2");
    try {
      assertThat(EmbeddedLayout.gatewayInstances(2, 2)).isEqualTo(2);
      assertThat(EmbeddedLayout.gatewayInstances(8, 8)).isEqualTo(2);
    } finally {
      if (before == null) {
        System.clearProperty(EmbeddedLayout.PROPERTY);
      } else {
        System.setProperty(EmbeddedLayout.PROPERTY, before);
      }
    }
  }
}
