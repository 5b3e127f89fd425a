package io.tern.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Core client-protocol scenarios. Every expected byte here was observed from nats-server 2.9.10,
 * which is the specification Tern's gateway must match.
 */
final class ProtocolScenarios {

  static final String QUIET = "CONNECT {\"verbose\":false}\r\n";
  static final String HDR = "NATS/1.0\r\nA: 1\r\n\r\n";
  /** HPUB with reply r, header block {@link #HDR} (18 bytes) and payload "hi". */
  static final String HPUB_FOO = "HPUB foo r 18 20\r\n" + HDR + "hi\r\n";
  static final String NO_RESPONDERS_503 = "NATS/1.0 503\r\n\r\n";
  static final String USER_PASS = "authorization { user: a, password: b, timeout: 1 }\n";
  static final String TOKEN = "authorization { token: s3cr3t }\n";

  private ProtocolScenarios() {
  }

  static List<Scenario> all() {
    List<Scenario> all = new ArrayList<>();
    all.addAll(info());
    all.addAll(verbosity());
    all.addAll(parsing());
    all.addAll(messaging());
    all.addAll(headers());
    all.addAll(connectOptions());
    all.addAll(subjects());
    all.addAll(protocolErrors());
    all.addAll(limits());
    all.addAll(auth());
    all.addAll(pings());
    return all;
  }

  static List<Scenario> info() {
    return List.of(
        Scenario.named("INFO: fields, order, values, trailing space")
            .open("c")
            // nats-server ends INFO with "} " before CRLF.
            .expectInfoLineMatching("INFO \\{.*\\} ")
            .expectInfo("fields", (info, broker) -> {
              assertThat(info.getString("server_id")).isNotEmpty();
              assertThat(info.getString("server_name")).isNotEmpty();
              assertThat(info.getString("version")).isNotEmpty();
              assertThat(info.getValue("proto")).isEqualTo(1);
              assertThat(info.getString("host")).isEqualTo("127.0.0.1");
              assertThat(info.getValue("port")).isEqualTo(broker.port());
              assertThat(info.getValue("headers")).isEqualTo(true);
              assertThat(info.getValue("max_payload")).isEqualTo(1048576);
              assertThat(info.getValue("client_id")).isInstanceOf(Integer.class);
              assertThat(info.getInteger("client_id")).isPositive();
              assertThat(info.getString("client_ip")).isEqualTo("127.0.0.1");
              assertThat(info.containsKey("auth_required")).isFalse();
              assertThat(info.containsKey("tls_required")).isFalse();
              assertThat(info.containsKey("nonce")).isFalse();
              assertFieldOrder(info, "server_id", "server_name", "version", "proto", "host",
                  "port", "headers", "max_payload", "client_id", "client_ip");
            })
            .ping()
            .build(),
        Scenario.named("INFO: auth_required with user/password, between headers and max_payload")
            .config(USER_PASS)
            .open("c")
            .expectInfo("auth_required", info -> {
              assertThat(info.getValue("auth_required")).isEqualTo(true);
              assertFieldOrder(info, "server_id", "proto", "headers", "auth_required",
                  "max_payload", "client_id");
            })
            .build(),
        Scenario.named("INFO: max_payload from config")
            .config("max_payload: 1024\n")
            .open("c")
            .expectInfo("max_payload", info ->
                assertThat(info.getValue("max_payload")).isEqualTo(1024))
            .build(),
        Scenario.named("INFO: client_id differs per connection")
            .open("a")
            .open("b")
            .check("client ids differ", run ->
                assertThat(run.clients().get("a").info().getInteger("client_id"))
                    .isNotEqualTo(run.clients().get("b").info().getInteger("client_id")))
            .build());
  }

  static List<Scenario> verbosity() {
    return List.of(
        Scenario.named("verbose by default: +OK after CONNECT, SUB, PUB, UNSUB, not after PING")
            .open("c")
            .send("CONNECT {}\r\n").expectOk()
            .send("PING\r\n").expectLine("PONG")
            .send("SUB foo 1\r\n").expectOk()
            .send("PUB foo 2\r\nhi\r\n").expectOk().expectMsg("foo", "1", null, "hi")
            .send("PUB foo bar 2\r\nhi\r\n").expectOk().expectMsg("foo", "1", "bar", "hi")
            .send("UNSUB 1\r\n").expectOk()
            .send("PUB foo 2\r\nhi\r\n").expectOk()
            .ping()
            .build(),
        Scenario.named("verbose:true acks every op, also UNSUB of an unknown sid")
            .open("c")
            .send("CONNECT {\"verbose\":true}\r\n").expectOk()
            .send("SUB foo 1\r\n").expectOk()
            .send("UNSUB 1 2\r\n").expectOk()
            .send("UNSUB 99\r\n").expectOk()
            .ping()
            .build(),
        Scenario.named("verbose:false sends no +OK")
            .open("c")
            .send(QUIET).expectNothing()
            .send("SUB foo 1\r\n").expectNothing()
            .send("PUB foo 2\r\nhi\r\n").expectMsg("foo", "1", null, "hi").expectNothing()
            .send("UNSUB 1\r\n").expectNothing()
            .send("PUB foo 2\r\nhi\r\n").expectNothing()
            .ping()
            .build(),
        Scenario.named("without auth, ops before CONNECT work and are acked (verbose default)")
            .open("c")
            .send("PING\r\n").expectLine("PONG")
            .send("SUB foo 1\r\n").expectOk()
            .send("PUB foo 2\r\nhi\r\n").expectOk().expectMsg("foo", "1", null, "hi")
            .build(),
        Scenario.named("a second CONNECT only changes the fields it names")
            .open("c")
            .send(QUIET + "CONNECT {}\r\n").ping()
            .send("SUB foo 1\r\n").expectNothing()
            .send("CONNECT {\"verbose\":true}\r\n").expectOk()
            .ping()
            .build());
  }

  static List<Scenario> parsing() {
    return List.of(
        Scenario.named("op names are case-insensitive")
            .open("c")
            .send("connect {\"verbose\":false}\r\n")
            .send("pInG\r\n").expectLine("PONG")
            .send("Sub foo 1\r\n")
            .send("pub foo 2\r\nhi\r\n").expectMsg("foo", "1", null, "hi")
            .ping()
            .build(),
        Scenario.named("op names are case-insensitive: unsub, hpub")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true}\r\nsub foo 1\r\n")
            .send("hPuB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n")
            .expectHMsg("foo", "1", null, "NATS/1.0\r\n\r\n", "hi")
            .send("uNsUb 1\r\npub foo 0\r\n\r\n")
            .ping()
            .build(),
        Scenario.named("tabs and runs of spaces separate arguments")
            .open("c")
            .send(QUIET + "SUB\tfoo 1\r\n")
            .send("PUB\tfoo  \t r  2\r\nhi\r\n").expectMsg("foo", "1", "r", "hi")
            .send("SUB  bar\t\tq   2\r\n")
            .send("PUB bar 1\r\nx\r\n").expectMsg("bar", "2", null, "x")
            .ping()
            .build(),
        Scenario.named("protocol split into one-byte writes")
            .open("c")
            .sendBytewise(QUIET + "SUB foo 1\r\nPUB foo r 5\r\nhello\r\nPING\r\n")
            .expectMsg("foo", "1", "r", "hello")
            .expectLine("PONG")
            .build(),
        Scenario.named("headers message split into one-byte writes")
            .open("c")
            .sendBytewise("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\n"
                + HPUB_FOO + "PING\r\n")
            .expectHMsg("foo", "1", "r", HDR, "hi")
            .expectLine("PONG")
            .build(),
        Scenario.named("many ops in one write")
            .open("c")
            .send(QUIET + "SUB foo 1\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPING\r\n")
            .expectMsg("foo", "1", null, "a")
            .expectMsg("foo", "1", null, "b")
            .expectLine("PONG")
            .build());
  }

  static List<Scenario> messaging() {
    return List.of(
        Scenario.named("PUB/SUB with and without reply, empty payload, across connections")
            .open("s1").send(QUIET + "SUB foo.* 1\r\n").ping()
            .open("s2").send(QUIET + "SUB > 2\r\n").ping()
            .open("p").send(QUIET + "PUB foo.x 3\r\nabc\r\nPUB foo.y inbox.1 0\r\n\r\n").ping()
            .on("s1")
            .expectMsg("foo.x", "1", null, "abc")
            .expectMsg("foo.y", "1", "inbox.1", "")
            .ping()
            .on("s2")
            .expectMsg("foo.x", "2", null, "abc")
            .expectMsg("foo.y", "2", "inbox.1", "")
            .ping()
            .build(),
        Scenario.named("payload containing CRLF and protocol words is opaque")
            .open("c")
            .send(QUIET + "SUB foo 1\r\nPUB foo 12\r\nPING\r\nPONG\r\n\r\n")
            .expectMsg("foo", "1", null, "PING\r\nPONG\r\n")
            .ping()
            .build(),
        Scenario.named("queue group: each message to exactly one member")
            .open("q").send(QUIET + "SUB foo workers 1\r\nSUB foo workers 2\r\n").ping()
            .open("p").send(QUIET + "SUB foo 3\r\n"
                + "PUB foo 2\r\nm1\r\nPUB foo 2\r\nm2\r\nPUB foo 2\r\nm3\r\n")
            .expectMsg("foo", "3", null, "m1")
            .expectMsg("foo", "3", null, "m2")
            .expectMsg("foo", "3", null, "m3")
            .on("q")
            .expectLineMatching("MSG foo [12] 2").expectLine("m1")
            .expectLineMatching("MSG foo [12] 2").expectLine("m2")
            .expectLineMatching("MSG foo [12] 2").expectLine("m3")
            .ping()
            .rewrite("^MSG foo [12] 2$", "MSG foo <queue member> 2")
            .build(),
        Scenario.named("UNSUB with max: exactly N messages, then none")
            .open("c")
            .send(QUIET + "SUB foo 1\r\nUNSUB 1 2\r\n")
            .send("PUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPUB foo 1\r\nc\r\n")
            .expectMsg("foo", "1", null, "a")
            .expectMsg("foo", "1", null, "b")
            .ping()
            .build(),
        Scenario.named("echo:false suppresses own messages only")
            .open("other").send(QUIET + "SUB foo 9\r\n").ping()
            .open("c")
            .send("CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\nPUB foo 2\r\nhi\r\n")
            .ping()
            .on("other").expectMsg("foo", "9", null, "hi").ping()
            .build(),
        Scenario.named("a connection's own publish reaches it before the PONG of a later PING")
            .open("c")
            .send(QUIET + "SUB foo 1\r\n").ping()
            .send("PUB foo 2\r\nhi\r\nPING\r\n")
            .expectMsg("foo", "1", null, "hi")
            .expectLine("PONG")
            .build(),
        Scenario.named("a subject published to unheard is heard by a SUB sent with the next PUB")
            .open("c")
            .send(QUIET + "PUB quiet.x 1\r\na\r\nPUB quiet.x 1\r\nb\r\n").ping()
            .send("PUB quiet.x 1\r\nc\r\n").ping()
            .send("SUB quiet.x 1\r\nPUB quiet.x 1\r\nd\r\n")
            .expectMsg("quiet.x", "1", null, "d")
            .ping()
            .build(),
        Scenario.named("the 503 for a request nobody hears comes before the PONG of a later PING")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB inbox.* 7\r\n")
            .ping()
            .send("PUB nobody inbox.1 0\r\n\r\nPING\r\n")
            .expectHMsg("inbox.1", "7", null, "NATS/1.0 503\r\n\r\n", "")
            .expectLine("PONG")
            .build());
  }

  static List<Scenario> headers() {
    return List.of(
        Scenario.named("HPUB to a headers client: HMSG with exact sizes")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\n")
            .send(HPUB_FOO).expectHMsg("foo", "1", "r", HDR, "hi")
            .send("HPUB foo 18 18\r\n" + HDR + "\r\n").expectHMsg("foo", "1", null, HDR, "")
            .ping()
            .build(),
        Scenario.named("HPUB to a headers:false subscriber: plain MSG, headers stripped")
            .open("s").send("CONNECT {\"verbose\":false,\"headers\":false}\r\nSUB foo 1\r\n").ping()
            .open("p").send("CONNECT {\"verbose\":false,\"headers\":true}\r\n" + HPUB_FOO).ping()
            .on("s").expectMsg("foo", "1", "r", "hi").ping()
            .build(),
        Scenario.named("HPUB to a subscriber whose CONNECT omits headers: plain MSG")
            .open("s").send(QUIET + "SUB foo 1\r\n").ping()
            .open("p").send("CONNECT {\"verbose\":false,\"headers\":true}\r\n" + HPUB_FOO).ping()
            .on("s").expectMsg("foo", "1", "r", "hi").ping()
            .build(),
        Scenario.named("HPUB from a client without headers:true: closed without -ERR")
            .open("c")
            .send(QUIET + HPUB_FOO).expectClosed()
            .build(),
        Scenario.named("HPUB before CONNECT: closed without -ERR")
            .open("c")
            .send(HPUB_FOO).expectClosed()
            .build());
  }

  static List<Scenario> connectOptions() {
    return List.of(
        Scenario.named("no responders: 503 HMSG to the requester, none without reply")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n")
            .send("SUB _INBOX.x 7\r\n")
            .send("PUB svc _INBOX.x 2\r\nhi\r\n")
            .expectHMsg("_INBOX.x", "7", null, NO_RESPONDERS_503, "")
            .send("PUB svc 2\r\nhi\r\n")
            .send("HPUB svc _INBOX.x 12 14\r\nNATS/1.0\r\n\r\nhi\r\n")
            .expectHMsg("_INBOX.x", "7", null, NO_RESPONDERS_503, "")
            .ping()
            .build(),
        Scenario.named("no responders, verbose: +OK then the 503")
            .open("c")
            .send("CONNECT {\"headers\":true,\"no_responders\":true}\r\n").expectOk()
            .send("SUB _INBOX.> 7\r\n").expectOk()
            .send("PUB svc _INBOX.abc 2\r\nhi\r\n").expectOk()
            .expectHMsg("_INBOX.abc", "7", null, NO_RESPONDERS_503, "")
            .ping()
            .build(),
        Scenario.named("no responders: a responder present means no 503")
            .open("svc").send(QUIET + "SUB svc 1\r\n").ping()
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n")
            .send("SUB _INBOX.x 7\r\nPUB svc _INBOX.x 2\r\nhi\r\n")
            .ping()
            .on("svc").expectMsg("svc", "1", "_INBOX.x", "hi")
            .build(),
        Scenario.named("no_responders without headers: error and close")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"no_responders\":true}\r\n")
            .expectErrAndClose("no responders requires headers support")
            .build(),
        Scenario.named("protocol above 1: error and close")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"protocol\":2}\r\n")
            .expectErrAndClose("invalid client protocol")
            .build(),
        Scenario.named("protocol 0 and 1 are accepted")
            .open("a").send("CONNECT {\"verbose\":false,\"protocol\":0}\r\n").ping()
            .open("b").send("CONNECT {\"verbose\":false,\"protocol\":1}\r\n").ping()
            .build(),
        Scenario.named("CONNECT with invalid JSON: closed without -ERR")
            .open("c")
            .send("CONNECT {bad\r\n").expectClosed()
            .build());
  }

  static List<Scenario> subjects() {
    return List.of(
        Scenario.named("pedantic by default: wildcard PUB gets -ERR yet is still delivered")
            .open("c")
            .send(QUIET + "SUB foo.* 1\r\n")
            .send("PUB foo.* 2\r\nhi\r\n")
            .expectErr("Invalid Publish Subject")
            .expectMsg("foo.*", "1", null, "hi")
            .ping()
            .build(),
        Scenario.named("pedantic: PUB foo..bar gets -ERR, connection stays open")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"pedantic\":true}\r\n")
            .send("PUB foo..bar 2\r\nhi\r\n").expectErr("Invalid Publish Subject")
            .ping()
            .build(),
        Scenario.named("pedantic and verbose: -ERR then +OK for an invalid PUB subject")
            .open("c")
            .send("CONNECT {\"verbose\":true,\"pedantic\":true}\r\n").expectOk()
            .send("PUB foo.* 2\r\nhi\r\n").expectErr("Invalid Publish Subject").expectOk()
            .ping()
            .build(),
        Scenario.named("invalid SUB subject: -ERR 'Invalid Subject', no +OK, stays open")
            .open("c")
            .send("CONNECT {\"verbose\":true,\"pedantic\":true}\r\n").expectOk()
            .send("SUB foo..bar 2\r\n").expectErr("Invalid Subject")
            .ping()
            .send("SUB foo.bar 3\r\n").expectOk()
            .build(),
        Scenario.named("non-pedantic: invalid SUB subject still rejected")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n")
            .send("SUB foo..bar 2\r\n").expectErr("Invalid Subject")
            .ping()
            .build(),
        Scenario.named("non-pedantic: wildcard PUB delivered silently, foo..bar dropped silently")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB > 2\r\n")
            .send("PUB foo.* 2\r\nhi\r\n")
            .expectMsg("foo.*", "2", null, "hi")
            .send("PUB foo..bar 2\r\nhi\r\n")
            .ping()
            .build());
  }

  static List<Scenario> protocolErrors() {
    return List.of(
        Scenario.named("unknown op: Unknown Protocol Operation, close")
            .open("c")
            .send(QUIET).send("FOO bar\r\n").expectErrAndClose("Unknown Protocol Operation")
            .build(),
        Scenario.named("unknown op before CONNECT: Unknown Protocol Operation, close")
            .open("c")
            .send("FOO bar\r\n").expectErrAndClose("Unknown Protocol Operation")
            .build(),
        Scenario.named("PUB without arguments: Unknown Protocol Operation, close")
            .open("c")
            .send(QUIET).send("PUB\r\n").expectErrAndClose("Unknown Protocol Operation")
            .build(),
        Scenario.named("payload not followed by CRLF: Unknown Protocol Operation, close")
            .open("c")
            .send(QUIET).send("PUB foo 2\r\nhiXX").expectErrAndClose("Unknown Protocol Operation")
            .build(),
        Scenario.named("PUB with non-numeric size: closed without -ERR")
            .open("c")
            .send(QUIET).send("PUB foo bar\r\n").expectClosed()
            .build(),
        Scenario.named("PUB with negative size: closed without -ERR")
            .open("c")
            .send(QUIET).send("PUB foo -1\r\n").expectClosed()
            .build(),
        Scenario.named("SUB without sid: closed without -ERR")
            .open("c")
            .send(QUIET).send("SUB foo\r\n").expectClosed()
            .build());
  }

  static List<Scenario> limits() {
    String mcl = "max_control_line: 128\n";
    return List.of(
        Scenario.named("max_control_line: arguments of exactly the limit are fine")
            .config(mcl)
            .open("c")
            .send(QUIET + "SUB " + "a".repeat(126) + " 1\r\n")
            .send("PUB " + "a".repeat(126) + " 1\r\nx\r\n")
            .expectMsg("a".repeat(126), "1", null, "x")
            .ping()
            .build(),
        Scenario.named("max_control_line: arguments one byte over: error and close")
            .config(mcl)
            .open("c")
            .send(QUIET + "SUB " + "a".repeat(127) + " 1\r\n")
            .expectErrAndClose("maximum control line exceeded")
            .build(),
        Scenario.named("max_control_line: long line without CRLF yet: error and close")
            .config(mcl)
            .open("c")
            .send(QUIET + "SUB " + "a".repeat(200))
            .expectErrAndClose("maximum control line exceeded")
            .build(),
        Scenario.named("max_control_line applies to CONNECT too")
            .config(mcl)
            .open("c")
            .send("CONNECT {\"verbose\":false,\"name\":\"" + "x".repeat(200) + "\"}\r\n")
            .expectErrAndClose("maximum control line exceeded")
            .build(),
        Scenario.named("max_payload: at the limit fine, one over: error on the PUB line, close")
            .config("max_payload: 1024\n")
            .open("c")
            .send(QUIET + "SUB foo 1\r\nPUB foo 1024\r\n" + "x".repeat(1024) + "\r\n")
            .expectMsg("foo", "1", null, "x".repeat(1024))
            .send("PUB foo 1025\r\n")
            .expectErrAndClose("Maximum Payload Violation")
            .build(),
        Scenario.named("max_payload counts HPUB's total size")
            .config("max_payload: 1024\n")
            .open("c")
            .send("CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 12 1025\r\n")
            .expectErrAndClose("Maximum Payload Violation")
            .build(),
        Scenario.named("max_subscriptions: extra SUB rejected, connection stays open")
            .config("max_subscriptions: 2\n")
            .open("c")
            .send(QUIET + "SUB a 1\r\nSUB b 2\r\n").ping()
            .send("SUB c 3\r\n").expectErr("maximum subscriptions exceeded")
            .send("PUB c 1\r\nx\r\nPUB a 1\r\ny\r\n")
            .expectMsg("a", "1", null, "y")
            .ping()
            .build(),
        Scenario.named("max_subscriptions, verbose: no +OK for the rejected SUB; UNSUB frees a slot")
            .config("max_subscriptions: 2\n")
            .open("c")
            .send("CONNECT {}\r\n").expectOk()
            .send("SUB a 1\r\nSUB b 2\r\n").expectOk().expectOk()
            .send("SUB c 3\r\n").expectErr("maximum subscriptions exceeded")
            .ping()
            .send("UNSUB 1\r\n").expectOk()
            .send("SUB c 3\r\n").expectOk()
            .ping()
            .build(),
        Scenario.named("max_connections: the extra connection gets INFO, -ERR, close")
            .config("max_connections: 1\n")
            .open("first").send(QUIET).ping()
            .open("second")
            .expectErrAndClose("maximum connections exceeded")
            .on("first").ping()
            .build());
  }

  static List<Scenario> auth() {
    return List.of(
        Scenario.named("auth: no CONNECT within the timeout: Authentication Timeout, close")
            .config(USER_PASS)
            .open("c")
            .expectErrAndClose("Authentication Timeout")
            .build(),
        Scenario.named("auth: wrong password: Authorization Violation, close")
            .config(USER_PASS)
            .open("c")
            .send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"x\"}\r\n")
            .expectErrAndClose("Authorization Violation")
            .build(),
        Scenario.named("auth: no credentials: Authorization Violation, close")
            .config(USER_PASS)
            .open("c")
            .send(QUIET).expectErrAndClose("Authorization Violation")
            .build(),
        Scenario.named("auth: PUB before CONNECT: Authorization Violation, close")
            .config(USER_PASS)
            .open("c")
            .send("PUB foo 2\r\nhi\r\n").expectErrAndClose("Authorization Violation")
            .build(),
        Scenario.named("auth: PING before CONNECT: Authorization Violation, close")
            .config(USER_PASS)
            .open("c")
            .send("PING\r\n").expectErrAndClose("Authorization Violation")
            .build(),
        Scenario.named("auth: correct user/password")
            .config(USER_PASS)
            .open("c")
            .send("CONNECT {\"user\":\"a\",\"pass\":\"b\"}\r\n").expectOk()
            .send("SUB foo 1\r\n").expectOk()
            .send("PUB foo 1\r\nx\r\n").expectOk().expectMsg("foo", "1", null, "x")
            .ping()
            .build(),
        Scenario.named("token auth: right token works")
            .config(TOKEN)
            .open("c")
            .expectInfo("auth_required", info ->
                assertThat(info.getValue("auth_required")).isEqualTo(true))
            .send("CONNECT {\"verbose\":false,\"auth_token\":\"s3cr3t\"}\r\n").ping()
            .build(),
        Scenario.named("token auth: wrong token: Authorization Violation, close")
            .config(TOKEN)
            .open("c")
            .send("CONNECT {\"verbose\":false,\"auth_token\":\"nope\"}\r\n")
            .expectErrAndClose("Authorization Violation")
            .build());
  }

  static List<Scenario> pings() {
    String fast = "ping_interval: \"1s\"\nping_max: 1\n";
    return List.of(
        Scenario.named("stale connection: ping_max PINGs unanswered, then -ERR and close")
            .config(fast)
            .open("c")
            .serverPingsVisible()
            .send(QUIET)
            .expectLine("PING")
            .expectErrAndClose("Stale Connection")
            .build(),
        Scenario.named("stale connection also applies before CONNECT")
            .config(fast)
            .open("c")
            .serverPingsVisible()
            .expectLine("PING")
            .expectErrAndClose("Stale Connection")
            .build(),
        Scenario.named("answering server PINGs keeps the connection alive")
            .config(fast)
            .open("c")
            .serverPingsVisible()
            .send(QUIET)
            .expectLine("PING").send("PONG\r\n")
            .expectLine("PING").send("PONG\r\n")
            .expectLine("PING").send("PONG\r\n")
            .build());
  }

  /** Asserts that {@code keys} appear in this relative order among the INFO's fields. */
  static void assertFieldOrder(JsonObject info, String... keys) {
    List<String> actual = new ArrayList<>(info.fieldNames());
    actual.retainAll(List.of(keys));
    assertThat(actual).as("INFO field order").containsExactly(keys);
  }
}
