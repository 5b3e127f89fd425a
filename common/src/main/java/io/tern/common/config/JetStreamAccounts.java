package io.tern.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which accounts have JetStream, as nats-server 2.9 decides: when no configured account sets
 * {@code jetstream}, the global account {@code $G} has it without limits; otherwise exactly the
 * accounts that enable it. MQTT keeps its sessions in {@code $G}'s JetStream, so an MQTT listener
 * keeps {@code $G} enabled.
 */
public final class JetStreamAccounts {

  private JetStreamAccounts() {}

  /** The JetStream-enabled accounts with their limits, in configuration order. */
  public static Map<String, AccountJetStreamOptions> of(TernOptions options) {
    Map<String, AccountJetStreamOptions> out = new LinkedHashMap<>();
    for (AccountOptions a : options.getAccounts().getAccounts().values()) {
      if (a.getJetStream() != null) {
        out.put(a.getName(), a.getJetStream());
      }
    }
    if (out.isEmpty() || options.getMqtt().isEnabled()) {
      out.putIfAbsent(AccountsOptions.GLOBAL, AccountJetStreamOptions.unlimited());
    }
    return out;
  }

  /** The configured accounts without JetStream (the system account aside): they get error 10039. */
  public static java.util.Set<String> disabled(TernOptions options) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(options.getAccounts().getAccounts().keySet());
    out.removeAll(of(options).keySet());
    out.remove(options.getAccounts().getSystemAccount());
    return out;
  }
}
