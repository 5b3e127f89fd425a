package io.tern.gateway.mqtt;

import java.util.List;

/**
 * MQTT topics and filters to NATS subjects and back, exactly as nats-server 2.9.10 converts them
 * (checked against it): {@code /} separates levels as {@code .} does; an empty level (a leading
 * {@code /}, or one right after another) is written {@code /.}; a topic whose subject would end in
 * {@code .} gets a closing {@code /}; {@code +} is {@code *} and {@code #} is {@code >}, a
 * {@code foo/#} filter also matching {@code foo} itself. A {@code .} or a space in a topic is refused.
 */
public final class MqttTopics {

  /** nats-server's text for a topic with characters that have no subject form. */
  public static final String UNSUPPORTED_CHARACTERS = "characters ' ' and '.' not supported for MQTT topics";

  private MqttTopics() {}

  /** Thrown for a topic or filter that has no NATS subject. */
  public static final class InvalidTopicException extends IllegalArgumentException {
    InvalidTopicException(String message) {
      super(message);
    }
  }

  /**
   * Whether a message on {@code subject} is kept from a subscription to {@code filter}: MQTT 3.1.1
   * (4.7.2) has filters that start with a wildcard not match topics that start with {@code $}.
   * nats-server 2.9.10 does not apply this rule (a {@code #} subscriber there also receives its
   * MQTT layer's {@code $MQTT/sess/...} traffic); Tern does, which also keeps its own internal
   * subjects from such subscribers.
   */
  public static boolean hiddenFromFilter(String subject, String filter) {
    return !subject.isEmpty() && subject.charAt(0) == '$' && !filter.isEmpty()
        && (filter.charAt(0) == '#' || filter.charAt(0) == '+');
  }

  /** The subject an MQTT PUBLISH topic is published on. */
  public static String topicToSubject(String topic) {
    return convert(topic, false);
  }

  /**
   * The subjects a subscription filter subscribes: one, or two for a filter ending in {@code /#}
   * (the parent level first).
   */
  public static List<String> filterToSubjects(String filter) {
    String subject = convert(filter, true);
    if (subject.endsWith(".>") && subject.length() > 2) {
      return List.of(subject.substring(0, subject.length() - 2), subject);
    }
    return List.of(subject);
  }

  /** The topic an MQTT client sees for a message on {@code subject}. */
  public static String subjectToTopic(String subject) {
    StringBuilder sb = new StringBuilder(subject.length());
    int end = subject.length() - 1;
    for (int i = 0; i <= end; i++) {
      char c = subject.charAt(i);
      if (c == '.') {
        sb.append('/');
      } else if (c == '/') {
        // A '/' right after a separator, or a leading "/.", is the marker of an empty level.
        boolean marker = (i > 0 && subject.charAt(i - 1) == '.') || (i == 0 && i < end && subject.charAt(1) == '.');
        if (!marker) {
          sb.append('/');
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String convert(String topic, boolean filter) {
    if (topic.isEmpty()) {
      throw new InvalidTopicException("empty topic");
    }
    StringBuilder sb = new StringBuilder(topic.length() + 4);
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      switch (c) {
        case '/' -> {
          if (i == 0 || topic.charAt(i - 1) == '/') {
            sb.append("/.");
          } else {
            sb.append('.');
          }
        }
        case ' ', '.' -> throw new InvalidTopicException(UNSUPPORTED_CHARACTERS);
        case '+' -> {
          if (!filter) {
            throw new InvalidTopicException("wildcards not allowed in publish topic");
          }
          sb.append('*');
        }
        case '#' -> {
          if (!filter) {
            throw new InvalidTopicException("wildcards not allowed in publish topic");
          }
          sb.append('>');
        }
        default -> sb.append(c);
      }
    }
    if (sb.charAt(sb.length() - 1) == '.') {
      sb.append('/');
    }
    return sb.toString();
  }

  /**
   * Checks what MQTT 3.1.1 requires of a topic or filter string: not empty, no U+0000, and valid
   * UTF-8 (the decoder turns ill-formed UTF-8 into U+FFFD, so that character counts as ill-formed),
   * and for filters, wildcards that fill a whole level ({@code #} only as the last).
   */
  public static boolean isWellFormed(String s, boolean filter) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c == '\uFFFD') {
        return false;
      }
      if (filter && (c == '+' || c == '#')) {
        boolean startsLevel = i == 0 || s.charAt(i - 1) == '/';
        boolean endsLevel = i == s.length() - 1 || s.charAt(i + 1) == '/';
        if (!startsLevel || !endsLevel || (c == '#' && i != s.length() - 1)) {
          return false;
        }
      }
    }
    return true;
  }
}
