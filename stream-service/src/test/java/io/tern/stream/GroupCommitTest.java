package io.tern.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The group commit pipeline against a recording fake log: the order of writes, syncs, erasures and
 * completions shows that no unit completes before a sync that began after its write.
 */
class GroupCommitTest {

  /** Records "write u", "write+sync u", "sync begin", "sync end", "erase", "complete u ok|failed". */
  private static final class RecordingLog implements GroupCommit.Log, GroupCommit.Completion {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final Map<WriteBatch, String> names = Collections.synchronizedMap(new IdentityHashMap<>());
    final Map<CommitUnit, String> unitNames = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Permits for syncs to finish; unlimited unless a test holds syncs. */
    final Semaphore syncGate = new Semaphore(1_000_000);
    volatile String failWriteOf;
    /** The unit whose write waits for {@link #writeGate}, holding the writer thread. */
    volatile String holdWriteOf;
    final Semaphore writeGate = new Semaphore(0);

    @Override
    public void write(WriteBatch batch, boolean sync) throws RocksDBException {
      String name = names.get(batch);
      if (name.equals(failWriteOf)) {
        throw new RocksDBException("injected write failure");
      }
      if (name.equals(holdWriteOf)) {
        try {
          if (!writeGate.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("write held too long");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      events.add((sync ? "write+sync " : "write ") + name);
    }

    @Override
    public void syncWal() {
      events.add("sync begin");
      try {
        if (!syncGate.tryAcquire(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("sync held too long");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      events.add("sync end");
    }

    @Override
    public void erase(List<byte[][]> ranges) {
      events.add("erase");
    }

    @Override
    public void completed(List<CommitUnit> units, boolean ok) {
      for (CommitUnit u : units) {
        events.add("complete " + unitNames.get(u) + (ok ? " ok" : " failed"));
      }
    }

    CommitUnit unit(String name, boolean writes) {
      CommitUnit u = new CommitUnit();
      if (writes) {
        try {
          u.batch.put(name.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }
      names.put(u.batch, name);
      unitNames.put(u, name);
      return u;
    }

    List<String> snapshot() {
      synchronized (events) {
        return new ArrayList<>(events);
      }
    }

    void awaitEvent(Predicate<List<String>> condition) {
      for (int i = 0; i < 2_000; i++) {
        if (condition.test(snapshot())) {
          return;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      throw new AssertionError("event never came; events: " + snapshot());
    }
  }

  private final RecordingLog log = new RecordingLog();
  private GroupCommit pipeline;

  private GroupCommit start(boolean syncEachCommit) {
    pipeline = new GroupCommit(log, syncEachCommit, log);
    pipeline.start();
    return pipeline;
  }

  @AfterEach
  void stop() {
    log.syncGate.release(1_000);
    log.writeGate.release(1_000);
    if (pipeline != null) {
      pipeline.stop(10_000);
    }
  }

  /**
   * Every unit completed ok had a sync that began after its write ended and ended before its
   * completion (a write with sync counts as its own sync).
   */
  private static void assertEveryCompletionCoveredBySync(List<String> events) {
    for (int c = 0; c < events.size(); c++) {
      String e = events.get(c);
      if (!e.startsWith("complete ") || !e.endsWith(" ok")) {
        continue;
      }
      String name = e.substring("complete ".length(), e.length() - " ok".length());
      int written = events.indexOf("write " + name);
      if (written < 0) {
        continue; // wrote nothing (or wrote with sync): nothing of its own to wait for
      }
      int syncBegin = -1;
      for (int i = written + 1; i < c && syncBegin < 0; i++) {
        if (events.get(i).equals("sync begin") || events.get(i).startsWith("write+sync ")) {
          syncBegin = i;
        }
      }
      assertThat(syncBegin).as("a sync begins after 'write %s' and before its completion: %s", name, events)
          .isPositive();
      if (events.get(syncBegin).equals("sync begin")) {
        assertThat(events.subList(syncBegin, c)).as("that sync ends before '%s': %s", e, events)
            .contains("sync end");
      }
    }
  }

  @Test
  void aUnitWrittenWhileASyncRunsWaitsForTheNextSync() {
    start(true);
    log.syncGate.drainPermits();
    pipeline.submit(log.unit("u1", true));
    log.awaitEvent(ev -> ev.contains("sync begin"));
    // the first sync is held: u2 is written meanwhile (the pipeline's point), but not synced
    pipeline.submit(log.unit("u2", true));
    log.awaitEvent(ev -> ev.contains("write u2"));
    assertThat(log.snapshot()).containsExactly("write u1", "sync begin", "write u2");

    log.syncGate.release(1);
    log.awaitEvent(ev -> ev.contains("complete u1 ok"));
    log.awaitEvent(ev -> ev.stream().filter("sync begin"::equals).count() == 2);
    assertThat(log.snapshot()).doesNotContain("complete u2 ok");

    log.syncGate.release(1);
    log.awaitEvent(ev -> ev.contains("complete u2 ok"));
    assertThat(log.snapshot()).containsExactly(
        "write u1", "sync begin", "write u2", "sync end", "complete u1 ok", "sync begin", "sync end", "complete u2 ok");
  }

  @Test
  void manyUnitsCompleteInOrderEachAfterASyncCoveringItsWrite() {
    start(true);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean writes = i % 7 != 3; // some units only wait (afterCommit with nothing written)
      pipeline.submit(log.unit("u" + i, writes));
      expected.add("complete u" + i + " ok");
    }
    log.awaitEvent(ev -> ev.contains("complete u299 ok"));
    List<String> events = log.snapshot();
    assertThat(events.stream().filter(e -> e.startsWith("complete ")).toList()).isEqualTo(expected);
    assertEveryCompletionCoveredBySync(events);
  }

  @Test
  void aFailedWriteFailsItsRoundAndLaterUnitsStillCommit() {
    start(true);
    log.holdWriteOf = "w";
    log.failWriteOf = "c";
    pipeline.submit(log.unit("w", true));
    log.awaitEvent(ev -> log.writeGate.hasQueuedThreads());
    // the writer is held in w's write, so b and c are queued into one round: b is written, c fails
    pipeline.submit(log.unit("b", true));
    pipeline.submit(log.unit("c", true));
    log.writeGate.release();
    log.awaitEvent(ev -> ev.contains("complete c failed"));
    List<String> events = log.snapshot();
    // (w fails too if the sync thread takes it together with b and c: none of them is synced yet)
    assertThat(events).contains("write b", "complete b failed").doesNotContain("write c");

    log.failWriteOf = null;
    pipeline.submit(log.unit("d", true));
    log.awaitEvent(ev -> ev.contains("complete d ok"));
    assertEveryCompletionCoveredBySync(log.snapshot());
  }

  @Test
  void anErasureRunsAfterTheDeletionIsWrittenWithASyncAndBeforeTheCompletion() {
    start(true);
    CommitUnit erasing = log.unit("del", true);
    erasing.eraseRanges.add(new byte[][] {{0}, {1}});
    pipeline.submit(erasing);
    log.awaitEvent(ev -> ev.contains("complete del ok"));
    List<String> events = log.snapshot();
    assertThat(events.indexOf("write+sync del")).isNotNegative().isLessThan(events.indexOf("erase"));
    assertThat(events.indexOf("erase")).isLessThan(events.indexOf("complete del ok"));
  }

  @Test
  void withSyncIntervalUnitsCompleteAfterTheWriteAndTheWalSyncsOnlyWhenAsked() {
    start(false);
    pipeline.submit(log.unit("p1", true));
    pipeline.submit(log.unit("p2", true));
    log.awaitEvent(ev -> ev.contains("complete p2 ok"));
    assertThat(log.snapshot()).doesNotContain("sync begin");

    pipeline.submit(log.unit("p3", true));
    CommitUnit force = log.unit("force", false);
    force.forceSync = true;
    pipeline.submit(force);
    log.awaitEvent(ev -> ev.contains("complete force ok"));
    List<String> events = log.snapshot();
    assertThat(events.indexOf("write p3")).isLessThan(events.indexOf("sync begin"));
    assertThat(events.indexOf("sync end")).isLessThan(events.indexOf("complete force ok"));
  }

  @Test
  void stopWritesSyncsAndCompletesEverythingQueued() {
    start(true);
    log.syncGate.drainPermits();
    pipeline.submit(log.unit("s1", true));
    log.awaitEvent(ev -> ev.contains("sync begin"));
    pipeline.submit(log.unit("s2", true));
    pipeline.submit(log.unit("s3", true));
    log.syncGate.release(100);
    pipeline.stop(10_000);
    List<String> events = log.snapshot();
    assertThat(events).contains("complete s1 ok", "complete s2 ok", "complete s3 ok");
    assertEveryCompletionCoveredBySync(events);
  }
}
