package io.tern.common.config;

import java.util.List;

/**
 * One {@code mappings} entry: a source subject and its destinations. One destination with weight
 * 100 is a plain mapping; several are weighted; {@code cluster} scoped entries are not supported.
 */
public record MappingOptions(String source, List<Destination> destinations) {
  /** A destination subject template and its weight in percent. */
  public record Destination(String subject, int weight) {}
}
