package io.tern.common.bus;

/**
 * Distributed mode: a JetStream API request that reached a stream service which does not own the
 * stream it is about, passed on to the owning stream service over the event bus. The owner answers
 * the client itself, through the routers, on {@code reply}.
 *
 * @param account the account the request was published in
 * @param subject the API subject ({@code $JS.API....})
 * @param reply   the requester's reply subject (null when there is none)
 * @param headers the request's NATS header block, or null
 * @param payload the request body (never null)
 */
public record ForwardedApiRequest(String account, String subject, String reply, byte[] headers, byte[] payload) {
}
