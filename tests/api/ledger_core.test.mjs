// The ledger's core as a verifier outside the server sees it: the server will not run
// without its key, checkpoints follow the log within a second and are signed by the key
// that `parley ledger init` printed, consistent with each other, and the tiles let a
// monitor recompute the root without the API's proofs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, Client, eventually, ledgerInit, signedIn, startServer, tempDir, testDatabase, withDataDir } from '../lib/harness.mjs';
import { leafHash, mth, noteSignedBy, parseCheckpoint, verifyConsistency, verifyInclusion } from '../lib/tlog.mjs';

describe('the ledger key', () => {
  it('is required: the server refuses to start without it and says how to make one', () => {
    const dir = tempDir();
    const r = spawnSync(BIN, withDataDir(['serve', '--listen', '127.0.0.1:0', '--db', testDatabase(dir)]), { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no signing key/);
    assert.match(r.stderr, /parley ledger init/);
  });

  it('is refused when others can read it, and never overwritten', () => {
    const dir = tempDir();
    ledgerInit(dir);
    const again = spawnSync(BIN, withDataDir(['ledger', 'init', '--db', testDatabase(dir)]), { encoding: 'utf8' });
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists/);
    chmodSync(join(dir, 'ledger.key'), 0o644);
    const r = spawnSync(BIN, withDataDir(['serve', '--listen', '127.0.0.1:0', '--db', testDatabase(dir)]), { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /readable by others/);
  });

  it("of another log is refused for this database's log", async () => {
    const server = await startServer();
    const admin = await signedIn(server.base, 'admin');
    await eventually(async () => (await admin.get('/api/v1/ledger/checkpoint')).status === 200);
    await server.stop();
    const other = tempDir();
    ledgerInit(other, 'elsewhere.example/ledger');
    const r = spawnSync(BIN, withDataDir(['serve', '--listen', '127.0.0.1:0', '--db', server.db, '--config', writeConfig(other)]), { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /elsewhere\.example\/ledger/);
    server.cleanup();
  });
});

function writeConfig(dir) {
  const file = join(dir, 'parley.toml');
  writeFileSync(file, `[ledger]\nkey_file = "${join(dir, 'ledger.key')}"\n`);
  return file;
}

describe('checkpoints and tiles', () => {
  let server;
  let admin;
  let vkey;
  before(async () => {
    const dir = tempDir();
    vkey = ledgerInit(dir, 'parley.test/core');
    server = await startServer({ dir });
    admin = await signedIn(server.base, 'admin');
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it('serves the key that ledger init printed', async () => {
    const res = await admin.get('/api/v1/ledger/key');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { origin: 'parley.test/core', vkey });
    assert.equal((await new Client(server.base).get('/api/v1/ledger/key')).status, 401);
  });

  it('signs a checkpoint covering a write within a second or two, consistent with the one before', async () => {
    const before = await checkpoint();
    const res = await admin.put('/api/v1/me/language', { language: 'ru' });
    assert.equal(res.status, 200);
    const index = Number(res.headers.get('parley-ledger-index'));
    assert.ok(index >= before.size - 1, `index ${index}`);
    let after;
    await eventually(async () => {
      after = await checkpoint();
      return after.size > index;
    });
    const proof = await admin.get(`/api/v1/ledger/proof/consistency?from=${before.size}&to=${after.size}`);
    assert.equal(proof.status, 200);
    const hashes = proof.json.hashes.map((h) => Buffer.from(h, 'base64'));
    assert.ok(verifyConsistency(before.size, after.size, before.root, after.root, hashes));
    // The entry it recorded is in the signed tree.
    const entry = await admin.get(`/api/v1/ledger/entries/${index}`);
    assert.equal(JSON.parse(entry.text).action, 'user.language');
    const inclusion = await admin.get(`/api/v1/ledger/proof/inclusion?index=${index}&size=${after.size}`);
    assert.equal(inclusion.json.leaf_hash, leafHash(entry.text).toString('base64'));
    assert.ok(verifyInclusion(leafHash(entry.text), index, after.size, inclusion.json.hashes.map((h) => Buffer.from(h, 'base64')), after.root));
  });

  it('serves tiles from which a monitor recomputes the signed root', async () => {
    const cp = await checkpoint();
    const width = cp.size % 256;
    const leaves = [];
    for (let n = 0; n < Math.floor(cp.size / 256); n++) leaves.push(...split(await tile(`0/${String(n).padStart(3, '0')}`)));
    if (width) leaves.push(...split(await tile(`0/${String(Math.floor(cp.size / 256)).padStart(3, '0')}.p/${width}`)));
    assert.equal(leaves.length, cp.size);
    assert.ok(mth(leaves).equals(cp.root), 'the root of the tiles is the checkpoint root');
    // Each leaf hash is the hash of the entry's leaf data, which carries a nonce.
    const e0 = await admin.get('/api/v1/ledger/entries/0');
    assert.ok(leafHash(e0.text).equals(leaves[0]));
    assert.match(JSON.parse(e0.text).nonce, /^[0-9a-f]{32}$/);
    // A tile the tree does not hold, a malformed path, entry bundles: 404 problems.
    for (const path of [`0/${String(Math.floor(cp.size / 256) + 1).padStart(3, '0')}`, '0/1', 'entries/000', '0/../000', `0/000.p/${Math.min(cp.size + 1, 255)}x`]) {
      const res = await admin.get(`/ledger/tile/${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type'), /problem\+json/);
    }
    assert.equal((await new Client(server.base).get('/ledger/tile/0/000.p/1')).status, 401);
    assert.equal((await new Client(server.base).get('/ledger/checkpoint')).status, 401);
  });

  it('refuses sizes outside the tree and malformed indices plainly', async () => {
    const cp = await checkpoint();
    for (const q of [`index=0&size=${cp.size + 1000}`, 'index=5&size=5', 'index=-1&size=3', 'index=x&size=3', 'size=3']) {
      const res = await admin.get(`/api/v1/ledger/proof/inclusion?${q}`);
      assert.equal(res.status, 400, q);
      assert.match(res.headers.get('content-type'), /problem\+json/);
    }
    for (const q of [`from=5&to=${cp.size + 1000}`, 'from=6&to=5', 'from=1']) {
      assert.equal((await admin.get(`/api/v1/ledger/proof/consistency?${q}`)).status, 400, q);
    }
    for (const i of ['99999999', '-1', '01', 'abc', '1e3']) assert.equal((await admin.get(`/api/v1/ledger/entries/${i}`)).status, 404, i);
  });

  async function checkpoint() {
    const res = await admin.get('/api/v1/ledger/checkpoint');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain/);
    assert.ok(noteSignedBy(res.text, vkey), 'signed by the log key');
    return parseCheckpoint(res.text);
  }
  async function tile(path) {
    const res = await fetch(`${server.base}/ledger/tile/${path}`, { headers: { Cookie: admin.cookie } });
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('cache-control'), /immutable/);
    return Buffer.from(await res.arrayBuffer());
  }
});

function split(buf) {
  const out = [];
  for (let i = 0; i < buf.length; i += 32) out.push(buf.subarray(i, i + 32));
  return out;
}
