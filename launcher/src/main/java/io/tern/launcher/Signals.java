package io.tern.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * nats-server's signals on a tern process: HUP reloads, USR2 enters lame duck mode, USR1 re-opens
 * the log file, TERM and INT shut down cleanly (exit code 0, shutdown hook runs). Handlers run on
 * the JVM's signal thread and only start the work.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger("tern");

  private Signals() {
  }

  static void install(Main main) {
    handle("HUP", main::reload);
    handle("USR2", main::lameDuck);
    handle("USR1", main::reopenLog);
    handle("TERM", () -> exit("terminated"));
    handle("INT", () -> exit("interrupt"));
  }

  private static void exit(String why) {
    LOG.debug("Trapped \"{}\" signal", why);
    new Thread(() -> System.exit(0), "tern-exit").start();
  }

  private static void handle(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), s -> action.run());
    } catch (IllegalArgumentException e) {
      // The JVM may own the signal (e.g. with -Xrs); the feature is then only available another way.
      LOG.warn("Cannot handle SIG{}: {}", name, e.getMessage());
    }
  }
}
