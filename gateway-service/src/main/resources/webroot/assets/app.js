// The Tern demo page: connects back to the server over WebSocket with nats.ws, subscribes,
// publishes, lists what arrives, and shows /varz figures. `?subject=x` sets the first subscription.
import { connect, StringCodec } from "/assets/vendor/nats.ws/nats.js";

const sc = StringCodec();
const $ = (id) => document.getElementById(id);
const MAX_SHOWN = 200;
const FIGURES = [
  ["connections", "connections"], ["total_connections", "total connections"],
  ["subscriptions", "subscriptions"], ["in_msgs", "messages in"], ["out_msgs", "messages out"],
  ["in_bytes", "bytes in"], ["out_bytes", "bytes out"], ["slow_consumers", "slow consumers"],
  ["mem", "heap bytes"], ["cores", "cores"], ["uptime", "uptime"], ["version", "protocol version"],
];

let nc = null;
let sub = null;

function setStatus(state, text) {
  const el = $("status");
  el.dataset.state = state;
  el.textContent = text;
}

async function fetchVarz() {
  const response = await fetch("/varz", { cache: "no-store" });
  return response.json();
}

function showVarz(v) {
  const ws = v.websocket ? ` · websocket ${v.websocket.port}` : "";
  $("server").textContent = `${v.server_name} · NATS ${v.version} · port ${v.port}${ws}`;
  const dl = $("varz");
  dl.replaceChildren();
  for (const [key, label] of FIGURES) {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.id = `varz-${key}`;
    dd.textContent = typeof v[key] === "number" ? v[key].toLocaleString("en") : String(v[key] ?? "–");
    dl.append(dt, dd);
  }
}

function webSocketUrl(v) {
  const ws = v.websocket;
  const host = location.hostname.includes(":") ? `[${location.hostname}]` : location.hostname;
  return `${ws.no_tls ? "ws" : "wss"}://${host}:${ws.port}`;
}

function show(msg) {
  const li = document.createElement("li");
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = new Date().toLocaleTimeString("en-GB");
  const subject = document.createElement("span");
  subject.className = "subject";
  subject.textContent = msg.subject;
  const data = document.createElement("span");
  data.className = "data";
  data.textContent = sc.decode(msg.data);
  li.append(time, subject, data);
  if (msg.headers) {
    const headers = document.createElement("span");
    headers.className = "headers";
    headers.textContent = [...msg.headers.keys()].map((k) => `${k}: ${msg.headers.get(k)}`).join("; ");
    li.append(headers);
  }
  const list = $("messages");
  list.prepend(li);
  while (list.children.length > MAX_SHOWN) {
    list.lastElementChild.remove();
  }
}

async function subscribe(subject) {
  if (sub) {
    sub.unsubscribe();
  }
  sub = nc.subscribe(subject);
  // Once the server has answered the flush, the subscription is in effect everywhere.
  await nc.flush();
  setStatus("subscribed", `subscribed to ${subject}`);
  const mine = sub;
  (async () => {
    for await (const m of mine) {
      show(m);
    }
  })();
}

async function main() {
  const v = await fetchVarz();
  showVarz(v);
  setInterval(() => fetchVarz().then(showVarz).catch(() => {}), 2000);
  if (!v.websocket) {
    setStatus("error", "WebSocket is off: configure websocket { port: 8080, no_tls: true }");
    return;
  }
  const url = webSocketUrl(v);
  setStatus("connecting", `connecting to ${url}`);
  nc = await connect({ servers: url, name: "tern web page", maxReconnectAttempts: -1 });
  nc.closed().then((err) => setStatus("closed", err ? `closed: ${err.message}` : "closed"));
  const initial = new URLSearchParams(location.search).get("subject");
  if (initial) {
    $("subject").value = initial;
  }
  await subscribe($("subject").value);

  $("subscribe-form").addEventListener("submit", (e) => {
    e.preventDefault();
    subscribe($("subject").value).catch((err) => setStatus("error", err.message));
  });
  $("publish-form").addEventListener("submit", (e) => {
    e.preventDefault();
    nc.publish($("pub-subject").value, sc.encode($("pub-payload").value));
  });
}

main().catch((err) => setStatus("error", `error: ${err.message}`));
