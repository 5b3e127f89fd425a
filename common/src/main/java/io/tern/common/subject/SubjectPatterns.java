package io.tern.common.subject;

/**
 * Allocation-free pattern matching for the match cache's invalidation scan. Kept apart from {@link
 * Subjects#matches}, the simple reference implementation tests compare against.
 */
final class SubjectPatterns {
  private SubjectPatterns() {}

  /**
   * Whether {@code pattern} (a valid subscription subject) matches {@code subject} (a subject
   * without empty tokens), tokens of {@code subject} being taken literally.
   */
  static boolean matches(String subject, String pattern) {
    int sl = subject.length();
    int pl = pattern.length();
    int si = 0;
    int pi = 0;
    while (true) {
      if (si > sl) {
        return false; // the pattern has more tokens than the subject
      }
      int pe = pattern.indexOf('.', pi);
      if (pe < 0) {
        pe = pl;
      }
      int se = subject.indexOf('.', si);
      if (se < 0) {
        se = sl;
      }
      int ptl = pe - pi;
      if (ptl == 1 && pattern.charAt(pi) == '>') {
        return true;
      }
      boolean anyToken = ptl == 1 && pattern.charAt(pi) == '*';
      if (!anyToken && (se - si != ptl || !subject.regionMatches(si, pattern, pi, ptl))) {
        return false;
      }
      if (pe == pl) {
        return se == sl;
      }
      pi = pe + 1;
      si = se + 1;
    }
  }
}
