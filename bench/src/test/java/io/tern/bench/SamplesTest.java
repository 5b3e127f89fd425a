package io.tern.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

    @Test
    void medianMinMaxIgnoreMissingValues() {
        Samples samples = new Samples();
        samples.add(3.0);
        samples.add(null);
        samples.add(1L);
        samples.add(Double.NaN);
        samples.add(10);
        assertThat(samples.size()).isEqualTo(3);
        assertThat(samples.median()).isEqualTo(3.0);
        assertThat(samples.min()).isEqualTo(1.0);
        assertThat(samples.max()).isEqualTo(10.0);

        samples.add(5);
        assertThat(samples.median()).isEqualTo(4.0);
    }

    @Test
    void emptySamplesHaveNoMedian() {
        assertThat(new Samples().median()).isNaN();
    }
}
