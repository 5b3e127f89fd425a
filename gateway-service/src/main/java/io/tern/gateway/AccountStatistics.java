package io.tern.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-account traffic counters of this process's gateways, for {@code /accountz} and
 * {@code /accstatz}: totals of closed connections are kept here, open connections are summed
 * when a snapshot is taken (their counters are read without synchronisation, monitoring-grade).
 */
public final class AccountStatistics {

  /** One account's counters at a moment. */
  public record Snapshot(String account, int connections, long totalConnections, int subscriptions,
                         long inMsgs, long inBytes, long outMsgs, long outBytes, long slowConsumers) {}

  private static final class Closed {
    final LongAdder connections = new LongAdder();
    final LongAdder inMsgs = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outMsgs = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
  }

  private final Map<String, Closed> closed = new ConcurrentHashMap<>();

  void connectionClosed(ClientConnection c) {
    Closed k = closed.computeIfAbsent(c.account, a -> new Closed());
    k.connections.increment();
    k.inMsgs.add(c.inMsgs);
    k.inBytes.add(c.inBytes);
    k.outMsgs.add(c.outMsgs);
    k.outBytes.add(c.outBytes);
    // Tern closes every slow consumer, so each one is counted here, in its account.
    String reason = c.closeReason();
    if (reason != null && reason.startsWith("Slow Consumer")) {
      k.slowConsumers.increment();
    }
  }

  /** Every account that has or had connections, by name. */
  Map<String, Snapshot> snapshot(Iterable<ClientConnection> open) {
    Map<String, long[]> sums = new TreeMap<>();
    for (ClientConnection c : open) {
      long[] s = sums.computeIfAbsent(c.account, a -> new long[8]);
      s[0]++;
      s[1]++;
      s[2] += c.subscriptionCount();
      s[3] += c.inMsgs;
      s[4] += c.inBytes;
      s[5] += c.outMsgs;
      s[6] += c.outBytes;
    }
    closed.forEach((account, k) -> {
      long[] s = sums.computeIfAbsent(account, a -> new long[8]);
      s[1] += k.connections.sum();
      s[3] += k.inMsgs.sum();
      s[4] += k.inBytes.sum();
      s[5] += k.outMsgs.sum();
      s[6] += k.outBytes.sum();
      s[7] += k.slowConsumers.sum();
    });
    Map<String, Snapshot> out = new TreeMap<>();
    sums.forEach((a, s) -> out.put(a, new Snapshot(a, (int) s[0], s[1], (int) s[2], s[3], s[4], s[5], s[6], s[7])));
    return out;
  }
}
