package io.tern.common.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Parser for the NATS server config format (nats-server's {@code conf} package), a relaxed HOCON-like
 * syntax: {@code key: value}, {@code key = value} or {@code key value}; optional {@code ,}/{@code ;}
 * terminators; {@code {}} blocks; {@code []} arrays; {@code #} and {@code //} comments; quoted and bare
 * strings; numbers with size suffixes; booleans {@code true/false/yes/no/on/off}; {@code include};
 * {@code $variables} that fall back to environment variables.
 *
 * <p>Values come back as {@link String}, {@link Long}, {@link Double}, {@link Boolean},
 * {@link java.time.Instant} (ISO8601 Zulu datetimes such as {@code 2021-01-02T03:04:05Z}),
 * {@link java.util.List} and, for blocks, {@link ConfigMap} (a {@link java.util.LinkedHashMap} that keeps
 * the file's order and each key's position). Durations stay strings; see {@link Durations}.
 *
 * <p>Errors are {@link ConfigException}s whose message starts with {@code file:line:col:}.
 */
public final class ConfigParser {

  private ConfigParser() {}

  /** Parses a config file; includes are relative to its directory; variables fall back to the environment. */
  public static ConfigMap parse(Path file) {
    return parse(file, System::getenv);
  }

  /** As {@link #parse(Path)} with the given environment lookup (returning null for unset variables). */
  public static ConfigMap parse(Path file, Function<String, String> environment) {
    return ConfigReader.readFile(file, environment, 0);
  }

  /**
   * Parses config text that did not come from a file; positions name {@value ConfigPosition#NO_FILE}.
   *
   * @param baseDirForIncludes the directory {@code include} paths are relative to; null for the
   *     working directory
   */
  public static ConfigMap parse(String text, Path baseDirForIncludes) {
    return parse(text, baseDirForIncludes, System::getenv);
  }

  /** As {@link #parse(String, Path)} with the given environment lookup. */
  public static ConfigMap parse(String text, Path baseDirForIncludes, Function<String, String> environment) {
    return new ConfigReader(text, null, baseDirForIncludes, environment, 0).read();
  }
}
