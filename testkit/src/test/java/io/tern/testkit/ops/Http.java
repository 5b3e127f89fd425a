package io.tern.testkit.ops;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from a monitoring port on loopback, with bounded timeouts. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  record Response(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Response get(int port, String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** GET that must answer 200 with JSON. */
  static JsonObject json(int port, String pathAndQuery) throws IOException, InterruptedException {
    Response r = get(port, pathAndQuery);
    if (r.status() != 200) {
      throw new AssertionError(pathAndQuery + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }
}
