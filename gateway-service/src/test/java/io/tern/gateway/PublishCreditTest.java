package io.tern.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The distributed-mode publish window: pause above it, resume at half, unknown tokens ignored. */
class PublishCreditTest {

  @Test
  void pausesAboveTheWindowAndResumesAtHalf() {
    PublishCredit c = new PublishCredit();
    int token = 100;
    assertThat(c.charge((int) PublishCredit.CREDIT_BYTES - 1)).isFalse();
    for (int i = 0; i <= PublishCredit.WINDOW; i++) {
      assertThat(c.charge((int) PublishCredit.CREDIT_BYTES)).isTrue();
      assertThat(c.overWindow()).isFalse();
      c.issued(++token);
    }
    assertThat(c.overWindow()).isTrue();
    assertThat(c.pending()).hasSize(PublishCredit.WINDOW + 1);
    assertThat(c.acked(7)).as("a flush barrier's token is not the window's").isFalse();
    assertThat(c.acked(101)).isTrue();
    assertThat(c.acked(101)).as("acked twice during a partition move").isFalse();
    assertThat(c.overWindow()).isFalse();
    assertThat(c.underLowMark()).isFalse();
    c.acked(102);
    c.acked(103);
    assertThat(c.underLowMark()).isTrue();
    assertThat(c.pending()).containsExactly(104, 105);
  }
}
