// `parley verify` against a hostile server: what a log sends a verifier is bounded and
// checked, never trusted. A fake ledger API (node:http) signs with a real log key and
// answers with oversized checkpoints, oversized pages, overlong proofs, entries that are
// not the ones the tree holds; each fails with exit 1 and a sentence naming the check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, cli, tempDir } from '../lib/harness.mjs';
import { leafHash, mth, readLogKey, signCheckpoint } from '../lib/tlog_attack.mjs';

const dir = tempDir();
const keyFile = join(dir, 'log.key');
let logKey;
let key;
let server;
let base;
let behaviour = {};

const entries = [0, 1, 2].map((i) => JSON.stringify({ action: 'contact.create', actor: 'user:admin', at: '2026-11-29T10:00:00Z',
  change: {}, nonce: '00112233445566778899aabbccddeeff', object: `contact:${i}`, seq: i + 1 }));
const leaves = entries.map(leafHash);

before(async () => {
  const init = cli(['ledger', 'init', '--key', keyFile, '--origin', 'hostile.test/ledger']);
  assert.equal(init.code, 0, init.stderr);
  logKey = init.stdout.trim().split('\n').pop();
  key = readLogKey(keyFile);
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, body, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (req.headers.authorization !== 'Bearer good') return send(401, '{}');
    const override = behaviour[url.pathname];
    if (override) return override(url, send);
    if (url.pathname === '/api/v1/ledger/checkpoint') return send(200, signCheckpoint(key, 3, mth(leaves)), 'text/plain');
    if (url.pathname === '/api/v1/ledger/entries')
      return send(200, JSON.stringify({ entries: [0, 1, 2].map((index) => ({ index })), next: null }));
    const m = url.pathname.match(/^\/api\/v1\/ledger\/entries\/(\d+)$/);
    if (m) return send(200, entries[Number(m[1])]);
    if (url.pathname === '/api/v1/ledger/proof/inclusion') {
      const index = Number(url.searchParams.get('index'));
      // The RFC's paths in a tree of 3: 0 -> [l1, l2], 1 -> [l0, l2], 2 -> [h(l0,l1)]
      const hashes = index === 2 ? [mth(leaves, 0, 2)] : [leaves[1 - index], leaves[2]];
      return send(200, JSON.stringify({ hashes: hashes.map((h) => h.toString('base64')) }));
    }
    return send(404, '{}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronously: the fake log answers from this process.
function verifyAsync(args, token = 'good') {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['verify', ...args], { env: { ...process.env, PARLEY_TOKEN: token } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
const run = (args = []) => verifyAsync(['--url', base, '--log-key', logKey, ...args]);
function caught(r, check, sentence) {
  assert.equal(r.code, 1, `expected a failure (${check}): ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^verification FAILED \\(${check}\\): `));
  assert.match(r.stderr, sentence);
}

describe('parley verify against a hostile log', () => {
  it('passes when the fake log is honest (the fake is a faithful one)', async () => {
    behaviour = {};
    const r = await run();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /inclusion: 3 readable entries are in the tree of size 3/);
  });

  it('refuses an oversized checkpoint, page or entry, and a malformed page', async () => {
    behaviour = { '/api/v1/ledger/checkpoint': (u, send) => send(200, 'x'.repeat(1 << 20), 'text/plain') };
    caught(await run(), 'server', /could not read \/api\/v1\/ledger\/checkpoint/);
    behaviour = {
      '/api/v1/ledger/entries': (u, send) =>
        send(200, JSON.stringify({ entries: Array.from({ length: 5000 }, (_, index) => ({ index })), next: null })),
    };
    caught(await run(), 'server', /list of entries is malformed: too many entries in a page/);
    behaviour = { '/api/v1/ledger/entries': (u, send) => send(200, '{"entries": "no"}') };
    caught(await run(), 'server', /list of entries is malformed/);
    behaviour = { '/api/v1/ledger/entries/1': (u, send) => send(200, 'y'.repeat(2 << 20)) };
    caught(await run(), 'server', /could not read \/api\/v1\/ledger\/entries\/1/);
  });

  it('refuses an overlong or wrong proof, and an entry the tree does not hold', async () => {
    behaviour = {
      '/api/v1/ledger/proof/inclusion': (u, send) =>
        send(200, JSON.stringify({ hashes: Array.from({ length: 100 }, () => leaves[0].toString('base64')) })),
    };
    caught(await run(), 'inclusion', /entry 0 is not in the tree the log signed at size 3 \(the log's proof is malformed: too many hashes\)/);
    behaviour = { '/api/v1/ledger/proof/inclusion': (u, send) => send(200, JSON.stringify({ hashes: ['not base64!'] })) };
    caught(await run(), 'inclusion', /entry 0 is not in the tree/);
    behaviour = { '/api/v1/ledger/entries/2': (u, send) => send(200, entries[2].replace('contact:2', 'contact:9')) };
    caught(await run(), 'inclusion', /^verification FAILED \(inclusion\): entry 2 is not in the tree the log signed at size 3\n$/);
    behaviour = { '/api/v1/ledger/entries/1': (u, send) => send(404, '{}') };
    caught(await run(), 'inclusion', /entry 1 is listed as readable but the log does not serve it/);
  });

  it('refuses a checkpoint of another origin, unsigned, or signed by another key', async () => {
    behaviour = { '/api/v1/ledger/checkpoint': (u, send) => send(200, `hostile.test/ledger\n3\n${mth(leaves).toString('base64')}\n`, 'text/plain') };
    caught(await run(), 'signature', /the latest checkpoint is not a signed checkpoint/);
    const other = cli(['ledger', 'init', '--key', join(dir, 'other.key'), '--origin', 'other.test/ledger']);
    assert.equal(other.code, 0);
    const otherKey = readLogKey(join(dir, 'other.key'));
    behaviour = { '/api/v1/ledger/checkpoint': (u, send) => send(200, signCheckpoint(otherKey, 3, mth(leaves)), 'text/plain') };
    caught(await run(), 'signature', /origin 'other\.test\/ledger' is not the log's/);
  });

  it('refuses oversized receipt files and needs a token with --url', async () => {
    writeFileSync(join(dir, 'huge.tlog-proof'), 'z'.repeat(5 << 20));
    const r = cli(['verify', '--receipt', join(dir, 'huge.tlog-proof'), '--log-key', logKey]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is too large/);
    const noToken = await verifyAsync(['--url', base, '--log-key', logKey], '');
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /--token \(or PARLEY_TOKEN\) is required/);
    caught(await verifyAsync(['--url', base, '--log-key', logKey], 'bad'), 'server', /HTTP 401 \(the token is not accepted\)/);
  });
});
