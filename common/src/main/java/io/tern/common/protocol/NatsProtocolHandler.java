package io.tern.common.protocol;

/**
 * Receives the operations that {@link NatsParser} finds in a client's byte stream.
 *
 * <p>Every array range passed to a callback is only valid until the callback returns: the parser
 * hands out ranges of the caller's read buffer (zero-copy) or of its own scratch buffer when an
 * operation spanned reads, and reuses the latter. Copy what must outlive the call.
 */
public interface NatsProtocolHandler {

  /** {@code CONNECT <json>}: {@code buf[off, off+len)} is the JSON text. */
  void onConnect(byte[] buf, int off, int len);

  /**
   * {@code PUB} or {@code HPUB}. {@code replyLen} is 0 when there is no reply subject. For a plain
   * PUB {@code hdrLen} is -1; for HPUB it counts the header block through its closing CRLFCRLF.
   * The message (headers then payload) is {@code buf[msgOff, msgOff+totalLen)}.
   */
  void onPub(byte[] buf, int subjOff, int subjLen, int replyOff, int replyLen,
             int hdrLen, int msgOff, int totalLen);

  /** {@code SUB <subject> [queue] <sid>}; {@code queueLen} is 0 without a queue group. */
  void onSub(byte[] buf, int subjOff, int subjLen, int queueOff, int queueLen, int sidOff, int sidLen);

  /** {@code UNSUB <sid> [max]}; {@code max} is -1 when absent. */
  void onUnsub(byte[] buf, int sidOff, int sidLen, long max);

  void onPing();

  void onPong();

  /**
   * {@code +OK} sent by a client (anything after it up to the line end is ignored); nats-server
   * ignores it. A client's {@code -ERR} is not reported here: nats-server closes the connection on
   * it, so the parser reports {@link NatsParseError#CLIENT_ERR} through {@link #onError}.
   */
  default void onOkOrErr() {
  }

  /**
   * {@code INFO <json>} sent by a client: {@code buf[off, off+len)} is the text after {@code INFO}.
   * nats-server decodes it as JSON, ignores it when valid and silently closes the connection when
   * it is not.
   */
  default void onInfo(byte[] buf, int off, int len) {
  }

  /**
   * The stream is broken; the parser stops and accepts no more input. The handler decides what to
   * tell the client (for most errors the connection then closes).
   */
  void onError(NatsParseError error);
}
