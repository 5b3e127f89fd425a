package io.tern.stream;

/**
 * One waiting pull request ({@code CONSUMER.MSG.NEXT}): where to deliver, how many messages and
 * bytes are still wanted, and its deadlines (nanoseconds on the service clock; 0 = none).
 */
final class PullRequest {
  final String reply;
  int remaining;
  long bytesLeft;
  final boolean noWait;
  final long expires;
  final long heartbeat;
  long nextHeartbeat;
  int delivered;
  /** Consumer sequences delivered to this request, to find it when a delivery bounces. */
  long firstConsumerSeq;
  long lastConsumerSeq;

  PullRequest(String reply, int batch, long maxBytes, boolean noWait, long expires, long heartbeat, long now) {
    this.reply = reply;
    this.remaining = batch;
    this.bytesLeft = maxBytes;
    this.noWait = noWait;
    this.expires = expires;
    this.heartbeat = heartbeat;
    this.nextHeartbeat = heartbeat > 0 ? now + heartbeat : 0;
  }
}
