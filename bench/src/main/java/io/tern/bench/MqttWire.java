package io.tern.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A lean MQTT 3.1.1 client for the benchmark: one socket, buffered writes, one reader thread. It does
 * only what the MQTT scenarios need (CONNECT with a clean session, one SUBSCRIBE, PUBLISH at QoS 0
 * or 1, PUBACK both ways), so that the client costs little next to the server measured; library
 * clients spend more per message than a server does.
 */
final class MqttWire implements AutoCloseable {

    /** Receives the payload of each PUBLISH that arrives. */
    interface PayloadHandler {
        void onPayload(byte[] payload);
    }

    private static final int CONNECT = 1;
    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int SUBSCRIBE = 8;
    private static final int SUBACK = 9;
    private static final int DISCONNECT = 14;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final CompletableFuture<Void> connack = new CompletableFuture<>();
    private final CompletableFuture<Integer> suback = new CompletableFuture<>();
    private volatile PayloadHandler handler = p -> { };
    private volatile IntConsumer pubackHandler = id -> { };
    private volatile Throwable failure;

    private MqttWire(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    }

    /** Connects with a clean session and waits for CONNACK. */
    static MqttWire connect(String host, int port, String clientId, long timeoutMillis) throws Exception {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) timeoutMillis);
        MqttWire wire = new MqttWire(socket);
        Thread reader = new Thread(wire::readLoop, "mqtt-reader-" + clientId);
        reader.setDaemon(true);
        reader.start();
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[10 + 2 + id.length];
        byte[] header = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60};
        System.arraycopy(header, 0, body, 0, header.length);
        body[10] = (byte) (id.length >> 8);
        body[11] = (byte) id.length;
        System.arraycopy(id, 0, body, 12, id.length);
        synchronized (wire.out) {
            wire.writePacket(CONNECT << 4, body);
            wire.out.flush();
        }
        wire.connack.get(timeoutMillis, TimeUnit.MILLISECONDS);
        return wire;
    }

    /** Sets who receives arriving payloads (QoS 1 ones are acknowledged after the call). */
    void onPayload(PayloadHandler h) {
        this.handler = h;
    }

    /** Sets who hears the packet id of each PUBACK. */
    void onPuback(IntConsumer h) {
        this.pubackHandler = h;
    }

    /** Subscribes {@code filter}; returns the granted QoS (0x80 on failure). */
    int subscribe(String filter, int qos, long timeoutMillis) throws Exception {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[2 + 2 + f.length + 1];
        body[1] = 1;
        body[2] = (byte) (f.length >> 8);
        body[3] = (byte) f.length;
        System.arraycopy(f, 0, body, 4, f.length);
        body[body.length - 1] = (byte) qos;
        synchronized (out) {
            writePacket((SUBSCRIBE << 4) | 0x02, body);
            out.flush();
        }
        return suback.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Buffers a PUBLISH; {@code packetId} is used at QoS 1 only. Call {@link #flush()} to send. */
    void publish(byte[] topic, byte[] payload, int qos, int packetId) throws IOException {
        int length = 2 + topic.length + (qos > 0 ? 2 : 0) + payload.length;
        synchronized (out) {
            out.write((PUBLISH << 4) | (qos << 1));
            writeLength(length);
            out.write(topic.length >> 8);
            out.write(topic.length);
            out.write(topic);
            if (qos > 0) {
                out.write(packetId >> 8);
                out.write(packetId);
            }
            out.write(payload);
        }
    }

    void flush() throws IOException {
        synchronized (out) {
            out.flush();
        }
    }

    /** The error that ended the reader, or null while it runs. */
    Throwable failure() {
        return failure;
    }

    private void readLoop() {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    throw new EOFException("server closed the connection");
                }
                int length = readLength();
                int type = first >> 4;
                switch (type) {
                    case CONNACK -> {
                        in.readUnsignedByte();
                        int code = in.readUnsignedByte();
                        if (code == 0) {
                            connack.complete(null);
                        } else {
                            connack.completeExceptionally(new IOException("CONNACK return code " + code));
                        }
                    }
                    case SUBACK -> {
                        in.readUnsignedShort();
                        int granted = in.readUnsignedByte();
                        in.skipNBytes(length - 3);
                        suback.complete(granted);
                    }
                    case PUBACK -> pubackHandler.accept(in.readUnsignedShort());
                    case PUBLISH -> {
                        int qos = (first >> 1) & 3;
                        int topicLength = in.readUnsignedShort();
                        in.skipNBytes(topicLength);
                        int id = qos > 0 ? in.readUnsignedShort() : 0;
                        byte[] payload = new byte[length - 2 - topicLength - (qos > 0 ? 2 : 0)];
                        in.readFully(payload);
                        handler.onPayload(payload);
                        if (qos > 0) {
                            synchronized (out) {
                                out.write(PUBACK << 4);
                                out.write(2);
                                out.write(id >> 8);
                                out.write(id);
                                // Acks coalesce while more input waits; flushed once the reader catches up.
                                if (in.available() == 0) {
                                    out.flush();
                                }
                            }
                        }
                    }
                    default -> in.skipNBytes(length);
                }
            }
        } catch (IOException e) {
            failure = e;
            connack.completeExceptionally(e);
            suback.completeExceptionally(e);
        }
    }

    private int readLength() throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }

    private void writeLength(int length) throws IOException {
        do {
            int b = length & 0x7F;
            length >>>= 7;
            out.write(length > 0 ? b | 0x80 : b);
        } while (length > 0);
    }

    private void writePacket(int firstByte, byte[] body) throws IOException {
        out.write(firstByte);
        writeLength(body.length);
        out.write(body);
    }

    @Override
    public void close() {
        try {
            synchronized (out) {
                out.write(DISCONNECT << 4);
                out.write(0);
                out.flush();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
