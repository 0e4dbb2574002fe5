// Failover as an operator sees it: PostgreSQL, two `parley serve` instances on its one
// database, and nginx in front of them as the load balancer (Debian's nginx-light).
// Points of contact hold streams through nginx; one instance is killed with SIGKILL
// during sustained sending: every communication answered 201 is in the database,
// deliveries and acknowledgements go on through the other instance, the streams reconnect
// through nginx, and an escalation that falls due during the outage happens once. Then
// PostgreSQL is stopped and started again under load: while it is down every request is
// answered 503 problem+json with a Retry-After (not left hanging), and once it is back
// the same Parley processes serve again.
// By nature about PostgreSQL, and it restarts its server: it starts a throwaway cluster
// of its own (tests/lib/pg_cluster.mjs), so it runs the same in both ctest runs, and the
// api_pg run's shared cluster is never restarted under the other test files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, freePort, signedIn, startServer, startSmtpSink, tempDir } from '../lib/harness.mjs';
import { emptyDatabase, ownCluster } from '../lib/pg_cluster.mjs';
import { psql } from '../lib/pg.mjs';

let own;
let db;
let smtp;
let a;
let b;
let nginx;
let lb;   // http://127.0.0.1:PORT, nginx

const note = (extra = {}) => ({
  type: 'request_for_information',
  recipients: ['UZB'],
  subject: 'Failover under load',
  description: 'Scanning of port 502 from shared infrastructure; do you see it too?',
  severity: 3,
  tlp: 'TLP:AMBER',
  sector: 'energy',
  ...extra,
});

// nginx as the load balancer: round robin over both instances, WebSocket upgrades passed
// through, a POST never replayed on the other instance once sent (nginx's default for
// non-idempotent requests), a dead instance skipped when it refuses the connection.
async function startNginx(dir, upstreams) {
  const port = await freePort();
  mkdirSync(join(dir, 'tmp'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `
${process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream parley {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1h;
    }
  }
}
`);
  const child = spawn('nginx', ['-c', conf, '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  const up = await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      await fetch(`${base}/api/v1/health`);
      return true;
    } catch {
      return false;
    }
  }, 10000);
  assert.ok(up, `nginx answers: ${stderr}`);
  return { base, child, stop: () => child.kill('SIGTERM') };
}

// A stream through nginx that, like the console, opens a new one when it closes: every
// event it got, and how many times it reconnected.
function reconnectingStream(base, client) {
  const state = { events: [], opened: 0, closed: 0, ws: null, stopped: false };
  const open = () => {
    const ws = new WebSocket(base.replace('http', 'ws') + '/api/v1/stream', { headers: { Cookie: client.cookie } });
    state.ws = ws;
    ws.onmessage = (m) => {
      const e = JSON.parse(m.data);
      if (e.type === 'stream.ready') state.opened++;
      state.events.push(e);
    };
    ws.onclose = () => {
      state.closed++;
      if (!state.stopped) setTimeout(open, 200);
    };
    ws.onerror = () => {};
  };
  open();
  return {
    state,
    waitFor: (pred, ms = 15000) => eventually(() => state.events.find(pred), ms),
    close() {
      state.stopped = true;
      state.ws?.close();
    },
  };
}

// A request through nginx that cannot hang the test: its answer, or { status: 0 } when
// none came within the (generous) bound.
async function bounded(client, method, path, body) {
  try {
    const h = { Cookie: client.cookie, 'X-CSRF-Token': client.csrf };
    if (body) h['Content-Type'] = 'application/json';
    const res = await fetch(client.base + path, { method, headers: h, body: body && JSON.stringify(body), signal: AbortSignal.timeout(30000) });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  } catch (e) {
    return { status: 0, text: String(e) };
  }
}

const count = (query) => Number(psql(db, query));

before(async () => {
  own = ownCluster();
  db = emptyDatabase(own.url);
  smtp = await startSmtpSink();
  const dir = tempDir();
  const config = join(dir, 'parley.toml');
  writeFileSync(config, '[server]\ntrusted_proxies = ["127.0.0.1"]\n');
  const args = ['--config', config, '--manual-clock', '--smtp', smtp.url];
  a = await startServer({ dir, db, extraArgs: args });
  b = await startServer({ dir, db, demo: false, ledgerKey: false, extraArgs: args });
  const nginxDir = join(dir, 'nginx');
  mkdirSync(nginxDir);
  nginx = await startNginx(nginxDir, [a.base, b.base].map((u) => u.replace('http://', '')));
  lb = nginx.base;
});

after(async () => {
  nginx?.stop();
  await a?.stop();
  await b?.stop();
  smtp?.stop();
  own?.stop();
});

describe('failover behind nginx', () => {
  it('loses no acknowledged communication when an instance is killed during sustained sending', async () => {
    const kaz = await signedIn(lb, 'poc.kaz');
    const uzbs = [await signedIn(lb, 'poc.uzb'), await signedIn(lb, 'poc.uzb'), await signedIn(lb, 'poc.uzb'), await signedIn(lb, 'poc.uzb')];
    const streams = uzbs.map((u) => reconnectingStream(lb, u));
    const kazStream = reconnectingStream(lb, kaz);
    try {
      assert.ok(await eventually(() => streams.every((s) => s.state.opened === 1) && kazStream.state.opened === 1, 15000), 'streams open');
      // Round robin: streams landed on both instances (each logs the streams it accepts,
      // flushed every second).
      const wsOn = (s) => (s.output().stdout.match(/"status":101[^\n]*"ws":true/g) ?? []).length;
      assert.ok(await eventually(() => wsOn(a) > 0 && wsOn(b) > 0, 5000), `streams on both instances (A ${wsOn(a)}, B ${wsOn(b)})`);

      // An escalation that falls due while A is gone: a request for assistance to PAK,
      // whom nobody reads.
      const urgent = await kaz.post('/api/v1/communications', note({ recipients: ['PAK'], severity: 5, type: 'request_for_assistance', subject: 'Due during the outage' }));
      assert.equal(urgent.status, 201, urgent.text);

      // Sustained sending through nginx; A killed a second in.
      const acknowledged = [];
      const other = [];
      let stop = false;
      let n = 0;
      const sender = async () => {
        while (!stop) {
          const r = await bounded(kaz, 'POST', '/api/v1/communications', note({ subject: `Sustained ${n++}` }));
          if (r.status === 201) acknowledged.push(r.json.id);
          else other.push(r.status);
        }
      };
      const senders = [sender(), sender(), sender(), sender()];
      await eventually(() => acknowledged.length >= 20, 15000);
      a.child.kill('SIGKILL');
      await a.stop();
      const atKill = acknowledged.length;
      await eventually(() => acknowledged.length >= atKill + 100, 30000);
      stop = true;
      await Promise.all(senders);
      assert.ok(acknowledged.length >= atKill + 100, `sending went on through B: ${acknowledged.length - atKill} after the kill`);
      // A request in flight on A when it died may be answered 502 by nginx (never 201):
      // nothing else.
      assert.ok(other.every((s) => s === 502), `only requests cut by the kill failed: ${other}`);
      assert.ok(other.length <= 4, `at most one per sender: ${other}`);
      // Every communication answered 201 is in the database.
      const stored = count(`SELECT count(*) FROM communications WHERE id IN (${acknowledged.join(',')})`);
      assert.equal(stored, acknowledged.length, 'every 201 is stored');

      // The streams on A closed and reconnected through nginx, now to B.
      assert.ok(await eventually(() => streams.every((s) => s.state.opened === s.state.closed + 1), 15000));
      const reconnected = streams.filter((s) => s.state.closed > 0).length;
      assert.ok(reconnected > 0, 'some streams were on A, and reconnected');

      // Deliveries and acknowledgements go on, through B.
      const sent = await kaz.post('/api/v1/communications', note({ subject: 'After the kill' }));
      assert.equal(sent.status, 201, sent.text);
      const id = sent.json.id;
      for (const s of streams)
        assert.ok(await s.waitFor((e) => e.type === 'hotline.communication.sent' && e.data.id === id), 'every stream of UZB gets it');
      assert.ok(await kazStream.waitFor((e) => e.data?.id === id && e.data.stage === 'delivered'), 'delivery seen by the sender');
      const ack = await uzbs[0].post(`/api/v1/communications/${id}/ack`, {});
      assert.equal(ack.status, 200, ack.text);
      assert.ok(await kazStream.waitFor((e) => e.data?.id === id && e.data.stage === 'acknowledged'), 'acknowledgement seen by the sender');

      // The escalation: B's clock passes the deadline; B takes the scheduler over once
      // the dead holder's lease has expired, and escalates once per level.
      const admin = await signedIn(b.base, 'admin');
      assert.equal((await admin.post('/api/v1/testing/clock', { advance_seconds: 15 * 60 + 30 })).status, 200);
      const uid = urgent.json.id;
      const escalations = () => count(`SELECT count(*) FROM journal WHERE action = 'communication.escalate' AND object = 'communication:${uid}'`);
      assert.ok(await eventually(() => escalations() > 0, 20000), 'escalated after the outage');
      await new Promise((r) => setTimeout(r, 1500));   // a second (wrong) escalation would come meanwhile
      const levels = psql(db, `SELECT change FROM journal WHERE action = 'communication.escalate' AND object = 'communication:${uid}'`)
        .split('\n').map((l) => JSON.parse(l).level);
      assert.equal(new Set(levels).size, levels.length, `each level once: ${levels}`);
    } finally {
      for (const s of [...streams, kazStream]) s.close();
    }
  });

  it('answers 503 problem+json while PostgreSQL is down, and serves again once it is back, without a restart', async () => {
    const kaz = await signedIn(lb, 'poc.kaz');
    const ok = await bounded(kaz, 'POST', '/api/v1/communications', note({ subject: 'Before the restart' }));
    assert.equal(ok.status, 201, ok.text);
    const acknowledged = [];
    const statuses = [];
    let stop = false;
    let n = 0;
    const sender = async () => {
      while (!stop) {
        const r = await bounded(kaz, 'POST', '/api/v1/communications', note({ subject: `Across the restart ${n++}` }));
        statuses.push(r.status);
        if (r.status === 201) acknowledged.push(r.json.id);
        else if (r.status === 503) {
          assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/);
          assert.equal(r.json.status, 503);
          assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    };
    const senders = [sender(), sender()];
    await eventually(() => acknowledged.length >= 10, 15000);
    own.pgctl('stop', '-m', 'fast', '-w');
    // While it is down: reads and writes are answered, 503 problem+json.
    const downAt = statuses.length;
    await eventually(() => statuses.slice(downAt).filter((s) => s === 503).length >= 5, 30000);
    const read = await bounded(kaz, 'GET', '/api/v1/communications?box=sent');
    assert.equal(read.status, 503, read.text);
    assert.equal(read.json?.status, 503);
    own.pgctl('start', '-w');
    const upAt = acknowledged.length;
    assert.ok(await eventually(() => acknowledged.length >= upAt + 10, 30000), 'sending works again without restarting Parley');
    stop = true;
    await Promise.all(senders);
    const unexpected = statuses.filter((s) => s !== 201 && s !== 503);
    assert.deepEqual(unexpected, [], 'every request was answered 201 or 503');
    assert.ok(statuses.includes(503), 'some were refused while it was down');
    assert.equal(count(`SELECT count(*) FROM communications WHERE id IN (${acknowledged.join(',')})`), acknowledged.length, 'every 201 is stored');
    assert.ok(b.child.exitCode === null, 'the same process serves');
  });
});
