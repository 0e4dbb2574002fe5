// Findings 5 and 9: the upload routes (a STIX bundle to /api/v1/exchange/objects or to a
// TAXII collection, up to 1 GiB) read and spooled the whole body to /tmp before the
// route's Guard ran, so anybody could fill the disk without an account, and any number
// of uploads could run at once; and one STIX object was held in memory whole, so one
// 20 MB object in a bundle cost the server memory in proportion. The fixed server
// authorizes an upload from its headers, spools it under the data directory with
// per-user and total caps, and refuses an object over 8 MiB (and its bundle).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { cli, eventually, signedIn, startServer } from '../lib/harness.mjs';
import { MB, alive, isProblem, listDir, measuredEnv, rawConnection, rss, sleep } from '../lib/attack.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const GiB = 1024 * 1024 * 1024;

let server;
let spoolTmp;        // the server's TMPDIR: where today's binary spools uploads
let uploads;         // <directory of the database>/uploads: where the fixed one does
let forumCollection;
const tokens = {};

before(async () => {
  spoolTmp = mkdtempSync(join(tmpdir(), 'parley-sec-tmp-'));
  server = await startServer({ env: measuredEnv({ TMPDIR: spoolTmp }) });
  uploads = join(server.dir, 'uploads');
  for (const name of ['poc.kaz', 'poc.uzb', 'poc.tha', 'focal.kaz', 'poc.kgz', 'poc.jpn']) {
    const c = await signedIn(server.base, name);
    const t = await c.post('/api/v1/me/tokens', { name: 'uploads' });
    assert.equal(t.status, 201, t.text);
    tokens[name] = t.json.token;
    if (name === 'poc.kaz') forumCollection = (await c.get('/api/v1/exchange/collections?forum=CICA')).json.collections.find((x) => x.kind === 'forum');
  }
  const add = cli(['user', 'add', 'observer.sec', '--role', 'observer', '--db', server.db], { env: { PARLEY_PASSWORD: 'observer-password' } });
  assert.equal(add.code, 0, add.stderr);
  const t = cli(['token', 'create', 'observer.sec', '--db', server.db]);
  assert.equal(t.code, 0, t.stderr);
  tokens['observer.sec'] = t.stdout.trim();
});

after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(spoolTmp, { recursive: true, force: true });
});

// Spool files in the server's TMPDIR, or new ones in /tmp itself (should it ignore TMPDIR).
const tmpBefore = new Set(listDir('/tmp').filter((f) => f.startsWith('parley-upload-')));
const spooledInTmp = () => listDir(spoolTmp).filter((f) => f.startsWith('parley-upload-'))
  .concat(listDir('/tmp').filter((f) => f.startsWith('parley-upload-') && !tmpBefore.has(f)));

const ROUTES = {
  api: () => ({ path: '/api/v1/exchange/objects?forum=CICA', type: 'application/json', accept: 'application/json' }),
  taxii: () => ({ path: `/taxii2/CICA/collections/${forumCollection.id}/objects/`, type: TAXII, accept: TAXII }),
};

// Sends the request line and headers of an upload (and `bodyBytes` of its body), and
// leaves the connection open.
async function startUpload(route, { authorization, length = GiB, bodyBytes = 0 } = {}) {
  const { path, type, accept } = ROUTES[route]();
  const c = await rawConnection(server.base);
  const head = [`POST ${path} HTTP/1.1`, `Host: ${new URL(server.base).host}`, `Content-Type: ${type}`, `Accept: ${accept}`,
    `Content-Length: ${length}`];
  if (authorization) head.push(`Authorization: ${authorization}`);
  await c.write(`${head.join('\r\n')}\r\n\r\n`);
  if (bodyBytes > 0) {
    const prefix = `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`;
    await c.write(Buffer.concat([Buffer.from(prefix), Buffer.alloc(bodyBytes - prefix.length, 0x20)]));
  }
  return c;
}

describe('finding 5: uploads are authorized before the body, spooled in the data directory, and capped', () => {
  for (const route of ['api', 'taxii']) {
    it(`${route}: anonymous, a bad token, a non-member and an observer are refused from the headers alone`, async () => {
      const callers = [
        ['anonymous', undefined, [401]],
        ['a bad token', `Bearer pk_${'A'.repeat(43)}`, [401]],
        ['a bad Basic password', `Basic ${Buffer.from(`poc.kaz:pk_${'B'.repeat(43)}`).toString('base64')}`, [401]],
        ['poc.jpn (not a CICA member)', `Bearer ${tokens['poc.jpn']}`, [403, 404]],
        ['an observer', `Bearer ${tokens['observer.sec']}`, [403, 404]],
      ];
      // All at once: each waits for its answer without sending a byte of its body, and
      // the spool is looked at while the connections are still open.
      const conns = await Promise.all(callers.map(([, authorization]) => startUpload(route, { authorization })));
      try {
        const answers = await Promise.all(conns.map((c) => c.response(10000).catch((e) => e)));
        assert.deepEqual(listDir(uploads), [], 'nothing was spooled in the data directory');
        assert.deepEqual(spooledInTmp(), [], 'nothing was spooled in the temporary directory');
        for (const [i, [who, , statuses]] of callers.entries()) {
          const res = answers[i];
          assert.ok(!(res instanceof Error), `${who}: ${res.message}`);
          assert.ok(statuses.includes(res.status), `${who}: expected ${statuses}, got ${res.status} ${res.text.slice(0, 200)}`);
          assert.ok(isProblem(res, ROUTES[route]().path), `${who}: a problem answer`);
        }
      } finally {
        for (const c of conns) c.destroy();
      }
    });
  }

  it('an authorized upload is spooled under <data dir>/uploads while it arrives, and removed after', async () => {
    const c = await startUpload('api', { authorization: `Bearer ${tokens['poc.kaz']}`, length: 64 * MB, bodyBytes: MB });
    try {
      const spooled = await eventually(() => listDir(uploads).length > 0, 5000);
      assert.ok(spooled, `no file under ${uploads} while the upload is half sent (in TMPDIR: ${JSON.stringify(spooledInTmp())})`);
      assert.deepEqual(spooledInTmp(), [], 'and none in the temporary directory');
    } finally {
      c.destroy();
    }
    assert.ok(await eventually(() => listDir(uploads).length === 0, 10000), `the spool file stays after the upload ended: ${listDir(uploads)}`);
  });

  it('at most 2 concurrent uploads per user and 8 in all: the next one is a 429 problem', async () => {
    const open = [];
    try {
      const half = (user) => startUpload('api', { authorization: `Bearer ${tokens[user]}`, length: 64 * MB, bodyBytes: 256 * 1024 });
      open.push(await half('poc.kaz'), await half('poc.kaz'));
      assert.ok(await eventually(() => listDir(uploads).length >= 2, 5000), 'two uploads of poc.kaz are under way');
      const third = await startUpload('api', { authorization: `Bearer ${tokens['poc.kaz']}`, length: 64 * MB });
      open.push(third);
      let res;
      try {
        res = await third.response(10000);
      } catch (e) {
        assert.fail(`a third concurrent upload of one user: ${e.message}`);
      }
      assert.equal(res.status, 429, res.text.slice(0, 200));
      assert.ok(isProblem(res));
      // The same route by TAXII counts towards the same cap.
      const viaTaxii = await startUpload('taxii', { authorization: `Bearer ${tokens['poc.kaz']}`, length: 64 * MB });
      open.push(viaTaxii);
      assert.equal((await viaTaxii.response(10000)).status, 429);

      for (const user of ['poc.uzb', 'poc.tha', 'focal.kaz']) open.push(await half(user), await half(user));
      assert.ok(await eventually(() => listDir(uploads).length >= 8, 5000), `eight uploads are under way (${listDir(uploads).length} spooled)`);
      const ninth = await startUpload('api', { authorization: `Bearer ${tokens['poc.kgz']}`, length: 64 * MB });
      open.push(ninth);
      let nine;
      try {
        nine = await ninth.response(10000);
      } catch (e) {
        assert.fail(`a ninth concurrent upload: ${e.message}`);
      }
      assert.equal(nine.status, 429, nine.text.slice(0, 200));
      assert.ok(isProblem(nine));
    } finally {
      for (const c of open) c.destroy();
    }
    assert.ok(await eventually(() => listDir(uploads).length === 0, 10000), `spool files stay: ${listDir(uploads)}`);
    // Once they are over, the user uploads again.
    const kaz = await signedIn(server.base, 'poc.kaz');
    const ok = await kaz.post('/api/v1/exchange/objects?forum=CICA', {
      type: 'bundle', id: `bundle--${randomUUID()}`,
      objects: [{ type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2024-05-01T10:00:00.000Z', modified: '2024-05-01T10:00:00.000Z',
        pattern: "[ipv4-addr:value = '198.51.100.90']", pattern_type: 'stix', valid_from: '2024-05-01T10:00:00Z', object_marking_refs: [GREEN] }],
    });
    assert.equal(ok.status, 201, ok.text);
  });
});

describe('finding 9: one STIX object over 8 MiB', () => {
  // A bundle's objects are validated one by one (an invalid one is rejected and named,
  // the valid ones stored): an object over 8 MiB is one more rejected object, read past
  // without being held in memory.
  it('is rejected naming it, without being held: the server stays small and the objects beside it are stored', async () => {
    const indicator = (value) => ({
      type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2024-05-01T10:00:00.000Z', modified: '2024-05-01T10:00:00.000Z',
      name: 'beside a huge note', pattern: `[ipv4-addr:value = '${value}']`, pattern_type: 'stix', valid_from: '2024-05-01T10:00:00Z', object_marking_refs: [GREEN],
    });
    const before = indicator('198.51.100.91');
    const afterIt = indicator('198.51.100.92');
    const note = {
      type: 'note', spec_version: '2.1', id: `note--${randomUUID()}`, created: '2024-05-01T10:00:00.000Z', modified: '2024-05-01T10:00:00.000Z',
      content: 'x'.repeat(20 * 1000 * 1000), object_refs: [before.id], object_marking_refs: [GREEN],
    };
    const body = Buffer.from(JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [before, note, afterIt] }));
    const residentBefore = rss(server.child.pid);
    const c = await rawConnection(server.base);
    let res;
    try {
      await c.write([`POST /api/v1/exchange/objects?forum=CICA HTTP/1.1`, `Host: ${new URL(server.base).host}`, 'Content-Type: application/json',
        `Authorization: Bearer ${tokens['poc.kaz']}`, `Content-Length: ${body.length}`, 'Connection: close'].join('\r\n') + '\r\n\r\n');
      // The server may answer before it has read everything; stop writing then.
      for (let at = 0; at < body.length && !c.closed; at += MB) await c.write(body.subarray(at, at + MB));
      res = await c.response(120000);
    } finally {
      c.destroy();
    }
    assert.equal(res.status, 200, `partly stored: ${res.text.slice(0, 300)}`);
    const outcome = JSON.parse(res.text);
    assert.equal(outcome.rejected, 1, res.text.slice(0, 300));
    const failure = outcome.failures.find((f) => f.id === note.id);
    assert.ok(failure, `the rejection names the object: ${res.text.slice(0, 300)}`);
    assert.match(failure.rule ?? failure.message ?? JSON.stringify(failure), /8 MiB/);
    const kaz = await signedIn(server.base, 'poc.kaz');
    assert.equal((await kaz.get(`/api/v1/exchange/objects/${note.id}?forum=CICA`)).status, 404, 'the huge note was not stored');
    for (const o of [before, afterIt])
      assert.equal((await kaz.get(`/api/v1/exchange/objects/${o.id}?forum=CICA`)).status, 200, 'the objects beside it were stored');
    await sleep(500);
    assert.ok(alive(server.child.pid));
    // Measured against the server's own size just before the upload (under ASan that
    // size depends on everything the earlier tests did): the 20 MB note, held whole and
    // parsed once, would add at least 40 MB. Observed on 2 cores under ASan: about 19 MB
    // (an object is buffered up to its 8 MiB limit before it is refused).
    const grown = rss(server.child.pid) - residentBefore;
    assert.ok(grown < 30 * MB, `RSS grew by ${(grown / MB).toFixed(0)} MB during the upload`);
  });
});
