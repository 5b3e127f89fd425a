package io.tern.bench;

/**
 * Message bodies that carry their own sequence number in the first eight bytes (big-endian), so every
 * receiver can tell lost, duplicated and reordered messages apart. The rest of the body is zeros.
 */
final class SequencePayload {

    /** Smallest body that can hold a sequence number. */
    static final int MIN_SIZE = Long.BYTES;

    private SequencePayload() {
    }

    /**
     * A fresh body per message: jnats keeps a reference to the array until its writer thread has
     * copied it to the socket buffer, so a reused array would corrupt queued messages.
     */
    static byte[] of(long sequence, int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("payload must be at least " + MIN_SIZE + " bytes: " + size);
        }
        byte[] body = new byte[size];
        for (int i = 7; i >= 0; i--) {
            body[i] = (byte) sequence;
            sequence >>>= 8;
        }
        return body;
    }

    /** The sequence number of a body made by {@link #of}, or -1 if the body is too short. */
    static long sequenceOf(byte[] body) {
        if (body == null || body.length < MIN_SIZE) {
            return -1;
        }
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = (sequence << 8) | (body[i] & 0xFF);
        }
        return sequence;
    }
}
