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
}
