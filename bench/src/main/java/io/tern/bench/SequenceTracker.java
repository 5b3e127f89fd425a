package io.tern.bench;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one subscriber received: unique, duplicated and out-of-order sequence numbers and the time of the
 * last arrival. Written by exactly one thread (the subscriber's dispatcher); other threads may poll
 * {@link #received()} and {@link #unique()} while it runs.
 */
final class SequenceTracker {

    private final BitSet seen;
    private final long capacity;
    private long highest = -1;
    private long unique;
    private long duplicates;
    private long outOfOrder;
    private long invalid;
    private long lastArrivalNanos;
    /** Stored last with release semantics, so a reader that acquires it sees all fields written before. */
    private final AtomicLong received = new AtomicLong();

    SequenceTracker(long expectedSequences) {
        if (expectedSequences > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many messages for one tracker: " + expectedSequences);
        }
        this.capacity = expectedSequences;
        this.seen = new BitSet((int) expectedSequences);
    }

    /** Records one arrival; called only from the subscriber's thread. */
    void record(long sequence) {
        long now = System.nanoTime();
        if (sequence < 0 || sequence >= capacity) {
            invalid++;
        } else if (seen.get((int) sequence)) {
            duplicates++;
        } else {
            seen.set((int) sequence);
            unique++;
            // Only first arrivals count as reordered; a duplicate is already counted as such.
            if (sequence < highest) {
                outOfOrder++;
            } else {
                highest = sequence;
            }
        }
        lastArrivalNanos = now;
        received.setRelease(received.getPlain() + 1);
    }

    long received() {
        return received.getAcquire();
    }

    long unique() {
        received.getAcquire();
        return unique;
    }

    long duplicates() {
        received.getAcquire();
        return duplicates;
    }

    long outOfOrder() {
        received.getAcquire();
        return outOfOrder;
    }

    long invalid() {
        received.getAcquire();
        return invalid;
    }

    /** {@link System#nanoTime()} of the last arrival, or 0 if nothing arrived. */
    long lastArrivalNanos() {
        received.getAcquire();
        return lastArrivalNanos;
    }

    /** A copy of the set of sequence numbers seen so far. */
    BitSet seen() {
        received.getAcquire();
        return (BitSet) seen.clone();
    }
}
