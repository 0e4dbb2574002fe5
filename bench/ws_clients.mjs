// Worker thread of bench/hotline.mjs: opens one WebSocket per cookie to /api/v1/stream
// with a minimal RFC 6455 client (handshake, unmasked server text frames), stamps each
// text frame with the wall clock on arrival and hands the frames to the main thread in
// batches, decoded only then.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { base, cookies, first } = workerData;
const { hostname: host, port } = new URL(base);
const now = () => performance.timeOrigin + performance.now();
let pending = [];
let flushing = false;
function deliver(frame) {
  pending.push(frame);
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const out = pending.map((f) => ({ t: f.t, text: f.payload.toString('utf8'), i: f.i }));
    pending = [];
    parentPort.postMessage(out);
  });
}

function open(cookie, index) {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port: Number(port) });
    sock.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let ready = false;
    sock.on('connect', () => {
      sock.write(`GET /api/v1/stream HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nCookie: ${cookie}\r\n\r\n`);
    });
    sock.on('data', (chunk) => {
      const t = now();
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, 12).toString().includes('101')) return reject(new Error(buf.toString()));
        upgraded = true;
        buf = buf.subarray(end + 4);
      }
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        const opcode = buf[0] & 0x0f;
        const payload = buf.subarray(off, off + len);   // decoded after the round, not now
        buf = buf.subarray(off + len);
        if (opcode !== 1) continue;
        if (!ready) {
          ready = true;
          resolve();
        } else deliver({ t, payload, i: index });
      }
    });
    sock.on('error', reject);
  });
}

for (let i = 0; i < cookies.length; i += 100)
  await Promise.all(cookies.slice(i, i + 100).map((cookie, k) => open(cookie, first + i + k)));
parentPort.postMessage('ready');
