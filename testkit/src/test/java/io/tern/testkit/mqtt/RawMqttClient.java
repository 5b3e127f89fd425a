package io.tern.testkit.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** MQTT 3.1.1 packets by hand, for what a well-behaved client library will not send. */
final class RawMqttClient implements AutoCloseable {
  static final int CONNACK = 2;
  static final int PUBLISH = 3;
  static final int PUBACK = 4;
  static final int SUBACK = 9;
  static final int UNSUBACK = 11;
  static final int PINGRESP = 13;

  /** A received PUBLISH. */
  record Publish(String topic, String payload, int qos, boolean dup, boolean retain, int packetId) {}

  private final Socket socket;
  private final DataInputStream in;
  private int lastFirstByte;
  private byte[] lastBody = new byte[0];

  private RawMqttClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    socket.setSoTimeout(5000);
  }

  static RawMqttClient connect(int port) throws IOException {
    return new RawMqttClient(new Socket("127.0.0.1", port));
  }

  void send(byte[] packet) throws IOException {
    socket.getOutputStream().write(packet);
    socket.getOutputStream().flush();
  }

  /** The next packet's type, -1 at end of stream (or a reset). */
  int readPacketType() throws IOException {
    return readPacketType(5000);
  }

  /** As {@link #readPacketType()}, -2 when nothing arrives within {@code timeoutMillis}. */
  int readPacketType(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      int first = in.read();
      if (first < 0) {
        return -1;
      }
      int len = 0;
      int mult = 1;
      int b;
      do {
        b = in.readUnsignedByte();
        len += (b & 0x7f) * mult;
        mult *= 128;
      } while ((b & 0x80) != 0);
      byte[] body = new byte[len];
      in.readFully(body);
      lastFirstByte = first;
      lastBody = body;
      return first >> 4;
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (EOFException | java.net.SocketException e) {
      return -1;
    }
  }

  /** Reads a CONNACK: {session present, return code}. */
  int[] readConnack() throws IOException {
    int type = readPacketType();
    if (type != CONNACK) {
      throw new IOException("expected CONNACK, got " + type);
    }
    return new int[] {lastBody[0] & 1, lastBody[1] & 0xff};
  }

  Publish readPublish() throws IOException {
    int type = readPacketType();
    if (type != PUBLISH) {
      throw new IOException("expected PUBLISH, got " + type);
    }
    int qos = (lastFirstByte >> 1) & 3;
    int tlen = ((lastBody[0] & 0xff) << 8) | (lastBody[1] & 0xff);
    String topic = new String(lastBody, 2, tlen, StandardCharsets.UTF_8);
    int at = 2 + tlen;
    int id = 0;
    if (qos > 0) {
      id = ((lastBody[at] & 0xff) << 8) | (lastBody[at + 1] & 0xff);
      at += 2;
    }
    return new Publish(topic, new String(lastBody, at, lastBody.length - at, StandardCharsets.UTF_8), qos,
        (lastFirstByte & 8) != 0, (lastFirstByte & 1) != 0, id);
  }

  /** The last packet's body (after the fixed header). */
  byte[] lastBody() {
    return lastBody;
  }

  static byte[] connect(String clientId, boolean clean, int keepAlive, String willTopic, String willMessage,
                        int willQos, boolean willRetain) {
    return connect(4, clientId, clean, keepAlive, willTopic, willMessage, willQos, willRetain, null, null);
  }

  static byte[] connect(int level, String clientId, boolean clean, int keepAlive, String willTopic,
                        String willMessage, int willQos, boolean willRetain, String user, String password) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    writeString(v, "MQTT".getBytes(StandardCharsets.UTF_8));
    v.write(level);
    int flags = (clean ? 2 : 0);
    if (willTopic != null) {
      flags |= 4 | (willQos << 3) | (willRetain ? 32 : 0);
    }
    if (user != null) {
      flags |= 128;
    }
    if (password != null) {
      flags |= 64;
    }
    v.write(flags);
    v.write(keepAlive >> 8);
    v.write(keepAlive & 0xff);
    if (level == 5) {
      v.write(0); // MQTT 5: no properties
    }
    writeString(v, clientId.getBytes(StandardCharsets.UTF_8));
    if (willTopic != null) {
      writeString(v, willTopic.getBytes(StandardCharsets.UTF_8));
      writeString(v, willMessage.getBytes(StandardCharsets.UTF_8));
    }
    if (user != null) {
      writeString(v, user.getBytes(StandardCharsets.UTF_8));
    }
    if (password != null) {
      writeString(v, password.getBytes(StandardCharsets.UTF_8));
    }
    return packet(0x10, v.toByteArray());
  }

  static byte[] subscribe(int packetId, String filter, int qos) {
    return subscribe(packetId, filter.getBytes(StandardCharsets.UTF_8), qos);
  }

  static byte[] subscribe(int packetId, byte[] filter, int qos) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    v.write(packetId >> 8);
    v.write(packetId & 0xff);
    writeString(v, filter);
    v.write(qos);
    return packet(0x82, v.toByteArray());
  }

  static byte[] publish(String topic, String payload, int qos, int packetId) {
    return publish(topic.getBytes(StandardCharsets.UTF_8), payload, qos, packetId);
  }

  static byte[] publish(byte[] topic, String payload, int qos, int packetId) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    writeString(v, topic);
    if (qos > 0) {
      v.write(packetId >> 8);
      v.write(packetId & 0xff);
    }
    v.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    return packet(0x30 | (qos << 1), v.toByteArray());
  }

  static byte[] puback(int packetId) {
    return packet(0x40, new byte[] {(byte) (packetId >> 8), (byte) packetId});
  }

  static byte[] pingreq() {
    return new byte[] {(byte) 0xc0, 0};
  }

  static byte[] disconnect() {
    return new byte[] {(byte) 0xe0, 0};
  }

  private static void writeString(ByteArrayOutputStream out, byte[] s) {
    out.write(s.length >> 8);
    out.write(s.length & 0xff);
    out.writeBytes(s);
  }

  private static byte[] packet(int firstByte, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(firstByte);
    int len = body.length;
    do {
      int b = len % 128;
      len /= 128;
      out.write(len > 0 ? b | 0x80 : b);
    } while (len > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
