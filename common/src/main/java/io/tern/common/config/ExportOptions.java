package io.tern.common.config;

import java.util.List;

/**
 * An account's {@code exports} entry: a stream (messages flow out to importers) or a service
 * (importers send requests in), public or restricted to the named accounts.
 */
public record ExportOptions(boolean service, String subject, List<String> accounts, String responseType) {
  /** Whether {@code account} may import this export. */
  public boolean allows(String account) {
    return accounts == null || accounts.isEmpty() || accounts.contains(account);
  }
}
