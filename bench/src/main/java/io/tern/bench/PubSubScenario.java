package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Core NATS streaming: one publisher in a tight {@code publish} loop and zero or more subscribers, each
 * on its own connection with its own jnats dispatcher. Covers publish-only, 1:1, fan-out and queue
 * groups.
 *
 * <p>Subscribers have no client-side pending limit, so the client never drops messages itself; the
 * server may still cut off a consumer it considers slow, which then shows up as lost messages.
 */
final class PubSubScenario implements Scenario {

    /** The subscriber layouts measured. */
    enum Topology {
        PUBLISH_ONLY("pub-only", 0, false),
        ONE_TO_ONE("pubsub-1to1", 1, false),
        FAN_OUT("fanout-1to4", 4, false),
        QUEUE_GROUP("queue-4", 4, true);

        final String scenarioName;
        final int subscribers;
        final boolean queueGroup;

        Topology(String scenarioName, int subscribers, boolean queueGroup) {
            this.scenarioName = scenarioName;
            this.subscribers = subscribers;
            this.queueGroup = queueGroup;
        }
    }

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    private static final int DEADLINE_CHECK_MASK = (1 << 12) - 1;

    private final Topology topology;
    private final int payloadSize;

    PubSubScenario(Topology topology, int payloadSize) {
        this.topology = topology;
        this.payloadSize = payloadSize;
    }

    @Override
    public String name() {
        return topology.scenarioName;
    }

    @Override
    public int payloadSize() {
        return payloadSize;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        long messages = context.messages();
        String subject = "bench." + name() + "." + Long.toHexString(System.nanoTime());
        List<DeliveryGroup> groups = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        List<Dispatcher> dispatchers = new ArrayList<>();
        ScenarioResult result = new ScenarioResult();
        try {
            DeliveryGroup queue = topology.queueGroup ? new DeliveryGroup(messages) : null;
            if (queue != null) {
                groups.add(queue);
            }
            for (int i = 0; i < topology.subscribers; i++) {
                DeliveryGroup group = queue;
                if (group == null) {
                    group = new DeliveryGroup(messages);
                    groups.add(group);
                }
                SequenceTracker tracker = group.newMember();
                Connection subscriber = context.connect(name() + "-sub-" + i);
                connections.add(subscriber);
                Dispatcher dispatcher = subscriber.createDispatcher(
                        msg -> tracker.record(SequencePayload.sequenceOf(msg.getData())));
                dispatcher.setPendingLimits(0, 0);
                if (topology.queueGroup) {
                    dispatcher.subscribe(subject, "bench-q");
                } else {
                    dispatcher.subscribe(subject);
                }
                dispatchers.add(dispatcher);
                // The round trip guarantees the server has registered the subscription before publishing.
                subscriber.flush(SETUP_TIMEOUT);
            }
            Connection publisher = context.connect(name() + "-pub");
            connections.add(publisher);
            publisher.flush(SETUP_TIMEOUT);

            long start = System.nanoTime();
            long published = publishAll(context, publisher, subject, messages);
            result.published = published;
            if (published < messages) {
                if (context.pastDeadline()) {
                    result.timedOut = true;
                } else {
                    result.error = "publisher connection " + publisher.getStatus() + " after " + published + " messages";
                }
            }
            try {
                publisher.flush(context.remaining());
            } catch (TimeoutException e) {
                result.timedOut = true;
            } catch (IllegalStateException e) {
                // Already recorded above; the receivers' counts below still tell what got through.
                if (result.error == null) {
                    result.error = "publisher flush failed: " + e.getMessage();
                }
            }
            long publishedAt = System.nanoTime();

            if (groups.isEmpty()) {
                result.elapsedNanos = publishedAt - start;
            } else {
                if (!awaitDelivery(context, groups)) {
                    result.timedOut |= context.pastDeadline();
                }
                long last = start;
                for (DeliveryGroup group : groups) {
                    last = Math.max(last, group.lastArrivalNanos());
                }
                result.elapsedNanos = last - start;
            }
        } finally {
            for (Dispatcher dispatcher : dispatchers) {
                result.clientDropped += dispatcher.getDroppedCount();
            }
            for (Connection connection : connections) {
                connection.close();
            }
        }
        DeliveryGroup.Tally tally = new DeliveryGroup.Tally(0, 0, 0, 0);
        for (DeliveryGroup group : groups) {
            tally = tally.plus(group.tally());
            result.expected += group.expected();
        }
        result.received = tally.received();
        result.lost = tally.lost();
        result.duplicates = tally.duplicates();
        result.outOfOrder = tally.outOfOrder();
        return result;
    }

    /** Publishes sequences 0..messages-1; returns how many were handed to jnats before the deadline. */
    private long publishAll(ScenarioContext context, Connection publisher, String subject, long messages)
            throws InterruptedException {
        for (long seq = 0; seq < messages; seq++) {
            if ((seq & DEADLINE_CHECK_MASK) == 0 && context.pastDeadline()) {
                return seq;
            }
            byte[] body = SequencePayload.of(seq, payloadSize);
            while (true) {
                try {
                    publisher.publish(subject, body);
                    break;
                } catch (IllegalStateException e) {
                    // jnats gives up offering to a full outgoing queue after a while; while connected the
                    // server is pushing back, so wait for the writer to drain and retry the same message.
                    // A closed connection throws the same exception type: that is final.
                    if (publisher.getStatus() != Connection.Status.CONNECTED || context.pastDeadline()) {
                        return seq;
                    }
                    Thread.sleep(1);
                }
            }
        }
        return messages;
    }

    /**
     * Waits until every group has every sequence, the receivers have been silent for the idle timeout,
     * or the deadline passes. Returns true if delivery completed.
     */
    private static boolean awaitDelivery(ScenarioContext context, List<DeliveryGroup> groups)
            throws InterruptedException {
        long idleNanos = context.idleTimeout().toNanos();
        long lastProgress = System.nanoTime();
        long lastReceived = -1;
        while (!context.pastDeadline()) {
            boolean complete = true;
            long received = 0;
            for (DeliveryGroup group : groups) {
                complete &= group.looksComplete();
                received += group.received();
            }
            if (complete) {
                return true;
            }
            long now = System.nanoTime();
            if (received != lastReceived) {
                lastReceived = received;
                lastProgress = now;
            } else if (now - lastProgress > idleNanos) {
                return false;
            }
            Thread.sleep(1);
        }
        return false;
    }
}
