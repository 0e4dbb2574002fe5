// Witnesses run by states (issue 14, item 4), with real processes: two `parley witness
// serve` and the Parley server. The secretariat lists them; each new checkpoint reaches
// them with its consistency proof and comes back cosigned (verified here with
// node:crypto, as any state would); a dead witness delays nothing; a witness that refuses
// raises an alarm (mail, stream event, journal entry, API status); and only the forum's
// secretariat and admins may change the list.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN, Client, cli, eventually, expectProblem, ledgerInit, openStream, signedIn, startServer, startSmtpSink, tempDir,
} from '../lib/harness.mjs';

// --- signed notes, from the specification (c2sp.org/signed-note, tlog-cosignature) ---
function parseVkey(vkey) {
  // name+id+base64: the base64 may itself hold '+'.
  const [name, id, ...rest] = vkey.split('+');
  const b64 = rest.join('+');
  const raw = Buffer.from(b64, 'base64');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw.subarray(1)]), format: 'der', type: 'spki' });
  return { name, id: Buffer.from(id, 'hex'), type: raw[0], key };
}
function splitNote(note) {
  const at = note.indexOf('\n\n');
  const text = note.slice(0, at + 1);
  const sigs = note.slice(at + 2).split('\n').filter(Boolean).map((line) => {
    const m = line.match(/^\u2014 (\S+) (\S+)$/);
    assert.ok(m, `a signature line: ${line}`);
    const bytes = Buffer.from(m[2], 'base64');
    return { name: m[1], id: bytes.subarray(0, 4), sig: bytes.subarray(4) };
  });
  return { text, sigs };
}
// The witness's cosignature on the checkpoint, verified; its timestamp, or null.
function cosignedAt(note, witnessVkey) {
  const w = parseVkey(witnessVkey);
  const { text, sigs } = splitNote(note);
  for (const s of sigs) {
    if (s.name !== w.name || !s.id.equals(w.id)) continue;
    const ts = s.sig.readBigUInt64BE(0);
    const msg = Buffer.from(`cosignature/v1\ntime ${ts}\n${text}`);
    if (verify(null, msg, w.key, s.sig.subarray(8))) return ts;
  }
  return null;
}
function logSigned(note, logVkey) {
  const l = parseVkey(logVkey);
  const { text, sigs } = splitNote(note);
  return sigs.some((s) => s.name === l.name && s.id.equals(l.id) && verify(null, Buffer.from(text), l.key, s.sig));
}
const sizeOf = (note) => Number(note.split('\n')[1]);

// --- a witness process ---
async function startWitness(name, logVkey, { stateDir } = {}) {
  const dir = tempDir();
  const keyFile = join(dir, 'witness.key');
  const init = cli(['witness', 'init', '--key', keyFile, '--name', name]);
  assert.equal(init.code, 0, init.stderr);
  const vkey = init.stdout.trim();
  const state = stateDir ?? join(dir, 'state');
  const child = spawn(BIN, ['witness', 'serve', '--key', keyFile, '--listen', '127.0.0.1:0', '--log', logVkey, '--state', state],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness did not start: ${out}${err}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^witness (\S+) listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      if (m) {
        clearTimeout(timer);
        assert.equal(m[1], name);
        resolve(m[2]);
      }
    });
    child.on('exit', (code) => reject(new Error(`witness exited with ${code}: ${out}${err}`)));
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    name, vkey, url, state, child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const ORIGIN = 'parley.test/ledger';
let server;
let smtp;
let logVkey;
let sec;
let admin;
let stream;
const witnesses = [];

before(async () => {
  smtp = await startSmtpSink();
  const dir = tempDir();
  logVkey = ledgerInit(dir, ORIGIN);
  server = await startServer({ dir, extraArgs: ['--smtp', smtp.url] });
  sec = await signedIn(server.base, 'secretariat.cica');
  admin = await signedIn(server.base, 'admin');
  stream = await openStream(server.base, sec);
});

after(async () => {
  await stream?.close();
  for (const w of witnesses) await w.stop();
  await server?.stop();
  server?.cleanup();
  smtp?.stop();
});

const checkpoint = async () => {
  const res = await sec.get('/api/v1/ledger/checkpoint');
  return res.status === 200 ? res.text : null;
};

describe('witnesses cosign the ledger', () => {
  let a;
  let b;
  let ids = {};

  test('the log key from the API is the one ledger init printed', async () => {
    const res = await sec.get('/api/v1/ledger/key');
    assert.equal(res.status, 200);
    assert.equal(res.json.vkey, logVkey);
    assert.equal(res.json.origin, ORIGIN);
  });

  test('two witnesses added by the secretariat both cosign the checkpoint after a write', async () => {
    a = await startWitness('cert.kaz.test/witness', logVkey);
    b = await startWitness('cert.tha.test/witness', logVkey);
    witnesses.push(a, b);
    for (const w of [a, b]) {
      const res = await sec.post('/api/v1/forums/CICA/witnesses', { url: w.url, vkey: w.vkey });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.name, w.name);
      assert.equal(res.json.vkey, w.vkey);
      assert.equal(res.json.refused_at, null);
      ids[w.name] = res.json.id;
    }
    // The last add is a write: its index is in the ledger.
    const res = await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://127.0.0.1:9', vkey: a.vkey });
    assert.equal(res.status, 409, 'the same witness twice is a conflict');
    const list = await sec.get('/api/v1/forums/CICA/witnesses');
    const lastWrite = Number((await sec.delete(`/api/v1/forums/CICA/witnesses/${ids[b.name]}`)).headers.get('parley-ledger-index'));
    assert.ok(Number.isInteger(lastWrite) && lastWrite > 0, 'a write carries Parley-Ledger-Index');
    const again = await sec.post('/api/v1/forums/CICA/witnesses', { url: b.url, vkey: b.vkey });
    assert.equal(again.status, 201, again.text);
    ids[b.name] = again.json.id;
    const index = Number(again.headers.get('parley-ledger-index'));
    assert.ok(index > lastWrite);
    assert.equal(list.json.witnesses.length, 2);

    const note = await eventually(async () => {
      const n = await checkpoint();
      return n && sizeOf(n) > index && cosignedAt(n, a.vkey) && cosignedAt(n, b.vkey) ? n : null;
    }, 20000);
    assert.ok(note, `a checkpoint beyond ${index} cosigned by both: ${await checkpoint()}`);
    assert.ok(logSigned(note, logVkey), 'the log signed it');
    const ts = cosignedAt(note, a.vkey);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 120, 'the cosignature is timestamped now');
    // Another key of the same name does not verify it: the check above means something.
    const impostor = cli(['witness', 'init', '--key', join(tempDir(), 'k'), '--name', a.name]).stdout.trim();
    assert.equal(cosignedAt(note, impostor), null);

    // The API shows what each one cosigned.
    const status = await eventually(async () => {
      const r = await sec.get('/api/v1/forums/CICA/witnesses');
      return r.json.witnesses.every((w) => w.cosigned_size >= sizeOf(note) && w.last_cosigned_at) ? r.json : null;
    }, 10000);
    assert.ok(status, 'both show their cosigned size');

    // The witness itself serves what it cosigned, for the log's origin.
    const hash = createHash('sha256').update(ORIGIN).digest('hex');
    const own = await fetch(`${a.url}/${hash}/checkpoint`);
    assert.equal(own.status, 200);
    const text = await own.text();
    assert.ok(cosignedAt(text, a.vkey) && logSigned(text, logVkey));
  });

  test('a dead witness delays nothing: checkpoints advance with the other one', async () => {
    await a.stop();
    const res = await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://127.0.0.1:9/w', vkey: cli(['witness', 'init', '--key', join(tempDir(), 'k'), '--name', 'spare.test/w']).stdout.trim() });
    assert.equal(res.status, 201);
    const index = Number(res.headers.get('parley-ledger-index'));
    const note = await eventually(async () => {
      const n = await checkpoint();
      return n && sizeOf(n) > index && cosignedAt(n, b.vkey) ? n : null;
    }, 20000);
    assert.ok(note, 'checkpoints still advance and carry the live witness');
    assert.equal(cosignedAt(note, a.vkey), null);
    const down = await eventually(async () => {
      const r = await sec.get('/api/v1/forums/CICA/witnesses');
      return r.json.witnesses.find((w) => w.name === a.name && w.last_error);
    }, 15000);
    assert.ok(down, 'the dead witness shows its error');
    assert.equal(down.refused_at, null, 'being down is not a refusal');
    assert.equal(smtp.messages.filter((m) => m.data.includes('ALARM')).length, 0, 'no alarm for an outage');
  });

  test('a witness that saw another history refuses: alarm by mail, stream and journal', async () => {
    // This witness's record for the log holds size 1 with another root (a rewritten history).
    const stateDir = join(tempDir(), 'state');
    mkdirSync(stateDir, { recursive: true });
    const fakeSig = Buffer.concat([Buffer.alloc(4), Buffer.alloc(64, 7)]).toString('base64');
    writeFileSync(join(stateDir, createHash('sha256').update(ORIGIN).digest('hex')),
      `${ORIGIN}\n1\n${Buffer.alloc(32, 9).toString('base64')}\n\n\u2014 ${ORIGIN} ${fakeSig}\n`);
    const c = await startWitness('cert.chn.test/witness', logVkey, { stateDir });
    witnesses.push(c);
    const res = await admin.post('/api/v1/forums/CICA/witnesses', { url: c.url, vkey: c.vkey });
    assert.equal(res.status, 201, res.text);
    const id = res.json.id;

    const mail = await smtp.waitFor((m) => m.to.includes('secretariat.cica@demo.parley.example') && m.data.includes('cert.chn.test/witness'), 20000);
    assert.ok(mail, 'the secretariat is mailed');
    assert.match(mail.data, /refused/);
    assert.ok(await smtp.waitFor((m) => m.to.includes('admin@demo.parley.example') && m.data.includes('cert.chn.test/witness')), 'the admin is mailed');
    assert.ok(!smtp.messages.some((m) => m.to.includes('secretariat.arf@') && m.data.includes('cert.chn.test')), 'another forum is not');

    const event = await stream.waitFor((e) => e.type === 'ledger.witness.refused' && e.data.id === id, 10000);
    assert.ok(event, 'pushed on the secretariat\'s stream');

    const listed = (await sec.get('/api/v1/forums/CICA/witnesses')).json.witnesses.find((w) => w.id === id);
    assert.ok(listed.refused_at, 'the API shows refused_at');
    assert.match(listed.refusal, /422|inconsistent/);

    const records = await admin.get(`/api/v1/ledger/records?object=${encodeURIComponent(`witness:${id}`)}`);
    assert.equal(records.status, 200, records.text);
    assert.deepEqual(records.json.records.map((r) => r.action), ['ledger.witness.add', 'ledger.witness.refused']);

    // The alarm is raised once, not on every checkpoint that follows.
    await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://127.0.0.1:9/x', vkey: cli(['witness', 'init', '--key', join(tempDir(), 'k'), '--name', 'spare2.test/w']).stdout.trim() });
    await new Promise((r) => setTimeout(r, 4000));
    const again = await admin.get(`/api/v1/ledger/records?object=${encodeURIComponent(`witness:${id}`)}`);
    assert.equal(again.json.records.filter((r) => r.action === 'ledger.witness.refused').length, 1);
    // And the honest witness still cosigns.
    const n = await checkpoint();
    assert.equal(cosignedAt(n, c.vkey), null, 'the refusing witness never cosigned');
  });
});

describe('who may see and change a forum\'s witnesses', () => {
  let vkey;
  before(() => {
    vkey = cli(['witness', 'init', '--key', join(tempDir(), 'k'), '--name', 'denied.test/w']).stdout.trim();
  });

  test('anonymous callers get 401 everywhere', async () => {
    const anon = new Client(server.base);
    expectProblem(assert, await anon.get('/api/v1/forums/CICA/witnesses'), 401);
    expectProblem(assert, await anon.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey }), 401);
    expectProblem(assert, await anon.delete('/api/v1/forums/CICA/witnesses/1'), 401);
  });

  test('points of contact and other forums\' secretariats cannot add or remove', async () => {
    const list = (await sec.get('/api/v1/forums/CICA/witnesses')).json.witnesses;
    const target = list[0].id;
    for (const who of ['poc.kaz', 'focal.kaz', 'secretariat.arf']) {
      const c = await signedIn(server.base, who);
      expectProblem(assert, await c.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey }), 403);
      expectProblem(assert, await c.delete(`/api/v1/forums/CICA/witnesses/${target}`), 403);
    }
    // A member state's people may read; another forum's secretariat may not.
    assert.equal((await (await signedIn(server.base, 'poc.kaz')).get('/api/v1/forums/CICA/witnesses')).status, 200);
    expectProblem(assert, await (await signedIn(server.base, 'secretariat.arf')).get('/api/v1/forums/CICA/witnesses'), 403);
    // Nothing changed.
    assert.deepEqual((await sec.get('/api/v1/forums/CICA/witnesses')).json.witnesses.map((w) => w.id), list.map((w) => w.id));
    // A witness of one forum cannot be removed through another.
    const arf = await signedIn(server.base, 'secretariat.arf');
    expectProblem(assert, await arf.delete(`/api/v1/forums/ARF/witnesses/${target}`), 404);
  });

  test('malformed keys and addresses are 422 naming the field; unknown forums 404', async () => {
    expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey: 'not a key' }), 422, 'vkey');
    // A log's key (type 0x01) is not a witness's.
    expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey: logVkey }), 422, 'vkey');
    for (const url of ['ftp://x.test', 'javascript:alert(1)', 'http://', 'http://a b.test', 'http://user@x.test', `http://x.test/${'a'.repeat(600)}`])
      expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { url, vkey }), 422, 'url');
    expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { vkey }), 422, 'url');
    expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey: 'x'.repeat(5000) }), 422, 'vkey');
    expectProblem(assert, await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://x.test', vkey, extra: 1 }), 422, 'extra');
    expectProblem(assert, await admin.post('/api/v1/forums/NOPE/witnesses', { url: 'http://x.test', vkey }), 404);
    expectProblem(assert, await admin.get('/api/v1/forums/NOPE/witnesses'), 404);
  });

  test('removal is journaled and a removed witness is gone', async () => {
    const add = await sec.post('/api/v1/forums/CICA/witnesses', { url: 'http://127.0.0.1:9/gone', vkey });
    assert.equal(add.status, 201);
    const del = await sec.delete(`/api/v1/forums/CICA/witnesses/${add.json.id}`);
    assert.equal(del.status, 204);
    assert.ok(!(await sec.get('/api/v1/forums/CICA/witnesses')).json.witnesses.some((w) => w.id === add.json.id));
    expectProblem(assert, await sec.delete(`/api/v1/forums/CICA/witnesses/${add.json.id}`), 404);
    const records = await admin.get(`/api/v1/ledger/records?object=witness:${add.json.id}`);
    assert.deepEqual(records.json.records.map((r) => r.action), ['ledger.witness.add', 'ledger.witness.remove']);
  });
});

describe('parley witness serve speaks c2sp.org/tlog-witness', () => {
  test('malformed, unknown-origin and oversized requests are refused; unknown paths are 404', async () => {
    const w = await startWitness('proto.test/witness', logVkey);
    witnesses.push(w);
    const post = (body) => fetch(`${w.url}/add-checkpoint`, { method: 'POST', body });
    assert.equal((await post('garbage')).status, 400);
    assert.equal((await post('old 0\n\nother.test/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u2014 other.test/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n')).status, 404);
    // The log's real checkpoint, with its signature damaged: 403.
    const note = await checkpoint();
    const lines = note.split('\n');
    const logLine = lines.findIndex((l) => l.startsWith(`\u2014 ${ORIGIN} `));
    const sig = Buffer.from(lines[logLine].split(' ')[2], 'base64');
    sig[10] ^= 1;
    lines[logLine] = `\u2014 ${ORIGIN} ${sig.toString('base64')}`;
    assert.equal((await post(`old 0\n\n${lines.join('\n')}`)).status, 403);
    // The real one: cosigned; then an old size it does not hold: 409 with its size.
    const ok = await post(`old 0\n\n${note}`);
    assert.equal(ok.status, 200);
    assert.ok(cosignedAt(note + (await ok.text()), w.vkey));
    const conflict = await post(`old 0\n\n${note}`);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.headers.get('content-type'), 'text/x.tlog.size');
    assert.equal(await conflict.text(), `${sizeOf(note)}\n`);
    const big = await post(`old 0\n\n${'x'.repeat(70 * 1024)}`).catch(() => null);
    assert.ok(!big || big.status === 413 || big.status === 400, `oversized: ${big?.status}`);
    assert.equal((await fetch(`${w.url}/index.html`)).status, 404);
    assert.equal((await fetch(`${w.url}/${'0'.repeat(64)}/checkpoint`)).status, 404);
    assert.equal((await fetch(`${w.url}/api/v1/stream`)).status, 404);
  });
});
