package io.tern.launcher;

import io.tern.common.config.AuthorizationOptions;
import io.tern.common.config.Durations;
import io.tern.common.config.TernOptions;
import io.tern.gateway.ServerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies re-read options to a running server, as nats-server's config reload: options that only
 * matter when a connection starts or that are read as they are used change in place (limits, ping
 * settings, write deadline, authorization, logging, lame duck settings); listeners and identity
 * cannot change and make the whole reload fail with nats-server's message.
 *
 * <p>Limits read at connect time (max_payload, max_control_line, ping_interval, the auth
 * requirement) apply to new connections; max_pending, max_subscriptions, ping_max and
 * write_deadline are read on use and so apply to existing ones too. The options object is shared
 * with the event loops without locks: a change becomes visible to them shortly, not atomically.
 */
final class Reload {
  private Reload() {
  }

  static List<String> apply(ServerState state, TernOptions fresh) {
    fresh.validate();
    TernOptions live = state.options();
    refuse("Host", live.getHost(), fresh.getHost());
    refuse("Port", live.getPort(), fresh.getPort());
    refuse("HTTPHost", live.getHttpHost(), fresh.getHttpHost());
    refuse("HTTPPort", live.getHttpPort(), fresh.getHttpPort());
    refuse("HTTPSPort", live.getHttpsPort(), fresh.getHttpsPort());
    refuse("HTTPBasePath", live.getHttpBasePath(), fresh.getHttpBasePath());
    refuse("ServerName", live.getServerName(), fresh.getServerName());
    refuse("JetStream", live.getJetStream().isEnabled(), fresh.getJetStream().isEnabled());
    refuse("StoreDir", live.getJetStream().getStoreDir(), fresh.getJetStream().getStoreDir());

    List<String> changed = new ArrayList<>();
    if (live.getMaxPayload() != fresh.getMaxPayload()) {
      live.setMaxPayload(fresh.getMaxPayload());
      changed.add("max_payload = " + fresh.getMaxPayload());
    }
    if (live.getMaxControlLine() != fresh.getMaxControlLine()) {
      live.setMaxControlLine(fresh.getMaxControlLine());
      changed.add("max_control_line = " + fresh.getMaxControlLine());
    }
    if (live.getMaxPending() != fresh.getMaxPending()) {
      live.setMaxPending(fresh.getMaxPending());
      changed.add("max_pending = " + fresh.getMaxPending());
    }
    if (live.getMaxConnections() != fresh.getMaxConnections()) {
      live.setMaxConnections(fresh.getMaxConnections());
      changed.add("max_connections = " + fresh.getMaxConnections());
    }
    if (live.getMaxSubscriptions() != fresh.getMaxSubscriptions()) {
      live.setMaxSubscriptions(fresh.getMaxSubscriptions());
      changed.add("max_subscriptions = " + fresh.getMaxSubscriptions());
    }
    if (!live.getPingInterval().equals(fresh.getPingInterval())) {
      live.setPingInterval(fresh.getPingInterval());
      changed.add("ping_interval = " + Durations.format(fresh.getPingInterval()));
    }
    if (live.getPingMax() != fresh.getPingMax()) {
      live.setPingMax(fresh.getPingMax());
      changed.add("ping_max = " + fresh.getPingMax());
    }
    if (!live.getWriteDeadline().equals(fresh.getWriteDeadline())) {
      live.setWriteDeadline(fresh.getWriteDeadline());
      changed.add("write_deadline = " + Durations.format(fresh.getWriteDeadline()));
    }
    if (!live.getAuthTimeout().equals(fresh.getAuthTimeout())) {
      live.setAuthTimeout(fresh.getAuthTimeout());
      changed.add("auth_timeout = " + Durations.format(fresh.getAuthTimeout()));
    }
    if (authorizationChanged(live.getAuthorization(), fresh.getAuthorization())) {
      // The auth service holds this very object, so updating it in place changes its answers.
      AuthorizationOptions a = live.getAuthorization();
      AuthorizationOptions f = fresh.getAuthorization();
      a.setUser(f.getUser()).setPassword(f.getPassword()).setToken(f.getToken()).setTimeout(f.getTimeout());
      changed.add("authorization");
    }
    if (live.isDebug() != fresh.isDebug()) {
      live.setDebug(fresh.isDebug());
      changed.add("debug = " + fresh.isDebug());
    }
    if (live.isTrace() != fresh.isTrace()) {
      live.setTrace(fresh.isTrace());
      state.trace(fresh.isTrace());
      changed.add("trace = " + fresh.isTrace());
    }
    if (live.isLogtime() != fresh.isLogtime()) {
      live.setLogtime(fresh.isLogtime());
      changed.add("logtime = " + fresh.isLogtime());
    }
    if (!Objects.equals(live.getLogFile(), fresh.getLogFile())) {
      live.setLogFile(fresh.getLogFile());
      changed.add("log_file = " + fresh.getLogFile());
    }
    if (live.getLogSizeLimit() != fresh.getLogSizeLimit()) {
      live.setLogSizeLimit(fresh.getLogSizeLimit());
      changed.add("logfile_size_limit = " + fresh.getLogSizeLimit());
    }
    if (!live.getLameDuckDuration().equals(fresh.getLameDuckDuration())) {
      live.setLameDuckDuration(fresh.getLameDuckDuration());
      changed.add("lame_duck_duration = " + Durations.format(fresh.getLameDuckDuration()));
    }
    if (!live.getLameDuckGracePeriod().equals(fresh.getLameDuckGracePeriod())) {
      live.setLameDuckGracePeriod(fresh.getLameDuckGracePeriod());
      changed.add("lame_duck_grace_period = " + Durations.format(fresh.getLameDuckGracePeriod()));
    }
    if (!Objects.equals(live.getClientAdvertise(), fresh.getClientAdvertise())) {
      live.setClientAdvertise(fresh.getClientAdvertise());
      changed.add("client_advertise = " + fresh.getClientAdvertise());
    }
    if (!live.getInactiveBlocks().equals(fresh.getInactiveBlocks())) {
      live.getInactiveBlocks().clear();
      live.getInactiveBlocks().putAll(fresh.getInactiveBlocks());
      changed.add("inactive blocks " + fresh.getInactiveBlocks().keySet());
    }
    state.configLoadTime(Instant.now());
    return changed;
  }

  private static boolean authorizationChanged(AuthorizationOptions a, AuthorizationOptions b) {
    return !Objects.equals(a.getUser(), b.getUser()) || !Objects.equals(a.getPassword(), b.getPassword())
        || !Objects.equals(a.getToken(), b.getToken()) || !Objects.equals(a.getTimeout(), b.getTimeout());
  }

  private static void refuse(String field, Object old, Object now) {
    if (!Objects.equals(old, now)) {
      throw new IllegalArgumentException("config reload not supported for " + field + ": old=" + show(old)
          + ", new=" + show(now));
    }
  }

  private static String show(Object o) {
    return o instanceof Duration d ? Durations.format(d) : String.valueOf(o);
  }
}
