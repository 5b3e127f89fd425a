package io.tern.gateway;

import io.vertx.core.json.JsonObject;

/**
 * A client's CONNECT options. Until CONNECT arrives nats-server assumes verbose, pedantic and
 * echo, and fields a client leaves out keep these values.
 */
final class ConnectOptions {
  boolean verbose = true;
  boolean pedantic = true;
  boolean echo = true;
  boolean headers;
  boolean noResponders;
  int protocol;
  String name;
  String lang;
  String version;
  String user;
  String pass;
  String authToken;
  String nkey;
  String sig;
  String jwt;
  String account;

  /** Applies the fields present in {@code json}; throws on a type mismatch. */
  void apply(JsonObject json) {
    verbose = json.getBoolean("verbose", verbose);
    pedantic = json.getBoolean("pedantic", pedantic);
    echo = json.getBoolean("echo", echo);
    headers = json.getBoolean("headers", headers);
    noResponders = json.getBoolean("no_responders", noResponders);
    Number p = json.getNumber("protocol");
    protocol = p == null ? protocol : p.intValue();
    name = json.getString("name", name);
    lang = json.getString("lang", lang);
    version = json.getString("version", version);
    user = json.getString("user", user);
    pass = json.getString("pass", pass);
    authToken = json.getString("auth_token", authToken);
    nkey = json.getString("nkey", nkey);
    sig = json.getString("sig", sig);
    jwt = json.getString("jwt", jwt);
    account = json.getString("account", account);
  }
}
