package io.tern.testkit.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4: {@code # HELP} and {@code # TYPE}
 * lines, samples {@code name{label="value",...} value [timestamp]} with escaped label values.
 * Every sample must belong to a family whose TYPE came before it (the family name itself or it
 * plus a suffix such as {@code _total}, {@code _count}, {@code _sum}, {@code _bucket}); a family is
 * typed once. Anything else is an {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  final Map<String, String> types = new LinkedHashMap<>();
  final List<Sample> samples = new ArrayList<>();

  private PrometheusText() {
  }

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      try {
        p.line(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " \"" + line + "\": " + e.getMessage(), e);
      }
    }
    return p;
  }

  private void line(String line) {
    if (line.startsWith("#")) {
      String[] parts = line.split(" ", 4);
      if (parts.length >= 3 && parts[1].equals("TYPE")) {
        if (parts.length != 4 || !TYPES.contains(parts[3])) {
          throw new IllegalArgumentException("bad TYPE");
        }
        checkName(parts[2]);
        if (types.put(parts[2], parts[3]) != null) {
          throw new IllegalArgumentException("family typed twice");
        }
      } else if (parts.length >= 3 && parts[1].equals("HELP")) {
        checkName(parts[2]);
      }
      return;
    }
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    checkName(name);
    Map<String, String> labels = new HashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length < 1 || rest.length > 2) {
      throw new IllegalArgumentException("value and at most a timestamp expected");
    }
    double value = switch (rest[0]) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(rest[0]);
    };
    if (rest.length == 2) {
      Long.parseLong(rest[1]);
    }
    if (family(name) == null) {
      throw new IllegalArgumentException("sample before its family's TYPE");
    }
    samples.add(new Sample(name, labels, value));
  }

  private String family(String sample) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket", "_created", "_max"}) {
      if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return null;
  }

  private static int labels(String line, int i, Map<String, String> out) {
    while (true) {
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      String label = line.substring(i, eq);
      if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("bad label name " + label);
      }
      if (line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label value not quoted");
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char e = line.charAt(++j);
          v.append(switch (e) {
            case 'n' -> '\n';
            case '\\' -> '\\';
            case '"' -> '"';
            default -> throw new IllegalArgumentException("bad escape \\" + e);
          });
        } else {
          v.append(c);
        }
      }
      if (out.put(label, v.toString()) != null) {
        throw new IllegalArgumentException("label repeated: " + label);
      }
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      } else if (line.charAt(i) != '}') {
        throw new IllegalArgumentException("',' or '}' expected after a label");
      }
    }
  }

  private static void checkName(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("bad metric name " + name);
    }
  }

  /** The value of the one sample named {@code name}; fails when there is none or several. */
  double value(String name) {
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples named " + name);
    }
    return found.get(0).value();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
