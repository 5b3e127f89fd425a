package io.tern.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The demo web page the monitoring port serves at {@code /}: static files packed in the jar under
 * {@code webroot/} ({@code index.html} and {@code /assets/...}), read once and kept in memory.
 */
public final class WebPage {

  /** Where the page's scripts, styles and the vendored nats.ws live, under the monitoring port. */
  public static final String ASSETS = "/assets/";

  private static final String ROOT = "webroot";
  /** Plain names only: no "..", no odd characters, so a request cannot leave webroot/. */
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
  private static final Map<String, Optional<Buffer>> CACHE = new ConcurrentHashMap<>();

  private WebPage() {
  }

  /** Answers {@code /} with the page. */
  public static void serveIndex(HttpServerRequest req) {
    serve(req, "/index.html");
  }

  /** Answers a request for one of the page's files, or 404. */
  public static void serve(HttpServerRequest req, String path) {
    Optional<Buffer> body = SAFE_PATH.matcher(path).matches() && !path.contains("..")
        ? CACHE.computeIfAbsent(path, WebPage::load) : Optional.empty();
    if (body.isEmpty()) {
      req.response().setStatusCode(404).end("404 page not found\n");
      return;
    }
    req.response()
        .putHeader("Content-Type", contentType(path))
        .putHeader("Cache-Control", "no-cache")
        .end(body.get());
  }

  private static Optional<Buffer> load(String path) {
    try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(ROOT + path)) {
      return in == null ? Optional.empty() : Optional.of(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contentType(String path) {
    String ext = path.substring(path.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "md" -> "text/markdown; charset=utf-8";
      default -> "text/plain; charset=utf-8";
    };
  }
}
