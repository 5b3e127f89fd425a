package io.tern.stream;

import java.util.Arrays;

/**
 * The ascending sequences of one subject's messages. New sequences are appended; removals are
 * mostly of the oldest, so the list is a window {@code [head, tail)} over a growable array.
 */
final class SeqList {
  private long[] seqs = new long[2];
  private int head;
  private int tail;

  void add(long seq) {
    if (tail == seqs.length) {
      int n = tail - head;
      long[] next = n * 2 > seqs.length ? new long[Math.max(4, n * 2)] : seqs;
      System.arraycopy(seqs, head, next, 0, n);
      seqs = next;
      head = 0;
      tail = n;
    }
    seqs[tail++] = seq;
  }

  boolean remove(long seq) {
    if (head < tail && seqs[head] == seq) {
      head++;
      return true;
    }
    int i = Arrays.binarySearch(seqs, head, tail, seq);
    if (i < 0) {
      return false;
    }
    System.arraycopy(seqs, i + 1, seqs, i, tail - i - 1);
    tail--;
    return true;
  }

  int size() {
    return tail - head;
  }

  long first() {
    return seqs[head];
  }

  long last() {
    return seqs[tail - 1];
  }

  long get(int i) {
    return seqs[head + i];
  }

  /** The first sequence {@code >= seq}, or -1. */
  long ceiling(long seq) {
    int i = Arrays.binarySearch(seqs, head, tail, seq);
    if (i < 0) {
      i = -i - 1;
    }
    return i < tail ? seqs[i] : -1;
  }

  /** How many sequences are {@code >= seq}. */
  int countFrom(long seq) {
    int i = Arrays.binarySearch(seqs, head, tail, seq);
    if (i < 0) {
      i = -i - 1;
    }
    return tail - i;
  }
}
