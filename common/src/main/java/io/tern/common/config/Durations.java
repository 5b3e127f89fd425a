package io.tern.common.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them, which is what nats-server
 * expects for {@code ping_interval}, {@code write_deadline}, {@code lame_duck_duration} and friends:
 * an optional sign, then one or more decimal numbers each with a unit ({@code ns}, {@code us},
 * {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), e.g. {@code 1h30m}, {@code 1.5s},
 * {@code -2m3.4s}. A bare {@code 0} is allowed; any other number needs a unit.
 */
public final class Durations {

  /** Go durations are int64 nanoseconds; anything beyond is an error there too. */
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with Go's wording, e.g. {@code time: missing unit in duration "90"}
   */
  public static Duration parse(String text) {
    String quoted = "\"" + text + "\"";
    int i = 0;
    boolean negative = false;
    if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    if (text.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == text.length()) {
      throw new IllegalArgumentException("time: invalid duration " + quoted);
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    while (i < text.length()) {
      int numberStart = i;
      int digitsBefore = 0;
      while (i < text.length() && isAsciiDigit(text.charAt(i))) {
        i++;
        digitsBefore++;
      }
      int digitsAfter = 0;
      if (i < text.length() && text.charAt(i) == '.') {
        i++;
        while (i < text.length() && isAsciiDigit(text.charAt(i))) {
          i++;
          digitsAfter++;
        }
      }
      if (digitsBefore + digitsAfter == 0) {
        throw new IllegalArgumentException("time: invalid duration " + quoted);
      }
      String number = text.substring(numberStart, i);
      int unitStart = i;
      while (i < text.length() && text.charAt(i) != '.' && !isAsciiDigit(text.charAt(i))) {
        i++;
      }
      String unit = text.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + quoted);
      }
      long unitNanos = unitNanos(unit);
      if (unitNanos == 0) {
        throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration " + quoted);
      }
      String normalized = number.endsWith(".") ? number + "0" : number;
      if (normalized.startsWith(".")) {
        normalized = "0" + normalized;
      }
      totalNanos = totalNanos.add(new BigDecimal(normalized).multiply(BigDecimal.valueOf(unitNanos)));
    }
    // Go truncates fractional nanoseconds towards zero.
    BigInteger nanos = totalNanos.toBigInteger();
    if (negative) {
      nanos = nanos.negate();
    }
    if (nanos.compareTo(MAX_NANOS) > 0 || nanos.compareTo(MIN_NANOS) < 0) {
      throw new IllegalArgumentException("time: invalid duration " + quoted);
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns": return 1L;
      case "us":
      case "\u00b5s": // micro sign
      case "\u03bcs": // Greek mu
        return 1_000L;
      case "ms": return 1_000_000L;
      case "s": return 1_000_000_000L;
      case "m": return 60_000_000_000L;
      case "h": return 3_600_000_000_000L;
      default: return 0;
    }
  }

  /**
   * Formats {@code d} as Go's {@code time.Duration.String} does ({@code 2m0s}, {@code 1h30m0s},
   * {@code 1.5s}, {@code 250ms}, {@code 0s}), as nats-server prints durations in its messages.
   */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
      nanos = -nanos;
    }
    if (nanos < 1_000_000_000L) {
      String unit;
      long scale;
      if (nanos < 1_000L) {
        return sb.append(nanos).append("ns").toString();
      } else if (nanos < 1_000_000L) {
        unit = "\u00b5s";
        scale = 1_000L;
      } else {
        unit = "ms";
        scale = 1_000_000L;
      }
      return sb.append(fraction(nanos, scale)).append(unit).toString();
    }
    long hours = nanos / 3_600_000_000_000L;
    long rest = nanos % 3_600_000_000_000L;
    long minutes = rest / 60_000_000_000L;
    rest = rest % 60_000_000_000L;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(rest, 1_000_000_000L)).append('s').toString();
  }

  /** {@code value / scale} in decimal without trailing zeros. */
  private static String fraction(long value, long scale) {
    return new BigDecimal(value).divide(new BigDecimal(scale)).stripTrailingZeros().toPlainString();
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
