package io.tern.testkit;

import java.nio.charset.StandardCharsets;

/**
 * A MSG or HMSG as received by {@link RawClient}.
 *
 * @param line the control line exactly as received, without CRLF
 * @param subject the subject it was delivered on
 * @param sid the subscription id
 * @param reply the reply subject, or null
 * @param headers the raw header block (through its blank line) for HMSG, null for MSG
 * @param payload the payload bytes
 */
public record RawMsg(String line, String subject, String sid, String reply, byte[] headers,
    byte[] payload) {

  /** The payload as UTF-8 text. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The header block as UTF-8 text, or null for MSG. */
  public String headersText() {
    return headers == null ? null : new String(headers, StandardCharsets.UTF_8);
  }

  /** Header block followed by payload: the bytes that follow the control line. */
  public byte[] body() {
    if (headers == null) {
      return payload.clone();
    }
    byte[] body = new byte[headers.length + payload.length];
    System.arraycopy(headers, 0, body, 0, headers.length);
    System.arraycopy(payload, 0, body, headers.length, payload.length);
    return body;
  }
}
