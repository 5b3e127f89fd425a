package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sequential request/reply round trips: one requester calls {@code request} and waits for each reply
 * before sending the next; one responder on its own connection echoes the body back. Latency is the
 * client-observed round trip, recorded in an HdrHistogram.
 *
 * <p>Lost counts requests without a reply in time; duplicated and out-of-order are counted on the
 * responder side, and a reply carrying another request's sequence counts as out-of-order too.
 */
final class RequestReplyScenario implements Scenario {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final int payloadSize;

    RequestReplyScenario(int payloadSize) {
        this.payloadSize = payloadSize;
    }

    @Override
    public String name() {
        return "reqrep";
    }

    @Override
    public int payloadSize() {
        return payloadSize;
    }

    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        int requests = context.requests();
        String subject = "bench.rr." + Long.toHexString(System.nanoTime());
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        SequenceTracker served = new SequenceTracker(requests);
        ScenarioResult result = new ScenarioResult();
        result.expected = requests;
        long timeouts = 0;
        long mismatched = 0;
        long replies = 0;
        try (Connection responder = context.connect("reqrep-responder");
             Connection requester = context.connect("reqrep-requester")) {
            Dispatcher dispatcher = responder.createDispatcher(msg -> {
                served.record(SequencePayload.sequenceOf(msg.getData()));
                responder.publish(msg.getReplyTo(), msg.getData());
            });
            dispatcher.setPendingLimits(0, 0);
            dispatcher.subscribe(subject);
            responder.flush(SETUP_TIMEOUT);
            requester.flush(SETUP_TIMEOUT);

            long start = System.nanoTime();
            int sent = 0;
            for (; sent < requests && !context.pastDeadline(); sent++) {
                byte[] body = SequencePayload.of(sent, payloadSize);
                long t0 = System.nanoTime();
                Message reply;
                try {
                    reply = requester.request(subject, body, REQUEST_TIMEOUT);
                } catch (RuntimeException e) {
                    // jnats completes a request exceptionally e.g. on "no responders"; count it as lost.
                    reply = null;
                }
                long t1 = System.nanoTime();
                if (reply == null) {
                    timeouts++;
                    continue;
                }
                replies++;
                latency.recordValue(Math.min(t1 - t0, latency.getHighestTrackableValue()));
                if (SequencePayload.sequenceOf(reply.getData()) != sent) {
                    mismatched++;
                }
            }
            result.elapsedNanos = System.nanoTime() - start;
            result.published = sent;
            result.timedOut = sent < requests;
            result.clientDropped = dispatcher.getDroppedCount();
        }
        result.received = replies;
        result.lost = timeouts + (requests - result.published);
        result.duplicates = served.duplicates();
        result.outOfOrder = served.outOfOrder() + served.invalid() + mismatched;
        result.latencyNanos = latency;
        return result;
    }
}
