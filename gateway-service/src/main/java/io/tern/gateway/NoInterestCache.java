package io.tern.gateway;

import java.util.Arrays;

/**
 * Subjects the routers reported as heard by nobody, per account, with the interest generation of
 * the report. While the JVM's generation is unchanged, a gateway drops publishes on them instead of
 * shipping them to a router that would drop them. Bounded and overwriting; owned by one event loop.
 */
final class NoInterestCache {
  private static final int SLOTS = 1024;

  private final byte[][] subjects = new byte[SLOTS][];
  private final String[] accounts = new String[SLOTS];
  private final int[] generations = new int[SLOTS];
  private boolean empty = true;
  /** The newest generation any entry was put with. */
  private int newestGeneration;
  /**
   * The slot of the last drop: a publisher nobody hears usually repeats its subject, and comparing
   * the bytes (vectorised) costs less than hashing them byte by byte. Checked like any slot.
   */
  private int lastDropSlot;

  void put(String account, byte[] buf, int off, int len, int generation) {
    // Reports from different partitions may arrive out of generation order.
    if (empty || generation - newestGeneration > 0) {
      newestGeneration = generation;
      empty = false;
    }
    int slot = slot(buf, off, len);
    subjects[slot] = Arrays.copyOfRange(buf, off, off + len);
    accounts[slot] = account;
    generations[slot] = generation;
  }

  /** Whether nobody listens on the subject in {@code account} as of {@code generation}. */
  boolean heardByNobody(String account, byte[] buf, int off, int len, int generation) {
    // The current generation is never older than a report, so once interest was added after the
    // newest report no entry can match: skip hashing the subject (most publishes are heard).
    if (empty || generation != newestGeneration) {
      return false;
    }
    if (holds(lastDropSlot, account, buf, off, len, generation)) {
      return true;
    }
    int slot = slot(buf, off, len);
    if (holds(slot, account, buf, off, len, generation)) {
      lastDropSlot = slot;
      return true;
    }
    return false;
  }

  private boolean holds(int slot, String account, byte[] buf, int off, int len, int generation) {
    byte[] s = subjects[slot];
    return s != null && generations[slot] == generation && account.equals(accounts[slot])
        && Arrays.equals(s, 0, s.length, buf, off, off + len);
  }

  private static int slot(byte[] buf, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off; i < off + len; i++) {
      h = (h ^ buf[i]) * 0x01000193;
    }
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
