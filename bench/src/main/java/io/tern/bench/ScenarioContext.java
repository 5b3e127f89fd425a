package io.tern.bench;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Scenario} needs for one run: the server URL, how much to send, how long it may take,
 * and a way to open connections configured identically for every server under test.
 */
public final class ScenarioContext {

    /** The server URLs; connections take them in turn, so a distributed Tern's gateways share them. */
    private final String[] urls;
    private final java.util.concurrent.atomic.AtomicInteger nextUrl = new java.util.concurrent.atomic.AtomicInteger();
    private final long messages;
    private final int requests;
    private final long deadlineNanos;
    private final Duration idleTimeout;
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong slowConsumerEvents = new AtomicLong();
    private String mqttAddress = "127.0.0.1:1883";

    ScenarioContext(String url, long messages, int requests, Duration timeout, Duration idleTimeout) {
        this.urls = url.split(",");
        this.messages = messages;
        this.requests = requests;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.idleTimeout = idleTimeout;
    }

    /** The MQTT listener, {@code host:port}, for the MQTT scenarios. */
    public String mqttAddress() {
        return mqttAddress;
    }

    ScenarioContext mqttAddress(String hostPort) {
        this.mqttAddress = hostPort;
        return this;
    }

    /** Messages to publish in a streaming scenario. */
    public long messages() {
        return messages;
    }

    /** Sequential requests in a request/reply scenario. */
    public int requests() {
        return requests;
    }

    /** {@link System#nanoTime()} by which the scenario must have given up. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    /** Time left until the deadline, at least one millisecond. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
    }

    /** How long receivers may stay silent after publishing finished before the rest counts as lost. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Errors and exceptions reported by any connection opened through this context. */
    public long clientErrors() {
        return clientErrors.get();
    }

    /** Times jnats reported one of this context's consumers as slow (its own pending limit reached). */
    public long slowConsumerEvents() {
        return slowConsumerEvents.get();
    }

    /**
     * Opens a connection to the next server URL in turn, without reconnects (a dropped connection must show up as lost messages, not be
     * papered over) and with an outgoing queue deep enough that a tight publish loop rarely waits.
     */
    public Connection connect(String name) throws IOException, InterruptedException {
        Options options = Options.builder()
                .server(urls[Math.floorMod(nextUrl.getAndIncrement(), urls.length)])
                .connectionName(name)
                .noReconnect()
                .connectionTimeout(Duration.ofSeconds(5))
                .maxMessagesInOutgoingQueue(1 << 16)
                .errorListener(new CountingErrorListener())
                .build();
        return Nats.connect(options);
    }

    private final class CountingErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            clientErrors.incrementAndGet();
            System.err.println("[bench] server error on " + conn.getOptions().getConnectionName() + ": " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            clientErrors.incrementAndGet();
            System.err.println("[bench] exception on " + conn.getOptions().getConnectionName() + ": " + exp);
        }

        @Override
        public void slowConsumerDetected(Connection conn, Consumer consumer) {
            slowConsumerEvents.incrementAndGet();
        }
    }
}
