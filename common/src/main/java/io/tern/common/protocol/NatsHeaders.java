package io.tern.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A NATS header block ({@code NATS/1.0[ status[ description]]\r\nKey: Value\r\n...\r\n}) parsed
 * into its status line and ordered fields, and built back into bytes. Keys keep their case; lookups
 * ignore it, as clients do.
 */
public final class NatsHeaders {

  private static final String VERSION = "NATS/1.0";

  /** One header field. */
  public record Field(String key, String value) {
  }

  private final int status;
  private final String description;
  private final List<Field> fields;

  private NatsHeaders(int status, String description, List<Field> fields) {
    this.status = status;
    this.description = description;
    this.fields = fields;
  }

  /** A block with no status line code and no fields yet. */
  public static NatsHeaders empty() {
    return new NatsHeaders(0, null, new ArrayList<>());
  }

  /** A status-only block such as {@code NATS/1.0 404 Message Not Found}. */
  public static NatsHeaders status(int code, String description) {
    return new NatsHeaders(code, description, new ArrayList<>());
  }

  /**
   * Parses a header block; tolerant of a missing final blank line. Lines without a colon are
   * skipped, as nats-server does.
   */
  public static NatsHeaders parse(byte[] block) {
    if (block == null || block.length == 0) {
      return empty();
    }
    String text = new String(block, StandardCharsets.UTF_8);
    int eol = text.indexOf("\r\n");
    String first = eol < 0 ? text : text.substring(0, eol);
    int status = 0;
    String description = null;
    if (first.startsWith(VERSION) && first.length() > VERSION.length()) {
      String rest = first.substring(VERSION.length()).trim();
      int sp = rest.indexOf(' ');
      String code = sp < 0 ? rest : rest.substring(0, sp);
      try {
        status = Integer.parseInt(code);
      } catch (NumberFormatException e) {
        status = 0;
      }
      if (sp >= 0) {
        description = rest.substring(sp + 1).trim();
      }
    }
    List<Field> fields = new ArrayList<>();
    int pos = eol < 0 ? text.length() : eol + 2;
    while (pos < text.length()) {
      int end = text.indexOf("\r\n", pos);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(pos, end);
      pos = end + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
    }
    return new NatsHeaders(status, description, fields);
  }

  /** The status code of the first line, or 0 when there is none. */
  public int statusCode() {
    return status;
  }

  /** The status description, or null. */
  public String description() {
    return description;
  }

  public List<Field> fields() {
    return Collections.unmodifiableList(fields);
  }

  public boolean isEmpty() {
    return fields.isEmpty() && status == 0;
  }

  /** The first value of {@code key} (case-insensitive), or null. */
  public String get(String key) {
    for (Field f : fields) {
      if (f.key.equalsIgnoreCase(key)) {
        return f.value;
      }
    }
    return null;
  }

  /** Appends a field. */
  public NatsHeaders add(String key, String value) {
    fields.add(new Field(key, value));
    return this;
  }

  /** The block as bytes, ending with the blank line. */
  public byte[] toBytes() {
    StringBuilder sb = new StringBuilder(VERSION);
    if (status > 0) {
      sb.append(' ').append(status);
      if (description != null && !description.isEmpty()) {
        sb.append(' ').append(description);
      }
    }
    sb.append("\r\n");
    for (Field f : fields) {
      sb.append(f.key).append(": ").append(f.value).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends fields to an existing raw block without re-encoding what is there: the block's final
   * blank line is moved after the new fields.
   */
  public static byte[] append(byte[] block, List<Field> extra) {
    int end = block.length;
    if (end >= 2 && block[end - 2] == '\r' && block[end - 1] == '\n') {
      end -= 2;
    }
    StringBuilder sb = new StringBuilder();
    for (Field f : extra) {
      sb.append(f.key).append(": ").append(f.value).append("\r\n");
    }
    sb.append("\r\n");
    byte[] tail = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[end + tail.length];
    System.arraycopy(block, 0, out, 0, end);
    System.arraycopy(tail, 0, out, end, tail.length);
    return out;
  }
}
