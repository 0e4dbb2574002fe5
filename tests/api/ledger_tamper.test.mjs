// Tamper evidence (issue 14, item 6), tested as an attacker would do it: the real server
// and database, an operator who holds the SQLite file AND the log's signing key, and
// `parley verify` run by states that kept what they saw. The operator rewrites an entry
// (triggers dropped, every chain hash and the whole tree recomputed, a new checkpoint
// signed with the key), truncates the log, and serves two continuations to two states;
// each is caught, with the exit code and a sentence naming the check. Receipts verify
// offline, and fail once edited, or against a log rewritten since.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, Client, cli, copyDatabase, signedIn, startServer, tempDir } from '../lib/harness.mjs';
import { addCosignatures, leafData, newWitness, readJournal, rewriteLedger, sql } from '../lib/tlog_attack.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A state's view: its own token and state directory.
function verify(base, token, logKey, args = []) {
  return cli(['verify', '--url', base, '--log-key', logKey, ...args], { env: { PARLEY_TOKEN: token } });
}
function ok(r) {
  assert.equal(r.code, 0, `verify failed: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /^verified: /m);
}
function caught(r, check, sentence) {
  assert.equal(r.code, 1, `expected a failure (${check}), got ${r.code}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^verification FAILED \\(${check}\\): `), r.stderr);
  if (sentence) assert.match(r.stderr, sentence);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one sentence');
}
function token(db, user = 'admin') {
  const r = cli(['token', 'create', user, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').pop();
}
async function latest(client) {
  const r = await client.get('/api/v1/ledger/checkpoint');
  assert.equal(r.status, 200, r.text);
  return { note: r.text, size: Number(r.text.split('\n')[1]) };
}
// Waits until the server signed a checkpoint of its whole tree (it signs every second).
async function settled(server, client) {
  const file = server.db;
  for (let i = 0; i < 100; i++) {
    const head = Number(sql(file, 'SELECT max(seq) AS n FROM journal')[0].n);
    const cp = await latest(client);
    if (cp.size === head) return cp;
    await sleep(150);
  }
  throw new Error('the server did not sign its tree');
}
async function addContact(client, name) {
  const r = await client.post('/api/v1/contacts', { state: 'THA', name, type: 'policy', availability: 'office_hours' });
  assert.equal(r.status, 201, r.text);
  return Number(r.headers.get('parley-ledger-index'));
}

// A witness run by a state: `parley witness serve` following the log's key.
async function startWitness(dir, logKey, name = 'w.cert.example') {
  const key = join(dir, `${name}.key`);
  const init = cli(['witness', 'init', '--key', key, '--name', name]);
  assert.equal(init.code, 0, init.stderr);
  const vkey = init.stdout.trim().split('\n').pop();
  const child = spawn(BIN, ['witness', 'serve', '--key', key, '--listen', '127.0.0.1:0', '--log', logKey,
    '--state', join(dir, `${name}.state`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the witness did not start: ${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the witness exited with ${code}: ${out}`)));
  });
  const exited = new Promise((r) => child.on('exit', r));
  return {
    name,
    vkey,
    base,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
// The checkpoint as the log signed it (no cosignatures).
function logOnly(note) {
  const i = note.indexOf('\n\n');
  return `${note.slice(0, i + 2)}${note.slice(i + 2).split('\n')[0]}\n`;
}
// c2sp.org/tlog-witness add-checkpoint, as the log's operator sends it.
async function submit(witness, oldSize, proof, note) {
  const body = `old ${oldSize}\n${proof.map((h) => `${h}\n`).join('')}\n${logOnly(note)}`;
  const r = await fetch(`${witness.base}/add-checkpoint`, { method: 'POST', body });
  return { status: r.status, text: await r.text() };
}
async function consistency(client, from, to) {
  const r = await client.get(`/api/v1/ledger/proof/consistency?from=${from}&to=${to}`);
  assert.equal(r.status, 200, r.text);
  return r.json.hashes;
}

describe('a rewritten history, a truncated log and receipts', () => {
  let server;
  let dir;
  let db;
  let file;
  let admin;
  let tok;
  let pocTok;
  let logKey;
  let target;   // the index of the entry the operator rewrites
  let witness;  // a real witness (parley witness serve) run by a state
  let witnessed; // the size it last cosigned
  const states = tempDir();
  const w1 = newWitness('w1.cert.example');
  const w2 = newWitness('w2.cert.example');
  const w3 = newWitness('w3.cert.example');
  const wit = (...ws) => ws.flatMap((w) => ['--witness', w.vkey]);

  before(async () => {
    server = await startServer();
    ({ dir, db } = server);
    file = db;
    logKey = cli(['ledger', 'key', '--db', db]).stdout.trim();
    admin = await signedIn(server.base, 'admin');
    target = await addContact(admin, 'Tamper Target');
    tok = token(db);
    pocTok = token(db, 'poc.tha');
    witness = await startWitness(states, logKey);
  });
  after(async () => {
    await witness?.stop();
    await server?.stop();
    server?.cleanup();
    rmSync(states, { recursive: true, force: true });
  });

  async function restart() {
    await server.stop();
    server = await startServer({ dir, demo: false });
    admin = await signedIn(server.base, 'admin');
  }

  it('verifies an honest log: signature, a quorum of cosignatures, every readable entry, and saves the state', async (t) => {
    const cp = await settled(server, admin);
    // The real witness cosigns it (first contact: old size 0)...
    const answer = await submit(witness, 0, [], cp.note);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /^— w\.cert\.example \S+\n$/);
    witnessed = cp.size;
    // ...and two of our own; all three are stored as the server's witness client stores them.
    addCosignatures(file, [w1, w2, { name: witness.name, vkey: witness.vkey, cosign: () => answer.text }], cp.note);
    const served = await latest(admin);
    assert.equal(served.note.split('\n— ').length, 5, 'the log signature and three cosignatures are served');

    const started = performance.now();
    const r = verify(server.base, tok, logKey, [...wit(witness, w1, w2, w3), '--quorum', '3', '--state', join(states, 'kaz')]);
    const ms = performance.now() - started;
    ok(r);
    t.diagnostic(`parley verify checked ${cp.size} entries in ${ms.toFixed(0)} ms (${(ms / cp.size).toFixed(2)} ms an entry)`);
    assert.match(r.stdout, new RegExp(`at size ${cp.size}, signed by the log, cosigned by 3 witnesses of 4 given`));
    const checked = Number(r.stdout.match(/inclusion: (\d+) readable entries/)[1]);
    // Every entry the admin may read (communications and STIX objects are not the admin's to
    // read: ReadPolicy), each one checked.
    assert.equal(checked, (await readable(admin, cp.size)).length, 'every entry the admin reads is checked');
    assert.ok(checked > cp.size / 2, `${checked} of ${cp.size}`);
    assert.equal(readFileSync(join(states, 'kaz', 'checkpoint'), 'utf8'), served.note, 'the checkpoint is saved as served');

    // Another user checks what that user may read, no more (ReadPolicy on every entry).
    const poc = verify(server.base, pocTok, logKey, [...wit(witness), '--quorum', '1']);
    ok(poc);
    assert.ok(Number(poc.stdout.match(/inclusion: (\d+) readable entries/)[1]) < checked, poc.stdout);
    // The quorum is a policy: three needed, two given.
    caught(verify(server.base, tok, logKey, [...wit(witness, w1, w3), '--quorum', '3']), 'quorum',
      new RegExp(`latest checkpoint \\(size ${cp.size}\\) is cosigned by 2 witnesses of those given, fewer than the quorum of 3`));
    // Another log's key, a bad token, a wrong --quorum.
    const other = cli(['ledger', 'init', '--key', join(states, 'other.key'), '--origin', 'parley.test/ledger']);
    const otherKey = other.stdout.trim().split('\n').pop();
    caught(verify(server.base, tok, otherKey), 'signature', /the latest checkpoint \(size \d+\) fails its signature check/);
    caught(verify(server.base, 'not-a-token', logKey), 'server', /HTTP 401/);
    assert.equal(verify(server.base, tok, logKey, [...wit(w1), '--quorum', '2']).code, 2);
    assert.equal(verify(server.base, tok, 'garbage').code, 2);
  });

  it('a receipt verifies offline, says what it records, and fails once its entry is edited', async () => {
    const res = await admin.get(`/api/v1/ledger/receipts/${target}`);
    assert.equal(res.status, 200, res.text);
    writeFileSync(join(states, 'target.tlog-proof'), res.text);
    const r = cli(['verify', '--receipt', join(states, 'target.tlog-proof'), '--log-key', logKey]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`entry ${target}, recorded at \\S+: contact\\.create on contact:\\d+ by user:admin`));

    // Its leaf data edited (the name of the contact): not what the log signed.
    const lines = res.text.split('\n');
    const data = Buffer.from(lines[1].slice('extra '.length), 'base64').toString();
    assert.match(data, /Tamper Target/);
    lines[1] = `extra ${Buffer.from(data.replace('Tamper Target', 'Someone Else!')).toString('base64')}`;
    writeFileSync(join(states, 'edited.tlog-proof'), lines.join('\n'));
    const e = cli(['verify', '--receipt', join(states, 'edited.tlog-proof'), '--log-key', logKey]);
    caught(e, 'inclusion', new RegExp(`entry ${target} of receipt \\S+edited\\.tlog-proof is not in the tree the log signed at size \\d+`));
    // Its index changed.
    lines[2] = `index ${target + 1}`;
    writeFileSync(join(states, 'moved.tlog-proof'), lines.join('\n'));
    caught(cli(['verify', '--receipt', join(states, 'moved.tlog-proof'), '--log-key', logKey]), 'receipt');
    // A witness quorum the receipt's checkpoint does not have.
    caught(cli(['verify', '--receipt', join(states, 'target.tlog-proof'), '--log-key', logKey, ...wit(w3)]), 'quorum');
    // Against the (honest) server it holds too.
    ok(verify(server.base, tok, logKey, ['--receipt', join(states, 'target.tlog-proof')]));
  });

  it('an entry rewritten in the file, with the chain, the tree and a checkpoint re-signed, is caught', async () => {
    await addContact(admin, 'After The State Was Saved');
    const honest = await settled(server, admin);
    // The witness follows the honest log...
    const follows = await submit(witness, witnessed, await consistency(admin, witnessed, honest.size), honest.note);
    assert.equal(follows.status, 200, follows.text);
    witnessed = honest.size;
    await server.stop();
    const rewritten = rewriteLedger(file, join(dir, 'ledger.key'), {
      edit(entries) {
        const e = entries[target];
        assert.match(e.change, /"Tamper Target"/);
        e.change = e.change.replace('"Tamper Target"', '"Someone Else!"');
      },
    });
    assert.ok(rewritten.size >= honest.size);
    // The attack is complete: the server's own check finds nothing wrong.
    const jv = cli(['journal', 'verify', '--db', db]);
    assert.equal(jv.code, 0, jv.stdout + jv.stderr);
    assert.match(jv.stdout, new RegExp(`the tree matches the latest checkpoint \\(size ${rewritten.size}, signed with the ledger key`));
    server = await startServer({ dir, demo: false });
    const c = new Client(server.base);
    c.token = tok;
    const served = await latest(c);
    assert.equal(served.note.split('\n')[2], rewritten.note.split('\n')[2], 'the server serves the forged checkpoint');
    const entry = await c.get(`/api/v1/ledger/entries/${target}`);
    assert.match(entry.text, /Someone Else!/);

    // The state that saved the checkpoint before sees it.
    const kaz = join(states, 'kaz');
    const saved = readFileSync(join(kaz, 'checkpoint'), 'utf8');
    caught(verify(server.base, tok, logKey, ['--state', kaz]), 'consistency',
      new RegExp(`the latest checkpoint \\(size ${rewritten.size}\\) is not consistent with the checkpoint of size ${saved.split('\n')[1]} saved in ${kaz}: the log's history was rewritten`));
    assert.equal(readFileSync(join(kaz, 'checkpoint'), 'utf8'), saved, 'the state keeps what it saw');
    // So does the holder of the receipt, against the server...
    caught(verify(server.base, tok, logKey, ['--receipt', join(states, 'target.tlog-proof')]), 'consistency',
      new RegExp(`the checkpoint of receipt \\S+target\\.tlog-proof \\(size \\d+\\) is not consistent with the latest \\(size ${rewritten.size}\\): entry ${target}`));
    // ...while the receipt itself still proves, offline, what was recorded.
    const offline = cli(['verify', '--receipt', join(states, 'target.tlog-proof'), '--log-key', logKey]);
    assert.equal(offline.code, 0, offline.stderr);
    // The witness refuses the forged checkpoint, whatever the operator claims it saw.
    const refused = await submit(witness, witnessed, witnessed === rewritten.size ? [] : await consistency(c, witnessed, rewritten.size), rewritten.note);
    assert.equal(refused.status, 422, `the witness cosigned a rewritten history: ${refused.text}`);
    const stale = await submit(witness, 0, [], rewritten.note);
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.text, `${witnessed}\n`, 'the witness says what it saw');
    // A state that never saw the log before cannot tell: hence saved states and witnesses.
    ok(verify(server.base, tok, logKey, ['--state', join(states, 'newcomer')]));
  });

  it('a truncated log (entries deleted at the end, tree and checkpoint rewritten) is caught', async () => {
    const newcomer = join(states, 'newcomer');
    const seen = Number(readFileSync(join(newcomer, 'checkpoint'), 'utf8').split('\n')[1]);
    await server.stop();
    const cut = rewriteLedger(file, join(dir, 'ledger.key'), { keep: seen - 3 });
    assert.equal(readJournal(file).length, seen - 3);
    server = await startServer({ dir, demo: false });
    caught(verify(server.base, tok, logKey, ['--state', newcomer]), 'truncation',
      new RegExp(`the log was truncated: its latest checkpoint has size ${cut.size}, smaller than the size ${seen} it signed before`));
    // journal verify on the database alone: consistent with the forged checkpoint.
    assert.equal(cli(['journal', 'verify', '--db', db]).code, 0);
  });

  it('parley journal verify names a checkpoint that does not match the tree, or its key', async () => {
    await server.stop();
    // The checkpoint says one root, the tree another (an entry edited without re-signing).
    const cp = sql(file, 'SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1')[0];
    rewriteLedger(file, join(dir, 'ledger.key'), {
      edit(entries) {
        entries[1].at = '2020-01-01T00:00:00Z';
      },
    });
    const forged = sql(file, 'SELECT note FROM ledger_checkpoints')[0].note;
    // Put the previous checkpoint back in place of the one the attacker signed.
    sql(file, `DELETE FROM ledger_checkpoints; INSERT INTO ledger_checkpoints(size, root, note, signed_at) VALUES (${cp.size}, '${cp.note.split('\n')[2]}', '${cp.note.replaceAll("'", "''")}', 'x')`);
    let r = cli(['journal', 'verify', '--db', db]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`journal BROKEN: the tree of the journal's first ${cp.size} entries does not have the root of the latest checkpoint \\(size ${cp.size}\\)`));
    // A checkpoint signed by another key.
    const otherKey = join(states, 'other.key');
    if (!existsSync(otherKey)) cli(['ledger', 'init', '--key', otherKey, '--origin', 'parley.test/ledger']);
    copyFileSync(join(dir, 'ledger.key'), join(states, 'real.key'));
    copyFileSync(otherKey, join(dir, 'ledger.key'));
    sql(file, `DELETE FROM ledger_checkpoints; INSERT INTO ledger_checkpoints(size, root, note, signed_at) VALUES (${cp.size}, '${forged.split('\n')[2]}', '${forged.replaceAll("'", "''")}', 'x')`);
    r = cli(['journal', 'verify', '--db', db]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /journal BROKEN: the latest checkpoint \(size \d+\) does not verify with the ledger key/);
    copyFileSync(join(states, 'real.key'), join(dir, 'ledger.key'));
    r = cli(['journal', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.stdout);
    server = await startServer({ dir, demo: false });
  });
});

describe('a split view: two continuations served to two states', () => {
  const dirA = tempDir();
  const dirB = tempDir();
  const states = tempDir();
  let a;
  let b;
  let tok;
  let logKey;

  before(async () => {
    // One history...
    const first = await startServer({ dir: dirA });
    await signedIn(first.base, 'admin');
    tok = token(first.db);
    logKey = cli(['ledger', 'key', '--db', first.db]).stdout.trim();
    await first.stop();
    // ...copied, with the key, by the operator, who runs two servers on the two copies.
    copyDatabase(dirA, dirB);
    copyFileSync(join(dirA, 'ledger.key'), join(dirB, 'ledger.key'));
    a = await startServer({ dir: dirA, demo: false });
    b = await startServer({ dir: dirB, demo: false });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    for (const d of [dirA, dirB, states]) rmSync(d, { recursive: true, force: true });
  });

  it('each state alone sees a consistent log; comparing their saved checkpoints shows the split', async () => {
    const adminA = await signedIn(a.base, 'admin');
    const adminB = await signedIn(b.base, 'admin');
    await addContact(adminA, 'Only Kazakhstan Sees This');
    await addContact(adminB, 'Only Thailand Sees This');
    await addContact(adminB, 'Nor This');
    const cpA = await settled(a, adminA);
    const cpB = await settled(b, adminB);
    assert.notEqual(cpA.size, cpB.size);

    // A witness cosigns what A shows it, then refuses B's continuation of the same log.
    const witness = await startWitness(states, logKey);
    try {
      const first = await submit(witness, 0, [], cpA.note);
      assert.equal(first.status, 200, first.text);
      const fork = await submit(witness, cpA.size, await consistency(adminB, cpA.size, cpB.size), cpB.note);
      assert.equal(fork.status, 422, `the witness cosigned the second fork: ${fork.text}`);
    } finally {
      await witness.stop();
    }

    const kaz = join(states, 'kaz');
    const tha = join(states, 'tha');
    ok(verify(a.base, tok, logKey, ['--state', kaz]));
    ok(verify(b.base, tok, logKey, ['--state', tha]));

    // KAZ (on A) compares with THA's saved checkpoint, and THA (on B) with KAZ's.
    caught(verify(a.base, tok, logKey, ['--state', kaz, '--peer-checkpoint', join(tha, 'checkpoint')]), 'split view',
      new RegExp(`split view: the peer checkpoint \\S+ \\(size ${cpB.size}\\) and the latest checkpoint \\(size ${cpA.size}\\) are not one history`));
    caught(verify(b.base, tok, logKey, ['--state', tha, '--peer-checkpoint', join(kaz, 'checkpoint')]), 'split view',
      new RegExp(`split view: the peer checkpoint \\S+ \\(size ${cpA.size}\\) and the latest checkpoint \\(size ${cpB.size}\\) are not one history`));

    // A peer's checkpoint of the same history (an older one) agrees.
    mkdirSync(join(states, 'old'), { recursive: true });
    writeFileSync(join(states, 'old', 'checkpoint'), readFileSync(join(kaz, 'checkpoint')));
    await addContact(adminA, 'Later');
    await settled(a, adminA);
    ok(verify(a.base, tok, logKey, ['--state', kaz, '--peer-checkpoint', join(states, 'old', 'checkpoint')]));

    // A forged peer checkpoint (not signed by the log) is refused as such.
    writeFileSync(join(states, 'forged'), readFileSync(join(kaz, 'checkpoint'), 'utf8').replace(/\n(\d+)\n/, (m, n) => `\n${Number(n) + 1}\n`));
    caught(verify(a.base, tok, logKey, ['--peer-checkpoint', join(states, 'forged')]), 'signature', /the peer checkpoint \S+forged/);
  });
});

// The leaf data as the attacker recomputes it is the server's, byte for byte.
describe('the attacker reproduces the leaf data', () => {
  it('from the journal columns, for every entry', async () => {
    const server = await startServer();
    try {
      const admin = await signedIn(server.base, 'admin');
      const file = server.db;
      const readableIndices = new Set(await readable(admin));
      const entries = readJournal(file).filter((e) => readableIndices.has(e.seq - 1)).slice(-20);
      assert.equal(entries.length, 20);
      for (const e of entries) {
        const r = await admin.get(`/api/v1/ledger/entries/${e.seq - 1}`);
        assert.equal(r.status, 200);
        assert.equal(r.text, leafData(e));
      }
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});

// The indices of the entries `client` may read (GET /api/v1/ledger/entries, every page),
// below `size` when given.
async function readable(client, size = Infinity) {
  const out = [];
  let after;
  for (;;) {
    const res = await client.get(`/api/v1/ledger/entries?limit=1000${after === undefined ? '' : `&after=${after}`}`);
    assert.equal(res.status, 200, res.text);
    for (const e of res.json.entries) if (e.index < size) out.push(e.index);
    if (res.json.next === null || res.json.next === undefined) return out;
    after = res.json.next;
  }
}
