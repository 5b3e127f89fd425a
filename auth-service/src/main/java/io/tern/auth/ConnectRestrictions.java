package io.tern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A user JWT's restrictions on where and when it may connect: {@code src} (CIDR blocks the client
 * address must fall in), {@code times} (daily windows {@code HH:MM:SS}, in {@code times_location} or
 * the server's zone; an end before the start wraps past midnight) and
 * {@code allowed_connection_types}.
 */
final class ConnectRestrictions {
  /** The allowance of a user without time windows. */
  static final Duration FOREVER = Duration.ofDays(36500);

  private ConnectRestrictions() {
  }

  /** Whether {@code clientIp} is in one of the {@code src} blocks (or there are none). */
  static boolean sourceAllowed(JsonObject nats, String clientIp) {
    List<String> blocks = new ArrayList<>();
    Object src = nats.getValue("src");
    if (src instanceof JsonArray a) {
      a.forEach(x -> blocks.add(String.valueOf(x)));
    } else if (src instanceof String s && !s.isBlank()) {
      for (String part : s.split(",")) {
        blocks.add(part.trim());
      }
    }
    if (blocks.isEmpty()) {
      return true;
    }
    for (String block : blocks) {
      if (inBlock(block, clientIp)) {
        return true;
      }
    }
    return false;
  }

  static boolean inBlock(String cidr, String ip) {
    try {
      int slash = cidr.indexOf('/');
      InetAddress net = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash));
      InetAddress addr = InetAddress.getByName(ip);
      byte[] n = net.getAddress();
      byte[] a = addr.getAddress();
      if (n.length != a.length) {
        return false;
      }
      int bits = slash < 0 ? n.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      BigInteger mask = BigInteger.ONE.shiftLeft(n.length * 8).subtract(BigInteger.ONE)
          .shiftRight(bits).not();
      return new BigInteger(1, n).and(mask).equals(new BigInteger(1, a).and(mask));
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }

  /**
   * How long from {@code now} the user may stay connected under its {@code times}: null when it may
   * not connect now, else what is left of the current window ({@link #FOREVER} without windows).
   */
  static Duration timeAllowance(JsonObject nats, Instant now) {
    JsonArray times = nats.getJsonArray("times");
    if (times == null || times.isEmpty()) {
      return FOREVER;
    }
    ZoneId zone;
    try {
      String loc = nats.getString("times_location", nats.getString("locale"));
      zone = loc == null || loc.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(loc);
    } catch (RuntimeException e) {
      return null;
    }
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    for (Object o : times) {
      if (!(o instanceof JsonObject range)) {
        continue;
      }
      try {
        LocalTime start = LocalTime.parse(range.getString("start"));
        LocalTime end = LocalTime.parse(range.getString("end"));
        boolean inside = start.isAfter(end) ? !t.isBefore(start) || !t.isAfter(end)
            : !t.isBefore(start) && !t.isAfter(end);
        if (inside) {
          Duration left = Duration.between(t, end);
          return left.isNegative() ? left.plusDays(1) : left;
        }
      } catch (RuntimeException e) {
        // a malformed range allows nothing
      }
    }
    return null;
  }

  /** Whether the connection's type is one the user may use (unknown names never match). */
  static boolean typeAllowed(JsonObject nats, String type) {
    JsonArray types = nats.getJsonArray("allowed_connection_types");
    if (types == null || types.isEmpty()) {
      return true;
    }
    for (Object o : types) {
      if (String.valueOf(o).equalsIgnoreCase(type)) {
        return true;
      }
    }
    return false;
  }
}
