package io.tern.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-connection loopback server that writes a fixed script, for testing {@link RawClient}. */
final class ScriptedServer implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Socket accepted;

  /** Writes {@code script} (ISO-8859-1) on accept; closes the connection if {@code close}. */
  ScriptedServer(String script, boolean close) {
    try {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(() -> serve(script.getBytes(StandardCharsets.ISO_8859_1), close));
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(byte[] script, boolean close) {
    try {
      accepted = server.accept();
      OutputStream out = accepted.getOutputStream();
      out.write(script);
      out.flush();
      if (close) {
        // Drain what the client sent so the close is a FIN, not a reset.
        accepted.shutdownOutput();
        InputStream in = accepted.getInputStream();
        accepted.setSoTimeout(2000);
        while (in.read() >= 0) {
          // discard
        }
        accepted.close();
      }
    } catch (IOException ignored) {
      // the test decides what a broken connection means
    } finally {
      done.countDown();
    }
  }

  int port() {
    return server.getLocalPort();
  }

  RawClient client() {
    return RawClient.open("127.0.0.1", port()).timeout(java.time.Duration.ofSeconds(2));
  }

  @Override
  public void close() throws Exception {
    server.close();
    if (accepted != null) {
      accepted.close();
    }
    done.await(5, TimeUnit.SECONDS);
  }
}
