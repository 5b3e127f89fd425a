package io.tern.stream;

/** The store cannot be read with the configured encryption (wrong key, cipher or mode). */
public final class StoreKeyException extends IllegalStateException {
  public StoreKeyException(String message) {
    super(message);
  }
}
