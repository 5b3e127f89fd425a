package io.tern.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tern --signal <command>[=<pid or pid file>]}: sends a running tern process the signal
 * nats-server's {@code --signal} sends (reload → HUP, ldm → USR2, reopen → USR1, stop → KILL,
 * quit → INT, term → TERM). Without a pid it uses the pid file given with {@code -P} or in the
 * config, else looks for the one tern process on this machine.
 */
final class SignalSender {
  static final Map<String, String> SIGNALS = Map.of(
      "stop", "KILL", "quit", "INT", "term", "TERM", "reopen", "USR1", "reload", "HUP", "ldm", "USR2");

  private SignalSender() {
  }

  /** Thrown with the message the command prints (after {@code tern: }). */
  static final class SignalException extends Exception {
    SignalException(String message) {
      super(message, null, false, false);
    }
  }

  static void send(String spec, Path pidFile) throws SignalException {
    String command = spec;
    String target = null;
    int eq = spec.indexOf('=');
    if (eq >= 0) {
      command = spec.substring(0, eq);
      target = spec.substring(eq + 1);
    }
    String signal = SIGNALS.get(command.toLowerCase(java.util.Locale.ROOT));
    if (signal == null) {
      throw new SignalException("unknown signal \"" + command + "\"");
    }
    long pid;
    if (target != null && !target.isEmpty()) {
      pid = resolve(target);
    } else if (pidFile != null) {
      pid = resolve(pidFile.toString());
    } else {
      pid = findTernProcess();
    }
    kill(signal, pid);
  }

  /** A pid, or the path of a file holding one. */
  static long resolve(String target) throws SignalException {
    try {
      return Long.parseLong(target.trim());
    } catch (NumberFormatException notANumber) {
      try {
        return Long.parseLong(Files.readString(Path.of(target), StandardCharsets.US_ASCII).trim());
      } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
        throw new SignalException("invalid pid: " + target);
      }
    }
  }

  private static long findTernProcess() throws SignalException {
    long self = ProcessHandle.current().pid();
    List<Long> pids = ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> p.info().commandLine().map(SignalSender::isTern).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
    if (pids.isEmpty()) {
      throw new SignalException("no tern processes running");
    }
    if (pids.size() > 1) {
      StringBuilder sb = new StringBuilder("multiple tern processes running:");
      pids.forEach(p -> sb.append('\n').append(p));
      throw new SignalException(sb.toString());
    }
    return pids.get(0);
  }

  private static boolean isTern(String commandLine) {
    return (commandLine.contains("tern.jar") || commandLine.contains("io.tern.launcher.Main"))
        && !commandLine.contains("--signal") && !commandLine.contains("-sl ");
  }

  private static void kill(String signal, long pid) throws SignalException {
    try {
      Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new SignalException(out.contains("No such process") ? "no such process" : out);
      }
    } catch (IOException e) {
      throw new SignalException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignalException("interrupted");
    }
  }
}
