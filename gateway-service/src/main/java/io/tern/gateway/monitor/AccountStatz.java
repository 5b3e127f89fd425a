package io.tern.gateway.monitor;

import io.tern.gateway.AccountStatistics;
import io.tern.gateway.ServerState;
import io.vertx.core.json.JsonArray;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * nats-server's per-account statistics entries ({@code /accstatz} and the system account's
 * {@code $SYS.REQ.ACCOUNT.<acc>.STATZ}): connections now and in total, messages and bytes sent to
 * and received from the account's clients. Accounts without connections only when asked
 * ({@code unused}).
 */
public final class AccountStatz {
  private AccountStatz() {
  }

  /**
   * The entries of {@code wanted} accounts (all when null); with {@code unused}, wanted accounts
   * nobody has used yet get an entry of zeros.
   */
  public static JsonArray entries(ServerState server, Set<String> wanted, boolean unused) {
    Map<String, AccountStatistics.Snapshot> stats = server.accountStatistics();
    TreeSet<String> names = Accountz.names(server, stats);
    if (unused && wanted != null) {
      names.addAll(wanted);
    }
    JsonArray list = new JsonArray();
    for (String name : names) {
      AccountStatistics.Snapshot s = stats.get(name);
      if (wanted != null && !wanted.contains(name) || (s == null || s.connections() == 0) && !unused) {
        continue;
      }
      list.add(Accountz.statz(name, s));
    }
    return list;
  }
}
