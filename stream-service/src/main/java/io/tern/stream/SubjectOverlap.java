package io.tern.stream;

/** Whether two subscription subjects (wildcards allowed in both) can match a common subject. */
public final class SubjectOverlap {
  private SubjectOverlap() {
  }

  public static boolean overlaps(String a, String b) {
    String[] ta = a.split("\\.", -1);
    String[] tb = b.split("\\.", -1);
    int n = Math.min(ta.length, tb.length);
    for (int i = 0; i < n; i++) {
      String x = ta[i];
      String y = tb[i];
      if (x.equals(">") || y.equals(">")) {
        return true;
      }
      if (!x.equals("*") && !y.equals("*") && !x.equals(y)) {
        return false;
      }
    }
    return ta.length == tb.length;
  }

  /** Whether every subject {@code sub} matches is also matched by {@code of} (subjectIsSubsetMatch). */
  public static boolean isSubset(String sub, String of) {
    String[] ts = sub.split("\\.", -1);
    String[] to = of.split("\\.", -1);
    for (int i = 0; i < to.length; i++) {
      String o = to[i];
      if (o.equals(">")) {
        return ts.length > i;
      }
      if (i >= ts.length) {
        return false;
      }
      String s = ts[i];
      if (o.equals("*")) {
        if (s.equals(">")) {
          return false;
        }
        continue;
      }
      if (!o.equals(s)) {
        return false;
      }
    }
    return ts.length == to.length;
  }
}
