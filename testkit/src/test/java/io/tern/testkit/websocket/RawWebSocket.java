package io.tern.testkit.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client on a plain socket, for the frames a well-behaved client library will not
 * send: unmasked frames, or compressed frames built by hand.
 */
final class RawWebSocket implements AutoCloseable {

  static final int OP_TEXT = 0x1;
  static final int OP_BINARY = 0x2;
  static final int OP_CLOSE = 0x8;

  /** A frame from the server. */
  record Frame(int opcode, boolean rsv1, byte[] payload) {
    /** The close status of a close frame, or -1. */
    int closeStatus() {
      return opcode == OP_CLOSE && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Random random = new Random(7);
  /** The server's handshake response head (status line and headers). */
  final String response;

  private RawWebSocket(Socket socket, String response) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.response = response;
  }

  /** Opens a socket and sends the upgrade request, with {@code extraHeaders} (CRLF-terminated lines). */
  static RawWebSocket connect(int port, String extraHeaders, Duration readTimeout) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) readTimeout.toMillis());
    byte[] key = new byte[16];
    new Random().nextBytes(key);
    String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return new RawWebSocket(socket, readHead(socket.getInputStream()));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the handshake after " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one final frame; {@code masked} false breaks RFC 6455's rule for clients. */
  void send(int opcode, boolean rsv1, boolean masked, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | (rsv1 ? 0x40 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(maskBit | 127);
      long len = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (len >>> shift) & 0xff);
      }
    }
    byte[] body = payload;
    if (masked) {
      byte[] mask = new byte[4];
      random.nextBytes(mask);
      frame.write(mask, 0, 4);
      body = new byte[payload.length];
      for (int i = 0; i < payload.length; i++) {
        body[i] = (byte) (payload[i] ^ mask[i & 3]);
      }
    }
    frame.write(body, 0, body.length);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** The next frame from the server, or null when the server closed the socket. */
  Frame read() throws IOException {
    int b0;
    try {
      b0 = in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the server within the read timeout", e);
    }
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      throw new AssertionError("the server masked a frame");
    }
    if (len > 16 << 20) {
      throw new AssertionError("frame of " + len + " bytes from the server");
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, (b0 & 0x40) != 0, payload);
  }

  /** Reads frames until a close frame, which is returned; fails if the socket ends first. */
  Frame readUntilClose() throws IOException {
    for (int guard = 0; guard < 1000; guard++) {
      Frame f = read();
      if (f == null) {
        throw new AssertionError("socket closed without a close frame");
      }
      if (f.opcode == OP_CLOSE) {
        return f;
      }
    }
    throw new AssertionError("no close frame among 1000 frames");
  }

  /** Whether the server has closed the socket: reads (and drops) until end of stream. */
  boolean closedByServer() throws IOException {
    byte[] sink = new byte[8192];
    try {
      for (int guard = 0; guard < 100_000; guard++) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset is a close too.
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
