package io.tern.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.tern.common.config.TernOptions;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The {@code tern} command's logging, set up from the options as nats-server does it: one line per
 * event, {@code [pid] 2006/01/02 15:04:05.000000 [INF] text}, the time left out without
 * {@code logtime}; to standard error, or to {@code log_file} (rotated at {@code logfile_size_limit}
 * when set); {@code -D} adds debug lines and {@code -V} the protocol trace. Applied again on reload.
 */
final class LogSetup {
  private LogSetup() {
  }

  /** Replaces the root logger's appenders and level according to {@code options}. */
  static synchronized void apply(TernOptions options) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> registry = (Map<String, String>) ctx.getObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY);
    if (registry == null) {
      registry = new HashMap<>();
      ctx.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY, registry);
    }
    registry.put("natsLevel", NatsLevelConverter.class.getName());
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    String pid = Long.toString(ProcessHandle.current().pid());
    encoder.setPattern("[" + pid + "] " + (options.isLogtime() ? "%d{yyyy/MM/dd HH:mm:ss.SSSSSS} " : "")
        + "[%natsLevel] %msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender;
    if (options.getLogFile() != null) {
      RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
      file.setContext(ctx);
      file.setFile(options.getLogFile().toString());
      if (options.getLogSizeLimit() > 0) {
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(options.getLogFile() + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(9);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(new FileSize(options.getLogSizeLimit()));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
      } else {
        // A rolling appender without a policy would refuse to start; a window of one never rolls in practice.
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(options.getLogFile() + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(1);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> never = new SizeBasedTriggeringPolicy<>();
        never.setContext(ctx);
        never.setMaxFileSize(new FileSize(Long.MAX_VALUE));
        never.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(never);
      }
      appender = file;
    } else {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setContext(ctx);
      console.setTarget("System.err");
      appender = console;
    }
    appender.setName("tern");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    root.setLevel(options.isTrace() ? Level.TRACE : options.isDebug() ? Level.DEBUG : Level.INFO);
    // Libraries stay quiet even at trace: the trace is the NATS protocol, not Netty's.
    ctx.getLogger("io.netty").setLevel(Level.WARN);
    ctx.getLogger("io.vertx").setLevel(Level.WARN);
    ctx.getLogger("com.hazelcast").setLevel(Level.WARN);
    // At shutdown the gateways flush to routers already undeployed; that warning is noise there.
    ctx.getLogger("io.vertx.core.eventbus").setLevel(Level.ERROR);
  }

  /** Re-opens the log file (SIGUSR1, {@code --signal reopen}), e.g. after an external logrotate. */
  static void reopen(TernOptions options) {
    apply(options);
  }
}
