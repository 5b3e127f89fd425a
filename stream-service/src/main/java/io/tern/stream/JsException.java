package io.tern.stream;

/** Ends a JetStream API request with an error response. */
public final class JsException extends RuntimeException {
  private final transient JsError error;

  public JsException(JsError error) {
    super(error.description(), null, false, false);
    this.error = error;
  }

  public JsError error() {
    return error;
  }
}
