package io.tern.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The parser sits on the broker's hot path: parsing must not allocate, neither for operations
 * inside one buffer nor, once its scratch buffer has grown, for operations split across reads.
 * Measured with the JVM's per-thread allocation counter, which counts this thread only (JIT and GC
 * threads do not disturb it); the bound is far above the few bytes the counter itself may add.
 */
class NatsParserAllocationTest {

  private static final int PUB_BYTES = 16;
  private static final int ROUNDS = 100;
  /** "< 1 KiB per 10k operations". */
  private static final double MAX_BYTES_PER_OP = 1024.0 / 10_000;

  @Test
  void pubsInsideOneBufferAllocateNothing() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    byte[] buf = pubBuffer();
    int opsPerBuffer = buf.length / opLength();
    CountingHandler handler = new CountingHandler();
    NatsParser parser = new NatsParser(handler, 4096, 1024 * 1024);

    for (int i = 0; i < 2 * ROUNDS; i++) { // warm-up, so class loading and JIT are done
      parser.parse(buf, 0, buf.length);
    }
    handler.pubs = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < ROUNDS; i++) {
      parser.parse(buf, 0, buf.length);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    long ops = (long) ROUNDS * opsPerBuffer;
    assertThat(handler.pubs).isEqualTo(ops);
    assertThat(handler.payloadBytes).isPositive();
    assertThat(allocated).as("bytes allocated for %d PUBs", ops)
        .isLessThan((long) (ops * MAX_BYTES_PER_OP));
  }

  @Test
  void opsSplitAcrossReadsAllocateNothingOnceScratchHasGrown() {
    com.sun.management.ThreadMXBean threads = allocationCounter();
    byte[] buf = mixedBuffer();
    CountingHandler handler = new CountingHandler();
    NatsParser parser = new NatsParser(handler, 4096, 1024 * 1024);
    // Reads of an odd size cut operations at ever different places.
    int read = 997;

    for (int i = 0; i < 2 * ROUNDS; i++) {
      feed(parser, buf, read);
    }
    long opsBefore = handler.ops();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < ROUNDS; i++) {
      feed(parser, buf, read);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    long ops = handler.ops() - opsBefore;
    assertThat(parser.failed()).isFalse();
    assertThat(ops).isGreaterThan(10_000);
    assertThat(allocated).as("bytes allocated for %d split-read ops", ops)
        .isLessThan((long) (ops * MAX_BYTES_PER_OP));
  }

  private static void feed(NatsParser parser, byte[] buf, int read) {
    for (int off = 0; off < buf.length; off += read) {
      parser.parse(buf, off, Math.min(read, buf.length - off));
    }
  }

  private static com.sun.management.ThreadMXBean allocationCounter() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no HotSpot thread MXBean");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
        "per-thread allocation counting unavailable");
    return threads;
  }

  private static int opLength() {
    return ("PUB foo " + PUB_BYTES + "\r\n").length() + PUB_BYTES + 2;
  }

  /** 64 KiB of {@code PUB foo 16} operations (whole ones only). */
  private static byte[] pubBuffer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] op = ("PUB foo " + PUB_BYTES + "\r\n" + "0123456789abcdef" + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    while (out.size() + op.length <= 64 * 1024) {
      out.writeBytes(op);
    }
    return out.toByteArray();
  }

  private static byte[] mixedBuffer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (out.size() < 64 * 1024) {
      String op = switch (i++ % 5) {
        case 0 -> "PUB orders.new _INBOX.abc 16\r\n0123456789abcdef\r\n";
        case 1 -> "HPUB h 21 26\r\nNATS/1.0\r\nK: vvvv\r\n\r\nhello\r\n";
        case 2 -> "SUB orders.* workers 42\r\n";
        case 3 -> "UNSUB 42 1000\r\n";
        default -> "PING\r\n";
      };
      out.writeBytes(op.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** Counts callbacks without allocating. */
  private static final class CountingHandler implements NatsProtocolHandler {
    long pubs;
    long subs;
    long unsubs;
    long pings;
    long payloadBytes;

    long ops() {
      return pubs + subs + unsubs + pings;
    }

    @Override
    public void onConnect(byte[] buf, int off, int len) {
    }

    @Override
    public void onPub(byte[] buf, int subjOff, int subjLen, int replyOff, int replyLen, int hdrLen,
        int msgOff, int totalLen) {
      pubs++;
      payloadBytes += totalLen + buf[msgOff];
    }

    @Override
    public void onSub(byte[] buf, int subjOff, int subjLen, int queueOff, int queueLen, int sidOff,
        int sidLen) {
      subs++;
    }

    @Override
    public void onUnsub(byte[] buf, int sidOff, int sidLen, long max) {
      unsubs++;
    }

    @Override
    public void onPing() {
      pings++;
    }

    @Override
    public void onPong() {
    }

    @Override
    public void onError(NatsParseError error) {
      throw new AssertionError("unexpected parse error " + error);
    }
  }
}
