import WebSocket from 'ws';
for (const [name, data, opts] of [['err', 'CONNECT {}\r\nFOO\r\n', {perMessageDeflate: false}], ['deflate', 'CONNECT {}\r\nPING\r\n', {perMessageDeflate: {clientNoContextTakeover: false, serverNoContextTakeover: false}}]]) {
  await new Promise(res => {
    const ws = new WebSocket(process.argv[2], opts);
    ws.on('upgrade', r => console.log(name, 'ext:', r.headers['sec-websocket-extensions']));
    ws.on('message', d => console.log(name, 'msg', JSON.stringify(d.toString().slice(0, 50))));
    ws.on('open', () => ws.send(data));
    ws.on('close', (c, r) => { console.log(name, 'close', c, JSON.stringify(r.toString())); res(); });
    ws.on('error', e => console.log(name, 'error', e.message));
    setTimeout(() => { ws.terminate(); res(); }, 1500);
  });
}
