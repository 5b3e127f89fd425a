package io.tern.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequencePayloadTest {

    @Test
    void roundTripsSequenceNumbersOfAnySize() {
        for (long seq : new long[] {0, 1, 255, 256, 1_000_000, Long.MAX_VALUE}) {
            byte[] body = SequencePayload.of(seq, 16);
            assertThat(body).hasSize(16);
            assertThat(SequencePayload.sequenceOf(body)).isEqualTo(seq);
        }
        assertThat(SequencePayload.sequenceOf(SequencePayload.of(42, 128))).isEqualTo(42);
    }

    @Test
    void rejectsBodiesTooSmallForASequence() {
        assertThatThrownBy(() -> SequencePayload.of(1, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SequencePayload.sequenceOf(new byte[3])).isEqualTo(-1);
        assertThat(SequencePayload.sequenceOf(null)).isEqualTo(-1);
    }
}
