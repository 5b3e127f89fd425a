package io.tern.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * MQTT publish to subscribe: one publisher and one subscriber, each a {@link MqttWire} with a clean
 * session, at QoS 0 (publisher unthrottled) or QoS 1 (publisher keeps {@value #WINDOW} PUBLISHes
 * awaiting PUBACK; the subscriber acknowledges each message, the server's own in-flight limit
 * paces delivery). Runs against any MQTT 3.1.1 broker: Tern, nats-server, mosquitto.
 */
final class MqttPubSubScenario implements Scenario {

    /** QoS 1 publishes outstanding at once. */
    static final int WINDOW = 256;
    private static final long SETUP_MILLIS = 10_000;
    private static final int DEADLINE_CHECK_MASK = (1 << 12) - 1;

    private final int qos;
    private final int payloadSize;

    MqttPubSubScenario(int qos, int payloadSize) {
        this.qos = qos;
        this.payloadSize = payloadSize;
    }

    @Override
    public String name() {
        return "mqtt-qos" + qos;
    }

    @Override
    public int payloadSize() {
        return payloadSize;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        String[] address = context.mqttAddress().split(":");
        String host = address[0];
        int port = Integer.parseInt(address[1]);
        long messages = context.messages();
        String tag = Long.toHexString(System.nanoTime());
        String topic = "bench/" + name() + "/" + tag;
        ScenarioResult result = new ScenarioResult();
        DeliveryGroup group = new DeliveryGroup(messages);
        SequenceTracker tracker = group.newMember();
        try (MqttWire sub = MqttWire.connect(host, port, "bench-sub-" + tag, SETUP_MILLIS);
             MqttWire pub = MqttWire.connect(host, port, "bench-pub-" + tag, SETUP_MILLIS)) {
            sub.onPayload(p -> tracker.record(SequencePayload.sequenceOf(p)));
            int granted = sub.subscribe(topic, qos, SETUP_MILLIS);
            if (granted != qos) {
                result.error = "subscription granted QoS " + granted;
                return result;
            }
            Semaphore window = new Semaphore(WINDOW);
            pub.onPuback(id -> window.release());
            byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            long seq = 0;
            for (; seq < messages; seq++) {
                if ((seq & DEADLINE_CHECK_MASK) == 0 && (context.pastDeadline() || pub.failure() != null)) {
                    break;
                }
                if (qos > 0 && !window.tryAcquire()) {
                    pub.flush();
                    if (!window.tryAcquire(context.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
                pub.publish(topicBytes, SequencePayload.of(seq, payloadSize), qos, (int) (seq % 65535) + 1);
            }
            pub.flush();
            result.published = seq;
            if (seq < messages) {
                result.timedOut = context.pastDeadline();
                if (!result.timedOut) {
                    result.error = "publisher stopped after " + seq + ": " + pub.failure();
                }
            }
            awaitDelivery(context, group);
            result.elapsedNanos = Math.max(group.lastArrivalNanos(), start) - start;
            if (sub.failure() != null && result.error == null && !group.looksComplete()) {
                result.error = "subscriber: " + sub.failure();
            }
        }
        DeliveryGroup.Tally tally = group.tally();
        result.expected = group.expected();
        result.received = tally.received();
        result.lost = tally.lost();
        result.duplicates = tally.duplicates();
        result.outOfOrder = tally.outOfOrder();
        return result;
    }

    /** Until everything arrived, nothing arrived for the idle timeout, or the deadline. */
    private static void awaitDelivery(ScenarioContext context, DeliveryGroup group) throws InterruptedException {
        long idleNanos = context.idleTimeout().toNanos();
        long lastProgress = System.nanoTime();
        long lastReceived = -1;
        while (!context.pastDeadline() && !group.looksComplete()) {
            long received = group.received();
            long now = System.nanoTime();
            if (received != lastReceived) {
                lastReceived = received;
                lastProgress = now;
            } else if (now - lastProgress > idleNanos) {
                return;
            }
            Thread.sleep(1);
        }
    }
}
