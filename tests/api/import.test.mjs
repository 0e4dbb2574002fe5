// `parley import stix` against the real binary and SQLite file, beside a running server:
// a bulk import killed midway leaves a consistent database, and running it again
// completes it without storing anything twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, SOURCE, cli, onPostgres, signedIn, sql, startServer, withDataDir } from '../lib/harness.mjs';

const N = 200000;
let server;
let file;
let values;


before(async () => {
  server = await startServer();
  file = join(server.dir, 'indicators.json');
  values = join(server.dir, 'values.txt');
  const gen = spawnSync('node', [join(SOURCE, 'bench/stix_bundle.mjs'), String(N), file, values], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

describe('parley import stix', () => {
  it('killed midway, leaves whole batches only; run again, completes without duplicates', async () => {
    const demo = Number(sql(server.db, 'SELECT count(*) FROM stix_objects'));   // the demo's objects
    const child = spawn(BIN, withDataDir(['import', 'stix', '--db', server.db, '--forum', 'CICA', '--producer', 'KAZ', file]), { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
    // Kill it once some batches are in, before the end.
    let stored = 0;
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      stored = Number(sql(server.db, 'SELECT count(*) FROM stix_objects') || 0) - demo;
      if (stored > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL', 'the import was killed, not finished');
    stored = Number(sql(server.db, 'SELECT count(*) FROM stix_objects')) - demo;
    assert.ok(stored > 0 && stored < N, `part of the bundle is in (${stored})`);
    assert.equal(stored % 50000, 0, 'only whole batches were committed');
    // SQLite: the file the killed process wrote is checked page by page. (PostgreSQL's
    // files are written by its server alone, which the kill did not touch.)
    if (!onPostgres()) assert.equal(sql(server.db, 'PRAGMA integrity_check'), 'ok');
    const verify = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);

    const again = cli(['import', 'stix', '--db', server.db, '--forum', 'CICA', '--producer', 'KAZ', file]);
    assert.equal(again.code, 0, again.stderr);
    const m = again.stdout.match(/(\d+) objects read .*: (\d+) stored, (\d+) already there, (\d+) refused/);
    assert.ok(m, again.stdout);
    assert.equal(Number(m[1]), N);
    assert.equal(Number(m[2]), N - stored, 'the re-run stores only what was missing');
    assert.equal(Number(m[3]), stored);
    assert.equal(Number(sql(server.db, 'SELECT count(*) FROM stix_objects')), demo + N);
    assert.equal(sql(server.db, 'SELECT count(*) FROM (SELECT 1 FROM stix_objects GROUP BY collection_id, stix_id, version_key HAVING count(*) > 1) AS dup'), '0');
    assert.equal(cli(['journal', 'verify', '--db', server.db]).code, 0);
  });

  it('what the CLI imported, the running server serves, under the same access rules', async () => {
    const kaz = await signedIn(server.base, 'poc.kaz');
    const found = await kaz.get('/api/v1/exchange/objects?forum=CICA&q=Benchmark%20indicator%20199999');
    assert.equal(found.status, 200, found.text);
    assert.equal(found.json.objects.length, 1);
    assert.equal(found.json.objects[0].producer_state, 'KAZ');
    const jpn = await signedIn(server.base, 'poc.jpn');
    const none = await jpn.get('/api/v1/exchange/objects?forum=CICA&q=Benchmark%20indicator%20199999');
    assert.equal(none.json.objects.length, 0, 'a state outside the forum sees nothing');
  });

  it('parley match reports exactly the indicators a log hits, from the database or a bundle, within a user\'s scope', async () => {
    // Indicators k of the generated bundle: its objects are one per line, in order.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const objects = readFileSync(file, 'utf8').split('\n');
    const vals = readFileSync(values, 'utf8').split('\n');
    const picks = [4, 1001, 150002, 199999];   // an address, a domain, a URL, a hash
    const ids = picks.map((k) => JSON.parse(objects[k + 1].replace(/,$/, '')).id);
    const log = join(server.dir, 'firewall.log');
    writeFileSync(log, [
      `Nov 23 10:00:01 fw1 DROP src=192.168.1.7:5353 dst=${vals[4]}:443`,
      'Nov 23 10:00:02 fw1 ACCEPT src=192.168.1.7 dst=192.0.2.44:443 host=www.example.com',
      `{"event":"dns","query":"${vals[1001].toUpperCase()}"}`,
      `2026-11-23T10:00:03Z,proxy,GET,${vals[150002]},200`,
      `av quarantined ${vals[199999]} in C:\\Temp\\x.exe`,
      `near misses: ${vals[4]}.9 and x${vals[1001]}`,
    ].join('\n') + '\n');
    const expected = [`1\t${ids[0]}`, `3\t${ids[1]}`, `4\t${ids[2]}`, `5\t${ids[3]}`];
    const fromDb = cli(['match', '--db', server.db, '--forum', 'CICA', log]);
    assert.equal(fromDb.code, 1, fromDb.stderr);
    assert.deepEqual(fromDb.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2).join('\t')), expected);
    assert.match(fromDb.stderr, new RegExp(`${N + 2} indicators loaded`), 'the import and the demo\'s two');
    const fromFile = cli(['match', '--indicators', file, '--format', 'json', log]);
    assert.deepEqual(fromFile.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((h) => `${h.line}\t${h.indicator}`), expected);
    const outsider = cli(['match', '--db', server.db, '--forum', 'CICA', '--as', 'poc.jpn', log]);
    assert.equal(outsider.code, 0, 'a user outside the forum matches nothing');
    assert.match(outsider.stderr, /^0 indicators loaded/m);
    // A pattern Parley does not support is reported, not silently ignored.
    const bundleFile = join(server.dir, 'followed.json');
    writeFileSync(bundleFile, JSON.stringify({ type: 'bundle', id: 'bundle--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1e', objects: [
      { type: 'indicator', spec_version: '2.1', id: 'indicator--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1e', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
        pattern: "[ipv4-addr:value = '192.0.2.44'] FOLLOWEDBY [domain-name:value = 'www.example.com']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' },
    ] }));
    const followed = cli(['match', '--indicators', bundleFile, log]);
    assert.equal(followed.code, 0);
    assert.match(followed.stderr, /indicator--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1e not used: FOLLOWEDBY is not supported/);
    assert.match(followed.stderr, /1 refused/);
  });

  it('refuses a file that is not a bundle, names an unknown forum, and reports refused objects', async () => {
    const bad = cli(['import', 'stix', '--db', server.db, '--forum', 'CICA', '-'], { input: '{"objects": [1]}' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a STIX bundle/);
    const forum = cli(['import', 'stix', '--db', server.db, '--forum', 'NOPE', '-'], { input: '{"objects": []}' });
    assert.equal(forum.code, 2);
    assert.match(forum.stderr, /NOPE/);
    const unmarked = cli(['import', 'stix', '--db', server.db, '--forum', 'CICA', '--scope', 'KAZ,UZB', '-'], {
      input: JSON.stringify({ type: 'bundle', id: 'bundle--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1d', objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--6b3c7b9a-1a8e-4d1f-9c4a-7a0f9e3b2c1d', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' }] }),
    });
    assert.equal(unmarked.code, 1);
    assert.match(unmarked.stderr, /indicator--6b3c7b9a.*object_marking_refs/);
    assert.match(unmarked.stdout, /0 stored, 0 already there, 1 refused; collection .* \(CICA: KAZ UZB\)/);
  });
});
