package io.tern.stream;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Times as Go's RFC3339Nano writes them in UTC: trailing zeros of the fraction trimmed. */
public final class Rfc3339 {
  /** Go's zero time, written for "no time" (an empty stream's first_ts). */
  public static final String ZERO = "0001-01-01T00:00:00Z";

  private Rfc3339() {
  }

  /** Formats nanoseconds since the epoch; 0 is Go's zero time. */
  public static String format(long epochNanos) {
    if (epochNanos == 0) {
      return ZERO;
    }
    long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(35);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2);
    if (nanos != 0) {
      String frac = String.format("%09d", nanos);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** Now in nanoseconds since the epoch (microsecond resolution on most JVMs). */
  public static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
