package io.tern.stream;

/** What a JetStream API subject is about, for passing requests to the stream service that owns the stream. */
final class ApiSubjects {

  /** How a request is answered when several stream services share a cluster. */
  enum Kind {
    /** About one stream: answered by its owner. */
    STREAM,
    /** Creates a stream (STREAM.CREATE, STREAM.RESTORE): placed first if the name is new. */
    CREATE,
    /** STREAM.NAMES, STREAM.LIST, INFO: gathered from every stream service. */
    GATHER,
    /** Anything else (unknown subjects): answered where it landed. */
    LOCAL
  }

  private static final String PREFIX = "$JS.API.";

  private ApiSubjects() {
  }

  /** The kind of {@code subject} (a full {@code $JS.API.} subject). */
  static Kind kind(String subject) {
    String[] t = tokens(subject);
    if (t == null) {
      return Kind.LOCAL;
    }
    if ((t.length == 1 && t[0].equals("INFO"))
        || (t.length == 2 && t[0].equals("STREAM") && (t[1].equals("NAMES") || t[1].equals("LIST")))) {
      return Kind.GATHER;
    }
    if (t.length == 3 && t[0].equals("STREAM") && (t[1].equals("CREATE") || t[1].equals("RESTORE"))) {
      return Kind.CREATE;
    }
    return stream(subject) == null ? Kind.LOCAL : Kind.STREAM;
  }

  /** The stream {@code subject} is about, or null when it names none. */
  static String stream(String subject) {
    String[] t = tokens(subject);
    if (t == null || t.length < 3) {
      return null;
    }
    String name = switch (t[0]) {
      case "STREAM" -> t.length == 3 ? t[2] : (t[1].equals("MSG") && t.length == 4 ? t[3] : null);
      case "DIRECT" -> t[1].equals("GET") ? t[2] : null;
      case "CONSUMER" -> (t[1].equals("DURABLE") || t[1].equals("MSG")) ? (t.length >= 4 ? t[3] : null) : t[2];
      default -> null;
    };
    return name == null || name.isEmpty() ? null : name;
  }

  private static String[] tokens(String subject) {
    if (!subject.startsWith(PREFIX)) {
      return null;
    }
    return subject.substring(PREFIX.length()).split("\\.", -1);
  }
}
