package io.tern.testkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A send/expect harness speaking the raw NATS client protocol over a plain {@link Socket}, for
 * tests that must see the exact bytes a broker sends.
 *
 * <p>Every read has a deadline (default {@link #DEFAULT_TIMEOUT}), so a test can fail but never
 * hang. Failed expectations throw {@link AssertionError} carrying everything received so far.
 *
 * <p>Servers send {@code PING} on their own timer (nats-server 2.9 sends the first one about two
 * seconds after a client connects), which would make expectations racy. By default such
 * {@code PING} lines are skipped by every expectation (they stay in the {@link #transcript()});
 * {@link #serverPingsVisible(boolean)} turns that off for tests about pings themselves. The client
 * never answers server pings on its own.
 */
public final class RawClient implements AutoCloseable {

  /** How long any expectation waits unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final byte[] PING_LINE = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern MSG_LINE =
      Pattern.compile("MSG ([^ ]+) ([^ ]+)(?: ([^ ]+))? (\\d+)");
  private static final Pattern HMSG_LINE =
      Pattern.compile("HMSG ([^ ]+) ([^ ]+)(?: ([^ ]+))? (\\d+) (\\d+)");

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
  private final byte[] chunk = new byte[64 * 1024];
  private byte[] pending = new byte[0];
  private Duration timeout = DEFAULT_TIMEOUT;
  private boolean skipServerPings = true;
  private boolean closedByPeer;
  private String infoLine;
  private JsonObject info;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects and reads the server's INFO line, which must be the first thing it sends. */
  public static RawClient connect(String host, int port) {
    RawClient client = open(host, port);
    try {
      client.readInfo();
      return client;
    } catch (RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
  }

  /** Connects to {@code broker} on loopback and reads its INFO line. */
  public static RawClient connect(Broker broker) {
    return connect("127.0.0.1", broker.port());
  }

  /** Connects without reading anything, for tests about what arrives first. */
  public static RawClient open(String host, int port) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) DEFAULT_TIMEOUT.toMillis());
      return new RawClient(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    }
  }

  /** Reads the next line, which must be {@code INFO <json>}, and keeps it as {@link #info()}. */
  public JsonObject readInfo() {
    String line = readLine();
    if (!line.startsWith("INFO ")) {
      throw fail("expected INFO line, got " + quote(line));
    }
    try {
      info = new JsonObject(line.substring(5).trim());
    } catch (DecodeException e) {
      throw fail("INFO is not a JSON object: " + quote(line));
    }
    infoLine = line;
    return info;
  }

  /** The parsed JSON of the last INFO read by {@link #connect} or {@link #readInfo()}. */
  public JsonObject info() {
    return info;
  }

  /** The last INFO line exactly as received, without its CRLF. */
  public String infoLine() {
    return infoLine;
  }

  /** Changes the default deadline of every later expectation. */
  public RawClient timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** Whether expectations see server-initiated {@code PING} lines (default: no, they are skipped). */
  public RawClient serverPingsVisible(boolean visible) {
    this.skipServerPings = !visible;
    return this;
  }

  /** Whether server {@code PING} lines are skipped by expectations. */
  public boolean skipsServerPings() {
    return skipServerPings;
  }

  /** Sends {@code text} (UTF-8) in one write. */
  public RawClient send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code bytes} in one write. */
  public RawClient send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("send failed after receiving " + quote(transcript()), e);
    }
  }

  /**
   * Sends {@code text} one byte per write with a short pause between, so the server sees the
   * protocol split at every possible point.
   */
  public RawClient sendBytewise(String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      send(new byte[] {b});
      pause(Duration.ofMillis(1));
    }
    return this;
  }

  /** The next line without its CRLF, within the default timeout. */
  public String readLine() {
    return readLine(timeout);
  }

  /** The next line without its CRLF; fails if none arrives within {@code within}. */
  public String readLine(Duration within) {
    long deadline = deadline(within);
    while (true) {
      String line = nextLine(deadline);
      if (skipServerPings && line.equals("PING")) {
        continue;
      }
      return line;
    }
  }

  /** Expects the next line to be exactly {@code exact} (given without CRLF). */
  public RawClient expectLine(String exact) {
    String line = readLine();
    if (!line.equals(exact)) {
      throw fail("expected line " + quote(exact) + " but got " + quote(line));
    }
    return this;
  }

  /** Expects the next line to match {@code regex} entirely; returns the match for its groups. */
  public Matcher expectLineMatching(String regex) {
    String line = readLine();
    Matcher m = Pattern.compile(regex).matcher(line);
    if (!m.matches()) {
      throw fail("expected a line matching " + quote(regex) + " but got " + quote(line));
    }
    return m;
  }

  /** Expects exactly {@code -ERR '<text>'}. */
  public RawClient expectErr(String text) {
    return expectLine("-ERR '" + text + "'");
  }

  /** Expects {@code PONG} after sending {@code PING}: a barrier proving all earlier ops were seen. */
  public RawClient ping() {
    send("PING\r\n");
    return expectLine("PONG");
  }

  /** Reads the next MSG or HMSG with its payload. */
  public RawMsg readMsg() {
    String line = readLine();
    Matcher hm = HMSG_LINE.matcher(line);
    if (hm.matches()) {
      int headerLen = Integer.parseInt(hm.group(4));
      int total = Integer.parseInt(hm.group(5));
      if (headerLen > total) {
        throw fail("HMSG header size exceeds total size: " + quote(line));
      }
      byte[] body = readPayload(total);
      return new RawMsg(line, hm.group(1), hm.group(2), hm.group(3),
          Arrays.copyOfRange(body, 0, headerLen), Arrays.copyOfRange(body, headerLen, total));
    }
    Matcher m = MSG_LINE.matcher(line);
    if (m.matches()) {
      byte[] body = readPayload(Integer.parseInt(m.group(4)));
      return new RawMsg(line, m.group(1), m.group(2), m.group(3), null, body);
    }
    throw fail("expected MSG or HMSG but got " + quote(line));
  }

  /**
   * Expects {@code MSG <subject> <sid> [reply] <len>} (reply may be null) followed by exactly
   * {@code payload}.
   */
  public RawMsg expectMsg(String subject, String sid, String reply, String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    String expected = "MSG " + subject + " " + sid + (reply == null ? "" : " " + reply) + " "
        + body.length;
    return expectExactMsg(expected, body);
  }

  /**
   * Expects {@code HMSG <subject> <sid> [reply] <hdrlen> <totallen>} followed by exactly
   * {@code headers} (the whole block, through its blank line) and {@code payload}.
   */
  public RawMsg expectHMsg(String subject, String sid, String reply, String headers,
      String payload) {
    byte[] h = headers.getBytes(StandardCharsets.UTF_8);
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    String expected = "HMSG " + subject + " " + sid + (reply == null ? "" : " " + reply) + " "
        + h.length + " " + (h.length + p.length);
    byte[] body = new byte[h.length + p.length];
    System.arraycopy(h, 0, body, 0, h.length);
    System.arraycopy(p, 0, body, h.length, p.length);
    return expectExactMsg(expected, body);
  }

  private RawMsg expectExactMsg(String expectedLine, byte[] expectedBody) {
    RawMsg msg = readMsg();
    if (!msg.line().equals(expectedLine)) {
      throw fail("expected " + quote(expectedLine) + " but got " + quote(msg.line()));
    }
    byte[] body = msg.body();
    if (!Arrays.equals(body, expectedBody)) {
      throw fail("message " + quote(expectedLine) + " expected body " + quote(latin1(expectedBody))
          + " but got " + quote(latin1(body)));
    }
    return msg;
  }

  /**
   * Expects the server to close the connection (EOF or reset) within {@code within}, with no
   * further bytes before that (server pings aside, when they are skipped).
   */
  public RawClient expectClosed(Duration within) {
    long deadline = deadline(within);
    while (true) {
      dropLeadingPings();
      if (pending.length > 0 && !isPartialPing()) {
        throw fail("expected the connection to close but received " + quote(latin1(pending)));
      }
      if (closedByPeer) {
        return this;
      }
      if (!fill(deadline) && !closedByPeer) {
        throw fail("connection still open after " + within.toMillis() + " ms");
      }
    }
  }

  /** {@link #expectClosed(Duration)} with the default timeout. */
  public RawClient expectClosed() {
    return expectClosed(timeout);
  }

  /**
   * Expects no bytes at all (server pings aside, when they are skipped) during {@code window},
   * and the connection to stay open. Used for things that must not happen, such as {@code +OK}
   * when verbose is off.
   */
  public RawClient expectNothing(Duration window) {
    long deadline = deadline(window);
    while (true) {
      dropLeadingPings();
      if (pending.length > 0 && !isPartialPing()) {
        throw fail("expected nothing for " + window.toMillis() + " ms but received "
            + quote(latin1(pending)));
      }
      if (closedByPeer) {
        throw fail("expected nothing but the connection was closed");
      }
      if (!fill(deadline) && !closedByPeer) {
        return this;
      }
    }
  }

  /** Everything received so far, including bytes not yet consumed by an expectation. */
  public String transcript() {
    return latin1(transcript.toByteArray());
  }

  /** {@link #transcript()} as bytes. */
  public byte[] transcriptBytes() {
    return transcript.toByteArray();
  }

  /** Whether an expectation has seen the server close this connection. */
  public boolean closedByPeer() {
    return closedByPeer;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket cannot meaningfully fail
    }
  }

  private byte[] readPayload(int size) {
    long deadline = deadline(timeout);
    while (pending.length < size + 2) {
      if (!fill(deadline)) {
        throw fail((closedByPeer ? "connection closed" : "timed out") + " reading a " + size
            + "-byte payload");
      }
    }
    if (pending[size] != '\r' || pending[size + 1] != '\n') {
      throw fail("payload of " + size + " bytes not followed by CRLF");
    }
    byte[] body = Arrays.copyOfRange(pending, 0, size);
    pending = Arrays.copyOfRange(pending, size + 2, pending.length);
    return body;
  }

  private String nextLine(long deadline) {
    while (true) {
      for (int i = 0; i < pending.length; i++) {
        if (pending[i] == '\n') {
          if (i == 0 || pending[i - 1] != '\r') {
            throw fail("line not terminated by CRLF: " + quote(latin1(Arrays.copyOf(pending, i))));
          }
          String line = new String(pending, 0, i - 1, StandardCharsets.UTF_8);
          pending = Arrays.copyOfRange(pending, i + 1, pending.length);
          return line;
        }
      }
      if (!fill(deadline)) {
        throw fail(closedByPeer ? "connection closed while waiting for a line"
            : "no complete line within the timeout");
      }
    }
  }

  private void dropLeadingPings() {
    if (!skipServerPings) {
      return;
    }
    while (startsWith(pending, PING_LINE)) {
      pending = Arrays.copyOfRange(pending, PING_LINE.length, pending.length);
    }
  }

  private boolean isPartialPing() {
    return skipServerPings && pending.length < PING_LINE.length
        && Arrays.equals(pending, 0, pending.length, PING_LINE, 0, pending.length);
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length
        && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Reads whatever arrives before {@code deadline}; false on timeout or close. */
  private boolean fill(long deadline) {
    if (closedByPeer) {
      return false;
    }
    long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
    if (remainingMillis <= 0) {
      return false;
    }
    try {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
      int n = in.read(chunk);
      if (n < 0) {
        closedByPeer = true;
        return false;
      }
      transcript.write(chunk, 0, n);
      byte[] grown = Arrays.copyOf(pending, pending.length + n);
      System.arraycopy(chunk, 0, grown, pending.length, n);
      pending = grown;
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      // A reset (e.g. the server closed with our bytes unread) counts as a close.
      closedByPeer = true;
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long deadline(Duration within) {
    return System.nanoTime() + within.toNanos();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private AssertionError fail(String message) {
    return new AssertionError(message + "\n  received so far: " + quote(transcript()));
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Shows CR and LF visibly so byte-exact failures are readable. */
  static String quote(String s) {
    return "\"" + s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "\"";
  }
}
