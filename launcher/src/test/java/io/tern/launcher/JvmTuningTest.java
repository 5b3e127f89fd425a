package io.tern.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

class JvmTuningTest {

  /** Kept reachable until the test drops it, so the heap has to grow for it. */
  private static byte[][] ballast;

  @Test
  void theStartUpCollectionGivesBackHeapTheLiveDataDoesNotNeed() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    int megabytes = (int) Math.min(256, (Runtime.getRuntime().maxMemory() >> 20) / 4);
    ballast = new byte[megabytes][];
    for (int i = 0; i < ballast.length; i++) {
      ballast[i] = new byte[1 << 20];
    }
    long grown = memory.getHeapMemoryUsage().getCommitted();
    assertThat(grown).as("heap committed while %d MB are live", megabytes).isGreaterThan((long) megabytes << 20);
    ballast = null;

    JvmTuning.apply();
    JvmTuning.compactAfterStart();

    long after = memory.getHeapMemoryUsage().getCommitted();
    long used = memory.getHeapMemoryUsage().getUsed();
    assertThat(after).as("committed after the collection (used %d MB)", used >> 20)
        .isLessThan(grown / 2);
  }
}
