// Tools for the security suite (tests/security/): what an attacker uses that fetch()
// does not give — raw HTTP over a socket (paths that are not normalised, a
// Content-Length whose body never comes, a body sent halfway), and what the tests
// measure the server by: its memory (RSS from /proc), the size of its data directory,
// its log lines, the streams it keeps open, and RFC 6238 codes computed independently.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// ---------------------------------------------------------------------------- raw HTTP

// Parses one HTTP/1.1 response at the start of `buf` (a Buffer). Returns null while
// it is incomplete; `ended` says the peer has closed (a body without a length ends there).
function parseResponse(buf, ended) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = new Map();
  for (const l of lines) {
    const colon = l.indexOf(':');
    if (colon > 0) headers.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim());
  }
  let rest = buf.subarray(end + 4);
  let body;
  if (headers.has('content-length')) {
    const n = Number(headers.get('content-length'));
    if (rest.length < n) return null;
    body = rest.subarray(0, n);
  } else if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    const parts = [];
    for (;;) {
      const nl = rest.indexOf('\r\n');
      if (nl < 0) return null;
      const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
      if (rest.length < nl + 2 + size + 2) return null;
      if (size === 0) break;
      parts.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  } else if (/^HTTP\/1\.\d (1\d\d|204|304)/.test(statusLine)) {
    body = Buffer.alloc(0);
  } else {
    if (!ended) return null;
    body = rest;
  }
  const text = body.toString('utf8');
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return {
    status: Number(statusLine.split(' ')[1]),
    statusLine,
    headers: { get: (n) => headers.get(n.toLowerCase()) ?? null },
    body,
    text,
    json,
  };
}

// A raw connection: write what you like, when you like, and read the first response.
//   const c = await rawConnection(base);
//   c.write('POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n');
//   const res = await c.response(10000);   // rejects if nothing complete comes in time
export async function rawConnection(base) {
  const { hostname, port } = new URL(base);
  const sock = connect({ host: hostname, port: Number(port) });
  await new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  let buf = Buffer.alloc(0);
  let ended = false;
  let error = null;
  const waiters = new Set();
  const wake = () => {
    for (const w of waiters) w();
  };
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    wake();
  });
  sock.on('end', () => {
    ended = true;
    wake();
  });
  sock.on('close', () => {
    ended = true;
    wake();
  });
  sock.on('error', (e) => {
    error = e;
    ended = true;
    wake();
  });
  // Waits until `settle` decides — it returns [value] to resolve, or throws to reject —
  // checking again whenever data arrives; after `ms`, `onTimeout` decides.
  const until = (settle, ms, onTimeout) =>
    new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        let decided;
        try {
          decided = settle();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (decided) {
          done();
          resolve(decided[0]);
        }
      };
      const timer = setTimeout(() => {
        done();
        try {
          resolve(onTimeout());
        } catch (e) {
          reject(e);
        }
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    socket: sock,
    get closed() { return ended; },
    // Resolves true if the write was accepted; false once the peer has gone away.
    write(data) {
      if (ended || sock.destroyed) return Promise.resolve(false);
      return new Promise((resolve) => sock.write(data, (e) => resolve(!e)));
    },
    response(ms = 10000) {
      return until(() => {
        const r = parseResponse(buf, ended);
        if (r) return [r];
        if (ended)
          throw new Error(`the connection ended without a complete answer${error ? ` (${error.code})` : ''}: ${JSON.stringify(buf.toString('latin1').slice(0, 300))}`);
        return undefined;
      }, ms, () => {
        throw new Error(`no answer within ${ms} ms (received ${buf.length} bytes)`);
      });
    },
    // Resolves true once the peer closes the connection (within ms), else false.
    waitClosed(ms = 5000) {
      return until(() => (ended ? [true] : undefined), ms, () => false);
    },
    destroy() {
      sock.destroy();
    },
  };
}

// One request over a fresh connection: `head` is the request line and header lines
// (an array or a string without the blank line); the body, if any, is sent whole.
// Paths are sent byte for byte as given (nothing normalises "//" or "%2e%2e").
export async function raw(base, head, { body, timeout = 10000 } = {}) {
  const c = await rawConnection(base);
  try {
    const lines = Array.isArray(head) ? head.join('\r\n') : head;
    await c.write(Buffer.concat([Buffer.from(`${lines}\r\n\r\n`, 'latin1'), body === undefined ? Buffer.alloc(0) : Buffer.from(body)]));
    return await c.response(timeout);
  } finally {
    c.destroy();
  }
}

// A GET of a raw path with the usual headers of a browser or script.
export function rawGet(base, path, headers = []) {
  return raw(base, [`GET ${path} HTTP/1.1`, `Host: ${new URL(base).host}`, 'Connection: close', ...headers]);
}

// ---------------------------------------------------------------------------- measures

// Resident set size of a process, in bytes.
export function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout ?? '');
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Bytes of the regular files under `dir` (0 if it does not exist).
export function dirBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) {
      try {
        total += statSync(p).size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return total;
}

// Names in `dir` (an empty list if it does not exist).
export function listDir(dir) {
  return existsSync(dir) ? readdirSync(dir) : [];
}

export const MB = 1024 * 1024;

// ---------------------------------------------------------------------------- logs

// The server writes one log record per line: "<RFC 3339 time> <access|level> <JSON>"
// (or, should it drop the prefix, the JSON object alone). Returns every line of `text`
// with its parsed JSON, or `error` when the line is not such a record.
export function logRecords(text) {
  return text.split('\n').filter((l) => l.length > 0).map((line) => {
    const candidates = [line];
    const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z? \S+ (.*)$/s.exec(line);
    if (m) candidates.unshift(m[1]);
    for (const c of candidates) {
      try {
        const json = JSON.parse(c);
        if (json && typeof json === 'object' && !Array.isArray(json)) return { line, json, prefix: m ? line.split(' ')[1] : null };
      } catch {
        // try the next reading
      }
    }
    return { line, error: 'not a JSON log record' };
  });
}

// What the server has written since `mark` (from server.output()), both streams.
export function outputSince(server, mark = { stdout: 0, stderr: 0 }) {
  const { stdout, stderr } = server.output();
  return { stdout: stdout.slice(mark.stdout), stderr: stderr.slice(mark.stderr) };
}

// Where the output stands now, at a line's start: the buffered access log may have
// written part of a line (stdio flushes a full buffer wherever it ends), and what comes
// after the mark must be whole lines.
export function outputMark(server) {
  const { stdout, stderr } = server.output();
  return { stdout: stdout.lastIndexOf('\n') + 1, stderr: stderr.lastIndexOf('\n') + 1 };
}

// The access log is flushed every second: wait that long before reading it.
export const flushLogs = () => sleep(1500);

// ---------------------------------------------------------------------------- streams

// Opens /api/v1/stream with the given headers (a Cookie, or an Authorization header for
// a stream opened with an API token). Resolves once the server says it is ready.
export async function openStreamWith(base, headers) {
  const ws = new WebSocket(base.replace('http', 'ws') + '/api/v1/stream', { headers });
  const events = [];
  let closedAt = null;
  const closed = new Promise((resolve) => {
    ws.addEventListener('close', () => {
      closedAt = Date.now();
      resolve(true);
    });
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stream did not become ready')), 10000);
    ws.addEventListener('message', (m) => {
      const e = JSON.parse(m.data);
      events.push(e);
      if (e.type === 'stream.ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('stream refused'));
    });
  });
  return {
    ws,
    events,
    frames: () => events.map((e) => JSON.stringify(e)).join('\n'),
    get isClosed() { return closedAt !== null; },
    // Resolves true if the server closes the stream within `ms`.
    closedWithin(ms = 5000) {
      return Promise.race([closed, sleep(ms).then(() => false)]);
    },
    close() {
      try {
        ws.close();
      } catch {
        // already gone
      }
    },
  };
}

// ---------------------------------------------------------------------------- TOTP

export { base32Decode, totp } from './totp.mjs';

// ---------------------------------------------------------------------------- misc

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Writes a TOML configuration file into `dir` and returns its path (for --config).
export function writeConfig(dir, toml, name = 'parley.toml') {
  const path = join(dir, name);
  writeFileSync(path, toml);
  return path;
}

// The SQLite file of a server started by the harness (its --db is "sqlite:PATH").
export const dbPath = (server) => server.db.replace(/^sqlite:/, '');

// Runs a query (or a dot-command such as .dump) with Debian's sqlite3 shell.
export function sqlite(path, query) {
  const r = spawnSync('sqlite3', [path, query], { encoding: 'utf8', maxBuffer: 512 * MB });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout;
}

// The problem answer of a route may be RFC 9457's media type, or TAXII's for /taxii2
// (whose error messages carry RFC 9457's members too).
export function isProblem(res, path = '') {
  const ct = res.headers.get('content-type') ?? '';
  if (path.startsWith('/taxii2')) return /^application\/(problem\+json|taxii\+json)/.test(ct) && res.json !== null;
  return /^application\/problem\+json/.test(ct) && res.json !== null && typeof res.json.status === 'number';
}

// ---------------------------------------------------------------------------- a server that may die

// For files whose attacks may crash the server (today's binary does): each test calls
// `await keeper.ensure()` first, which starts a fresh server if the last one died, so
// that one finding's crash does not fail the tests of the others.
export function serverKeeper(start) {
  let server = null;
  const dead = [];
  return {
    get server() { return server; },
    get base() { return server.base; },
    async ensure() {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        // Running — or still writing a sanitizer's report before it exits: ask it.
        const healthy = await fetch(`${server.base}/api/v1/health`, { signal: AbortSignal.timeout(5000) })
          .then((r) => r.status === 200, () => false);
        if (healthy) return server;
        server.child.kill('SIGKILL');
        await server.stop();
      }
      if (server) dead.push(server);
      server = await start();
      return server;
    },
    async stop() {
      for (const s of [...dead, server].filter(Boolean)) {
        await s.stop();
        s.cleanup();
      }
    },
  };
}

// The environment for a server whose memory a test measures: AddressSanitizer (the
// test build) holds freed memory in a quarantine of 256 MB by default, which would read
// as growth; a small one keeps RSS about what the program itself holds. Harmless for a
// release build.
export function measuredEnv(extra = {}) {
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=16'].filter(Boolean).join(':');
  return { ASAN_OPTIONS: asan, ...extra };
}
