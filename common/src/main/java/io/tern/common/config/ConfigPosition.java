package io.tern.common.config;

import java.nio.file.Path;

/**
 * Where something sits in a config source: file (null for text parsed without one), 1-based line and
 * 1-based column. Prints as {@code file:line:col}, the shape nats-server uses in its config errors
 * (nats-server's own columns are 0-based on the first line and 1-based after it; ours are always 1-based).
 */
public record ConfigPosition(Path file, int line, int column) {

  /** The label used for text that did not come from a file. */
  public static final String NO_FILE = "<config>";

  @Override
  public String toString() {
    return (file == null ? NO_FILE : file.toString()) + ":" + line + ":" + column;
  }
}
