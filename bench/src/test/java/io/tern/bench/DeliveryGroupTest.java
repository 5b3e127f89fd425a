package io.tern.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryGroupTest {

    @Test
    void singleSubscriberCountsLostDuplicatedAndReordered() {
        DeliveryGroup group = new DeliveryGroup(6);
        SequenceTracker sub = group.newMember();
        for (long seq : new long[] {0, 2, 1, 2, 4, 99}) {
            sub.record(seq);
        }
        DeliveryGroup.Tally tally = group.tally();
        assertThat(tally.received()).isEqualTo(6);
        assertThat(tally.lost()).isEqualTo(2);          // 3 and 5 never came
        assertThat(tally.duplicates()).isEqualTo(1);    // second 2
        assertThat(tally.outOfOrder()).isEqualTo(2);    // 1 after 2, and the invalid 99
        assertThat(group.looksComplete()).isFalse();
    }

    @Test
    void queueMembersTogetherCoverTheSequenceAndCrossDuplicatesCount() {
        DeliveryGroup queue = new DeliveryGroup(4);
        SequenceTracker a = queue.newMember();
        SequenceTracker b = queue.newMember();
        a.record(0);
        a.record(2);
        b.record(1);
        b.record(3);
        assertThat(queue.looksComplete()).isTrue();
        assertThat(queue.tally()).isEqualTo(new DeliveryGroup.Tally(4, 0, 0, 0));

        b.record(2);
        assertThat(queue.tally()).isEqualTo(new DeliveryGroup.Tally(5, 0, 1, 1));
    }

    @Test
    void talliesAddUp() {
        DeliveryGroup.Tally sum = new DeliveryGroup.Tally(1, 2, 3, 4).plus(new DeliveryGroup.Tally(10, 20, 30, 40));
        assertThat(sum).isEqualTo(new DeliveryGroup.Tally(11, 22, 33, 44));
    }
}
