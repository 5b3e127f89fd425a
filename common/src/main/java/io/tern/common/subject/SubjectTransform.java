package io.tern.common.subject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subject mapping's rewrite: a source pattern whose {@code *} tokens are numbered from 1, and a
 * destination template whose tokens are literals or functions of those wildcards: {@code $n},
 * {@code {{wildcard(n)}}}, {@code {{partition(count, n...)}}}, {@code {{split(n, sep)}}},
 * {@code {{splitFromLeft(n, pos)}}}, {@code {{splitFromRight(n, pos)}}},
 * {@code {{sliceFromLeft(n, size)}}}, {@code {{sliceFromRight(n, size)}}}. A trailing {@code >} in
 * both carries the rest of the subject. Immutable and thread-safe.
 */
public final class SubjectTransform {

  private static final Pattern FUNCTION = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*\\((.*)\\)\\s*}}");
  private static final Pattern DOLLAR = Pattern.compile("\\$(\\d+)");

  private final String source;
  private final String[] sourceTokens;
  /** For each source token: the wildcard number (1-based) of a {@code *}, else 0. */
  private final int[] wildcardAt;
  private final int wildcards;
  private final boolean tail;
  private final List<Part> parts;

  private SubjectTransform(String source, String[] sourceTokens, int[] wildcardAt, int wildcards,
                           boolean tail, List<Part> parts) {
    this.source = source;
    this.sourceTokens = sourceTokens;
    this.wildcardAt = wildcardAt;
    this.wildcards = wildcards;
    this.tail = tail;
    this.parts = parts;
  }

  /**
   * Compiles a mapping from {@code source} to {@code destination}.
   *
   * @throws IllegalArgumentException when the destination refers to a wildcard the source lacks,
   *     uses an unknown function, or the subjects are invalid
   */
  public static SubjectTransform compile(String source, String destination) {
    if (!Subjects.isValidSubject(source)) {
      throw new IllegalArgumentException("invalid source subject");
    }
    String[] src = source.split("\\.");
    int[] at = new int[src.length];
    int n = 0;
    boolean tail = false;
    for (int i = 0; i < src.length; i++) {
      if (src[i].equals("*")) {
        at[i] = ++n;
      } else if (src[i].equals(">")) {
        tail = true;
      }
    }
    List<Part> parts = new ArrayList<>();
    String[] dst = destination.split("\\.", -1);
    for (int i = 0; i < dst.length; i++) {
      String t = dst[i].trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("empty token");
      }
      if (t.equals(">")) {
        if (!tail || i != dst.length - 1) {
          throw new IllegalArgumentException("'>' must be last and the source must end in '>'");
        }
        parts.add(new Part(Kind.TAIL, 0, null, null));
        continue;
      }
      Matcher d = DOLLAR.matcher(t);
      if (d.matches()) {
        parts.add(new Part(Kind.WILDCARD, index(d.group(1), n), null, null));
        continue;
      }
      Matcher f = FUNCTION.matcher(t);
      if (!f.matches()) {
        if (t.contains("{{") || t.equals("*")) {
          throw new IllegalArgumentException("invalid token \"" + t + "\"");
        }
        parts.add(new Part(Kind.LITERAL, 0, t, null));
        continue;
      }
      String[] args = f.group(2).split(",");
      for (int k = 0; k < args.length; k++) {
        args[k] = args[k].trim();
      }
      switch (f.group(1).toLowerCase(java.util.Locale.ROOT)) {
        case "wildcard" -> {
          need(args, 1);
          parts.add(new Part(Kind.WILDCARD, index(args[0], n), null, null));
        }
        case "partition" -> {
          if (args.length < 1 || args[0].isEmpty()) {
            throw new IllegalArgumentException("partition needs a count");
          }
          int count = positive(args[0]);
          int[] idx;
          if (args.length == 1) {
            idx = new int[n];
            for (int k = 0; k < n; k++) {
              idx[k] = k + 1;
            }
          } else {
            idx = new int[args.length - 1];
            for (int k = 1; k < args.length; k++) {
              idx[k - 1] = index(args[k], n);
            }
          }
          parts.add(new Part(Kind.PARTITION, count, null, idx));
        }
        case "split" -> {
          need(args, 2);
          parts.add(new Part(Kind.SPLIT, index(args[0], n), args[1], null));
        }
        case "splitfromleft" -> splitOrSlice(parts, Kind.SPLIT_LEFT, args, n);
        case "splitfromright" -> splitOrSlice(parts, Kind.SPLIT_RIGHT, args, n);
        case "slicefromleft" -> splitOrSlice(parts, Kind.SLICE_LEFT, args, n);
        case "slicefromright" -> splitOrSlice(parts, Kind.SLICE_RIGHT, args, n);
        default -> throw new IllegalArgumentException("unknown function \"" + f.group(1) + "\"");
      }
    }
    return new SubjectTransform(source, src, at, n, tail, parts);
  }

  private static void splitOrSlice(List<Part> parts, Kind kind, String[] args, int n) {
    need(args, 2);
    parts.add(new Part(kind, index(args[0], n), null, new int[] {positive(args[1])}));
  }

  private static void need(String[] args, int count) {
    if (args.length != count) {
      throw new IllegalArgumentException("wrong number of arguments");
    }
  }

  private static int index(String s, int wildcards) {
    int i;
    try {
      i = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a wildcard index: " + s);
    }
    if (i < 1 || i > wildcards) {
      throw new IllegalArgumentException("no wildcard " + i + " in the source");
    }
    return i;
  }

  private static int positive(String s) {
    try {
      int i = Integer.parseInt(s.trim());
      if (i > 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("not a positive number: " + s);
  }

  /** The source pattern. */
  public String source() {
    return source;
  }

  /** Whether the source is a literal subject (no wildcards). */
  public boolean literalSource() {
    return wildcards == 0 && !tail;
  }

  /** The mapped subject, or null when {@code subject} (a literal subject) does not match the source. */
  public String apply(String subject) {
    String[] s = subject.split("\\.", -1);
    if (tail ? s.length < sourceTokens.length : s.length != sourceTokens.length) {
      return null;
    }
    String[] wild = new String[wildcards + 1];
    int last = tail ? sourceTokens.length - 1 : sourceTokens.length;
    for (int i = 0; i < last; i++) {
      if (wildcardAt[i] > 0) {
        wild[wildcardAt[i]] = s[i];
      } else if (!sourceTokens[i].equals(s[i])) {
        return null;
      }
    }
    StringBuilder out = new StringBuilder(subject.length() + 16);
    for (Part p : parts) {
      if (out.length() > 0) {
        out.append('.');
      }
      p.append(out, wild, s, last);
    }
    return out.toString();
  }

  private enum Kind { LITERAL, WILDCARD, TAIL, PARTITION, SPLIT, SPLIT_LEFT, SPLIT_RIGHT, SLICE_LEFT, SLICE_RIGHT }

  private record Part(Kind kind, int n, String text, int[] args) {
    void append(StringBuilder out, String[] wild, String[] tokens, int tailStart) {
      switch (kind) {
        case LITERAL -> out.append(text);
        case WILDCARD -> out.append(wild[n]);
        case TAIL -> out.append(String.join(".", java.util.Arrays.copyOfRange(tokens, tailStart, tokens.length)));
        case PARTITION -> {
          StringBuilder key = new StringBuilder();
          for (int i : args) {
            key.append(wild[i]);
          }
          out.append(Integer.toUnsignedLong(fnv1a(key.toString())) % n);
        }
        case SPLIT -> {
          StringBuilder b = new StringBuilder();
          for (String piece : wild[n].split(java.util.regex.Pattern.quote(text), -1)) {
            if (!piece.isEmpty()) {
              if (b.length() > 0) {
                b.append('.');
              }
              b.append(piece);
            }
          }
          out.append(b);
        }
        case SPLIT_LEFT -> {
          String w = wild[n];
          int pos = args[0];
          out.append(pos >= w.length() ? w : w.substring(0, pos) + "." + w.substring(pos));
        }
        case SPLIT_RIGHT -> {
          String w = wild[n];
          int pos = args[0];
          out.append(pos >= w.length() ? w : w.substring(0, w.length() - pos) + "." + w.substring(w.length() - pos));
        }
        case SLICE_LEFT -> {
          String w = wild[n];
          int size = args[0];
          for (int i = 0; i < w.length(); i += size) {
            if (i > 0) {
              out.append('.');
            }
            out.append(w, i, Math.min(w.length(), i + size));
          }
        }
        case SLICE_RIGHT -> {
          String w = wild[n];
          int size = args[0];
          int first = w.length() % size;
          if (first > 0) {
            out.append(w, 0, first);
          }
          for (int i = first; i < w.length(); i += size) {
            if (i > 0) {
              out.append('.');
            }
            out.append(w, i, i + size);
          }
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  /** 32-bit FNV-1a over the string's UTF-8 bytes: the hash nats-server partitions with. */
  static int fnv1a(String s) {
    int h = 0x811c9dc5;
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }
}
