package io.tern.common.config;

/**
 * A config file that cannot be parsed or whose values cannot be applied. The message has the shape
 * {@code file:line:col: reason} whenever the position is known.
 */
public class ConfigException extends RuntimeException {
  private final transient ConfigPosition position;
  private final String reason;

  public ConfigException(ConfigPosition position, String reason) {
    this(position, reason, null);
  }

  public ConfigException(ConfigPosition position, String reason, Throwable cause) {
    super(position == null ? reason : position + ": " + reason, cause);
    this.position = position;
    this.reason = reason;
  }

  /** Where the problem is, or null when unknown (e.g. a map built by hand). */
  public ConfigPosition position() { return position; }

  /** The message without the position prefix. */
  public String reason() { return reason; }
}
