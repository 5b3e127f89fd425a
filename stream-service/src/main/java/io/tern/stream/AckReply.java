package io.tern.stream;

/**
 * The reply subject of a consumer delivery, which carries the delivery's metadata:
 * {@code $JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<timestamp ns>.<pending>}.
 * Clients parse it for message metadata and publish acknowledgements to it.
 */
public record AckReply(String stream, String consumer, long deliveries, long streamSeq, long consumerSeq,
                       long timestamp, long pending) {

  /** Prefix of every acknowledgement subject. */
  public static final String PREFIX = "$JS.ACK.";

  /** The subject form. */
  public String format() {
    return PREFIX + stream + '.' + consumer + '.' + deliveries + '.' + streamSeq + '.' + consumerSeq + '.'
        + timestamp + '.' + pending;
  }

  /** Parses an acknowledgement subject; null when it is not one (wrong token count or numbers). */
  public static AckReply parse(String subject) {
    if (!subject.startsWith(PREFIX)) {
      return null;
    }
    String[] t = subject.substring(PREFIX.length()).split("\\.", -1);
    if (t.length != 7) {
      return null;
    }
    try {
      return new AckReply(t[0], t[1], Long.parseLong(t[2]), Long.parseLong(t[3]), Long.parseLong(t[4]),
          Long.parseLong(t[5]), Long.parseLong(t[6]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
