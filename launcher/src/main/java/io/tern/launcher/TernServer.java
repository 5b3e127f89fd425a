package io.tern.launcher;

import io.tern.common.config.TernOptions;

/**
 * A running Tern process shape: every chosen service deployed on one Vert.x instance.
 * Tests and the {@code tern} command start the broker through this class.
 */
public final class TernServer implements AutoCloseable {

  private TernServer() {
  }

  /** Starts every service in this JVM and returns once the client port is listening. */
  public static TernServer start(TernOptions options) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The client port actually bound (useful when the options asked for port 0). */
  public int clientPort() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The monitoring port actually bound, or 0 when monitoring is off. */
  public int httpPort() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {
  }
}
