package io.tern.common.bus;

/**
 * A control-path question to a router partition: does any subscription of {@code account} match the
 * literal {@code subject}? Every partition holds every node's subscriptions, so any one partition's
 * answer (a {@link Boolean} reply) is the whole answer; asking them all only survives restarts.
 * Push consumers use it to learn whether their deliver subject is listened to.
 */
public record InterestQuery(String account, String subject) {
}
