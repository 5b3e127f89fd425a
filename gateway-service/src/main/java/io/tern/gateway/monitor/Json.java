package io.tern.gateway.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Value formats of nats-server's monitoring JSON. */
public final class Json {
  /** Go's RFC3339Nano: fraction without trailing zeros, UTC as {@code Z}. */
  private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
      .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .appendLiteral('Z')
      .toFormatter()
      .withZone(ZoneOffset.UTC);

  private Json() {
  }

  public static String time(Instant t) {
    return RFC3339_NANO.format(t);
  }

  /** nats-server's uptime format: {@code 1d2h3m4s}, whole seconds. */
  static String uptime(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    long h = (s % 86400) / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    StringBuilder sb = new StringBuilder();
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (days > 0 || h > 0) {
      sb.append(h).append('h');
    }
    if (days > 0 || h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(sec).append('s').toString();
  }

  /** A number that Go prints as an integer when it has no fraction (float64 fields such as auth_timeout). */
  static Number goFloat(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }

  /**
   * A round trip time as nats-server's {@code /connz} shows it: Go's duration text, truncated to
   * microseconds between 1µs and 1ms ({@code "0s"} while unknown).
   */
  static String rtt(long nanos) {
    if (nanos > 1_000 && nanos < 1_000_000) {
      nanos -= nanos % 1_000;
    }
    return io.tern.common.config.Durations.format(java.time.Duration.ofNanos(nanos));
  }
}
