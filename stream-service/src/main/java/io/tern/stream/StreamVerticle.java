package io.tern.stream;

import io.tern.common.config.JetStreamOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The JetStream service. At this stage a shell that deploys with the rest; streams on RocksDB
 * arrive with the JetStream issues.
 */
public final class StreamVerticle extends VerticleBase {

  private final JetStreamOptions options;

  public StreamVerticle(JetStreamOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }

  public JetStreamOptions options() {
    return options;
  }
}
