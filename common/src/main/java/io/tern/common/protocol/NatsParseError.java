package io.tern.common.protocol;

/**
 * Why {@link NatsParser} gave up on a client's byte stream.
 *
 * <p>nats-server 2.9.10 closes the connection for every one of these; what it sends first is noted
 * per value (verified against the real server).
 */
public enum NatsParseError {
  /**
   * An operation name that is not part of the client protocol, an op without its mandatory
   * separator ({@code PUBX}, {@code PUB\r\n}) or a stray empty line. Sends
   * {@code -ERR 'Unknown Protocol Operation'}.
   */
  UNKNOWN_OP,
  /**
   * A control line whose arguments (the text after the op name and its separating blanks, without
   * the CRLF) are longer than {@code max_control_line}. Sends
   * {@code -ERR 'maximum control line exceeded'}.
   */
  MAX_CONTROL_LINE,
  /** A PUB/HPUB announcing more bytes than {@code max_payload}. Sends {@code -ERR 'Maximum Payload Violation'}. */
  MAX_PAYLOAD,
  /**
   * PUB/HPUB arguments that do not parse (wrong count, bad size, header size above total). Closes
   * without sending anything.
   */
  BAD_PUB_ARGS,
  /** SUB arguments that do not parse (wrong count). Closes without sending anything. */
  BAD_SUB_ARGS,
  /** UNSUB arguments that do not parse (wrong count). Closes without sending anything. */
  BAD_UNSUB_ARGS,
  /**
   * The payload was not followed by CRLF. nats-server answers this like an unknown operation:
   * {@code -ERR 'Unknown Protocol Operation'}.
   */
  BAD_PAYLOAD_TERMINATOR,
  /**
   * The client sent {@code -ERR <text>}. nats-server logs it and closes the connection without
   * replying (a bare {@code -ERR} without text is an {@link #UNKNOWN_OP} instead).
   */
  CLIENT_ERR
}
