// TAXII object pages are kept once sent, for a caller that asks again while nothing has
// changed: the same URL must still give each caller exactly what it may read, a page
// must never be served to someone who may not read the collection, and any write must
// show at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signedIn, startServer } from '../lib/harness.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const TLP = {
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
};
const CALLERS = ['poc.kaz', 'poc.uzb', 'secretariat.cica', 'poc.jpn'];

let server;
const u = {};
const tokens = {};
let forum;
const objects = {};   // label -> object

function indicator(tlp, name) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2024-05-01T10:00:00.000Z',
    modified: '2024-05-01T10:00:00.000Z',
    name,
    pattern: "[ipv4-addr:value = '198.51.100.9']",
    pattern_type: 'stix',
    valid_from: '2024-05-01T10:00:00Z',
    object_marking_refs: [TLP[tlp]],
  };
}
const bundle = (list) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: list });

async function taxii(name, path) {
  const res = await fetch(server.base + path, {
    headers: { Accept: TAXII, Authorization: `Basic ${Buffer.from(`${name}:${tokens[name]}`).toString('base64')}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

before(async () => {
  server = await startServer();
  for (const name of [...CALLERS, 'focal.kaz']) {
    u[name] = await signedIn(server.base, name);
    const t = await u[name].post('/api/v1/me/tokens', { name: 'taxii', expires_in_days: 1 });
    assert.equal(t.status, 201, t.text);
    tokens[name] = t.json.token;
  }
  const cols = await u['poc.kaz'].get('/api/v1/exchange/collections?forum=CICA');
  forum = cols.json.collections.find((c) => c.kind === 'forum');
  for (const label of Object.keys(TLP)) objects[label] = indicator(label, `cache ${label}`);
  const r = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${forum.id}`, bundle(Object.values(objects)));
  assert.equal(r.status, 201, r.text);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const labels = (page) => Object.entries(objects).filter(([, o]) => page.objects?.some((x) => x.id === o.id)).map(([l]) => l).sort();

describe('TAXII page cache', () => {
  const path = () => `/taxii2/CICA/collections/${forum.id}/objects/?limit=50`;

  it('gives each caller its own page for the same URL, however often and in whatever order they ask', async () => {
    // From the TLP rules (tests/api/exchange.test.mjs, FORUM): the secretariat does not
    // see AMBER+STRICT; the member states' points of contact see all three.
    const expected = {
      'poc.kaz': ['AMBER', 'AMBER+STRICT', 'GREEN'],
      'secretariat.cica': ['AMBER', 'GREEN'],
      'poc.uzb': ['AMBER', 'AMBER+STRICT', 'GREEN'],
    };
    const first = {};
    for (let round = 0; round < 3; round++) {
      for (const name of ['poc.kaz', 'secretariat.cica', 'poc.uzb', 'secretariat.cica', 'poc.kaz']) {
        const r = await taxii(name, path());
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(labels(r.json), expected[name], `${name}, round ${round}`);
        first[name] ??= r.text;
        assert.equal(r.text, first[name], 'the same bytes while nothing changed');
        assert.ok(r.headers.get('x-taxii-date-added-first'));
        assert.ok(r.headers.get('x-taxii-date-added-last'));
      }
      // A caller outside the forum is refused, also right after a member was served.
      const jpn = await taxii('poc.jpn', path());
      assert.equal(jpn.status, 404, jpn.text);
      assert.ok(!jpn.text.includes(objects.GREEN.id));
    }
  });

  it('shows a write at once: an object added, then one removed', async () => {
    const before = await taxii('poc.uzb', path());
    assert.equal((await taxii('poc.uzb', path())).text, before.text);
    const added = indicator('GREEN', 'cache added');
    const r = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${forum.id}`, bundle([added]));
    assert.equal(r.status, 201, r.text);
    const after = await taxii('poc.uzb', path());
    assert.equal(after.status, 200);
    assert.ok(after.json.objects.some((o) => o.id === added.id), 'the new object is on the page');
    assert.equal(after.json.objects.length, before.json.objects.length + 1);

    const del = await fetch(`${server.base}/taxii2/CICA/collections/${forum.id}/objects/${added.id}/`, {
      method: 'DELETE',
      headers: { Accept: TAXII, Authorization: `Basic ${Buffer.from(`poc.kaz:${tokens['poc.kaz']}`).toString('base64')}` },
    });
    assert.equal(del.status, 200, await del.text());
    const gone = await taxii('poc.uzb', path());
    assert.ok(!gone.json.objects.some((o) => o.id === added.id), 'the removed object is gone from the page');
    assert.equal(gone.text, before.text);
  });
});
