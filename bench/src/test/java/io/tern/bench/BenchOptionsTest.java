package io.tern.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void aFullRunWarmsUpLongEnoughForTheJit() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertThat(o.messages).isEqualTo(3_000_000);
        assertThat(o.warmupMessages).isEqualTo(1_000_000);
    }

    @Test
    void quickShortensBothUnlessCountsAreGiven() {
        BenchOptions quick = BenchOptions.parse(new String[] {"--quick"});
        assertThat(quick.messages).isEqualTo(200_000);
        assertThat(quick.warmupMessages).isEqualTo(100_000);

        BenchOptions given = BenchOptions.parse(new String[] {"--warmup", "7", "--messages", "9", "--quick"});
        assertThat(given.messages).isEqualTo(9);
        assertThat(given.warmupMessages).isEqualTo(7);
    }

    @Test
    void refusesANegativeWarmUp() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--warmup", "-1"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
