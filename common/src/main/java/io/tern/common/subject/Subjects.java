package io.tern.common.subject;

/**
 * Subject syntax rules, mirroring nats-server 2.9.10 ({@code server/sublist.go}).
 *
 * <p>A subject is a sequence of tokens separated by {@code '.'}. The tokens {@code *} (exactly one
 * token) and {@code >} (one or more tokens, only as the last token) are wildcards <em>only when
 * they are a whole token</em>: {@code foo*} and {@code foo>} are ordinary literal tokens, as in
 * nats-server. The rules differ slightly between the checks, exactly as they do in nats-server:
 *
 * <ul>
 *   <li>{@link #isValidSubject}: non-empty, no empty token, nothing after a {@code >} token, and
 *       none of the bytes space, {@code \t}, {@code \n}, {@code \r}, {@code \f} (vertical tab and
 *       non-ASCII whitespace are allowed) — {@code IsValidSubject}.
 *   <li>{@link #isValidPublishSubject}: {@link #isValidSubject} and {@link #isLiteral} — {@code
 *       IsValidPublishSubject}.
 *   <li>{@link #isValidLiteralSubject}: no empty token and no wildcard token, <em>without</em> the
 *       whitespace check — {@code IsValidLiteralSubject}. This is the check nats-server's
 *       pedantic mode applies to PUB/HPUB subjects (client.go {@code processPub}), so a gateway
 *       mimicking it must use this one, not {@link #isValidPublishSubject}.
 *   <li>{@link #isLiteral}: no whole-token wildcard; says nothing about validity — {@code
 *       subjectIsLiteral}.
 * </ul>
 *
 * <p>The byte-range overloads look at UTF-8 bytes and allocate nothing. They agree with the String
 * versions because every byte they look at is ASCII, and ASCII bytes never occur inside a
 * multi-byte UTF-8 sequence.
 */
public final class Subjects {
  private static final char SEP = '.';
  private static final char PWC = '*';
  private static final char FWC = '>';

  private Subjects() {}

  /** Whether {@code subject} may be subscribed to (nats-server {@code IsValidSubject}). */
  public static boolean isValidSubject(String subject) {
    int len = subject.length();
    if (len == 0) {
      return false;
    }
    int tokenStart = 0;
    boolean afterFwc = false;
    for (int i = 0; i <= len; i++) {
      if (i == len || subject.charAt(i) == SEP) {
        int tokenLen = i - tokenStart;
        if (tokenLen == 0 || afterFwc) {
          return false;
        }
        if (tokenLen == 1 && subject.charAt(tokenStart) == FWC) {
          afterFwc = true;
        }
        tokenStart = i + 1;
      } else if (isForbiddenWhitespace(subject.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Byte-range version of {@link #isValidSubject(String)}; allocates nothing. */
  public static boolean isValidSubject(byte[] b, int off, int len) {
    if (len <= 0) {
      return false;
    }
    int end = off + len;
    int tokenStart = off;
    boolean afterFwc = false;
    for (int i = off; i <= end; i++) {
      if (i == end || b[i] == SEP) {
        int tokenLen = i - tokenStart;
        if (tokenLen == 0 || afterFwc) {
          return false;
        }
        if (tokenLen == 1 && b[tokenStart] == FWC) {
          afterFwc = true;
        }
        tokenStart = i + 1;
      } else if (isForbiddenWhitespace((char) b[i])) {
        return false;
      }
    }
    return true;
  }

  /** Valid and literal (nats-server {@code IsValidPublishSubject}). */
  public static boolean isValidPublishSubject(String subject) {
    return isValidSubject(subject) && isLiteral(subject);
  }

  /** Byte-range version of {@link #isValidPublishSubject(String)}; allocates nothing. */
  public static boolean isValidPublishSubject(byte[] b, int off, int len) {
    return isValidSubject(b, off, len) && isLiteral(b, off, len);
  }

  /**
   * No empty token and no wildcard token; whitespace is not checked (nats-server {@code
   * IsValidLiteralSubject}, the pedantic PUB check).
   */
  public static boolean isValidLiteralSubject(String subject) {
    int len = subject.length();
    int tokenStart = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || subject.charAt(i) == SEP) {
        int tokenLen = i - tokenStart;
        if (tokenLen == 0) {
          return false;
        }
        if (tokenLen == 1 && isWildcard(subject.charAt(tokenStart))) {
          return false;
        }
        tokenStart = i + 1;
      }
    }
    return true;
  }

  /** Byte-range version of {@link #isValidLiteralSubject(String)}; allocates nothing. */
  public static boolean isValidLiteralSubject(byte[] b, int off, int len) {
    int end = off + len;
    int tokenStart = off;
    for (int i = off; i <= end; i++) {
      if (i == end || b[i] == SEP) {
        int tokenLen = i - tokenStart;
        if (tokenLen == 0) {
          return false;
        }
        if (tokenLen == 1 && isWildcard((char) b[tokenStart])) {
          return false;
        }
        tokenStart = i + 1;
      }
    }
    return true;
  }

  /**
   * Whether no token is exactly {@code *} or {@code >} (nats-server {@code subjectIsLiteral}). Does
   * not check validity: {@code "a..b"} is literal.
   */
  public static boolean isLiteral(String subject) {
    int len = subject.length();
    for (int i = 0; i < len; i++) {
      if (isWildcard(subject.charAt(i))
          && (i == 0 || subject.charAt(i - 1) == SEP)
          && (i + 1 == len || subject.charAt(i + 1) == SEP)) {
        return false;
      }
    }
    return true;
  }

  /** Byte-range version of {@link #isLiteral(String)}; allocates nothing. */
  public static boolean isLiteral(byte[] b, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (isWildcard((char) b[i])
          && (i == off || b[i - 1] == SEP)
          && (i + 1 == end || b[i + 1] == SEP)) {
        return false;
      }
    }
    return true;
  }

  /** Number of tokens; 0 for the empty string (nats-server {@code numTokens}). */
  public static int tokenCount(String subject) {
    if (subject.isEmpty()) {
      return 0;
    }
    int count = 1;
    for (int i = 0; i < subject.length(); i++) {
      if (subject.charAt(i) == SEP) {
        count++;
      }
    }
    return count;
  }

  /**
   * Whether the subject {@code subject} is matched by the subscription pattern {@code pattern}.
   *
   * <p>A straightforward reference implementation (it allocates): tokens of {@code subject} are
   * taken literally; in {@code pattern} a whole {@code *} token matches exactly one token and a
   * whole {@code >} token as the last token matches one or more tokens. Returns false when the
   * subject has an empty token (nats-server's match returns no interest for such subjects) or the
   * pattern is not a valid subscription subject.
   */
  public static boolean matches(String subject, String pattern) {
    if (!isValidSubject(pattern) || !hasNoEmptyToken(subject)) {
      return false;
    }
    String[] s = subject.split("\\.", -1);
    String[] p = pattern.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals(">")) {
        return s.length > i;
      }
      if (i >= s.length) {
        return false;
      }
      if (!p[i].equals("*") && !p[i].equals(s[i])) {
        return false;
      }
    }
    return s.length == p.length;
  }

  static boolean hasNoEmptyToken(String subject) {
    int len = subject.length();
    int tokenStart = 0;
    for (int i = 0; i <= len; i++) {
      if (i == len || subject.charAt(i) == SEP) {
        if (i == tokenStart) {
          return false;
        }
        tokenStart = i + 1;
      }
    }
    return true;
  }

  private static boolean isWildcard(char c) {
    return c == PWC || c == FWC;
  }

  private static boolean isForbiddenWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  /** Whether some literal subject matches both patterns. */
  public static boolean overlaps(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; ; i++) {
      if (i == x.length || i == y.length) {
        return x.length == y.length;
      }
      if (x[i].equals(">") || y[i].equals(">")) {
        return true;
      }
      if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
        return false;
      }
    }
  }
}
