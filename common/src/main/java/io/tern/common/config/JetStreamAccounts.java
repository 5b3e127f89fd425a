package io.tern.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which accounts have JetStream, as nats-server 2.9.10 decides: without an {@code accounts} block
 * the global account {@code $G} has it without limits; with one, exactly the accounts that enable
 * it (none, if none does, {@code $G} included). MQTT keeps its sessions in {@code $G}'s JetStream, so an MQTT listener
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
    if (onlyGlobal(options) || options.getMqtt().isEnabled()) {
      out.putIfAbsent(AccountsOptions.GLOBAL, AccountJetStreamOptions.unlimited());
    }
    return out;
  }

  /** Whether no account but {@code $G} and the system account is configured (nats-server's globalAccountOnly). */
  private static boolean onlyGlobal(TernOptions options) {
    String system = options.getAccounts().getSystemAccount();
    for (String name : options.getAccounts().getAccounts().keySet()) {
      if (!name.equals(AccountsOptions.GLOBAL) && !name.equals(system)) {
        return false;
      }
    }
    return true;
  }

  /** The configured accounts without JetStream (the system account aside): they get error 10039. */
  public static java.util.Set<String> disabled(TernOptions options) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(options.getAccounts().getAccounts().keySet());
    out.removeAll(of(options).keySet());
    out.remove(options.getAccounts().getSystemAccount());
    return out;
  }
}
