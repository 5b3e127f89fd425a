package io.tern.testkit;

import io.tern.launcher.TernServer;

/** Tern with every service in this JVM, on free loopback ports, configured from NATS config text. */
public final class EmbeddedTern implements Broker {
  private final TernServer server;

  private EmbeddedTern(TernServer server) {
    this.server = server;
  }

  /** Starts Tern with {@code config} (NATS config text); ports are chosen here. */
  public static EmbeddedTern start(String config) {
    throw new UnsupportedOperationException("embedded Tern fixture not wired yet");
  }

  public TernServer server() {
    return server;
  }

  @Override
  public String name() {
    return "tern";
  }

  @Override
  public int port() {
    return server.clientPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
