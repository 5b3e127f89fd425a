package io.tern.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A raw NATS client that said {@code protocol:1}: the server may send it asynchronous INFO lines. */
final class InfoReader implements AutoCloseable {
  private final Socket socket;
  private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

  InfoReader(int port) throws Exception {
    socket = new Socket("127.0.0.1", port);
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    socket.getOutputStream().write("CONNECT {\"protocol\":1,\"verbose\":false}\r\nPING\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    Thread t = new Thread(() -> {
      try {
        for (String l; (l = in.readLine()) != null; ) {
          if (l.equals("PING")) {
            synchronized (this) {
              socket.getOutputStream().write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            }
          } else {
            lines.add(l);
          }
        }
      } catch (Exception closed) {
        // the test closed the socket
      }
    }, "info-reader");
    t.setDaemon(true);
    t.start();
  }

  /** The next INFO whose connect_urls satisfy {@code wanted}, within {@code seconds}. */
  JsonObject awaitInfo(java.util.function.Predicate<List<Object>> wanted, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(200, TimeUnit.MILLISECONDS);
      if (l == null || !l.startsWith("INFO ")) {
        continue;
      }
      seen.add(l);
      JsonObject info = new JsonObject(l.substring(5).trim());
      JsonArray urls = info.getJsonArray("connect_urls", new JsonArray());
      if (wanted.test(urls.getList())) {
        return info;
      }
    }
    throw new AssertionError("no such INFO; got " + seen);
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
