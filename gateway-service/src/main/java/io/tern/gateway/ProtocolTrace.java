package io.tern.gateway;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code -V} protocol trace, one log line per operation in nats-server's shape:
 * {@code 127.0.0.1:5555 - cid:5 - <<- [PUB foo 2]} for what a client sent and {@code ->>} for what
 * it was sent, payloads as {@code MSG_PAYLOAD: ["..."]}. Only called when the trace is on; each
 * read or write is traced on its own, so an operation split across reads shows in pieces.
 */
final class ProtocolTrace {
  private static final Logger LOG = LoggerFactory.getLogger("tern.trace");
  private static final int MAX_PAYLOAD_SHOWN = 1024;

  private ProtocolTrace() {
  }

  static void inbound(ClientConnection c, ByteBuf buf) {
    trace(c, "<<-", buf);
  }

  static void outbound(ClientConnection c, ByteBuf buf) {
    trace(c, "->>", buf);
  }

  private static void trace(ClientConnection c, String arrow, ByteBuf buf) {
    if (!LOG.isTraceEnabled()) {
      return;
    }
    String text = buf.toString(buf.readerIndex(), buf.readableBytes(), StandardCharsets.UTF_8);
    String prefix = c.remoteHost + ":" + c.remotePort + " - cid:" + c.cid
        + (c.opts.name == null ? "" : " - \"" + c.opts.name + "\"") + " - " + arrow + " ";
    int i = 0;
    while (i < text.length()) {
      int eol = text.indexOf("\r\n", i);
      String line = eol < 0 ? text.substring(i) : text.substring(i, eol);
      i = eol < 0 ? text.length() : eol + 2;
      if (line.isEmpty()) {
        continue;
      }
      LOG.trace("{}[{}]", prefix, line);
      int size = payloadSize(line);
      if (size >= 0 && i < text.length()) {
        int end = Math.min(text.length(), i + size);
        String payload = text.substring(i, end);
        if (payload.length() > MAX_PAYLOAD_SHOWN) {
          payload = payload.substring(0, MAX_PAYLOAD_SHOWN) + "...";
        }
        LOG.trace("{}MSG_PAYLOAD: [\"{}\"]", prefix, payload);
        i = Math.min(text.length(), end + 2);
      }
    }
  }

  /** The payload size of a PUB/HPUB/MSG/HMSG line (its last argument), or -1 for other ops. */
  private static int payloadSize(String line) {
    String upper = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : "";
    if (!(upper.startsWith("PUB ") || upper.startsWith("MSG ") || upper.equals("HPUB") || upper.equals("HMSG"))) {
      return -1;
    }
    int sp = line.lastIndexOf(' ');
    try {
      return Integer.parseInt(line.substring(sp + 1).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
