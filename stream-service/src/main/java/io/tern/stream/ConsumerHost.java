package io.tern.stream;

/**
 * What a {@link Consumer} needs from the stream service around it: sending, timing, durability.
 * All calls happen on the service's context.
 */
interface ConsumerHost {

  /**
   * Sends a delivery to {@code subject}, received as {@code shownSubject} (null: as {@code subject});
   * if nobody receives it, {@link Consumer#onBounce} follows with its reply.
   */
  void deliver(String subject, String shownSubject, String reply, byte[] headers, byte[] payload);

  /** Sends a status message or advisory (nobody hearing it is not reported). */
  void publish(String subject, String reply, byte[] headers, byte[] payload);

  /** Runs {@code action} once everything written so far is durable. */
  void afterCommit(Runnable action);

  /** Asks for {@link Consumer#pump()} to run soon (after the current task). */
  void schedulePump(Consumer consumer);

  /** Records the consumer's delivery state (durable consumers; written once per turn). */
  void stateChanged(Consumer consumer);

  /** The consumer outlived its inactive threshold: delete it. */
  void expired(Consumer consumer);
}
