package io.tern.auth;

import io.tern.common.config.PermissionsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the permission claims of a user JWT, an account's {@code default_permissions} or a scoped
 * signing key's template: {@code pub}/{@code sub} with {@code allow}/{@code deny} lists and
 * {@code resp {max, ttl}} (ttl in nanoseconds). An empty list restricts nothing.
 */
final class JwtPermissions {
  private JwtPermissions() {
  }

  /** The permissions {@code claims} set, or null when they set none. */
  static PermissionsOptions read(JsonObject claims) {
    if (claims == null) {
      return null;
    }
    JsonObject pub = claims.getJsonObject("pub", new JsonObject());
    JsonObject sub = claims.getJsonObject("sub", new JsonObject());
    JsonObject resp = claims.getJsonObject("resp");
    PermissionsOptions p = new PermissionsOptions()
        .setPublishAllow(list(pub, "allow")).setPublishDeny(list(pub, "deny"))
        .setSubscribeAllow(list(sub, "allow")).setSubscribeDeny(list(sub, "deny"));
    if (resp != null) {
      p.setAllowResponses(true).setResponseMax(resp.getInteger("max", PermissionsOptions.DEFAULT_RESPONSE_MAX));
      Number ttl = resp.getNumber("ttl");
      p.setResponseExpires(ttl == null ? PermissionsOptions.DEFAULT_RESPONSE_EXPIRES : Duration.ofNanos(ttl.longValue()));
    }
    boolean none = p.getPublishAllow() == null && p.getPublishDeny() == null && p.getSubscribeAllow() == null
        && p.getSubscribeDeny() == null && resp == null;
    return none ? null : p;
  }

  private static List<String> list(JsonObject o, String key) {
    JsonArray a = o.getJsonArray(key);
    if (a == null || a.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object x : a) {
      out.add(String.valueOf(x));
    }
    return out;
  }
}
