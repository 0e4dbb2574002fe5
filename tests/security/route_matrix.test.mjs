// Attacks as a habit: every route of src/app/openapi.json, against one demo server,
// anonymous and signed in, with the bodies an attacker sends first — malformed JSON, a
// body over the limit, JSON nested 100,000 deep, the wrong media type — and, for each
// capability, a user of a state outside the forum on its objects. Whatever the route,
// the answer is never a 5xx, an error is always a problem (TAXII's error media type on
// /taxii2), and afterwards the server is alive, small, and its data directory too.
// A new route is attacked the day it is described in the OpenAPI document.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, SOURCE, signedIn, startServer } from '../lib/harness.mjs';
import { MB, alive, dirBytes, isProblem, measuredEnv, raw, rss } from '../lib/attack.mjs';

const DOC = JSON.parse(readFileSync(join(SOURCE, 'src/app/openapi.json'), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const TAXII = 'application/taxii+json;version=2.1';

// The routes anybody may call without credentials — and nothing else.
// (An invitation is opened by the person invited, who has no account yet: its secret is
// the credential, and guessing is throttled — tests/api/invitations.test.mjs. A calendar
// feed is fetched by a calendar application, which sends no session: its 256-bit secret
// is the credential — tests/api/workplan_calendar.test.mjs.)
const PUBLIC = new Set(['GET /api/v1/health', 'GET /api/v1/openapi.json', 'POST /api/v1/session',
  'POST /api/v1/invitations/lookup', 'POST /api/v1/invitations/accept', 'GET /api/v1/calendar/{file}']);
// Routes whose request body is spooled (a STIX bundle up to upload_bytes).
const UPLOAD = new Set(['POST /api/v1/exchange/objects', 'POST /taxii2/{root}/collections/{id}/objects']);

const ROUTES = Object.entries(DOC.paths).flatMap(([path, ops]) =>
  METHODS.filter((m) => ops[m]).map((m) => ({ method: m.toUpperCase(), path, op: ops[m], key: `${m.toUpperCase()} ${path}` })));
const STATE_CHANGING = ROUTES.filter((r) => r.method !== 'GET')
  // Signing out ends the session the matrix runs in: attacked last.
  .sort((a, b) => (a.key === 'DELETE /api/v1/session') - (b.key === 'DELETE /api/v1/session'));

let server;
let baseline;
const ids = {};

before(async () => {
  server = await startServer({ env: measuredEnv() });
  const kaz = await signedIn(server.base, 'poc.kaz');
  const sec = await signedIn(server.base, 'secretariat.cica');
  ids.forumCollection = (await kaz.get('/api/v1/exchange/collections?forum=CICA')).json.collections.find((c) => c.kind === 'forum').id;
  ids.object = (await kaz.get('/api/v1/exchange/objects?forum=CICA')).json.objects[0].id;
  ids.contact = (await kaz.get('/api/v1/contacts?state=KAZ')).json.items[0].id;
  ids.agency = (await kaz.get('/api/v1/states/KAZ/agencies')).json.items[0].id;
  const comm = await kaz.post('/api/v1/communications', {
    type: 'request_for_information', recipients: ['UZB'], subject: 'Matrix', description: 'Between KAZ and UZB only.', severity: 2, tlp: 'TLP:AMBER',
  });
  ids.communication = comm.json.id;
  ids.ledgerIndex = Number(comm.headers.get('parley-ledger-index'));   // an entry KAZ and UZB may read
  const attachment = await kaz.request('POST', '/api/v1/attachments', { raw: 'a,b\n1,2\n', headers: { 'Content-Type': 'text/csv' } });
  ids.sha256 = attachment.json.sha256;
  const check = await sec.post('/api/v1/checks', { forum: 'CICA', states: ['KAZ'] });
  ids.check = check.json.id;
  const docs = (await kaz.get('/api/v1/negotiation/documents?forum=CICA')).json.items;
  ids.document = (docs.find((d) => d.distribution === 'member_states') ?? docs[0]).id;
  const rev = (await kaz.get(`/api/v1/negotiation/documents/${ids.document}/revisions/0`)).json;
  ids.proposal = rev?.proposals?.[0]?.id ?? 'P1';
  ids.paragraph = rev?.proposals?.[0]?.paragraph ?? 'p1';
  baseline = { rss: rss(server.child.pid), disk: dirBytes(server.dir) };
});

after(async () => {
  await server.stop();
  server.cleanup();
});

// A concrete path for a route: real ids where the demo has them, so that attacks reach
// the code behind the existence checks.
function concrete(path) {
  let p = path
    .replace('{forum}', 'CICA').replace('{alpha3}', 'KAZ').replace('{root}', 'CICA')
    .replace('{sha256}', ids.sha256 ?? 'a'.repeat(64)).replace('{object_id}', ids.object ?? 'indicator--x')
    .replace('{proposal}', ids.proposal ?? 'P1').replace('{paragraph}', ids.paragraph ?? 'p1').replace('{rev}', '0')
    .replace('{index}', String(ids.ledgerIndex ?? 0)).replace('{path...}', '0/000.p/1');
  const id = path.startsWith('/taxii2/') && path.includes('/collections/{id}') ? ids.forumCollection
    : path.startsWith('/api/v1/communications/') ? ids.communication
      : path.startsWith('/api/v1/contacts/') ? ids.contact
        : path.startsWith('/api/v1/agencies/') ? ids.agency
          : path.startsWith('/api/v1/checks/') ? ids.check
            : path.startsWith('/api/v1/negotiation/documents/') ? ids.document
              : path.startsWith('/taxii2/{root}/status/') ? randomUUID() : 1;
  p = p.replace('{id}', String(id));
  if (p.startsWith('/api/v1/exchange/')) p += (p.includes('?') ? '&' : '?') + 'forum=CICA';
  return p;
}

const problemOrTaxii = (res, path) => isProblem(res, path);

function assertSafe(res, what, path) {
  assert.ok(res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  if (res.status >= 400) assert.ok(problemOrTaxii(res, path), `${what}: ${res.status} is not a problem: ${res.headers.get('content-type')} ${res.text.slice(0, 200)}`);
}

// The matrix goes on past a bad answer and reports every one at the end: one run shows
// all the routes that fail, not the first.
class Violations {
  constructor() { this.list = []; }
  check(ok, message) {
    if (!ok) this.list.push(message);
  }
  safe(res, what, path) {
    try {
      assertSafe(res, what, path);
    } catch (e) {
      this.list.push(e.message.split('\n')[0]);
    }
  }
  done(min, count, what) {
    assert.ok(alive(server.child.pid), `the server died; before that: ${this.list.slice(0, 20).join('\n')}`);
    assert.deepEqual(this.list, [], `${this.list.length} bad answers to ${count} ${what}`);
    assert.ok(count >= min, `${count} ${what}`);
  }
}

describe('route matrix: anonymous callers', () => {
  it('get 401 on every route but the public ones', async () => {
    const anon = new Client(server.base);
    let checked = 0;
    for (const r of ROUTES) {
      if (PUBLIC.has(r.key)) continue;
      const path = concrete(r.path);
      const taxii = path.startsWith('/taxii2');
      if (r.op['x-websocket']) {
        const res = await raw(server.base, [`GET ${path} HTTP/1.1`, `Host: ${new URL(server.base).host}`, 'Connection: Upgrade', 'Upgrade: websocket',
          'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${Buffer.from(randomUUID().slice(0, 16)).toString('base64')}`]);
        assert.equal(res.status, 401, `${r.key}: ${res.status}`);
        checked += 1;
        continue;
      }
      const res = await anon.request(r.method, path, {
        raw: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
        headers: taxii ? { Accept: TAXII, ...(r.method === 'POST' ? { 'Content-Type': TAXII } : {}) } : (r.method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
      });
      assert.equal(res.status, 401, `${r.key}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.ok(problemOrTaxii(res, path), `${r.key}: a problem answer`);
      checked += 1;
    }
    assert.ok(checked >= 70, `${checked} routes checked`);
    // The public ones answer without credentials (and the sign-in refuses nonsense, as a problem).
    assert.equal((await anon.get('/api/v1/health')).status, 200);
    assert.equal((await anon.get('/api/v1/openapi.json')).status, 200);
    const signIn = await anon.request('POST', '/api/v1/session', { raw: '{', headers: { 'Content-Type': 'application/json' } });
    assertSafe(signIn, 'anonymous malformed sign-in', '/api/v1/session');
    assert.equal(signIn.status, 400);
    const secret = 'A'.repeat(43);
    for (const [path, body] of [['/api/v1/invitations/lookup', { secret }],
      ['/api/v1/invitations/accept', { secret, username: 'x.y', display_name: 'X', password: 'a long enough passphrase' }]]) {
      const unknown = await anon.post(path, body);
      assertSafe(unknown, 'anonymous unknown invitation', path);
      assert.equal(unknown.status, 404, `${path}: an unknown secret opens nothing`);
    }
    for (const path of [`/api/v1/calendar/${secret}.ics`, '/api/v1/calendar/{file}', '/api/v1/calendar/..%2F..%2Fetc%2Fpasswd']) {
      const unknown = await anon.get(path);
      assertSafe(unknown, 'anonymous unknown calendar', path);
      assert.equal(unknown.status, 404, `${path}: an unknown secret opens no calendar`);
    }
  });
});

describe('route matrix: hostile bodies on every state-changing route', () => {
  const BODIES = {
    'malformed JSON': { raw: '{"a": [1, 2,, }', type: 'application/json' },
    'JSON nested 100,000 deep': { raw: '['.repeat(100000), type: 'application/json' },
    'JSON nested 100,000 deep, closed': { raw: '['.repeat(100000) + ']'.repeat(100000), type: 'application/json' },
    // (A bundle reader skips members it does not know, and TAXII takes an empty envelope:
    // on the upload routes these three need only be safe. Duplicate "objects" are refused
    // there: parsers.test.mjs, finding 17.)
    'a number beyond a double': { raw: '{"n": 1e400, "m": -1e400}', type: 'application/json', envelopeMayIgnore: true },
    'a key twice': { raw: '{"name": "a", "name": "b", "type": "a", "type": "b"}', type: 'application/json', envelopeMayIgnore: true },
    'invalid UTF-8': { raw: Buffer.concat([Buffer.from('{"name": "'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]), type: 'application/json', envelopeMayIgnore: true },
    'a wrong media type': { raw: '{}', type: 'text/plain', valid: true },
    'no media type': { raw: '{}', type: null, valid: true },
  };

  for (const user of ['secretariat.cica', 'poc.kaz', 'admin']) {
    it(`as ${user}: never a 5xx, always a problem`, async () => {
      let c = await signedIn(server.base, user);
      let attacked = 0;
      const v = new Violations();
      for (const r of STATE_CHANGING) {
        const path = concrete(r.path);
        const taxii = path.startsWith('/taxii2');
        for (const [name, b] of Object.entries(BODIES)) {
          if (r.key === 'DELETE /api/v1/session') c = await signedIn(server.base, user);   // it ended the last one
          const headers = { ...(b.type ? { 'Content-Type': taxii && b.type === 'application/json' ? TAXII : b.type } : {}), ...(taxii ? { Accept: TAXII } : {}) };
          attacked += 1;
          let res;
          try {
            res = await c.request(r.method, path, { raw: Buffer.from(b.raw), headers });   // a Buffer: fetch adds no media type
          } catch (e) {
            v.check(false, `${user} ${r.key} with ${name}: no answer (${e.cause?.message ?? e.message})`);
            if (!alive(server.child.pid)) v.done(0, attacked, 'attacks');
            continue;
          }
          v.safe(res, `${user} ${r.key} with ${name}`, path);
          if (r.op.requestBody && !b.valid && !(b.envelopeMayIgnore && UPLOAD.has(r.key)) && !r.op.requestBody.content?.['application/octet-stream'])
            v.check(res.status >= 400, `${user} ${r.key} accepted ${name}: ${res.status} ${res.text.slice(0, 200)}`);
        }
        // A body over the limit, announced by Content-Length and never sent: 413 (an
        // upload route may refuse the caller first).
        if (r.key !== 'DELETE /api/v1/session') {
          const head = [`${r.method} ${path} HTTP/1.1`, `Host: ${new URL(server.base).host}`, `Cookie: ${c.cookie}`, `X-CSRF-Token: ${c.csrf}`,
            `Content-Type: ${taxii ? TAXII : 'application/json'}`, ...(taxii ? [`Accept: ${TAXII}`] : []), `Content-Length: ${2 ** 31}`];
          attacked += 1;
          let res;
          try {
            res = await raw(server.base, head, { timeout: 5000 });
          } catch (e) {
            v.check(false, `${user} ${r.key} with a 2 GiB body: ${e.message}`);
            continue;
          }
          v.safe(res, `${user} ${r.key} with a 2 GiB body`, path);
          if (UPLOAD.has(r.key)) v.check([413, 403, 404].includes(res.status), `${user} ${r.key} with a 2 GiB body: ${res.status}`);
          else v.check(res.status === 413, `${user} ${r.key} with a 2 GiB body: ${res.status}`);
        }
      }
      v.done(150, attacked, 'attacks');
    });
  }
});

describe('route matrix: hostile path and query parameters on every route', () => {
  // Sent byte for byte over a socket: percent-escapes that decode to invalid UTF-8 or NUL,
  // numbers past 64 bits, negatives, very long values, traversal.
  const HOSTILE = ['%FF', '%00', '%C0%AF', '99999999999999999999999', '-1', 'x'.repeat(2000), '..%2F..%2Fetc%2Fpasswd', '%25'];

  it('never a 5xx, always an answer, an error always a problem', async () => {
    const c = await signedIn(server.base, 'secretariat.cica');
    const host = `Host: ${new URL(server.base).host}`;
    const v = new Violations();
    const send = async (method, path, what) => {
      const taxii = path.startsWith('/taxii2');
      const head = [`${method} ${path} HTTP/1.1`, host, `Cookie: ${c.cookie}`, `X-CSRF-Token: ${c.csrf}`, 'Connection: close',
        ...(taxii ? [`Accept: ${TAXII}`] : [])];
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      if (withBody) head.push(`Content-Type: ${taxii ? TAXII : 'application/json'}`, 'Content-Length: 2');
      let res;
      try {
        res = await raw(server.base, head, { body: withBody ? '{}' : undefined, timeout: 5000 });
      } catch (e) {
        v.check(false, `${what}: ${e.message.slice(0, 120)}`);
        if (!alive(server.child.pid)) v.done(0, sent, 'requests');
        return null;
      }
      v.safe(res, what, path);
      return res;
    };
    let sent = 0;
    for (const r of ROUTES) {
      if (r.key === 'DELETE /api/v1/session' || r.op['x-websocket']) continue;
      // Each path parameter in turn.
      for (const name of [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        for (const v of HOSTILE) {
          const path = concrete(r.path.replace(`{${name}}`, v));
          await send(r.method, path, `${r.key} with {${name}} = ${v.slice(0, 30)}`);
          sent += 1;
        }
      }
      // Each declared query parameter in turn.
      for (const prm of (r.op.parameters ?? []).filter((p) => p.in === 'query')) {
        for (const v of HOSTILE) {
          const base = concrete(r.path);
          const path = `${base}${base.includes('?') ? '&' : '?'}${encodeURIComponent(prm.name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${v}`;
          await send(r.method, path, `${r.key} with ?${prm.name}=${v.slice(0, 30)}`);
          sent += 1;
        }
      }
    }
    v.done(500, sent, 'requests');
  });
});

describe('route matrix: a state outside the forum, on each capability\'s objects', () => {
  it('poc.jpn gets 403 or 404 everywhere', async () => {
    const jpn = await signedIn(server.base, 'poc.jpn');
    const token = (await jpn.post('/api/v1/me/tokens', { name: 'taxii' })).json.token;
    const taxii = (method, path, body) => fetch(server.base + path, {
      method, headers: { Accept: TAXII, Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': TAXII } : {}) }, body,
    }).then(async (res) => ({ status: res.status, text: await res.text(), headers: res.headers }));
    const denied = [
      // directory
      ['PATCH', `/api/v1/contacts/${ids.contact}`, { position: 'Hijacked' }],
      ['DELETE', `/api/v1/contacts/${ids.contact}`],
      ['POST', `/api/v1/contacts/${ids.contact}/approve`, {}],
      ['POST', '/api/v1/states/KAZ/agencies', { name: 'Fake agency', kind: 'cert' }],
      ['PATCH', `/api/v1/agencies/${ids.agency}`, { name: 'Hijacked' }],
      ['DELETE', `/api/v1/agencies/${ids.agency}`],
      ['POST', '/api/v1/contacts', { state: 'KAZ', name: 'Planted', type: 'technical', availability: '24/7' }],
      // hotline
      ['GET', `/api/v1/communications/${ids.communication}`],
      ['POST', `/api/v1/communications/${ids.communication}/ack`, {}],
      ['POST', `/api/v1/communications/${ids.communication}/reply`, { description: 'x' }],
      ['POST', `/api/v1/communications/${ids.communication}/close`, {}],
      ['GET', `/api/v1/communications/${ids.communication}/attachments/${ids.sha256}`],
      ['PUT', '/api/v1/forums/CICA/hotline-policy', { escalation_step_minutes: 1 }],
      ['POST', '/api/v1/checks', { forum: 'CICA' }],
      ['GET', `/api/v1/checks/${ids.check}`],
      // exchange
      ['POST', '/api/v1/exchange/collections?forum=CICA', { title: 'Planted', kind: 'states', states: ['JPN'] }],
      ['POST', '/api/v1/exchange/objects?forum=CICA', { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [] }],
      ['GET', `/api/v1/exchange/objects/${ids.object}?forum=CICA`],
      // negotiation
      ['GET', `/api/v1/negotiation/documents/${ids.document}`],
      ['GET', `/api/v1/negotiation/documents/${ids.document}/revisions/0?format=akn`],
      ['POST', `/api/v1/negotiation/documents/${ids.document}/proposals`, { kind: 'delete', paragraph: ids.paragraph, text: 'We' }],
      ['POST', `/api/v1/negotiation/documents/${ids.document}/proposals/${ids.proposal}/position`, { stance: 'oppose' }],
      ['POST', `/api/v1/negotiation/documents/${ids.document}/proposals/${ids.proposal}/comments`, { text: 'x' }],
      ['POST', `/api/v1/negotiation/documents/${ids.document}/silence/break`, { reason: 'x' }],
      ['POST', `/api/v1/negotiation/documents/${ids.document}/circulate`, {}],
      ['PUT', '/api/v1/negotiation/forums/CICA/note-scheme', { pattern: 'JPN/{n}', next_number: 1 }],
      // the ledger's witnesses
      ['GET', '/api/v1/forums/CICA/witnesses'],
      ['POST', '/api/v1/forums/CICA/witnesses', { url: 'http://witness.jpn.test', vkey: 'jpn.test/w+00000000+BA==' }],
      ['DELETE', '/api/v1/forums/CICA/witnesses/1'],
      // ledger: the communication's entry and its receipt
      ['GET', `/api/v1/ledger/entries/${ids.ledgerIndex}`],
      ['GET', `/api/v1/ledger/receipts/${ids.ledgerIndex}`],
    ];
    for (const [method, path, body] of denied) {
      const res = await jpn.request(method, path, body === undefined ? {} : { body });
      assert.ok(res.status === 403 || res.status === 404, `poc.jpn ${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.ok(isProblem(res), `poc.jpn ${method} ${path}: a problem`);
    }
    // Lists may answer 200, with nothing of the forum in them.
    for (const [path, key] of [['/api/v1/exchange/collections?forum=CICA', 'collections'], ['/api/v1/exchange/objects?forum=CICA', 'objects'],
      ['/api/v1/exchange/export?forum=CICA', 'objects'], [`/api/v1/communications?box=all&limit=200`, 'items'], ['/api/v1/contacts?status=pending', 'items']]) {
      const res = await jpn.get(path);
      assert.ok([200, 403, 404].includes(res.status), `poc.jpn GET ${path}: ${res.status}`);
      if (res.status === 200) {
        const items = res.json[key] ?? [];
        assert.ok(!items.some((x) => x.id === ids.object || x.id === ids.communication || x.id === ids.forumCollection),
          `poc.jpn GET ${path} lists the forum's objects: ${res.text.slice(0, 300)}`);
        if (key === 'collections') assert.deepEqual(items, [], `poc.jpn sees CICA's collections: ${res.text.slice(0, 300)}`);
      } else {
        assert.ok(isProblem(res));
      }
    }
    const objects = `/taxii2/CICA/collections/${ids.forumCollection}/objects/`;
    for (const [method, path, body] of [
      ['GET', '/taxii2/CICA/collections/'],
      ['GET', `/taxii2/CICA/collections/${ids.forumCollection}/`],
      ['GET', objects],
      ['GET', `/taxii2/CICA/collections/${ids.forumCollection}/manifest/`],
      ['GET', `${objects}${ids.object}/`],
      ['DELETE', `${objects}${ids.object}/`],
      ['POST', objects, JSON.stringify({ objects: [] })],
    ]) {
      const res = await taxii(method, path, body);
      assert.ok(res.status === 403 || res.status === 404, `poc.jpn TAXII ${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    // The stream tells poc.jpn nothing of the KAZ-UZB communication either (tests/api covers it).
  });
});

describe('route matrix: afterwards', () => {
  it('the server is alive, its memory and its data directory within bounds', async () => {
    assert.ok(alive(server.child.pid), 'the server is alive');
    assert.equal((await new Client(server.base).get('/api/v1/health')).status, 200);
    const grown = rss(server.child.pid) - baseline.rss;
    assert.ok(grown < 200 * MB, `RSS grew by ${(grown / MB).toFixed(0)} MB`);
    const disk = dirBytes(server.dir) - baseline.disk;
    assert.ok(disk < 50 * MB, `the data directory grew by ${(disk / MB).toFixed(1)} MB`);
  });
});
