package io.tern.stream;

import java.math.BigDecimal;

/** Go's {@code time.Duration} text: parsing ({@code ParseDuration}) and printing ({@code String}). */
final class GoDuration {
  private GoDuration() {
  }

  /** Parses "300ms", "1.5s", "2m30s", "1h", "10us"; throws IllegalArgumentException otherwise. */
  static long parse(String s) {
    String in = s.trim();
    boolean neg = false;
    if (in.startsWith("-") || in.startsWith("+")) {
      neg = in.charAt(0) == '-';
      in = in.substring(1);
    }
    if (in.equals("0")) {
      return 0;
    }
    if (in.isEmpty()) {
      throw new IllegalArgumentException("time: invalid duration " + s);
    }
    long total = 0;
    int i = 0;
    while (i < in.length()) {
      int start = i;
      while (i < in.length() && (Character.isDigit(in.charAt(i)) || in.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("time: invalid duration " + s);
      }
      BigDecimal number = new BigDecimal(in.substring(start, i));
      int unitStart = i;
      while (i < in.length() && !Character.isDigit(in.charAt(i)) && in.charAt(i) != '.') {
        i++;
      }
      long unit = switch (in.substring(unitStart, i)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException("time: invalid duration " + s);
      };
      total += number.multiply(BigDecimal.valueOf(unit)).longValue();
    }
    return neg ? -total : total;
  }

  /** Formats nanoseconds as Go prints a Duration: "1.5s", "100ms", "2m0s", "1h0m0s". */
  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long d = Math.abs(nanos);
    if (d < 1_000_000_000L) {
      if (d < 1_000L) {
        return sign + d + "ns";
      }
      if (d < 1_000_000L) {
        return sign + fraction(d, 1_000L) + "µs";
      }
      return sign + fraction(d, 1_000_000L) + "ms";
    }
    long hours = d / 3_600_000_000_000L;
    long rest = d % 3_600_000_000_000L;
    long minutes = rest / 60_000_000_000L;
    long secNanos = rest % 60_000_000_000L;
    StringBuilder sb = new StringBuilder(sign);
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(secNanos, 1_000_000_000L)).append('s').toString();
  }

  private static String fraction(long value, long unit) {
    String s = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
    return s;
  }
}
