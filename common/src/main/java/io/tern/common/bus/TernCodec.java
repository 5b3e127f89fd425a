package io.tern.common.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * The part every codec of Tern's bus messages shares: within one JVM the object itself is passed
 * (the sender gives it up), and it is not one of Vert.x's system codecs. Subclasses give the
 * binary form used between JVMs.
 */
abstract class TernCodec<T> implements MessageCodec<T, T> {
  private final String name;

  TernCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T message) {
    return message;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
