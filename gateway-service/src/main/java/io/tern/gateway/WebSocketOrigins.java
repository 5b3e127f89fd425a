package io.tern.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * nats-server's Origin checks for browser clients: {@code same_origin} (the Origin's host and port
 * are the request's Host) and {@code allowed_origins} (scheme, host and port in the list). Both
 * apply when both are set; a request without an Origin header (not a browser) always passes.
 */
final class WebSocketOrigins {

  private record Origin(String scheme, String host, int port) {}

  private final boolean sameOrigin;
  private final List<Origin> allowed = new ArrayList<>();

  WebSocketOrigins(boolean sameOrigin, List<String> allowedOrigins) {
    this.sameOrigin = sameOrigin;
    for (String o : allowedOrigins) {
      Origin parsed = parse(o);
      if (parsed == null) {
        throw new IllegalArgumentException("unable to parse allowed origin: " + o);
      }
      allowed.add(parsed);
    }
  }

  /** Why {@code origin} may not connect, in nats-server's words, or null when it may. */
  String refusal(String origin, String hostHeader, boolean tls) {
    if (origin == null || origin.isEmpty() || (!sameOrigin && allowed.isEmpty())) {
      return null;
    }
    Origin o = parse(origin);
    if (o == null) {
      return "origin not allowed: " + origin;
    }
    if (sameOrigin && !o.equals(requestOrigin(hostHeader, tls, o.scheme))) {
      return "origin not allowed: not same origin";
    }
    if (!allowed.isEmpty() && !allowed.contains(o)) {
      return "origin not allowed: not in the allowed list";
    }
    return null;
  }

  private static Origin requestOrigin(String hostHeader, boolean tls, String scheme) {
    if (hostHeader == null) {
      return null;
    }
    Origin r = parse((tls ? "https" : "http") + "://" + hostHeader);
    return r == null ? null : new Origin(scheme, r.host, r.port);
  }

  private static Origin parse(String text) {
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
      return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
