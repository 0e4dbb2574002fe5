// `parley db copy`: an installation moved from SQLite to PostgreSQL and back, as an
// operator moves one: the demo data plus activity (communications sent and acknowledged,
// STIX objects, a negotiation), copied with the server stopped; a server on the target
// then serves the same data, its journal verifies, a user signs in and new writes get new
// keys. And its refusals: a target that holds tables, a source it cannot reach, a URL it
// does not know.
// By nature about PostgreSQL and SQLite both: on the api_pg run it uses the shared
// cluster (PARLEY_TEST_DB), on the api run it starts a throwaway cluster of its own
// (tests/lib/pg_cluster.mjs), so that it runs, and asserts the same, in both.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, signedIn, SOURCE, sql, startServer, tempDir } from '../lib/harness.mjs';
import { emptyDatabase, ownCluster } from '../lib/pg_cluster.mjs';
import { psql } from '../lib/pg.mjs';

const dir = tempDir();
const source = `sqlite:${join(dir, 'parley.db')}`;
let cluster;   // the shared cluster's URL, or our own's
let own;       // our own cluster, when there is no shared one
const made = [];   // databases to drop

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const indicator = (value) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2024-05-01T10:00:00.000Z',
  modified: '2024-05-01T10:00:00.000Z',
  name: `copied ${value}`,
  pattern: `[ipv4-addr:value = '${value}']`,
  pattern_type: 'stix',
  valid_from: '2024-05-01T10:00:00Z',
  object_marking_refs: [GREEN],
});
const note = (i) => ({
  type: 'request_for_information',
  recipients: ['UZB'],
  subject: `Moved installation ${i} — ünïcode kept`,
  description: 'Scanning of port 502 from shared infrastructure; do you see it too?',
  severity: 3,
  tlp: 'TLP:AMBER',
  sector: 'energy',
});

// What the test compares on both sides: what poc.uzb sees.
async function snapshot(base) {
  const uzb = await signedIn(base, 'poc.uzb');
  const inbox = await uzb.get('/api/v1/communications?box=inbox');
  assert.equal(inbox.status, 200, inbox.text);
  const docs = await uzb.get('/api/v1/negotiation/documents?forum=CICA');
  assert.equal(docs.status, 200, docs.text);
  // The library's search, each kind of term: PostgreSQL answers it from structures of
  // its own that the copy's rows fill (library/schema.cc, migration 804).
  const library = {};
  for (const q of ['security', 'cyber*', '"critical infrastructure"', 'безопасност*', '信息', '网络安全', 'security -norms']) {
    const r = await uzb.get(`/api/v1/library/contributions?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, r.text);
    library[q] = r.json.items.map((c) => c.id);
  }
  return {
    communications: inbox.json.items.map((c) => ({ id: c.id, subject: c.subject, status: c.status })),
    documents: docs.json.items.map((d) => ({ id: d.id, symbol: d.symbol, title: d.title })),
    library,
  };
}

function copy(from, to, dataDir = dir) {
  return cli(['db', 'copy', '--from', from, '--to', to, '--data-dir', dataDir]);
}

// The per-table summary: table -> [source, target].
function summary(stdout) {
  const rows = {};
  for (const line of stdout.split('\n')) {
    const m = line.match(/^(\w+)\s+(\d+)\s+(\d+)(\s+MISMATCH)?$/);
    if (m) rows[m[1]] = [Number(m[2]), Number(m[3]), Boolean(m[4])];
  }
  return rows;
}

let stix;        // the indicator stored before the copy
let expected;    // poc.uzb's view before the copy
let sent = [];   // ids answered 201 before the copy

before(async () => {
  if (process.env.PARLEY_TEST_DB) cluster = process.env.PARLEY_TEST_DB;
  else {
    own = ownCluster();
    cluster = own.url;
  }
  const server = await startServer({ dir, sqlite: true });
  try {
    const kaz = await signedIn(server.base, 'poc.kaz');
    const uzb = await signedIn(server.base, 'poc.uzb');
    for (let i = 0; i < 6; i++) {
      const r = await kaz.post('/api/v1/communications', note(i));
      assert.equal(r.status, 201, r.text);
      sent.push(r.json.id);
    }
    assert.equal((await uzb.post(`/api/v1/communications/${sent[0]}/ack`, {})).status, 200);
    stix = indicator('198.51.100.7');
    const stored = await kaz.post('/api/v1/exchange/objects?forum=CICA', { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [stix] });
    assert.equal(stored.status, 201, stored.text);
    assert.equal(stored.json.stored, 1, stored.text);
    const secretariat = await signedIn(server.base, 'secretariat.cica');
    const seed = readFileSync(join(SOURCE, 'src/negotiation/testdata/seed_001_draft_en.txt'), 'utf8');
    const doc = await secretariat.post('/api/v1/negotiation/documents', { forum: 'CICA', symbol: 'COPY/2026/1', title: 'Moved draft', text: seed, confirm_ambiguities: true });
    assert.equal(doc.status, 201, doc.text);
    expected = await snapshot(server.base);
    for (const [q, ids] of Object.entries(expected.library)) assert.ok(ids.length > 0, `the demo library answers ${q}`);
  } finally {
    await server.stop();
  }
});

after(() => {
  for (const url of made) {
    try {
      psql(cluster, `DROP DATABASE IF EXISTS ${url.match(/\/(parley_empty_\w+)/)[1]} WITH (FORCE)`);
    } catch {
      // the cluster is gone already
    }
  }
  own?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A folder for the moved installation: the key files go with the data (the command says so).
function movedDir(name) {
  const d = join(dir, name);
  mkdirSync(d);
  for (const key of ['parley.key', 'ledger.key']) copyFileSync(join(dir, key), join(d, key));
  return d;
}

describe('parley db copy', () => {
  let pg;

  it('copies SQLite to PostgreSQL: counts equal, journal verified, and a server on the copy serves the same data', async () => {
    pg = emptyDatabase(cluster);
    made.push(pg);
    const r = copy(source, pg);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^copied .* \(sqlite\) to .* \(postgresql\)$/m);
    assert.match(r.stdout, /^target's journal intact: \d+ entries, head \w+ \(the source's\)/m);
    assert.doesNotMatch(r.stdout, /MISMATCH/);
    const tables = summary(r.stdout);
    assert.ok(Object.keys(tables).length > 30, `every table listed: ${Object.keys(tables).join(' ')}`);
    assert.equal(tables.schema_migrations, undefined, 'schema_migrations is migrate()\'s, not copied');
    assert.equal(tables.journal[0], Number(sql(source, 'SELECT count(*) FROM journal')));
    for (const [table, [src, dst]] of Object.entries(tables)) {
      assert.equal(dst, src, table);
      assert.equal(Number(psql(pg, `SELECT count(*) FROM ${table}`)), src, `${table} on PostgreSQL`);
    }
    // Text verbatim, byte for byte (the STIX JSON as stored, UTF-8 subjects).
    const subject = (db) => sql(db, `SELECT subject FROM communications WHERE id = ${sent[1]}`);
    assert.equal(subject(pg), subject(source));
    assert.match(subject(pg), /ünïcode/);

    const moved = movedDir('on-pg');
    const server = await startServer({ dir: moved, db: pg, demo: false, ledgerKey: false });
    try {
      assert.deepEqual(await snapshot(server.base), expected);
      const kaz = await signedIn(server.base, 'poc.kaz');
      const obj = await kaz.get(`/api/v1/exchange/objects/${stix.id}?forum=CICA`);
      assert.equal(obj.status, 200, obj.text);
      assert.ok(obj.text.includes(JSON.stringify(stix)), `the STIX object verbatim: ${obj.text}`);
      // Keys were kept and the identity sequences moved past them: a new communication
      // gets the next id, not one already taken.
      const next = await kaz.post('/api/v1/communications', note('after the move'));
      assert.equal(next.status, 201, next.text);
      assert.ok(next.json.id > Math.max(...sent), `new id ${next.json.id} after ${Math.max(...sent)}`);
      sent.push(next.json.id);
    } finally {
      await server.stop();
    }
    const verify = cli(['journal', 'verify', '--db', pg, '--data-dir', moved]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /journal intact: \d+ entries/);
  });

  it('copies PostgreSQL back to SQLite, with what was written on PostgreSQL', async () => {
    const back = movedDir('back');
    const target = `sqlite:${join(back, 'parley.db')}`;
    const r = copy(pg, target, join(dir, 'on-pg'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^copied .* \(postgresql\) to .* \(sqlite\)$/m);
    assert.match(r.stdout, /^target's journal intact/m);
    assert.doesNotMatch(r.stdout, /MISMATCH/);
    const server = await startServer({ dir: back, db: target, demo: false, ledgerKey: false });
    try {
      const uzb = await signedIn(server.base, 'poc.uzb');
      const inbox = await uzb.get('/api/v1/communications?box=inbox');
      const ids = new Set(inbox.json.items.map((c) => c.id));
      for (const id of sent) assert.ok(ids.has(id), `communication ${id} is in poc.uzb's inbox`);
      const last = await uzb.get(`/api/v1/communications/${sent.at(-1)}`);
      assert.match(last.json.subject, /after the move/);
    } finally {
      await server.stop();
    }
    const verify = cli(['journal', 'verify', '--db', target]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('refuses a target that already holds tables, and writes nothing to it', () => {
    const before = psql(pg, 'SELECT count(*) FROM journal');
    const r = copy(source, pg);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /refused: --to: the target already holds \d+ tables/);
    assert.equal(psql(pg, 'SELECT count(*) FROM journal'), before);
    // SQLite to SQLite: the source itself is such a target.
    const self = copy(source, `sqlite:${join(dir, 'parley.db')}`.replace('sqlite:', 'sqlite://'));
    assert.equal(self.code, 2, self.stdout + self.stderr);
    assert.match(self.stderr, /already holds/);
  });

  it('refuses a source it cannot reach, one that is not there, and a URL it does not know', () => {
    const unreachable = copy('postgresql://parley@127.0.0.1:1/nothing?connect_timeout=5', `sqlite:${join(dir, 'u.db')}`);
    assert.equal(unreachable.code, 2, unreachable.stdout + unreachable.stderr);
    assert.match(unreachable.stderr, /cannot connect to PostgreSQL/);
    assert.equal(existsSync(join(dir, 'u.db')), false, 'the target was not made');

    const missing = copy(`sqlite:${join(dir, 'missing.db')}`, `sqlite:${join(dir, 'm.db')}`);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such SQLite file/);
    assert.equal(existsSync(join(dir, 'missing.db')), false, 'the source was not created');

    const unknown = copy('mysql://root@localhost/parley', `sqlite:${join(dir, 'x.db')}`);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--from: unknown database URL scheme/);
    const noTarget = copy(source, 'file:/tmp/x');
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /--to: unknown database URL scheme/);
  });

  it('refuses a source that is not at this build\'s schema', () => {
    const empty = emptyDatabase(cluster);
    made.push(empty);
    const r = copy(empty, `sqlite:${join(dir, 'e.db')}`);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /the source holds no Parley schema/);
  });
});
