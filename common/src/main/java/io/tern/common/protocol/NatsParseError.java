package io.tern.common.protocol;

/** Why {@link NatsParser} gave up on a client's byte stream. */
public enum NatsParseError {
  /** An operation name that is not part of the client protocol. */
  UNKNOWN_OP,
  /** A control line longer than {@code max_control_line}. */
  MAX_CONTROL_LINE,
  /** A PUB/HPUB announcing more bytes than {@code max_payload}. */
  MAX_PAYLOAD,
  /** PUB/HPUB arguments that do not parse (wrong count, bad size, header size above total). */
  BAD_PUB_ARGS,
  /** SUB arguments that do not parse. */
  BAD_SUB_ARGS,
  /** UNSUB arguments that do not parse. */
  BAD_UNSUB_ARGS,
  /** The payload was not followed by CRLF. */
  BAD_PAYLOAD_TERMINATOR
}
