package io.tern.testkit.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the shape of two JSON documents: every field of the reference must exist in the
 * candidate with the same JSON type (number, string, boolean, object, array, null), recursively;
 * array elements are compared by their first element when both arrays have one. Values are not
 * compared: they differ between servers (ids, times, the reference's own system subscriptions).
 */
final class JsonShape {
  private JsonShape() {
  }

  /**
   * @param ignored dotted paths (e.g. {@code account_detail.imports}) the candidate may lack
   * @return one line per difference, empty when the shapes agree
   */
  static List<String> differences(Object reference, Object candidate, Set<String> ignored) {
    List<String> out = new ArrayList<>();
    compare("", reference, candidate, ignored, out);
    return out;
  }

  private static void compare(String path, Object ref, Object cand, Set<String> ignored, List<String> out) {
    if (ignored.contains(path)) {
      return;
    }
    String rt = type(ref);
    String ct = type(cand);
    if (!rt.equals(ct)) {
      out.add((path.isEmpty() ? "<root>" : path) + ": " + rt + " in nats-server, " + ct + " in tern");
      return;
    }
    if (ref instanceof JsonObject r) {
      JsonObject c = (JsonObject) cand;
      for (Map.Entry<String, Object> e : r) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (ignored.contains(p)) {
          continue;
        }
        if (!c.containsKey(e.getKey())) {
          out.add(p + ": missing in tern");
        } else {
          compare(p, e.getValue(), c.getValue(e.getKey()), ignored, out);
        }
      }
    } else if (ref instanceof JsonArray r) {
      JsonArray c = (JsonArray) cand;
      if (!r.isEmpty() && !c.isEmpty()) {
        // Elements come in no fixed order and omit empty fields (a queue group only on queue
        // subscriptions), so objects are compared as the union of their elements' fields.
        compare(path + "[]", union(r), union(c), ignored, out);
      }
    }
  }

  private static Object union(JsonArray array) {
    if (!(array.getValue(0) instanceof JsonObject)) {
      return array.getValue(0);
    }
    JsonObject all = new JsonObject();
    for (Object element : array) {
      if (element instanceof JsonObject o) {
        for (Map.Entry<String, Object> e : o) {
          if (!all.containsKey(e.getKey()) || all.getValue(e.getKey()) == null) {
            all.put(e.getKey(), e.getValue());
          }
        }
      }
    }
    return all;
  }

  private static String type(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof JsonObject) {
      return "object";
    }
    if (v instanceof JsonArray) {
      return "array";
    }
    return v.getClass().getSimpleName();
  }
}
