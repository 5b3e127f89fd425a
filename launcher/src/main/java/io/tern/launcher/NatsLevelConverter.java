package io.tern.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Prints a log level the way nats-server does: {@code INF}, {@code DBG}, {@code TRC}, {@code WRN}, {@code ERR}. */
public final class NatsLevelConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return switch (event.getLevel().toInt()) {
      case Level.TRACE_INT -> "TRC";
      case Level.DEBUG_INT -> "DBG";
      case Level.WARN_INT -> "WRN";
      case Level.ERROR_INT -> "ERR";
      default -> "INF";
    };
  }
}
