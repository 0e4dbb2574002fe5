// `parley backup`: a consistent online copy of the SQLite database taken while the
// server runs and writes, verified, and served by a second server; its refusals. On the
// PostgreSQL run too it backs up an SQLite file: the command is SQLite's (pg_dump is
// PostgreSQL's), and what it refuses on a PostgreSQL URL is tested below.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, cli, signedIn, startServer, tempDir } from '../lib/harness.mjs';

const dir = tempDir();
const db = `sqlite:${join(dir, 'parley.db')}`;
let server;
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function note(i) {
  return {
    type: 'request_for_information',
    recipients: ['UZB'],
    subject: `Backup under load ${i}`,
    description: 'Scanning of port 502 from shared infrastructure; do you see it too?',
    severity: 3,
    tlp: 'TLP:AMBER',
    sector: 'energy',
  };
}

// The CLI without blocking the event loop: the writers keep sending while it runs.
function cliAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('parley backup', () => {
  before(async () => {
    server = await startServer({ dir, sqlite: true });
  });

  it('copies the database during sustained sending; the copy verifies and a second server serves it', async () => {
    const kaz = await signedIn(server.base, 'poc.kaz');
    // Writers: four loops sending communications until told to stop, each 201 recorded
    // with the moment its answer arrived.
    const acknowledged = [];   // { id, at }
    let stop = false;
    let failures = 0;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const r = await kaz.post('/api/v1/communications', note(n++));
        if (r.status === 201) acknowledged.push({ id: r.json.id, at: performance.now() });
        else failures++;
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));

    const copyDir = join(dir, 'copy');
    mkdirSync(copyDir);
    const target = join(copyDir, 'parley.db');
    const started = performance.now();
    const before = acknowledged.filter((a) => a.at < started).map((a) => a.id);
    const backup = await cliAsync(['backup', '--db', db, '--to', target]);
    const during = acknowledged.filter((a) => a.at >= started).length;
    stop = true;
    await Promise.all(writers);
    assert.equal(failures, 0, 'every communication was accepted');
    assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    assert.match(backup.stdout, /^copied .* pages, \d+ bytes, in \d+ steps/m);
    assert.match(backup.stdout, /^integrity_check: ok$/m);
    assert.match(backup.stdout, /^journal intact: \d+ entries/m);
    assert.ok(before.length >= 40, `${before.length} acknowledged before the backup, ${during} during it`);

    // The copy: the owner's only, no temporary file left beside it.
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(copyDir).filter((f) => f.includes('.tmp-')), []);

    // `parley journal verify` on the copy, with the installation's ledger key beside it.
    copyFileSync(join(dir, 'ledger.key'), join(copyDir, 'ledger.key'));
    const verify = cli(['journal', 'verify', '--db', `sqlite:${target}`]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /journal intact: \d+ entries/);

    // A second server on the copy serves every communication answered 201 before the
    // backup started.
    const second = await startServer({ dir: copyDir, demo: false, ledgerKey: false, sqlite: true });
    try {
      const uzb = await signedIn(second.base, 'poc.uzb');
      for (const id of before) {
        const r = await uzb.get(`/api/v1/communications/${id}`);
        assert.equal(r.status, 200, `communication ${id}: ${r.status} ${r.text}`);
        assert.match(r.json.subject, /^Backup under load \d+$/);
      }
    } finally {
      await second.stop();
    }
  });

  it('refuses an existing target unless --force, and leaves it as it was', () => {
    const target = join(dir, 'existing.db');
    writeFileSync(target, 'not to be overwritten');
    const r = cli(['backup', '--db', db, '--to', target]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /exists \(use --force to replace it\)/);
    assert.equal(readFileSync(target, 'utf8'), 'not to be overwritten');

    const forced = cli(['backup', '--db', db, '--to', target, '--force']);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.match(forced.stdout, /^integrity_check: ok$/m);
    assert.equal(readFileSync(target).subarray(0, 15).toString(), 'SQLite format 3');
  });

  it('refuses a target in a missing directory', () => {
    const target = join(dir, 'no', 'such', 'dir', 'copy.db');
    const r = cli(['backup', '--db', db, '--to', target]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /directory .* does not exist/);
    assert.equal(existsSync(join(dir, 'no')), false, 'no directory was created');
  });

  it('refuses a source that is not there, without creating it', () => {
    const r = cli(['backup', '--db', `sqlite:${join(dir, 'missing.db')}`, '--to', join(dir, 'm-copy.db')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot open the database/);
    assert.equal(existsSync(join(dir, 'missing.db')), false);
    assert.equal(existsSync(join(dir, 'm-copy.db')), false);
  });

  it('refuses a PostgreSQL URL and names pg_dump', () => {
    const target = join(dir, 'pg-copy.db');
    const r = cli(['backup', '--db', 'postgresql://parley@localhost/parley', '--to', target]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /pg_dump/);
    assert.equal(existsSync(target), false);
  });
});
