package io.tern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Users issued by a scoped signing key ({@code {"kind":"user_scope","key","role","template"}}): as in
 * nats-server 2.9.10 such a user must carry no permissions or limits of its own (absent, not -1),
 * and the key's template supplies all of them.
 */
final class ScopedUsers {
  /** The user claims a template replaces. */
  private static final List<String> LIMIT_FIELDS = List.of("pub", "sub", "resp", "src", "times", "times_location",
      "locale", "subs", "data", "payload", "bearer_token", "allowed_connection_types");

  private ScopedUsers() {
  }

  static boolean hasNoPermissionsOrLimits(JsonObject nats) {
    for (String f : LIMIT_FIELDS) {
      Object v = nats.getValue(f);
      boolean empty = v == null || Boolean.FALSE.equals(v) || v instanceof Number n && n.longValue() == 0
          || v instanceof String s && s.isEmpty() || v instanceof JsonArray a && a.isEmpty()
          || v instanceof JsonObject o && (f.equals("pub") || f.equals("sub")) && JwtPermissions.read(
              new JsonObject().put("pub", o)) == null;
      if (!empty) {
        return false;
      }
    }
    return true;
  }

  /** The user's claims with the template's permissions and limits in place of its own. */
  static JsonObject withTemplate(JsonObject nats, JsonObject template) {
    JsonObject out = nats.copy();
    for (String f : LIMIT_FIELDS) {
      out.remove(f);
      if (template.containsKey(f)) {
        out.put(f, template.getValue(f));
      }
    }
    return out;
  }
}
