package io.tern.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory defaults for a broker started with plain {@code java -jar}: the JVM sizes its heap for
 * the whole machine, while Tern's live data is a few tens of megabytes. G1's manageable flags let
 * the heap shrink after bursts and when idle; flags given on the command line always win.
 */
final class JvmTuning {
  private static final Logger LOG = LoggerFactory.getLogger(JvmTuning.class);

  private JvmTuning() {
  }

  static void apply() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null) {
      return;
    }
    // Periodic collections when idle return the eden a burst of traffic grew.
    set(hotspot, args, "G1PeriodicGCInterval", "5000");
    set(hotspot, args, "MaxHeapFreeRatio", "20");
    set(hotspot, args, "MinHeapFreeRatio", "10");
  }

  private static void set(HotSpotDiagnosticMXBean hotspot, List<String> args, String flag, String value) {
    for (String a : args) {
      if (a.startsWith("-XX:" + flag + "=")) {
        return;
      }
    }
    try {
      hotspot.setVMOption(flag, value);
    } catch (RuntimeException e) {
      LOG.debug("cannot set {}: {}", flag, e.getMessage());
    }
  }
}
