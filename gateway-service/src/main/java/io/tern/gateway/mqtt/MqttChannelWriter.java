package io.tern.gateway.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;

/**
 * Writes QoS 0 PUBLISHes to a client's channel without flushing each one: vertx-mqtt's
 * {@code MqttEndpoint.publish} flushes every message it writes outside the connection's own read,
 * which is one system call per message for deliveries from the routers. The connection's
 * {@link MqttVerticle} flushes once when a delivery batch has been handled.
 *
 * <p>The channel is vertx-mqtt's (its encoder is in the pipeline), reached through the endpoint's
 * connection field; when that is not there (another vertx-mqtt), {@link #of} returns null and the
 * caller publishes through the endpoint as before.
 */
final class MqttChannelWriter {

  private static final Field CONN = connField();

  private final Channel channel;
  private boolean pending;

  private MqttChannelWriter(Channel channel) {
    this.channel = channel;
  }

  private static Field connField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The writer of {@code endpoint}'s channel, or null when it cannot be reached. */
  static MqttChannelWriter of(MqttEndpoint endpoint) {
    if (CONN == null) {
      return null;
    }
    try {
      Object conn = CONN.get(endpoint);
      return conn instanceof NetSocketInternal s ? new MqttChannelWriter(s.channelHandlerContext().channel()) : null;
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Queues a QoS 0 PUBLISH; returns true when the channel needs a {@link #flush()} after this turn. */
  boolean writeQos0(String topic, byte[] payload, boolean retain) {
    MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, retain, 0);
    channel.write(new MqttPublishMessage(fixed, new MqttPublishVariableHeader(topic, 0),
        Unpooled.wrappedBuffer(payload)), channel.voidPromise());
    boolean first = !pending;
    pending = true;
    return first;
  }

  void flush() {
    if (pending) {
      pending = false;
      channel.flush();
    }
  }
}
