package io.tern.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Subscribers that together must receive every published sequence exactly once: a single plain
 * subscriber, or all members of one queue group. A fan-out has one group per subscriber.
 */
final class DeliveryGroup {

    private final List<SequenceTracker> members = new ArrayList<>();
    private final long expected;

    DeliveryGroup(long expected) {
        this.expected = expected;
    }

    /** Adds a member and returns its tracker. */
    SequenceTracker newMember() {
        SequenceTracker tracker = new SequenceTracker(expected);
        members.add(tracker);
        return tracker;
    }

    long expected() {
        return expected;
    }

    /** Cheap progress check while messages are still arriving. */
    boolean looksComplete() {
        long unique = 0;
        for (SequenceTracker member : members) {
            unique += member.unique();
        }
        return unique >= expected;
    }

    long received() {
        long sum = 0;
        for (SequenceTracker member : members) {
            sum += member.received();
        }
        return sum;
    }

    long lastArrivalNanos() {
        long last = 0;
        for (SequenceTracker member : members) {
            last = Math.max(last, member.lastArrivalNanos());
        }
        return last;
    }

    /** Final tally; call once the members have stopped receiving. */
    Tally tally() {
        BitSet union = new BitSet();
        long received = 0;
        long outOfOrder = 0;
        long invalid = 0;
        for (SequenceTracker member : members) {
            union.or(member.seen());
            received += member.received();
            outOfOrder += member.outOfOrder();
            invalid += member.invalid();
        }
        long unique = union.cardinality();
        // Duplicates within a member and the same sequence delivered to two queue members both count.
        long duplicates = received - unique - invalid;
        return new Tally(received, expected - unique, duplicates, outOfOrder + invalid);
    }

    /** Counts for one group; {@code outOfOrder} also includes bodies without a valid sequence. */
    record Tally(long received, long lost, long duplicates, long outOfOrder) {

        Tally plus(Tally other) {
            return new Tally(received + other.received, lost + other.lost,
                    duplicates + other.duplicates, outOfOrder + other.outOfOrder);
        }
    }
}
