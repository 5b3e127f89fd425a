package io.tern.testkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Turns the bytes a connection received into comparable protocol items, so transcripts from two
 * different servers can be diffed: INFO is reduced to the fields clients depend on (ids, version,
 * ports and build details differ legitimately), server-initiated PINGs are dropped when they are
 * timer noise, and message payloads become separate items.
 */
public final class TranscriptNormaliser {

  /** INFO fields whose values must agree between servers. */
  static final List<String> COMPARED_INFO_VALUES =
      List.of("proto", "headers", "max_payload", "auth_required", "tls_required");

  /** INFO fields that must be present on both servers, whatever their values. */
  static final List<String> REQUIRED_INFO_FIELDS = List.of("server_id", "server_name", "version",
      "host", "port", "client_id", "client_ip");

  private TranscriptNormaliser() {
  }

  /**
   * Splits {@code raw} into items: control lines (INFO canonicalised), {@code  payload <text>} for
   * message bodies, {@code <partial ...>} for bytes after the last complete item, and
   * {@code <closed>} when the server closed the connection.
   */
  public static List<String> normalise(byte[] raw, boolean dropServerPings, boolean closed) {
    List<String> items = new ArrayList<>();
    int pos = 0;
    while (pos < raw.length) {
      int eol = indexOfCrlf(raw, pos);
      if (eol < 0) {
        break;
      }
      String line = new String(raw, pos, eol - pos, StandardCharsets.UTF_8);
      int next = eol + 2;
      int bodyLen = bodyLength(line);
      if (bodyLen >= 0) {
        if (next + bodyLen + 2 > raw.length) {
          break;
        }
        items.add(line);
        items.add("  payload " + RawClient.quote(
            new String(raw, next, bodyLen, StandardCharsets.ISO_8859_1)));
        next += bodyLen + 2;
      } else if (line.startsWith("INFO ")) {
        items.add(canonicalInfo(line.substring(5).trim()));
      } else if (!(dropServerPings && line.equals("PING"))) {
        items.add(line);
      }
      pos = next;
    }
    if (pos < raw.length) {
      String rest = new String(raw, pos, raw.length - pos, StandardCharsets.ISO_8859_1);
      if (!(dropServerPings && "PING\r\n".startsWith(rest))) {
        items.add("<partial " + RawClient.quote(rest) + ">");
      }
    }
    if (closed) {
      items.add("<closed>");
    }
    return items;
  }

  /** INFO reduced to compared values and the presence of required fields. */
  static String canonicalInfo(String json) {
    JsonObject info;
    try {
      info = new JsonObject(json);
    } catch (DecodeException e) {
      return "INFO <invalid json> " + json;
    }
    StringJoiner out = new StringJoiner(" ", "INFO ", "");
    for (String key : COMPARED_INFO_VALUES) {
      out.add(key + "=" + (info.containsKey(key) ? info.getValue(key) : "<absent>"));
    }
    for (String key : REQUIRED_INFO_FIELDS) {
      out.add(key + (info.containsKey(key) ? "" : "=<absent>"));
    }
    return out.toString();
  }

  /** Bytes after a MSG/HMSG control line, or -1 if the line does not announce a body. */
  private static int bodyLength(String line) {
    if (!line.startsWith("MSG ") && !line.startsWith("HMSG ")) {
      return -1;
    }
    String[] parts = line.trim().split(" +");
    try {
      return Integer.parseInt(parts[parts.length - 1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int indexOfCrlf(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
