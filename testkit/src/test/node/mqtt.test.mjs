// MQTT.js (the npm `mqtt` package) against Tern's MQTT listener, over TCP and over WebSocket.
// Usage: node mqtt.test.mjs <mqtt-port> <websocket-port>. Run by MqttJsNodeIT, which starts Tern.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import mqtt from "mqtt";

const tcpPort = Number(process.argv[2]);
const wsPort = Number(process.argv[3]);
if (!tcpPort || !wsPort) {
  console.error("usage: node mqtt.test.mjs <mqtt-port> <websocket-port>");
  process.exit(2);
}
const TCP = `mqtt://127.0.0.1:${tcpPort}`;
const WS = `ws://127.0.0.1:${wsPort}/mqtt`;
const open = [];

/** Connects with MQTT 3.1.1 and no automatic reconnect; resolves once CONNACK arrives. */
async function connect(url, options = {}) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options,
  });
  open.push(client);
  return client;
}

/** The next `n` messages a client receives, failing after 5 seconds. */
function nextMessages(client, n) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => reject(new Error(`got ${got.length} of ${n} messages`)), 5000);
    client.on("message", (topic, payload, packet) => {
      got.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

after(async () => {
  await Promise.all(open.map((c) => c.endAsync(true)));
});

test("QoS 0 and 1 over TCP", async () => {
  const c = await connect(TCP, { clientId: "js-tcp", clean: true });
  const granted = await c.subscribeAsync("js/tcp/+", { qos: 1 });
  assert.equal(granted[0].qos, 1);
  const got = nextMessages(c, 2);
  await c.publishAsync("js/tcp/a", "zero", { qos: 0 });
  await c.publishAsync("js/tcp/b", "one", { qos: 1 });
  const messages = (await got).sort((x, y) => x.topic.localeCompare(y.topic));
  assert.deepEqual(messages.map((m) => [m.topic, m.payload, m.qos]), [["js/tcp/a", "zero", 0], ["js/tcp/b", "one", 1]]);
});

test("QoS 0 and 1 over WebSocket, and between WebSocket and TCP clients", async () => {
  const ws = await connect(WS, { clientId: "js-ws", clean: true });
  const tcp = await connect(TCP, { clientId: "js-ws-peer", clean: true });
  await ws.subscribeAsync("js/ws/#", { qos: 1 });
  await tcp.subscribeAsync("js/back", { qos: 1 });
  const atWs = nextMessages(ws, 2);
  await tcp.publishAsync("js/ws/x", "from tcp", { qos: 1 });
  await ws.publishAsync("js/ws/y", "from ws", { qos: 0 });
  const messages = (await atWs).sort((x, y) => x.topic.localeCompare(y.topic));
  assert.deepEqual(messages.map((m) => [m.topic, m.payload, m.qos]), [["js/ws/x", "from tcp", 1], ["js/ws/y", "from ws", 0]]);
  const atTcp = nextMessages(tcp, 1);
  await ws.publishAsync("js/back", "ws to tcp", { qos: 1 });
  assert.deepEqual((await atTcp).map((m) => [m.topic, m.payload, m.qos]), [["js/back", "ws to tcp", 1]]);
});

test("retained messages over WebSocket: set, received on subscribe, cleared", async () => {
  const pub = await connect(TCP, { clientId: "js-ret-pub", clean: true });
  await pub.publishAsync("js/ret", "kept", { qos: 1, retain: true });
  const sub = await connect(WS, { clientId: "js-ret-sub", clean: true });
  const got = nextMessages(sub, 1);
  await sub.subscribeAsync("js/ret", { qos: 1 });
  const [m] = await got;
  assert.equal(m.payload, "kept");
  assert.equal(m.retain, true);
  await pub.publishAsync("js/ret", "", { qos: 1, retain: true });
  const late = await connect(WS, { clientId: "js-ret-late", clean: true });
  let received = 0;
  late.on("message", () => received++);
  await late.subscribeAsync("js/ret", { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(received, 0);
});

test("a persistent session over WebSocket gets what was published while it was away", async () => {
  const first = await connect(WS, { clientId: "js-durable", clean: false });
  await first.subscribeAsync("js/durable", { qos: 1 });
  await first.endAsync();
  const pub = await connect(TCP, { clientId: "js-durable-pub", clean: true });
  for (let i = 0; i < 5; i++) {
    await pub.publishAsync("js/durable", `d${i}`, { qos: 1 });
  }
  const again = mqtt.connect(WS, { protocolVersion: 4, reconnectPeriod: 0, clientId: "js-durable", clean: false });
  open.push(again);
  const got = nextMessages(again, 5);
  const connack = await new Promise((resolve, reject) => {
    again.once("connect", resolve);
    again.once("error", reject);
  });
  assert.equal(connack.sessionPresent, true);
  assert.deepEqual((await got).map((m) => m.payload), ["d0", "d1", "d2", "d3", "d4"]);
});
