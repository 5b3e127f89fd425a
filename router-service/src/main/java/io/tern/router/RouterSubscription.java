package io.tern.router;

/**
 * A subscription as the router knows it: which node holds it, for which connection, under which
 * node-local id. Identity is the object itself; the router keeps one per (node, subId).
 */
final class RouterSubscription {
  final int node;
  final int cid;
  final int subId;
  final String subject;
  final String queue;
  final RouterAccount account;

  RouterSubscription(RouterAccount account, int node, int cid, int subId, String subject, String queue) {
    this.account = account;
    this.node = node;
    this.cid = cid;
    this.subId = subId;
    this.subject = subject;
    this.queue = queue;
  }

  @Override
  public String toString() {
    return "sub(" + node + "/" + cid + "/" + subId + " " + subject + (queue == null ? "" : " " + queue) + ")";
  }
}
