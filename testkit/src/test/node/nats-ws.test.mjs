// nats.ws (the browser client, on Node with the `ws` package as its WebSocket) against Tern.
// Usage: node nats-ws.test.mjs <websocket-port>. Run by NatsWsNodeIT, which starts Tern.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";

globalThis.WebSocket = WebSocket;
const { connect, StringCodec, headers, ErrorCode } = await import("nats.ws");

const port = Number(process.argv[2]);
if (!port) {
  console.error("usage: node nats-ws.test.mjs <websocket-port>");
  process.exit(2);
}
const servers = `ws://127.0.0.1:${port}`;
const sc = StringCodec();
const opts = { servers, timeout: 5000, maxReconnectAttempts: 0 };
let a;
let b;

before(async () => {
  a = await connect({ ...opts, name: "node-a" });
  b = await connect({ ...opts, name: "node-b" });
});

after(async () => {
  await a?.close();
  await b?.close();
});

/** The next `n` messages of `sub`, failing after 5 seconds. */
async function take(sub, n) {
  const got = [];
  const timer = setTimeout(() => sub.unsubscribe(), 5000);
  for await (const m of sub) {
    got.push(m);
    if (got.length === n) {
      break;
    }
  }
  clearTimeout(timer);
  assert.equal(got.length, n, `expected ${n} messages on ${sub.getSubject()}`);
  return got;
}

test("INFO reaches nats.ws over WebSocket", () => {
  assert.equal(a.info.version, "2.9.10");
  assert.equal(a.info.headers, true);
  assert.equal(a.info.max_payload, 1024 * 1024);
});

test("publish/subscribe between two connections, in order", async () => {
  const sub = b.subscribe("node.ps.*");
  await b.flush();
  for (let i = 0; i < 20; i++) {
    a.publish(`node.ps.${i}`, sc.encode(`m${i}`));
  }
  const got = await take(sub, 20);
  assert.deepEqual(got.map((m) => sc.decode(m.data)), Array.from({ length: 20 }, (_, i) => `m${i}`));
  assert.equal(got[3].subject, "node.ps.3");
});

test("a payload that spans many frames arrives intact", async () => {
  const payload = new Uint8Array(512 * 1024).map((_, i) => i % 251);
  const sub = b.subscribe("node.big");
  await b.flush();
  a.publish("node.big", payload);
  const [m] = await take(sub, 1);
  assert.equal(m.data.length, payload.length);
  assert.deepEqual(m.data, payload);
});

test("request/reply", async () => {
  const service = b.subscribe("node.echo");
  (async () => {
    for await (const m of service) {
      m.respond(sc.encode(`echo: ${sc.decode(m.data)}`));
    }
  })();
  await b.flush();
  const reply = await a.request("node.echo", sc.encode("ping"), { timeout: 5000 });
  assert.equal(sc.decode(reply.data), "echo: ping");
  service.unsubscribe();
});

test("a request nobody serves fails fast with no responders", async () => {
  await assert.rejects(a.request("node.nobody", sc.encode("?"), { timeout: 5000 }),
    (err) => err.code === ErrorCode.NoResponders);
});

test("headers travel with the message", async () => {
  const sub = b.subscribe("node.headers");
  await b.flush();
  const h = headers();
  h.append("X-Tern", "yes");
  h.append("X-Multi", "1");
  h.append("X-Multi", "2");
  a.publish("node.headers", sc.encode("with headers"), { headers: h });
  const [m] = await take(sub, 1);
  assert.equal(sc.decode(m.data), "with headers");
  assert.equal(m.headers.get("X-Tern"), "yes");
  assert.deepEqual(m.headers.values("X-Multi"), ["1", "2"]);
});

test("queue groups share the work", async () => {
  const q1 = a.subscribe("node.work", { queue: "workers" });
  const q2 = b.subscribe("node.work", { queue: "workers" });
  await a.flush();
  await b.flush();
  const c = await connect({ ...opts, name: "node-c" });
  for (let i = 0; i < 50; i++) {
    c.publish("node.work", sc.encode(String(i)));
  }
  await c.flush();
  await c.close();
  // Each message goes to exactly one member: drain both until 50 have arrived.
  let total = 0;
  const counts = [0, 0];
  await Promise.all([q1, q2].map(async (q, idx) => {
    const timer = setTimeout(() => q.unsubscribe(), 3000);
    for await (const _m of q) {
      counts[idx]++;
      if (++total === 50) {
        q1.unsubscribe();
        q2.unsubscribe();
      }
    }
    clearTimeout(timer);
  }));
  assert.equal(counts[0] + counts[1], 50);
});

test("JetStream publish, stream info and KV put/get/watch over WebSocket", async () => {
  const jsm = await a.jetstreamManager({ timeout: 5000 });
  const js = a.jetstream({ timeout: 5000 });
  await jsm.streams.add({ name: "WSJS", subjects: ["ws.js.>"] });
  const ack = await js.publish("ws.js.1", sc.encode("one"));
  assert.equal(ack.stream, "WSJS");
  assert.equal(ack.seq, 1);
  assert.equal((await jsm.streams.info("WSJS")).state.messages, 1);

  const kv = await js.views.kv("wskv");
  await kv.put("k", sc.encode("v1"));
  assert.equal(sc.decode((await kv.get("k")).value), "v1");
  const iter = await kv.watch({ key: "k" });
  const seen = [];
  const timer = setTimeout(() => iter.stop(), 10000);
  let updated = false;
  for await (const e of iter) {
    seen.push(sc.decode(e.value));
    if (!updated) {
      updated = true;
      await kv.put("k", sc.encode("v2"));
    } else {
      break;
    }
  }
  clearTimeout(timer);
  assert.deepEqual(seen, ["v1", "v2"]);
});
