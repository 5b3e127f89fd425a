package io.tern.auth;

import io.tern.common.bus.Addresses;
import io.tern.common.bus.RouterLink;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The account resolver's side of the system account, as nats-server's full resolver: answers
 * {@code $SYS.REQ.CLAIMS.UPDATE|LIST|DELETE} and {@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE|LOOKUP}
 * (and the older {@code $SYS.ACCOUNT.<id>.CLAIMS.UPDATE}) published in the system account, by
 * asking the auth service on {@code tern.auth.claims}. Deployed after the routers, in operator mode.
 */
public final class ClaimsResponder extends VerticleBase {
  private static final String QUEUE = "tern.auth.claims";

  private final String systemAccount;
  private final int routerPartitions;
  private final boolean localOnly;
  private RouterLink link;

  public ClaimsResponder(String systemAccount, int routerPartitions, boolean localOnly) {
    this.systemAccount = systemAccount;
    this.routerPartitions = routerPartitions;
    this.localOnly = localOnly;
  }

  @Override
  public Future<?> start() {
    String nodeId = "auth-sys" + (localOnly ? "" : "-" + UUID.randomUUID().toString().substring(0, 8));
    link = new RouterLink(vertx, nodeId, routerPartitions, localOnly);
    return link.start().compose(v -> {
      link.bindAccount(systemAccount);
      link.subscribe("$SYS.REQ.CLAIMS.UPDATE", QUEUE, m -> forward(m, new JsonObject().put("op", "update")
          .put("jwt", text(m))));
      link.subscribe("$SYS.REQ.CLAIMS.LIST", QUEUE, m -> forward(m, new JsonObject().put("op", "list")));
      link.subscribe("$SYS.REQ.CLAIMS.DELETE", QUEUE, m -> forward(m, new JsonObject().put("op", "delete")
          .put("jwt", text(m))));
      link.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", QUEUE, m -> forward(m, new JsonObject().put("op", "update")
          .put("jwt", text(m)).put("account", token(m.subject(), 3))));
      link.subscribe("$SYS.ACCOUNT.*.CLAIMS.UPDATE", QUEUE, m -> forward(m, new JsonObject().put("op", "update")
          .put("jwt", text(m)).put("account", token(m.subject(), 2))));
      link.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP", QUEUE, m -> forward(m, new JsonObject().put("op", "lookup")
          .put("account", token(m.subject(), 3))));
      return link.barrier();
    });
  }

  @Override
  public Future<?> stop() {
    return link == null ? Future.succeededFuture() : link.stop();
  }

  private void forward(RouterLink.Message m, JsonObject request) {
    DeliveryOptions opts = new DeliveryOptions().setLocalOnly(localOnly).setSendTimeout(5000);
    vertx.eventBus().<JsonObject>request(Addresses.AUTH_CLAIMS, request, opts).onComplete(ar -> {
      if (m.reply() == null || m.reply().isEmpty()) {
        return;
      }
      JsonObject answer = ar.succeeded() ? ar.result().body()
          : ClaimsAnswers.error(null, 500, "account resolver unavailable");
      if (answer.containsKey("jwt")) {
        link.publish(m.reply(), null, null, answer.getString("jwt").getBytes(StandardCharsets.UTF_8));
      } else if (!answer.isEmpty()) {
        answer.put("server", new JsonObject().put("name", "tern-auth").put("time", Instant.now().toString()));
        link.publish(m.reply(), null, null, answer.encode().getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  private static String text(RouterLink.Message m) {
    return m.payload() == null ? "" : new String(m.payload(), StandardCharsets.UTF_8).trim();
  }

  private static String token(String subject, int index) {
    String[] t = subject.split("\\.");
    return index < t.length ? t[index] : "";
  }
}
