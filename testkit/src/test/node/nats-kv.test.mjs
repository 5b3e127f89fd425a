// The npm `nats` client (nats.js v2, TCP) against a broker with JetStream: stream publish and info,
// KV put/get/create/update/delete, history, keys and watch.
// Usage: node nats-kv.test.mjs <nats-url>. Run by NatsJsNodeIT, which starts the broker.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { connect, StringCodec } from "nats";

const url = process.argv[2];
if (!url) {
  console.error("usage: node nats-kv.test.mjs <nats-url>");
  process.exit(2);
}
const sc = StringCodec();
let nc;
let js;
let jsm;

before(async () => {
  nc = await connect({ servers: url, timeout: 5000, maxReconnectAttempts: 0, name: "node-js" });
  js = nc.jetstream({ timeout: 5000 });
  jsm = await nc.jetstreamManager({ timeout: 5000 });
});

after(async () => {
  await nc?.close();
});

/** Takes entries from a KV watch iterator until `n` arrived, failing after 10 seconds. */
async function take(iter, n) {
  const got = [];
  const timer = setTimeout(() => iter.stop(), 10000);
  for await (const e of iter) {
    got.push(e);
    if (got.length === n) {
      break;
    }
  }
  clearTimeout(timer);
  assert.equal(got.length, n, `expected ${n} watch entries`);
  return got;
}

test("stream publish acks with sequences and stream info counts them", async () => {
  const si = await jsm.streams.add({ name: "NODE", subjects: ["node.js.>"] });
  assert.equal(si.config.name, "NODE");
  assert.equal(si.state.messages, 0);
  const acks = [];
  for (let i = 0; i < 10; i++) {
    acks.push(await js.publish(`node.js.${i % 3}`, sc.encode(`m${i}`)));
  }
  assert.deepEqual(acks.map((a) => a.seq), Array.from({ length: 10 }, (_, i) => i + 1));
  assert.equal(acks[0].stream, "NODE");
  assert.equal(acks[0].duplicate, false);

  const first = await js.publish("node.js.id", sc.encode("x"), { msgID: "once" });
  const again = await js.publish("node.js.id", sc.encode("x"), { msgID: "once" });
  assert.equal(again.seq, first.seq);
  assert.equal(again.duplicate, true);

  const info = await jsm.streams.info("NODE", { subjects_filter: ">" });
  assert.equal(info.state.messages, 11);
  assert.equal(info.state.last_seq, 11);
  assert.equal(info.state.subjects["node.js.0"], 4);
  const sm = await jsm.streams.getMessage("NODE", { seq: 2 });
  assert.equal(sm.subject, "node.js.1");
  assert.equal(sc.decode(sm.data), "m1");
  await assert.rejects(js.publish("node.js.0", sc.encode("late"), { expect: { lastSequence: 3 } }),
    /wrong last sequence: 11/);
});

test("KV put, get, create, update, delete", async () => {
  const kv = await js.views.kv("nodekv", { history: 5 });
  const status = await kv.status();
  assert.equal(status.bucket, "nodekv");
  assert.equal(status.history, 5);

  const r1 = await kv.put("color", sc.encode("red"));
  const r2 = await kv.put("color", sc.encode("blue"));
  assert.equal(r2, r1 + 1);
  const e = await kv.get("color");
  assert.equal(sc.decode(e.value), "blue");
  assert.equal(e.revision, r2);
  assert.equal(e.operation, "PUT");
  assert.equal(await kv.get("missing"), null);

  await assert.rejects(kv.create("color", sc.encode("green")), /wrong last sequence/);
  const r3 = await kv.update("color", sc.encode("green"), r2);
  assert.equal(sc.decode((await kv.get("color")).value), "green");
  await assert.rejects(kv.update("color", sc.encode("x"), r2), /wrong last sequence/);

  await kv.delete("color");
  const deleted = await kv.get("color");
  assert.equal(deleted.operation, "DEL");
  const r5 = await kv.create("color", sc.encode("again"));
  assert.ok(r5 > r3);
});

test("KV history and keys", async () => {
  const kv = await js.views.kv("nodehist", { history: 10 });
  await kv.put("a", sc.encode("1"));
  await kv.put("b", sc.encode("1"));
  await kv.put("a", sc.encode("2"));
  await kv.delete("b");
  const history = [];
  for await (const e of await kv.history({ key: "a" })) {
    history.push(sc.decode(e.value));
  }
  assert.deepEqual(history, ["1", "2"]);
  const keys = [];
  for await (const k of await kv.keys()) {
    keys.push(k);
  }
  assert.deepEqual(keys, ["a"]);
});

test("KV watch sees the current value, then updates and deletes", async () => {
  const kv = await js.views.kv("nodewatch");
  await kv.put("k", sc.encode("before"));
  const iter = await kv.watch({ key: "k" });
  const entries = take(iter, 3);
  await kv.put("other", sc.encode("not watched"));
  await kv.put("k", sc.encode("after"));
  await kv.delete("k");
  const got = await entries;
  assert.deepEqual(got.map((e) => `${e.operation}:${sc.decode(e.value)}`), ["PUT:before", "PUT:after", "DEL:"]);
  assert.ok(got[0].revision < got[1].revision);
});

test("KV watch of all keys", async () => {
  const kv = await js.views.kv("nodewatchall");
  await kv.put("x.1", sc.encode("1"));
  const iter = await kv.watch();
  const entries = take(iter, 3);
  await kv.put("x.2", sc.encode("2"));
  await kv.put("y", sc.encode("3"));
  const got = await entries;
  assert.deepEqual(got.map((e) => `${e.key}=${sc.decode(e.value)}`), ["x.1=1", "x.2=2", "y=3"]);
});
