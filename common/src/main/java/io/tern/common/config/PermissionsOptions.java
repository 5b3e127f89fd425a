package io.tern.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's {@code permissions}: publish and subscribe allow/deny lists and {@code allow_responses}.
 * A null list means "not given" (an absent allow list allows everything); an empty allow list allows
 * nothing. Subscribe entries may name a queue after a space ({@code "foo.> q1"}).
 */
public final class PermissionsOptions {
  /** nats-server's defaults for {@code allow_responses: true}: one response within two minutes. */
  public static final int DEFAULT_RESPONSE_MAX = 1;
  public static final Duration DEFAULT_RESPONSE_EXPIRES = Duration.ofMinutes(2);

  private List<String> publishAllow;
  private List<String> publishDeny;
  private List<String> subscribeAllow;
  private List<String> subscribeDeny;
  private boolean allowResponses;
  private int responseMax = DEFAULT_RESPONSE_MAX;
  private Duration responseExpires = DEFAULT_RESPONSE_EXPIRES;

  public List<String> getPublishAllow() { return publishAllow; }
  public PermissionsOptions setPublishAllow(List<String> l) { publishAllow = l; return this; }
  public List<String> getPublishDeny() { return publishDeny; }
  public PermissionsOptions setPublishDeny(List<String> l) { publishDeny = l; return this; }
  public List<String> getSubscribeAllow() { return subscribeAllow; }
  public PermissionsOptions setSubscribeAllow(List<String> l) { subscribeAllow = l; return this; }
  public List<String> getSubscribeDeny() { return subscribeDeny; }
  public PermissionsOptions setSubscribeDeny(List<String> l) { subscribeDeny = l; return this; }

  /** Whether reply subjects of requests this user receives become publishable. */
  public boolean isAllowResponses() { return allowResponses; }
  public PermissionsOptions setAllowResponses(boolean b) { allowResponses = b; return this; }
  /** Responses allowed per request; 0 or less means unlimited. */
  public int getResponseMax() { return responseMax; }
  public PermissionsOptions setResponseMax(int max) { responseMax = max; return this; }
  /** How long a reply subject stays publishable; zero means forever. */
  public Duration getResponseExpires() { return responseExpires; }
  public PermissionsOptions setResponseExpires(Duration d) { responseExpires = d; return this; }

  /**
   * The permissions a client actually gets: as nats-server, {@code allow_responses} without a
   * publish allow list turns the blanket publish allowance off (only responses may be published).
   */
  public PermissionsOptions effective() {
    if (allowResponses && publishAllow == null) {
      PermissionsOptions copy = fromJson(toJson());
      copy.publishAllow = new ArrayList<>();
      return copy;
    }
    return this;
  }

  /** The JSON form carried in the auth service's answer to a gateway. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    put(j, "pub_allow", publishAllow);
    put(j, "pub_deny", publishDeny);
    put(j, "sub_allow", subscribeAllow);
    put(j, "sub_deny", subscribeDeny);
    if (allowResponses) {
      j.put("resp_max", responseMax).put("resp_expires_ms", responseExpires.toMillis());
    }
    return j;
  }

  public static PermissionsOptions fromJson(JsonObject j) {
    PermissionsOptions p = new PermissionsOptions();
    p.publishAllow = list(j, "pub_allow");
    p.publishDeny = list(j, "pub_deny");
    p.subscribeAllow = list(j, "sub_allow");
    p.subscribeDeny = list(j, "sub_deny");
    if (j.containsKey("resp_max")) {
      p.allowResponses = true;
      p.responseMax = j.getInteger("resp_max");
      p.responseExpires = Duration.ofMillis(j.getLong("resp_expires_ms"));
    }
    return p;
  }

  private static void put(JsonObject j, String key, List<String> l) {
    if (l != null) {
      j.put(key, new JsonArray(new ArrayList<>(l)));
    }
  }

  private static List<String> list(JsonObject j, String key) {
    JsonArray a = j.getJsonArray(key);
    if (a == null) {
      return null;
    }
    List<String> l = new ArrayList<>();
    for (Object o : a) {
      l.add((String) o);
    }
    return l;
  }
}
