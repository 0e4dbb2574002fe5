// The journal chain, durability across restarts, graceful stop and the CLI.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Client, cli, dropTrigger, expectProblem, signedIn, sql, startServer, tempDir, testDatabase } from '../lib/harness.mjs';
import { rmSync } from 'node:fs';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));
const db = testDatabase(dir);

describe('journal, restart and CLI', () => {
  let contactId;

  it('journals writes, stops gracefully on SIGTERM and keeps every acknowledged write', async () => {
    const server = await startServer({ dir });
    const admin = await signedIn(server.base, 'admin');
    const created = await admin.post('/api/v1/contacts', {
      state: 'THA', name: 'Durable Person', type: 'policy', availability: 'office_hours',
    });
    assert.equal(created.status, 201);
    contactId = created.json.id;
    const { code, signal } = await server.stop();
    assert.equal(signal, null, 'exited by itself, not killed');
    assert.equal(code, 0);
    assert.match(server.output().stdout, /Parley stopped/);

    const again = await startServer({ dir }); // --demo again: must not load twice
    const c = await signedIn(again.base, 'poc.tha');
    const k = await c.get(`/api/v1/contacts/${contactId}`);
    assert.equal(k.status, 200);
    assert.equal(k.json.name, 'Durable Person');
    const forums = await c.get('/api/v1/forums');
    assert.equal(forums.json.items.find((f) => f.code === 'CICA').members, 28);
    const thaContacts = await c.get('/api/v1/contacts?state=THA&limit=500');
    assert.equal(thaContacts.json.items.filter((x) => x.name === 'Durable Person').length, 1);
    await again.stop();
  });

  it('stops cleanly while its accept waits on another I/O thread', async () => {
    // A server's connections are dealt to its I/O threads in turn: after one connection,
    // the accept waiting for the next holds a socket of the second thread. A stop with no
    // connection open then ends the threads at once, and that accept was destroyed after
    // the thread's io_context it belonged to (AddressSanitizer: heap-use-after-free).
    const server = await startServer({ dir: tempDir(), demo: false, extraArgs: ['--threads', '4'] });
    try {
      const r = await fetch(`${server.base}/api/v1/health`, { headers: { connection: 'close' } });
      assert.ok(r.status > 0);
      await r.arrayBuffer();
      await new Promise((done) => setTimeout(done, 300));   // the server sees the connection end
      const { code, signal } = await server.stop();
      const { stderr } = server.output();
      assert.doesNotMatch(stderr, /AddressSanitizer|runtime error/);
      assert.equal(signal, null, 'exited by itself, not killed');
      assert.equal(code, 0, stderr.slice(-3000));
    } finally {
      server.cleanup();
    }
  });

  it('verifies an intact chain', () => {
    const r = cli(['journal', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const m = r.stdout.match(/journal intact: (\d+) entries, head ([0-9a-f]{64})/);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) > 90, 'demo load, sign-ins and the write are all journaled');
  });

  it('manages users from the command line', async () => {
    const add = cli(['user', 'add', 'observer.one', '--role', 'observer', '--name', 'Observer One', '--db', db], {
      env: { PARLEY_PASSWORD: 'observer-password' },
    });
    assert.equal(add.code, 0, add.stderr);
    const bad = cli(['user', 'add', 'focal.x', '--role', 'focal_point', '--db', db], { env: { PARLEY_PASSWORD: 'long-enough-pw' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /state/);
    const list = cli(['user', 'list', '--db', db]);
    assert.match(list.stdout, /^observer\.one\tobserver\t-\t-\tactive$/m);

    const server = await startServer({ dir, demo: false });
    const obs = new Client(server.base);
    assert.equal((await obs.signIn('observer.one', 'observer-password')).status, 201);
    assert.equal((await obs.get('/api/v1/contacts?state=KAZ')).status, 200);
    expectProblem(assert, await obs.post('/api/v1/contacts', { state: 'KAZ', name: 'N', type: 'policy', availability: '24/7' }), 403);

    assert.equal(cli(['user', 'passwd', 'observer.one', '--db', db], { input: 'a-new-password\n' }).code, 0);
    // Sessions end with a password change; the server notices another process's write
    // within a quarter of a second (storage::Database::generation), so wait for it.
    let me;
    for (let i = 0; i < 40; i++) {
      me = await obs.get('/api/v1/me');
      if (me.status === 401) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expectProblem(assert, me, 401);
    assert.equal((await new Client(server.base).signIn('observer.one', 'a-new-password')).status, 201);
    assert.equal(cli(['user', 'disable', 'observer.one', '--db', db]).code, 0);
    expectProblem(assert, await new Client(server.base).signIn('observer.one', 'a-new-password'), 401);
    await server.stop();
  });

  it('reports the first broken link when history is rewritten', () => {
    sql(db, `${dropTrigger(db, 'journal_no_update', 'journal')} UPDATE journal SET actor = 'user:mallory' WHERE seq = 5;`);
    const v = cli(['journal', 'verify', '--db', db]);
    assert.equal(v.code, 1);
    assert.match(v.stdout, /journal BROKEN at entry 5: .*altered.*\(4 entries before it are intact\)/);
  });

  it('refuses a database URL it does not know', () => {
    const r = cli(['migrate', '--db', 'mysql://x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown database URL scheme/);
  });
});
