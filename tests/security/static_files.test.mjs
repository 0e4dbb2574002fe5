// Findings 1 and 2: the console's static files were read from whatever path the request
// named, so "//etc/passwd" (an absolute path joined to web/dist is that absolute path)
// served any file the process could read — the database included. Reading the
// database through a second file descriptor and closing it also dropped SQLite's POSIX
// locks, after which a CLI command deleted the live WAL and the server's next writes
// were lost on a crash. The fixed server serves an index of web/dist built at start.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE, cli, signedIn, startServer, tempDir } from '../lib/harness.mjs';
import { MB, alive, dbPath, measuredEnv, rawGet, rss, sleep, writeConfig } from '../lib/attack.mjs';

const INDEX = readFileSync(join(SOURCE, 'web/dist/index.html'));

let server;
before(async () => {
  // The server runs in its data directory, so that /proc/self/cwd/parley.db is the database.
  // (The web root is named in a configuration file: without one, `serve` ignores
  // --web-root and looks for web/dist from its working directory and its executable.)
  const dir = tempDir();
  const config = writeConfig(dir, `[server]\nweb_root = ${JSON.stringify(join(SOURCE, 'web/dist'))}\n`);
  server = await startServer({ dir, cwd: dir, env: measuredEnv(), extraArgs: ['--config', config] });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

// Never the file: a 404, or the console's own index.html (the SPA fallback).
function assertNotServed(res, path) {
  const body = res.body.toString('latin1');
  assert.ok(!body.includes('root:x:0:0'), `${path} served /etc/passwd`);
  assert.ok(!body.includes('SQLite format 3'), `${path} served the database`);
  assert.ok(!/PARLEY_|PATH=|HOME=/.test(body), `${path} served an environment`);
  if (res.status === 200) {
    assert.ok(res.body.equals(INDEX), `${path}: a 200 may only be web/dist/index.html, got ${JSON.stringify(body.slice(0, 200))}`);
  } else {
    assert.equal(res.status, 404, `${path}: ${res.status} ${body.slice(0, 200)}`);
  }
}

describe('finding 1: static files come only from web/dist', () => {
  it('refuses absolute, encoded and traversing paths to files outside web/dist, the database among them', async () => {
    const db = dbPath(server);
    const paths = [
      '//etc/passwd',
      '/%2Fetc%2Fpasswd',
      '/%2fetc/passwd',
      '//proc/self/environ',
      '/%2Fproc%2Fself%2Fenviron',
      '/..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../../etc/passwd',
      '/assets/..%2F..%2F..%2Fetc%2Fpasswd',
      '/.%2e/.%2e/.%2e/etc/passwd',
      '//proc/self/cwd/parley.db',
      '//proc/self/cwd/parley.db-wal',
      '//proc/self/root' + db,
      '/' + db,
      '/' + db + '-wal',
      '/' + encodeURIComponent(db),
      '/' + encodeURIComponent(db + '-wal'),
      '/%2F' + db.slice(1),
    ];
    for (const p of paths) assertNotServed(await rawGet(server.base, p), p);
    assert.ok(alive(server.child.pid));
  });

  it('still serves the console itself', async () => {
    const index = await rawGet(server.base, '/');
    assert.equal(index.status, 200);
    assert.ok(index.body.equals(INDEX));
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(INDEX.toString())[1];
    const js = await rawGet(server.base, asset);
    assert.equal(js.status, 200);
    assert.ok(js.body.equals(readFileSync(join(SOURCE, 'web/dist', asset))));
  });

  it('3,000 distinct nonexistent paths do not grow its memory by more than 20 MB', async () => {
    // Long paths, each a different file name, some with an extension (a 404) and some
    // without (the SPA fallback): a cache of misses keyed by path would keep them all.
    const get = (i) => fetch(`${server.base}/assets/${'n'.repeat(2000)}-${i}${i % 2 ? '.js' : ''}`).then((r) => r.arrayBuffer());
    // Four at a time, on four keep-alive connections.
    const run = async (prefix, n) => {
      let next = 0;
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (next < n) await get(`${prefix}${next++}`);
      }));
    };
    await run('warm-', 500);   // the allocator's own steady state first
    const before = rss(server.child.pid);
    await run('', 3000);
    await sleep(200);
    const grown = rss(server.child.pid) - before;
    assert.ok(grown < 20 * MB, `RSS grew by ${(grown / MB).toFixed(1)} MB`);
  });
});

describe('finding 2: the database keeps its locks and its WAL', () => {
  it('after those requests and a CLI command, 20 acknowledged writes survive a SIGKILL', async () => {
    const db = dbPath(server);
    // The attack of finding 1 once more: the database and its WAL through the web root.
    for (const p of ['/' + db, '/' + db + '-wal', '//proc/self/cwd/parley.db', '//proc/self/cwd/parley.db-wal'])
      await rawGet(server.base, p);
    const verify = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.ok(existsSync(`${db}-wal`), 'the WAL of the running server still exists after the CLI closed the database');

    const kaz = await signedIn(server.base, 'poc.kaz');
    const subjects = [];
    for (let i = 0; i < 20; i++) {
      const subject = `Durability after the static-file attack ${i} ${Date.now()}`;
      const r = await kaz.post('/api/v1/communications', {
        type: 'notification', recipients: ['UZB'], subject, description: 'Acknowledged means on disk.', severity: 1, tlp: 'TLP:GREEN',
      });
      assert.equal(r.status, 201, r.text);
      subjects.push(subject);
    }
    assert.ok(existsSync(`${db}-wal`), 'the WAL exists while the server writes');
    server.child.kill('SIGKILL');
    await server.stop();

    const again = await startServer({ dir: server.dir, demo: false });
    try {
      const kaz2 = await signedIn(again.base, 'poc.kaz');
      const sent = await kaz2.get('/api/v1/communications?box=sent&limit=200');
      assert.equal(sent.status, 200, sent.text);
      const have = new Set(sent.json.items.map((c) => c.subject));
      const lost = subjects.filter((s) => !have.has(s));
      assert.deepEqual(lost, [], `${lost.length} of 20 acknowledged writes were lost`);
      assert.equal(cli(['journal', 'verify', '--db', again.db]).code, 0);
    } finally {
      await again.stop();
    }
  });
});
