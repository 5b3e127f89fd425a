package io.tern.stream;

import io.vertx.core.json.JsonObject;

/**
 * A JetStream API error as nats-server reports it: HTTP-like code, JetStream error code and text
 * (texts as nats-server 2.9.10 writes them).
 */
public record JsError(int code, int errCode, String description) {

  public static final JsError BAD_REQUEST = new JsError(400, 10003, "bad request");
  public static final JsError INVALID_JSON = new JsError(400, 10025, "invalid JSON");
  public static final JsError NO_MESSAGE = new JsError(404, 10037, "no message found");
  public static final JsError NOT_EMPTY_REQUEST = new JsError(400, 10038, "expected an empty request payload");
  public static final JsError MESSAGE_TOO_BIG = new JsError(400, 10054, "message size exceeds maximum allowed");
  public static final JsError STREAM_MISMATCH = new JsError(400, 10056, "stream name in subject does not match request");
  public static final JsError DELETE_NOT_PERMITTED = new JsError(500, 10057, "message delete not permitted");
  public static final JsError NAME_IN_USE = new JsError(400, 10058,
      "stream name already in use with a different configuration");
  public static final JsError STREAM_NOT_FOUND = new JsError(404, 10059, "stream not found");
  public static final JsError EXPECTED_STREAM = new JsError(400, 10060, "expected stream does not match");
  public static final JsError SUBJECT_OVERLAP = new JsError(400, 10065, "subjects overlap with an existing stream");
  public static final JsError REPLICAS_NOT_SUPPORTED = new JsError(500, 10074,
      "replicas > 1 not supported in non-clustered mode");
  public static final JsError SEALED = new JsError(400, 10109, "invalid operation on sealed stream");
  public static final JsError PURGE_NOT_PERMITTED = new JsError(500, 10110, "stream purge not permitted");
  public static final JsError ROLLUP_NOT_PERMITTED = new JsError(500, 10111, "rollup not permitted");
  public static final JsError STORE_FAILED = new JsError(503, 10077, "storage failure");

  /** 10052: the stream configuration is invalid ({@code err} is the reason). */
  public static JsError invalidConfig(String err) {
    return new JsError(500, 10052, err);
  }

  /** 10043 */
  public static JsError sequenceNotFound(long seq) {
    return new JsError(400, 10043, "sequence " + Long.toUnsignedString(seq) + " not found");
  }

  /** 10070 */
  public static JsError wrongLastMsgId(String id) {
    return new JsError(400, 10070, "wrong last msg ID: " + id);
  }

  /** 10071 */
  public static JsError wrongLastSequence(long seq) {
    return new JsError(400, 10071, "wrong last sequence: " + seq);
  }

  /** 10077: a limit refused a message under the {@code discard: new} policy. */
  public static JsError storeFailed(String err) {
    return new JsError(503, 10077, err);
  }

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("err_code", errCode).put("description", description);
  }

  /** Thrown to end an API request with this error. */
  public JsException exception() {
    return new JsException(this);
  }
}
