// The threat exchange over the real server: STIX bundles stored object by object and
// kept verbatim, every emitted object checked against the OASIS schemas with ajv, the
// TLP 2.0 x sharing-scope matrix on every read path, and the TAXII 2.1 server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, SOURCE, expectProblem, onPostgres, openStream, rawRequest, signedIn, sql, startServer, timedFetch } from '../lib/harness.mjs';
import { validate } from '../lib/stix_schemas.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const TLP = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const CALLERS = ['poc.kaz', 'poc.uzb', 'focal.uzb', 'secretariat.cica', 'poc.tha', 'poc.jpn', 'admin'];

let server;
const tmpSpy = mkdtempSync(join(tmpdir(), 'parley-tmp-'));   // the server's TMPDIR: uploads must not go there
const u = {};        // signed-in clients (cookie)
const tokens = {};   // API tokens, for TAXII Basic and Bearer

before(async () => {
  server = await startServer({ env: { TMPDIR: tmpSpy } });
  // Only Parley's own ANALYZE keeps the planner's statistics here (the paging test).
  if (onPostgres()) sql(server.db, 'ALTER TABLE stix_objects SET (autovacuum_enabled = false)');
  for (const name of [...CALLERS, 'focal.kaz']) {
    u[name] = await signedIn(server.base, name);
    const t = await u[name].post('/api/v1/me/tokens', { name: 'taxii', expires_in_days: 1 });
    assert.equal(t.status, 201, t.text);
    tokens[name] = t.json.token;
  }
});

after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(tmpSpy, { recursive: true, force: true });
});

function indicator({ tlp = 'GREEN', id = `indicator--${randomUUID()}`, modified = '2024-05-01T10:00:00.000Z', name = 'ind', value = '198.51.100.7' } = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2024-05-01T10:00:00.000Z',
    modified,
    name,
    pattern: `[ipv4-addr:value = '${value}']`,
    pattern_type: 'stix',
    valid_from: '2024-05-01T10:00:00Z',
    object_marking_refs: [TLP[tlp]],
  };
}
const bundle = (objects) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });

// A TAXII client as taxii2-client is: Basic with username and API token, TAXII Accept.
function taxii(name, method, path, { body, headers = {} } = {}) {
  const h = { Accept: TAXII, ...headers };
  if (name) h.Authorization = `Basic ${Buffer.from(`${name}:${tokens[name]}`).toString('base64')}`;
  if (body !== undefined) h['Content-Type'] ??= TAXII;
  return timedFetch(server.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (res) => {
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, text, json };
  });
}

async function forumCollection() {
  const r = await u['poc.kaz'].get('/api/v1/exchange/collections?forum=CICA');
  assert.equal(r.status, 200, r.text);
  return r.json.collections.find((c) => c.kind === 'forum');
}

describe('storing STIX bundles', () => {
  it('stores the valid objects, names each refused one by id, property and rule, and keeps the JSON verbatim', async () => {
    const good = indicator({ name: 'verbatim' });
    good.x_parley_score = 1.50;   // JSON.stringify writes 1.5; the raw text below keeps 1.50
    const bad = indicator();
    delete bad.pattern;
    const unmarked = indicator();
    delete unmarked.object_marking_refs;
    const tlp1 = indicator({});
    tlp1.object_marking_refs = ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'];
    const text = JSON.stringify(bundle([good, bad, unmarked, tlp1]), null, 2).replace('"x_parley_score": 1.5', '"x_parley_score": 1.50');
    const r = await u['poc.kaz'].request('POST', '/api/v1/exchange/objects?forum=CICA', { raw: text, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.stored, 1);
    assert.equal(r.json.rejected, 3);
    assert.deepEqual(r.json.successes.map((s) => s.id), [good.id]);
    const failure = (id) => r.json.failures.find((f) => f.id === id);
    assert.equal(failure(bad.id).property, 'pattern');
    assert.match(failure(bad.id).rule, /required/);
    assert.equal(failure(unmarked.id).property, 'object_marking_refs');
    assert.match(failure(unmarked.id).rule, /TLP 2\.0/);
    assert.match(failure(tlp1.id).rule, /TLP:CLEAR/);

    const read = await u['poc.uzb'].get(`/api/v1/exchange/objects/${good.id}?forum=CICA`);
    assert.equal(read.status, 200, read.text);
    assert.ok(read.text.includes(JSON.stringify(good).replace('"x_parley_score":1.5', '"x_parley_score":1.50')),
      'the object comes back byte for byte as sent, apart from whitespace');
    for (const id of [bad.id, unmarked.id]) assert.equal((await u['poc.uzb'].get(`/api/v1/exchange/objects/${id}?forum=CICA`)).status, 404);
  });

  it('answers 422 when nothing is valid, 400 for a body that is not a bundle, 415 for another media type', async () => {
    const bad = indicator();
    bad.valid_from = 'yesterday';
    const none = await u['poc.kaz'].post('/api/v1/exchange/objects?forum=CICA', bundle([bad]));
    const p = expectProblem(assert, none, 422, 'objects.0.valid_from');
    assert.match(p.errors[0].reason, new RegExp(bad.id));
    const broken = await u['poc.kaz'].request('POST', '/api/v1/exchange/objects?forum=CICA', { raw: '{"objects": [{"a": 1}, 2]}', headers: { 'Content-Type': 'application/json' } });
    expectProblem(assert, broken, 400, 'objects');
    const xml = await u['poc.kaz'].request('POST', '/api/v1/exchange/objects?forum=CICA', { raw: '<stix/>', headers: { 'Content-Type': 'application/xml' } });
    expectProblem(assert, xml, 415);
    const unknown = await u['poc.kaz'].post('/api/v1/exchange/objects?forum=NOPE', bundle([indicator()]));
    expectProblem(assert, unknown, 404);
  });

  it('emits objects that validate against the OASIS STIX 2.1 schemas, for every OASIS example', async () => {
    const dir = join(SOURCE, 'tests/interop/stix2-json-schemas/examples');
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)),
      ...readdirSync(join(dir, 'threat-reports')).map((f) => join(dir, 'threat-reports', f))];
    // A collection of its own, so that what is read back is exactly what was sent.
    const created = await u['focal.kaz'].post('/api/v1/exchange/collections?forum=CICA', { title: 'OASIS examples', kind: 'states', states: ['KAZ'] });
    assert.equal(created.status, 201, created.text);
    const sent = new Map();
    for (const file of files) {
      // Parley requires a TLP 2.0 marking and refuses TLP 1.0's (the first test): the test
      // marks each example TLP:GREEN in place of what it had.
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const objects = (doc.type === 'bundle' ? doc.objects : [doc]).map((o) => ({ ...o, object_marking_refs: [TLP.GREEN] }));
      const r = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${created.json.id}`, bundle(objects));
      assert.equal(r.status, 201, `${file}: ${r.text.slice(0, 500)}`);
      for (const o of objects) sent.set(`${o.id} ${o.modified ?? o.created ?? ''}`, o);
    }
    assert.ok(sent.size > 250);
    // Read everything back through TAXII, page by page, and validate each object.
    const got = [];
    let next = '';
    for (;;) {
      const page = await taxii('poc.kaz', 'GET', `/taxii2/CICA/collections/${created.json.id}/objects/?match[version]=all&limit=100${next}`);
      assert.equal(page.status, 200, page.text);
      got.push(...(page.json.objects ?? []));
      if (!page.json.more) break;
      next = `&next=${page.json.next}`;
    }
    assert.equal(got.length, sent.size);
    for (const o of got) {
      assert.deepEqual(validate(o), [], `${o.id} does not validate`);
      assert.deepEqual(o, sent.get(`${o.id} ${o.modified ?? o.created ?? ''}`), `${o.id} came back changed`);
    }
    // The export is a bundle that validates too, marking definitions included.
    const exp = await u['poc.kaz'].get(`/api/v1/exchange/export?forum=CICA&collection=${created.json.id}`);
    assert.equal(exp.status, 200);
    assert.deepEqual(validate(exp.json), []);
    for (const o of exp.json.objects) assert.deepEqual(validate(o), [], `${o.id} in the export`);
    assert.ok(exp.json.objects.some((o) => o.id === TLP.GREEN));
  });

  it('the schema check itself refuses what is wrong (so the test above can fail)', () => {
    const o = indicator();
    delete o.pattern;
    assert.notDeepEqual(validate(o), []);
  });
});

describe('hotline communications refer to exchange objects', () => {
  it('keeps valid STIX ids and refuses others by field', async () => {
    const base = { type: 'notification', recipients: ['UZB'], subject: 'Indicators shared', description: 'See the exchange.', severity: 2, tlp: 'TLP:GREEN' };
    const bad = await u['poc.kaz'].post('/api/v1/communications', { ...base, stix_refs: ['incident--not-a-uuid'] });
    expectProblem(assert, bad, 422, 'stix_refs.0');
    const id = `incident--${randomUUID()}`;
    const sent = await u['poc.kaz'].post('/api/v1/communications', { ...base, stix_refs: [id] });
    assert.equal(sent.status, 201, sent.text);
    assert.deepEqual(sent.json.stix_refs, [id]);
    assert.deepEqual((await u['poc.uzb'].get(`/api/v1/communications/${sent.json.id}`)).json.stix_refs, [id]);
  });
});

describe('TLP 2.0 and sharing scopes on every read path', () => {
  // Labels each caller must see, written from the rules (docs/architecture.md, exchange):
  // the producer and the named recipient see all; the other people of the states in
  // scope all but RED; the secretariat CLEAR, GREEN and AMBER; everybody else nothing.
  const BILATERAL = {
    'poc.kaz': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'],
    'poc.uzb': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'],
    'focal.uzb': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'],
    'secretariat.cica': ['CLEAR', 'GREEN', 'AMBER'],
    'poc.tha': [],
    'poc.jpn': [],
    admin: [],
  };
  const FORUM = {
    'poc.kaz': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'],
    'poc.uzb': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'],
    'focal.uzb': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'],
    'secretariat.cica': ['CLEAR', 'GREEN', 'AMBER'],
    'poc.tha': ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'],
    'poc.jpn': [],
    admin: [],
  };
  const tag = `matrix-${randomUUID().slice(0, 8)}`;
  const objects = { bilateral: {}, forum: {} };   // label -> object
  let bilateral;
  let forum;
  const streams = {};

  before(async () => {
    for (const name of CALLERS) streams[name] = await openStream(server.base, u[name]);
    const created = await u['focal.kaz'].post('/api/v1/exchange/collections?forum=CICA', {
      title: 'KAZ-UZB', kind: 'bilateral', states: ['KAZ', 'UZB'], people: ['poc.uzb'],
    });
    assert.equal(created.status, 201, created.text);
    bilateral = created.json;
    forum = await forumCollection();
    for (const label of Object.keys(TLP)) objects.bilateral[label] = indicator({ tlp: label, name: `${tag} bilateral ${label}` });
    for (const label of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT']) objects.forum[label] = indicator({ tlp: label, name: `${tag} forum ${label}` });
    const a = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${bilateral.id}`, bundle(Object.values(objects.bilateral)));
    assert.equal(a.status, 201, a.text);
    const b = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${forum.id}`, bundle(Object.values(objects.forum)));
    assert.equal(b.status, 201, b.text);
  });

  after(async () => {
    for (const s of Object.values(streams)) await s.close();
  });

  const labelsOf = (scope, ids) => Object.entries(objects[scope]).filter(([, o]) => ids.includes(o.id)).map(([l]) => l);
  const expected = (scope, name) => (scope === 'bilateral' ? BILATERAL : FORUM)[name];
  const collectionOf = (scope) => (scope === 'bilateral' ? bilateral : forum);

  const paths = {
    'API search': async (name, scope) => {
      const r = await u[name].get(`/api/v1/exchange/objects?forum=CICA&q=${encodeURIComponent(`${tag} ${scope}`)}`);
      if (r.status === 404) return [];
      assert.equal(r.status, 200, r.text);
      return labelsOf(scope, r.json.objects.map((o) => o.id));
    },
    'API object by id': async (name, scope) => {
      const seen = [];
      for (const [label, o] of Object.entries(objects[scope])) {
        const r = await u[name].get(`/api/v1/exchange/objects/${o.id}?forum=CICA`);
        assert.ok([200, 404].includes(r.status), r.text);
        if (r.status === 200) seen.push(label);
      }
      return seen;
    },
    'API export': async (name, scope) => {
      const r = await u[name].get('/api/v1/exchange/export?forum=CICA');
      if (r.status === 404) return [];
      return labelsOf(scope, r.json.objects.map((o) => o.id));
    },
    'TAXII objects': async (name, scope) => {
      const r = await taxii(name, 'GET', `/taxii2/CICA/collections/${collectionOf(scope).id}/objects/`);
      if (r.status === 404) return [];
      assert.equal(r.status, 200, r.text);
      return labelsOf(scope, (r.json.objects ?? []).map((o) => o.id));
    },
    'TAXII manifest': async (name, scope) => {
      const r = await taxii(name, 'GET', `/taxii2/CICA/collections/${collectionOf(scope).id}/manifest/`);
      if (r.status === 404) return [];
      return labelsOf(scope, (r.json.objects ?? []).map((o) => o.id));
    },
    'TAXII object by id and versions': async (name, scope) => {
      const seen = [];
      for (const [label, o] of Object.entries(objects[scope])) {
        const one = await taxii(name, 'GET', `/taxii2/CICA/collections/${collectionOf(scope).id}/objects/${o.id}/`);
        const versions = await taxii(name, 'GET', `/taxii2/CICA/collections/${collectionOf(scope).id}/objects/${o.id}/versions/`);
        assert.equal(one.status, versions.status, `object and versions agree for ${name}`);
        if (one.status === 200) seen.push(label);
        else assert.equal(one.status, 404, one.text);
      }
      return seen;
    },
  };

  for (const [path, read] of Object.entries(paths)) {
    for (const scope of ['bilateral', 'forum']) {
      it(`${path}, ${scope} scope: each caller sees exactly its labels`, async () => {
        for (const name of CALLERS) {
          const seen = await read(name, scope);
          assert.deepEqual([...seen].sort(), [...expected(scope, name)].sort(), `${name} via ${path} (${scope})`);
        }
      });
    }
  }

  it('the stream tells only those who may read the bilateral scope, and carries no content', async () => {
    for (const name of CALLERS) {
      const e = await streams[name].waitFor((x) => x.type === 'exchange.objects.added' && x.data.collection === bilateral.id, BILATERAL[name].length ? 5000 : 500);
      if (BILATERAL[name].length) {
        assert.ok(e, `${name} was told`);
        assert.equal(JSON.stringify(e.data).includes(tag), false, 'no content on the stream');
      } else {
        assert.equal(e, undefined, `${name} must not hear of it`);
      }
    }
  });

  it('TAXII collections list only the scopes a caller may use, with can_read and can_write', async () => {
    const kaz = await taxii('poc.kaz', 'GET', '/taxii2/CICA/collections/');
    assert.ok(kaz.json.collections.some((c) => c.id === bilateral.id && c.can_read && c.can_write));
    const tha = await taxii('poc.tha', 'GET', '/taxii2/CICA/collections/');
    assert.equal(tha.json.collections.some((c) => c.id === bilateral.id), false);
    const jpn = await taxii('poc.jpn', 'GET', '/taxii2/CICA/collections/');
    assert.equal(jpn.status, 404);
    const write = await taxii('poc.tha', 'POST', `/taxii2/CICA/collections/${bilateral.id}/objects/`, { body: { objects: [indicator()] } });
    assert.equal(write.status, 404, 'a state out of scope cannot write to it either');
  });
});

describe('TAXII 2.1 server', () => {
  let col;
  before(async () => {
    const created = await u['focal.kaz'].post('/api/v1/exchange/collections?forum=CICA', { title: 'TAXII conformance', kind: 'states', states: ['KAZ', 'UZB', 'THA'] });
    assert.equal(created.status, 201, created.text);
    col = created.json;
  });
  const base = () => `/taxii2/CICA/collections/${col.id}`;

  it('discovery, API root and collection describe themselves with the TAXII media type', async () => {
    const d = await taxii('poc.kaz', 'GET', '/taxii2/');
    assert.equal(d.status, 200, d.text);
    assert.equal(d.headers.get('content-type'), TAXII);
    assert.ok(d.json.api_roots.includes('/taxii2/CICA/'));
    assert.equal(d.json.default, '/taxii2/CICA/');
    const root = await taxii('poc.kaz', 'GET', '/taxii2/CICA/');
    assert.deepEqual(root.json.versions, [TAXII]);
    assert.ok(root.json.max_content_length > 0);
    const one = await taxii('poc.kaz', 'GET', `${base()}/`);
    assert.equal(one.json.id, col.id);
    assert.deepEqual(one.json.media_types, ['application/stix+json;version=2.1']);
    assert.equal(one.json.can_write, true);
  });

  it('authenticates with Basic (username and API token) or Bearer, and says how when it cannot', async () => {
    const none = await taxii(null, 'GET', '/taxii2/');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate'), /^Basic /);
    assert.equal(none.json.http_status, '401');
    const wrong = await fetch(`${server.base}/taxii2/`, { headers: { Accept: TAXII, Authorization: `Basic ${Buffer.from(`poc.uzb:${tokens['poc.kaz']}`).toString('base64')}` } });
    assert.equal(wrong.status, 401, 'a token is good only with its own username');
    const bearer = await fetch(`${server.base}/taxii2/`, { headers: { Accept: TAXII, Authorization: `Bearer ${tokens['poc.kaz']}` } });
    assert.equal(bearer.status, 200);
    const token = await fetch(`${server.base}/taxii2/`, { headers: { Accept: TAXII, Authorization: `Token ${tokens['poc.kaz']}` } });
    assert.equal(token.status, 200, "taxii2-client's TokenAuth scheme");
  });

  it('refuses other media types: 406 for Accept, 415 for Content-Type, as TAXII error messages', async () => {
    const r406 = await taxii('poc.kaz', 'GET', '/taxii2/', { headers: { Accept: 'application/json' } });
    assert.equal(r406.status, 406);
    assert.equal(r406.headers.get('content-type'), TAXII);
    assert.equal(r406.json.http_status, '406');
    assert.ok(r406.json.title);
    const r415 = await taxii('poc.kaz', 'POST', `${base()}/objects/`, { body: { objects: [indicator()] }, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r415.status, 415);
    const bad = await taxii('poc.kaz', 'GET', `${base()}/objects/?match[version]=yesterday`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.details['match[version]'] !== undefined, true);
    const unknown = await taxii('poc.kaz', 'GET', `${base()}/objects/?match[colour]=red`);
    assert.equal(unknown.status, 400);
  });

  it('POST answers 202 with a status resource that its poster can fetch again', async () => {
    const bad = indicator();
    delete bad.valid_from;
    bad.confidence = 1000;   // two errors, one refused object
    const r = await taxii('poc.kaz', 'POST', `${base()}/objects/`, { body: { objects: [indicator(), bad] } });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.status, 'complete');
    assert.equal(r.json.total_count, 2);
    assert.equal(r.json.success_count, 1);
    assert.equal(r.json.failure_count, 1);
    assert.equal(r.json.failures[0].id, bad.id);
    assert.match(r.json.failures[0].message, /valid_from/);
    assert.match(r.json.failures[0].message, /confidence.*; |; .*confidence/, 'both errors of the one object, joined');
    // The lists' lengths equal the counts (taxii2-client checks that).
    assert.equal(r.json.failures.length, r.json.failure_count);
    assert.equal(r.json.successes.length, r.json.success_count);
    const again = await taxii('poc.kaz', 'GET', `/taxii2/CICA/status/${r.json.id}/`);
    assert.deepEqual(again.json, r.json);
    assert.equal((await taxii('poc.uzb', 'GET', `/taxii2/CICA/status/${r.json.id}/`)).status, 404);
  });

  it('takes an envelope larger than the request body limit, spooled to a file that is then removed', async () => {
    const root = await taxii('poc.kaz', 'GET', '/taxii2/CICA/');
    assert.ok(root.json.max_content_length >= 1 << 30, 'max_content_length is the upload limit');
    // ~25,000 indicators: some 12 MB, over body_bytes (8 MiB), which other routes refuse.
    const big = Array.from({ length: 25000 }, (_, i) => indicator({ name: `spooled ${i} ${'x'.repeat(200)}`, value: `172.16.${i >> 8}.${i & 255}` }));
    const body = JSON.stringify({ objects: big });
    assert.ok(body.length > 8 * 1024 * 1024);
    const r = await taxii('poc.uzb', 'POST', `${base()}/objects/`, { body: { objects: big } });
    assert.equal(r.status, 202, r.text.slice(0, 300));
    assert.equal(r.json.success_count, 25000);
    // Spooled in Parley's data directory (beside the database), never the shared TMPDIR.
    assert.deepEqual(readdirSync(join(server.dir, 'uploads')).filter((f) => f.startsWith('upload-')), [], 'the spooled body is gone');
    assert.deepEqual(readdirSync(tmpSpy), [], 'nothing was written to TMPDIR');
    // Other routes keep the request body limit, announced by Content-Length (the
    // server answers before the body, so the raw request sends none).
    const tooBig = await rawRequest(server.base, ['POST /api/v1/communications HTTP/1.1', 'Host: x',
      `Authorization: Bearer ${tokens['poc.kaz']}`, 'Content-Type: application/json', `Content-Length: ${9 * 1024 * 1024}`].join('\r\n'));
    assert.equal(tooBig.status, 413, 'other routes keep the request body limit');
  });

  it('pages through thousands of objects with limit, next, more and the date-added headers', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => indicator({ name: `bulk ${i}`, value: `10.0.${i >> 8}.${i & 255}` }));
    const r = await taxii('poc.uzb', 'POST', `${base()}/objects/`, { body: { objects: many } });
    assert.equal(r.json.success_count, 2500, r.text.slice(0, 300));
    if (onPostgres()) {
      // A bulk insert refreshes the planner's statistics in its own transaction when it
      // grows the table by a tenth or more: with autovacuum's (a minute or more later),
      // the first page after the 25,000-object upload and this one was planned for a
      // nearly empty table, and took minutes (quadratic). Autovacuum is off for the
      // table in this file (before()), so only the inserts can have analysed it.
      const believed = Number(sql(server.db, "SELECT reltuples FROM pg_class WHERE relname = 'stix_objects'"));
      const actual = Number(sql(server.db, 'SELECT count(*) FROM stix_objects'));
      assert.ok(actual >= 27500, `the upload's and these objects (${actual})`);
      assert.ok(believed >= actual / 2, `the planner believes the table holds ${believed} rows, not about ${actual}`);
    }
    const seen = new Set();
    let next = '';
    let pages = 0;
    let lastAdded = '';
    for (;;) {
      const page = await taxii('poc.tha', 'GET', `${base()}/objects/?match[type]=indicator&limit=1000${next}`);
      assert.equal(page.status, 200, page.text);
      pages += 1;
      const first = page.headers.get('x-taxii-date-added-first');
      const last = page.headers.get('x-taxii-date-added-last');
      assert.match(first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.ok(first <= last && lastAdded <= first, 'pages follow the order objects were added in');
      lastAdded = last;
      for (const o of page.json.objects) {
        assert.equal(seen.has(o.id), false, 'no object twice');
        seen.add(o.id);
      }
      if (!page.json.more) break;
      assert.ok(page.json.next);
      next = `&next=${encodeURIComponent(page.json.next)}`;
    }
    for (const o of many) assert.ok(seen.has(o.id));
    assert.ok(pages >= 3);
    // added_after: exactly the objects added later than a given date, by the manifest.
    const manifest = [];
    next = '';
    for (;;) {
      const page = await taxii('poc.tha', 'GET', `${base()}/manifest/?limit=1000${next}`);
      manifest.push(...page.json.objects);
      if (!page.json.more) break;
      next = `&next=${page.json.next}`;
    }
    const cut = manifest[1200].date_added;
    const expectedAfter = manifest.filter((m) => m.date_added > cut).map((m) => m.id).sort();
    const after = [];
    next = '';
    for (;;) {
      const page = await taxii('poc.tha', 'GET', `${base()}/objects/?added_after=${cut}&limit=1000${next}`);
      after.push(...(page.json.objects ?? []).map((o) => o.id));
      if (!page.json.more) break;
      next = `&next=${page.json.next}`;
    }
    assert.deepEqual(after.sort(), expectedAfter);
    for (const m of manifest.slice(0, 3)) assert.equal(m.media_type, 'application/stix+json;version=2.1');
  });

  it('filters by id, type, version and spec_version; lists versions; deletes where allowed', async () => {
    const id = `indicator--${randomUUID()}`;
    const v = ['2024-05-01T10:00:00.000Z', '2024-06-01T10:00:00.000Z', '2024-07-01T10:00:00.000Z'];
    const malware = { type: 'malware', spec_version: '2.1', id: `malware--${randomUUID()}`, created: v[0], modified: v[0], name: 'Wiper', is_family: true, object_marking_refs: [TLP.AMBER] };
    const r = await taxii('poc.kaz', 'POST', `${base()}/objects/`, { body: { objects: v.map((m) => indicator({ id, modified: m })).concat([malware]) } });
    assert.equal(r.json.success_count, 4);
    const get = (q) => taxii('poc.uzb', 'GET', `${base()}/objects/${q}`).then((x) => x.json.objects ?? []);
    assert.deepEqual((await get(`?match[id]=${id}`)).map((o) => o.modified), [v[2]], 'last by default');
    assert.deepEqual((await get(`?match[id]=${id}&match[version]=first`)).map((o) => o.modified), [v[0]]);
    assert.deepEqual((await get(`?match[id]=${id}&match[version]=all`)).map((o) => o.modified).sort(), v);
    assert.deepEqual((await get(`?match[id]=${id}&match[version]=${v[1]}`)).map((o) => o.modified), [v[1]]);
    assert.deepEqual((await get(`?match[id]=${id}&match[version]=first,last`)).map((o) => o.modified).sort(), [v[0], v[2]]);
    assert.deepEqual((await get(`?match[id]=${id},${malware.id}`)).map((o) => o.type).sort(), ['indicator', 'malware']);
    assert.deepEqual((await get(`?match[type]=malware`)).map((o) => o.id), [malware.id]);
    assert.deepEqual(await get(`?match[id]=${id}&match[spec_version]=2.0`), []);
    const one = await taxii('poc.uzb', 'GET', `${base()}/objects/${id}/?match[version]=all`);
    assert.equal(one.json.objects.length, 3);
    const versions = await taxii('poc.uzb', 'GET', `${base()}/objects/${id}/versions/`);
    assert.deepEqual(versions.json.versions, v);
    assert.equal((await taxii('poc.uzb', 'GET', `${base()}/objects/indicator--${randomUUID()}/`)).status, 404);

    const denied = await taxii('poc.tha', 'DELETE', `${base()}/objects/${id}/?match[version]=${v[0]}`);
    assert.equal(denied.status, 403, 'another state may not delete');
    const del = await taxii('poc.kaz', 'DELETE', `${base()}/objects/${id}/?match[version]=${v[0]}`);
    assert.equal(del.status, 200, del.text);
    assert.deepEqual((await taxii('poc.uzb', 'GET', `${base()}/objects/${id}/versions/`)).json.versions, v.slice(1));
  });
});
