package io.tern.gateway.monitor;

import io.tern.gateway.AccountStatistics;
import io.tern.gateway.ServerState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * nats-server's per-account statistics entries ({@code /accstatz} and the system account's
 * {@code $SYS.REQ.ACCOUNT.<acc>.STATZ}): connections now and in total, messages and bytes sent to
 * and received from the account's clients. Accounts without connections only when asked
 * ({@code unused}).
 */
public final class AccountStatz {
  private AccountStatz() {
  }

  /** The entries of {@code wanted} accounts (all when null). */
  public static JsonArray entries(ServerState server, Set<String> wanted, boolean unused) {
    Map<String, AccountStatistics.Snapshot> stats = new TreeMap<>(server.accountStatistics());
    if (unused) {
      stats.putIfAbsent("$G", empty("$G"));
      String sys = server.options().getAccounts().getSystemAccount();
      stats.putIfAbsent(sys, empty(sys));
      if (wanted != null) {
        wanted.forEach(a -> stats.putIfAbsent(a, empty(a)));
      }
    }
    JsonArray list = new JsonArray();
    for (AccountStatistics.Snapshot s : stats.values()) {
      if (wanted != null && !wanted.contains(s.account()) || s.connections() == 0 && !unused) {
        continue;
      }
      list.add(new JsonObject()
          .put("acc", s.account())
          .put("conns", s.connections())
          .put("leafnodes", 0)
          .put("total_conns", s.totalConnections())
          .put("sent", new JsonObject().put("msgs", s.outMsgs()).put("bytes", s.outBytes()))
          .put("received", new JsonObject().put("msgs", s.inMsgs()).put("bytes", s.inBytes()))
          .put("slow_consumers", s.account().equals("$G") ? server.slowConsumers() : 0));
    }
    return list;
  }

  private static AccountStatistics.Snapshot empty(String account) {
    return new AccountStatistics.Snapshot(account, 0, 0, 0, 0, 0, 0, 0);
  }
}
