package io.tern.common.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed config block: an ordinary insertion-ordered map that also remembers where each key was
 * written and which keys were referenced as {@code $variables}. nats-server does not report a key as an
 * unknown field when it served as a variable, so the loader needs to know.
 */
public class ConfigMap extends LinkedHashMap<String, Object> {
  private static final long serialVersionUID = 1L;

  private final Map<String, ConfigPosition> positions = new HashMap<>();
  private final Set<String> usedAsVariable = new HashSet<>();

  /** Position of the key {@code key}, or null if it was not parsed from text. */
  public ConfigPosition positionOf(String key) { return positions.get(key); }

  /** Whether a later {@code $key} reference read this key's current value. */
  public boolean isUsedAsVariable(String key) { return usedAsVariable.contains(key); }

  /** Sets a parsed value; a redefinition replaces the value and forgets any earlier variable use. */
  void putParsed(String key, Object value, ConfigPosition position, boolean used) {
    put(key, value);
    positions.put(key, position);
    if (used) {
      usedAsVariable.add(key);
    } else {
      usedAsVariable.remove(key);
    }
  }

  void markUsedAsVariable(String key) { usedAsVariable.add(key); }
}
