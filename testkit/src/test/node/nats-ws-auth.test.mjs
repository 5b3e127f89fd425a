// nats.ws against a server whose websocket block has its own authorization (user "wsuser",
// password "wspass"). Usage: node nats-ws-auth.test.mjs <websocket-port>. Run by WebSocketNatsWsNodeIT.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";

globalThis.WebSocket = WebSocket;
const { connect, StringCodec, ErrorCode } = await import("nats.ws");

const port = Number(process.argv[2]);
if (!port) {
  console.error("usage: node nats-ws-auth.test.mjs <websocket-port>");
  process.exit(2);
}
const opts = { servers: `ws://127.0.0.1:${port}`, timeout: 5000, maxReconnectAttempts: 0, reconnect: false };
const sc = StringCodec();

test("the websocket block's user and password let nats.ws in", async () => {
  const nc = await connect({ ...opts, user: "wsuser", pass: "wspass" });
  try {
    assert.equal(nc.info.auth_required, true);
    const sub = nc.subscribe("auth.ws");
    nc.publish("auth.ws", sc.encode("in"));
    for await (const m of sub) {
      assert.equal(sc.decode(m.data), "in");
      break;
    }
  } finally {
    await nc.close();
  }
});

test("without credentials nats.ws is refused", async () => {
  await assert.rejects(connect(opts), (err) => err.code === ErrorCode.AuthorizationViolation);
});

test("with wrong credentials nats.ws is refused", async () => {
  await assert.rejects(connect({ ...opts, user: "wsuser", pass: "nope" }),
    (err) => err.code === ErrorCode.AuthorizationViolation);
});
