package io.tern.common.config;

/**
 * An account's {@code imports} entry: the exporting account and subject, and for a stream an
 * optional {@code prefix}, for a service an optional local subject {@code to}.
 */
public record ImportOptions(boolean service, String account, String subject, String prefix, String to) {
  /** The subject this import appears on in the importing account. */
  public String localSubject() {
    if (service) {
      return to != null ? to : subject;
    }
    if (to != null) {
      return to;
    }
    return prefix != null ? prefix + "." + subject : subject;
  }
}
