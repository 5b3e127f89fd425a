package io.tern.common.config;

import java.time.Duration;
import java.util.List;

/**
 * An account's {@code exports} entry: a stream (messages flow out to importers) or a service
 * (importers send requests in), public or restricted to the named accounts. A service's
 * {@code responseThreshold} (null: nats-server's 2 minutes) is how long responses may flow back.
 */
public record ExportOptions(boolean service, String subject, List<String> accounts, String responseType,
                            Duration responseThreshold) {

  /** An export with the default response threshold. */
  public ExportOptions(boolean service, String subject, List<String> accounts, String responseType) {
    this(service, subject, accounts, responseType, null);
  }

  /** Whether {@code account} may import this export. */
  public boolean allows(String account) {
    return accounts == null || accounts.isEmpty() || accounts.contains(account);
  }
}
