package io.tern.router;

import io.tern.common.subject.SubjectTransform;
import io.tern.common.subject.Subjects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a router does with an account's publishes beyond matching its own subscriptions: subject
 * mappings (applied first), stream exports other accounts import, service imports into other
 * accounts, and routing responses back through {@code _R_.} reply tokens. An account without any of
 * these has no rules object at all, so its publishes take the plain path.
 */
final class AccountRules {
  /** nats-server's default response threshold of a service export: 2 minutes. */
  static final long DEFAULT_RESPONSE_THRESHOLD_MS = 120_000;

  /** What {@link #map} returns when a weighted mapping drops the message. */
  static final String DROP = "\u0000drop";

  final List<Mapping> mappings = new ArrayList<>();
  final List<StreamExport> streamExports = new ArrayList<>();
  final List<ServiceImport> serviceImports = new ArrayList<>();
  /** Whether other accounts import services from this one, so its publishes may be responses. */
  boolean answersImports;

  boolean isEmpty() {
    return mappings.isEmpty() && streamExports.isEmpty() && serviceImports.isEmpty() && !answersImports;
  }

  static AccountRules compile(JsonObject account) {
    AccountRules r = new AccountRules();
    for (Object o : account.getJsonArray("mappings", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      String source = m.getString("source");
      List<Weighted> dests = new ArrayList<>();
      boolean sourceListed = false;
      int total = 0;
      for (Object d : m.getJsonArray("destinations")) {
        JsonObject dj = (JsonObject) d;
        String subject = dj.getString("subject");
        sourceListed |= subject.equals(source);
        int w = dj.getInteger("weight");
        total += w;
        dests.add(new Weighted(SubjectTransform.compile(source, subject), total));
      }
      r.mappings.add(new Mapping(source, dests, total, sourceListed));
    }
    for (Object o : account.getJsonArray("stream_exports", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      String subject = e.getString("subject");
      r.streamExports.add(new StreamExport(subject, e.getString("account"),
          SubjectTransform.compile(subject, template(subject, e.getString("local")))));
    }
    for (Object o : account.getJsonArray("service_imports", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      String local = s.getString("local");
      r.serviceImports.add(new ServiceImport(local, s.getString("account"),
          SubjectTransform.compile(local, template(local, s.getString("subject"))), s.getString("response"),
          s.getLong("threshold_ms", DEFAULT_RESPONSE_THRESHOLD_MS)));
    }
    return r;
  }

  /**
   * A destination template for {@code to}, given as a subject with the same wildcards as {@code from}:
   * its {@code *} tokens become {@code $1..$n} in order; one already written with functions is kept.
   */
  private static String template(String from, String to) {
    if (to.contains("{{") || to.contains("$")) {
      return to;
    }
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String t : to.split("\\.")) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(t.equals("*") ? "$" + (++n) : t);
    }
    return b.toString();
  }

  /**
   * The subject a publish on {@code subject} goes to: null for no mapping, {@link #DROP} when a
   * weighted mapping drops it; {@code dice} is uniform in [0, 100).
   */
  String map(String subject, int dice) {
    for (Mapping m : mappings) {
      String out = m.apply(subject, dice);
      if (out != null) {
        return out;
      }
    }
    return null;
  }

  record Weighted(SubjectTransform transform, int cumulative) {}

  record Mapping(String source, List<Weighted> destinations, int total, boolean sourceListed) {
    String apply(String subject, int dice) {
      if (!Subjects.matches(subject, source)) {
        return null;
      }
      for (Weighted w : destinations) {
        if (dice < w.cumulative) {
          return w.transform.apply(subject);
        }
      }
      // Weights under 100%: the rest keeps its subject, unless the source is itself a destination,
      // which marks the mapping as a deliberate loss (nats-server's chaos-testing rule).
      return sourceListed ? DROP : subject;
    }
  }

  /** Publishes here matching {@code subject} are copied into {@code account} as {@code transform} says. */
  record StreamExport(String subject, String account, SubjectTransform transform) {}

  /**
   * Publishes here matching {@code local} are requests to {@code account}'s service. Responses
   * pass back for {@code thresholdMillis}: only the first one for response type {@code singleton},
   * any number for {@code stream} and {@code chunked}.
   */
  record ServiceImport(String local, String account, SubjectTransform transform, String response,
                       long thresholdMillis) {
    boolean singleton() {
      return response == null || response.equals("singleton");
    }
  }
}
