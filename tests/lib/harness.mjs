// Test harness: starts the real `parley` binary on a loopback port with a fresh SQLite
// file in a temporary directory (or, when PARLEY_TEST_DB names a PostgreSQL cluster, a
// fresh database of that cluster: tests/lib/pg.mjs), and gives tests an HTTP client that
// keeps cookies and the CSRF token like a browser would.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createDatabase, databaseFor, dropDatabase, dataDirFor, onPostgres, psql } from './pg.mjs';

export { onPostgres };
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = process.env.PARLEY_BIN ?? resolve('build/parley');
export const SOURCE = process.env.PARLEY_SOURCE ?? resolve('.');
export const DEMO_PASSWORD = 'parley-demo';

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'parley-it-'));
}

// Creates the ledger's signing key beside the database (DIR/ledger.key) unless it exists;
// `parley serve` refuses to start without one.
export function ledgerInit(dir, origin = 'parley.test/ledger', db = testDatabase(dir)) {
  const r = spawnSync(BIN, ['ledger', 'init', '--if-missing', '--db', db, '--data-dir', dir, '--origin', origin],
    { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`parley ledger init failed: ${r.stdout}${r.stderr}`);
  return r.stdout.trim().split('\n').pop();   // the verifier key
}

// Starts `parley serve`; resolves once it prints its address.
// `cwd` is the server's working directory (the test's own by default). `ledgerKey`:
// create the ledger key first (false to see the server refuse without one).
// The database of a test folder: the SQLite file DIR/parley.db, or on PostgreSQL a
// database created for DIR the first time it is asked for (the same one afterwards).
export function testDatabase(dir) {
  return onPostgres() ? databaseFor(dir) ?? createDatabase(BIN, dir) : `sqlite:${join(dir, 'parley.db')}`;
}

// `dir`'s database (testDatabase): a server started again on the same `dir` finds the
// same data; cleanup() removes the folder and drops a PostgreSQL database.
// `sqlite`: the SQLite file DIR/parley.db on either run, for what only SQLite has (its
// online backup). `db`: this database URL instead (a database `parley db copy` filled).
export async function startServer({ dir = tempDir(), demo = true, extraArgs = [], env = {}, cwd, ledgerKey = true, sqlite = false, db: url } = {}) {
  const db = url ?? (sqlite ? `sqlite:${join(dir, 'parley.db')}` : testDatabase(dir));
  if (ledgerKey) ledgerInit(dir, undefined, db);
  const dataDir = db.startsWith('sqlite:') ? [] : ['--data-dir', dataDirFor(db) ?? dir];
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', db, ...dataDir, '--web-root', join(SOURCE, 'web/dist'), ...extraArgs];
  if (demo) args.push('--demo');
  // The server writes its logs to files, not pipes: a test blocked in a synchronous
  // call (cli(), which waits for a child process) drains no pipe, and a server whose
  // access log fills a 64 KiB pipe blocks in its logger and stops answering.
  const logs = mkdtempSync(join(tmpdir(), 'parley-log-'));
  const outFile = join(logs, 'stdout');
  const errFile = join(logs, 'stderr');
  const outFd = openSync(outFile, 'w');
  const errFd = openSync(errFile, 'w');
  const child = spawn(BIN, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', outFd, errFd] });
  closeSync(outFd);
  closeSync(errFd);
  const read = (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const base = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`server did not start:\n${read(outFile)}\n${read(errFile)}`));
    }, 60000);
    const poll = setInterval(() => {
      const m = read(outFile).match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolvePromise(m[1]);
      }
    }, 20);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`server exited with ${code}:\n${read(outFile)}\n${read(errFile)}`));
    });
  });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const server = {
    base,
    dir,
    db,
    child,
    output: () => ({ stdout: read(outFile), stderr: read(errFile) }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    cleanup() {
      running.delete(base);
      if (!db.startsWith('sqlite:')) dropDatabase(db);
      rmSync(dir, { recursive: true, force: true });
      rmSync(logs, { recursive: true, force: true });
    },
  };
  running.set(base, server);
  return server;
}

// Servers by address, for timedFetch's report.
const running = new Map();

// What a server is doing, for a request that has not been answered for a minute: the
// tail of its log, the state of each of its threads and, on PostgreSQL, its database
// sessions and the locks they wait for. (A rare hang of a request on PostgreSQL under
// load was seen in CI and never here: the report is what would explain it.)
function reportSlow(url, method, seconds) {
  const server = [...running.values()].find((s) => url.startsWith(`${s.base}/`));
  const lines = [`\n=== ${method} ${url}: no answer after ${seconds} s ===`];
  if (server) {
    lines.push('--- server log (tail)', server.output().stderr.slice(-4000));
    try {
      const pid = server.child.pid;
      lines.push(`--- threads of ${pid} (state, kernel wait channel)`);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
        let wchan = '';
        try { wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8'); } catch { /* not readable */ }
        lines.push(`${tid} ${comm} ${state} ${wchan}`);
      }
    } catch (e) {
      lines.push(`(threads: ${e.message})`);
    }
    if (!server.db.startsWith('sqlite:')) {
      try {
        lines.push('--- sessions of its database', psql(server.db,
          "SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_xact, left(query, 300) AS query " +
          'FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'));
        lines.push('--- locks not granted', psql(server.db,
          'SELECT l.pid, l.locktype, l.classid, l.objid, l.mode, a.query FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted'));
      } catch (e) {
        lines.push(`(PostgreSQL: ${e.message})`);
      }
    }
  }
  console.error(lines.join('\n'));
}

// fetch(), reporting what the server is doing when an answer takes more than a minute
// (PARLEY_TEST_SLOW_MS).
const SLOW_MS = Number(process.env.PARLEY_TEST_SLOW_MS ?? 60000);
export async function timedFetch(url, init = {}) {
  const started = Date.now();
  const timer = setInterval(() => reportSlow(url, init.method ?? 'GET', Math.round((Date.now() - started) / 1000)), SLOW_MS);
  try {
    const res = await fetch(url, init);
    await res.clone().arrayBuffer();   // the body too: a hang may come after the headers
    return res;
  } finally {
    clearInterval(timer);
  }
}

// Arguments for a `parley` command on `db`: a PostgreSQL database also needs the
// folder of its key files (an SQLite database's is the file's folder).
export function withDataDir(args) {
  const i = args.indexOf('--db');
  const dir = i >= 0 ? dataDirFor(args[i + 1]) : undefined;
  return dir && !args.includes('--data-dir') ? [...args, '--data-dir', dir] : args;
}

// One SQL query on a server's database (`server.db`), its result as text (rows on lines,
// columns separated by |): sqlite3 or psql, so that a test reads or tampers with the
// database the same way on both.
export function sql(db, query) {
  if (db.startsWith('sqlite:')) {
    // A busy timeout: a running server holds the write lock now and then.
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', db.replace(/^sqlite:/, ''), query], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sqlite3 failed (${query}): ${r.stderr}`);
    return r.stdout.trim();
  }
  return psql(db, query);
}

// A copy of `from`'s database (a stopped server's) as `to`'s, as an operator copies one.
export function copyDatabase(from, to) {
  if (!onPostgres()) {
    for (const f of ['parley.db', 'parley.db-wal', 'parley.db-shm'])
      if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
    return testDatabase(to);
  }
  return createDatabase(BIN, to, testDatabase(from));
}

// SQL that removes a trigger, as a tamperer would (PostgreSQL names its table).
export function dropTrigger(db, name, table) {
  return db.startsWith('sqlite:') ? `DROP TRIGGER ${name};` : `DROP TRIGGER ${name} ON ${table};`;
}

// The same, for a statement expected to fail: { ok, stdout, stderr }.
export function trySql(db, query) {
  try {
    return { ok: true, stdout: sql(db, query), stderr: '' };
  } catch (e) {
    return { ok: false, stdout: '', stderr: String(e.message) };
  }
}

// Runs a `parley` CLI command synchronously. A command still running after `timeout` ms
// (default 5 minutes: a 200,000-object import under the sanitizers takes about a minute on a
// slow machine) is killed and the test fails saying so, rather than on its partial output.
export function cli(args, { input, env = {}, timeout = 300000 } = {}) {
  args = withDataDir(args);
  const started = Date.now();
  const r = spawnSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8', timeout, maxBuffer: 256 << 20 });
  if (r.error) {
    throw new Error(`parley ${args.join(' ')}: ${r.error.code ?? r.error.message} after ${Date.now() - started} ms\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A client that behaves like a signed-in browser tab (cookie + CSRF) or a script (token).
export class Client {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.token = null;
  }

  async request(method, path, { body, raw, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] ??= 'application/json';
    }
    const res = await timedFetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
  patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }
  put(path, body, opts = {}) { return this.request('PUT', path, { ...opts, body }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }

  async signIn(username, password = DEMO_PASSWORD, totp) {
    const body = { username, password };
    if (totp) body.totp = totp;
    const res = await this.post('/api/v1/session', body);
    if (res.status === 201) {
      const setCookie = res.headers.get('set-cookie');
      this.cookie = setCookie.split(';')[0];
      this.csrf = res.json.csrf_token;
    }
    return res;
  }
}

export async function signedIn(base, username) {
  const c = new Client(base);
  const res = await c.signIn(username);
  if (res.status !== 201) throw new Error(`sign-in of ${username} failed: ${res.status} ${res.text}`);
  return c;
}

// Asserts an RFC 9457 problem with the status, and returns it.
export function expectProblem(assert, res, status, field) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.json.status, status);
  assert.ok(res.json.title, 'problem has a title');
  assert.ok(res.json.type, 'problem has a type');
  if (field) {
    assert.ok(Array.isArray(res.json.errors), `problem names fields: ${res.text}`);
    assert.ok(res.json.errors.some((e) => e.field === field && e.reason), `field ${field} named in ${res.text}`);
  }
  return res.json;
}

// A free loopback port (for servers that cannot report the one they chose).
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

// Starts a real SMTP sink (Debian's python3-aiosmtpd) and collects what it receives.
export async function startSmtpSink() {
  const port = await freePort();
  const child = spawn('/usr/bin/python3', [join(SOURCE, 'tests/lib/smtp_sink.py'), String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP sink did not start: ${stderr}`)), 15000);
    child.stdout.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('listening')) {
          clearTimeout(timer);
          resolveReady();
        } else if (line.trim()) messages.push(JSON.parse(line));
      }
    });
    child.on('exit', (code) => reject(new Error(`SMTP sink exited with ${code}: ${stderr}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor: (pred, ms = 10000) => eventually(() => messages.find(pred), ms),
    stop() {
      child.kill('SIGTERM');
    },
  };
}

// Opens /api/v1/stream as a signed-in client; resolves once the server says it is ready.
export async function openStream(base, client) {
  const ws = new WebSocket(base.replace('http', 'ws') + '/api/v1/stream', { headers: { Cookie: client.cookie } });
  const events = [];
  await new Promise((resolveReady, reject) => {
    ws.onmessage = (m) => {
      const e = JSON.parse(m.data);
      events.push(e);
      if (e.type === 'stream.ready') resolveReady();
    };
    ws.onerror = () => reject(new Error('stream refused'));
  });
  return {
    events,
    waitFor: (pred, ms = 5000) => eventually(() => events.find(pred), ms),
    // Resolves once the server has answered the close (so that it no longer counts this
    // stream as connected); callers that go on to something the stream would see await it.
    close() {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      const closed = new Promise((resolve) => {
        ws.addEventListener('close', () => resolve(), { once: true });
        setTimeout(resolve, 2000);
      });
      ws.close();
      return closed;
    },
  };
}

// Polls `fn` until it returns a truthy value (or the time is up; then returns the last value).
export async function eventually(fn, ms = 5000) {
  const deadline = Date.now() + ms;
  let v;
  while (Date.now() < deadline) {
    v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return v;
}

// Sends `head` (request line and headers, without the blank line) and `body` over a raw
// TCP connection and reads the whole response; for requests fetch() cannot make, such
// as a Content-Length larger than the bytes actually sent.
export async function rawRequest(base, head, body = '') {
  const { connect } = await import('node:net');
  const { hostname, port } = new URL(base);
  const text = await new Promise((resolveText, reject) => {
    const sock = connect({ host: hostname, port: Number(port) }, () => sock.write(`${head}\r\n\r\n${body}`));
    let data = '';
    sock.on('data', (d) => (data += d));
    sock.on('end', () => resolveText(data));
    sock.on('error', (e) => (data ? resolveText(data) : reject(e)));
  });
  const [headerPart, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = headerPart.split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const bodyText = rest.join('\r\n\r\n');
  let json = null;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = null;
  }
  return { status: Number(statusLine.split(' ')[1]), headers: { get: (n) => headers.get(n.toLowerCase()) ?? null }, text: bodyText, json };
}
