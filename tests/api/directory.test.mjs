// The directory over HTTP: browsing, search filters, scopes and denials, nominations,
// validation errors that name the field and write nothing, export formats, events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, expectProblem, openStream, rawRequest, signedIn, startServer } from '../lib/harness.mjs';

let server;
let admin, focalKaz, focalTha, secCica, secArf, pocKaz;
before(async () => {
  server = await startServer();
  [admin, focalKaz, focalTha, secCica, secArf, pocKaz] = await Promise.all(
    ['admin', 'focal.kaz', 'focal.tha', 'secretariat.cica', 'secretariat.arf', 'poc.kaz'].map((u) => signedIn(server.base, u)),
  );
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const newContact = (extra = {}) => ({
  state: 'KAZ',
  name: `Test Person ${Math.random().toString(36).slice(2, 8)}`,
  type: 'technical',
  availability: '24/7',
  languages: ['kk', 'ru', 'en'],
  timezone: 'Asia/Almaty',
  channels: [{ kind: 'email', value: 'duty@kaz.example.org', use: 'urgent' }],
  ...extra,
});

async function contactCount(client) {
  return (await client.get('/api/v1/contacts?status=pending&limit=1')).json.total +
    (await client.get('/api/v1/contacts?limit=1')).json.total;
}

describe('browsing', () => {
  it('lists the forums with their real membership', async () => {
    const res = await pocKaz.get('/api/v1/forums');
    const byCode = Object.fromEntries(res.json.items.map((f) => [f.code, f]));
    assert.equal(byCode.CICA.members, 28);
    assert.equal(byCode.ARF.members, 27);
    const arf = await pocKaz.get('/api/v1/forums/ARF/states');
    const eu = arf.json.items.find((s) => s.alpha3 === 'EUU');
    assert.equal(eu.kind, 'organization', 'the EU is an ARF participant, not a state');
    assert.ok(arf.json.items.some((s) => s.alpha3 === 'USA'));
    assert.ok(!arf.json.items.some((s) => s.alpha3 === 'KAZ'));
    expectProblem(assert, await pocKaz.get('/api/v1/forums/OSCE/states'), 404);   // a real forum this deployment does not run
  });

  it('shows a state with its agencies and points of contact', async () => {
    const res = await pocKaz.get('/api/v1/states/kaz');
    assert.equal(res.status, 200);
    assert.equal(res.json.alpha3, 'KAZ');
    assert.deepEqual(res.json.forums, ['CICA']);
    assert.ok(res.json.agencies.some((a) => a.kind === 'cert'));
    assert.ok(res.json.contacts.length >= 2);
    assert.ok(res.json.contacts.every((c) => c.status === 'active'), 'a point of contact sees no nominations');
    assert.equal(res.json.can_manage, false);
    assert.equal((await focalKaz.get('/api/v1/states/KAZ')).json.can_manage, true);
    // Every ISO 3166-1 state is in the directory, whether or not it is in a forum; a code
    // that names no state or participant is not.
    const fra = await pocKaz.get('/api/v1/states/FRA');
    assert.equal(fra.status, 200, fra.text);
    assert.deepEqual(fra.json.forums, []);
    assert.equal(fra.json.names.fr, 'France');
    expectProblem(assert, await pocKaz.get('/api/v1/states/XQZ'), 404);
  });
});

describe('search', () => {
  it('filters by state, forum, type, language and words', async () => {
    const byState = await pocKaz.get('/api/v1/contacts?state=THA');
    assert.ok(byState.json.total >= 2);
    assert.ok(byState.json.items.every((c) => c.state === 'THA'));

    const arf = await pocKaz.get('/api/v1/contacts?forum=ARF&limit=500');
    assert.ok(arf.json.items.every((c) => c.state !== 'KAZ'));
    assert.ok(arf.json.items.some((c) => c.state === 'USA'));

    const technical = await pocKaz.get('/api/v1/contacts?type=technical&limit=500');
    assert.ok(technical.json.items.every((c) => c.type === 'technical'));

    const russian = await pocKaz.get('/api/v1/contacts?language=ru&limit=500');
    assert.ok(russian.json.total > 0);
    assert.ok(russian.json.items.every((c) => c.languages.includes('ru')));

    const words = await pocKaz.get(`/api/v1/contacts?q=${encodeURIComponent('csirt kazakhstan')}`);
    assert.ok(words.json.total >= 1);
    assert.ok(words.json.items.every((c) => c.state === 'KAZ' && /CSIRT/.test(c.agency)));

    const none = await pocKaz.get('/api/v1/contacts?q=zzzz-no-such-person');
    assert.equal(none.json.total, 0);
  });

  it('pages results', async () => {
    const p1 = await pocKaz.get('/api/v1/contacts?limit=5&offset=0');
    const p2 = await pocKaz.get('/api/v1/contacts?limit=5&offset=5');
    assert.equal(p1.json.items.length, 5);
    assert.notDeepEqual(p1.json.items.map((c) => c.id), p2.json.items.map((c) => c.id));
    assert.equal(p1.json.total, p2.json.total);
  });

  it('refuses bad query parameters by name', async () => {
    expectProblem(assert, await pocKaz.get('/api/v1/contacts?state=Kazakhstan'), 400, 'state');
    expectProblem(assert, await pocKaz.get('/api/v1/contacts?limit=100000'), 400, 'limit');
    expectProblem(assert, await pocKaz.get('/api/v1/contacts?colour=red'), 400, 'colour');
    expectProblem(assert, await pocKaz.get('/api/v1/contacts?status=pending'), 403);
  });
});

describe('scopes and roles', () => {
  it('lets a focal point edit its own state only', async () => {
    const kaz = (await focalKaz.get('/api/v1/contacts?state=KAZ')).json.items[0];
    const tha = (await focalKaz.get('/api/v1/contacts?state=THA')).json.items[0];
    const ok = await focalKaz.patch(`/api/v1/contacts/${kaz.id}`, { position: 'Head of Incident Response' });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.position, 'Head of Incident Response');
    assert.equal(ok.json.version, kaz.version + 1);
    expectProblem(assert, await focalKaz.patch(`/api/v1/contacts/${tha.id}`, { position: 'X' }), 403);
    expectProblem(assert, await focalKaz.delete(`/api/v1/contacts/${tha.id}`), 403);
    expectProblem(assert, await pocKaz.patch(`/api/v1/contacts/${kaz.id}`, { position: 'X' }), 403);
    expectProblem(assert, await pocKaz.post('/api/v1/contacts', newContact()), 403);
    expectProblem(assert, await secArf.post('/api/v1/contacts', newContact()), 403);
    expectProblem(assert, await focalKaz.post('/api/v1/states/THA/agencies', { name: 'X', kind: 'cert' }), 403);
    expectProblem(assert, await pocKaz.get('/api/v1/users'), 403);
    assert.equal((await admin.get('/api/v1/users')).status, 200);
  });

  it('detects concurrent edits with If-Match', async () => {
    const k = (await focalKaz.get('/api/v1/contacts?state=KAZ')).json.items[1];
    const first = await focalKaz.patch(`/api/v1/contacts/${k.id}`, { office_hours: 'Mon-Fri 08:00-17:00' }, { headers: { 'If-Match': `"${k.version}"` } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('etag'), `"${k.version + 1}"`);
    const stale = await secCica.patch(`/api/v1/contacts/${k.id}`, { office_hours: 'Tue-Sat 10:00-16:00' }, { headers: { 'If-Match': `"${k.version}"` } });
    expectProblem(assert, stale, 412);
    assert.equal((await pocKaz.get(`/api/v1/contacts/${k.id}`)).json.office_hours, 'Mon-Fri 08:00-17:00');
  });
});

describe('nominations', () => {
  it('go from focal point to the forum secretariat, and only then become public', async () => {
    const created = await focalKaz.post('/api/v1/contacts', newContact({ nomination_ref: 'Note verbale KAZ/ICT/123/2026' }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.status, 'pending');
    assert.equal(created.headers.get('location'), `/api/v1/contacts/${created.json.id}`);
    const id = created.json.id;

    expectProblem(assert, await pocKaz.get(`/api/v1/contacts/${id}`), 404);
    const queue = await secCica.get('/api/v1/contacts?status=pending&limit=500');
    assert.ok(queue.json.items.some((c) => c.id === id));
    const otherQueue = await secArf.get('/api/v1/contacts?status=pending&limit=500');
    assert.ok(!otherQueue.json.items.some((c) => c.id === id), 'the ARF does not see a CICA-only state\'s nominations');

    expectProblem(assert, await focalKaz.post(`/api/v1/contacts/${id}/approve`, {}), 403);
    expectProblem(assert, await secArf.post(`/api/v1/contacts/${id}/approve`, {}), 404);
    expectProblem(assert, await secCica.post(`/api/v1/contacts/${id}/reject`, {}), 422, 'note');
    const approved = await secCica.post(`/api/v1/contacts/${id}/approve`, { note: 'Received by note verbale' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.status, 'active');
    assert.equal(approved.json.decided_by, 'secretariat.cica');
    assert.equal((await pocKaz.get(`/api/v1/contacts/${id}`)).status, 200);
    expectProblem(assert, await secCica.post(`/api/v1/contacts/${id}/approve`, {}), 409);
  });
});

describe('bad input', () => {
  it('names the field and the reason, and writes nothing', async () => {
    const before = await contactCount(admin);
    expectProblem(assert, await admin.post('/api/v1/contacts', undefined, { raw: '{"name": "x",', headers: { 'Content-Type': 'application/json' } }), 400, 'body');
    expectProblem(assert, await admin.post('/api/v1/contacts', undefined, { raw: '[]', headers: { 'Content-Type': 'application/json' } }), 400, 'body');
    expectProblem(assert, await admin.post('/api/v1/contacts', undefined, { raw: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'content-type');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ colour: 'red' })), 422, 'colour');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ name: undefined })), 422, 'name');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ type: 'spy' })), 422, 'type');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ languages: 'ru' })), 422, 'languages');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ languages: ['russian'] })), 422, 'languages.0');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ state: 'XQZ' })), 422, 'state');   // no state or participant of that code
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ valid_from: '2026-02-30' })), 422, 'valid_from');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ valid_from: '2026-05-01', valid_until: '2026-01-01' })), 422, 'valid_until');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ channels: [{ kind: 'email', value: 'not-an-address' }] })), 422, 'channels.0.value');
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ agency_id: 'one' })), 422, 'agency_id');
    const tha = (await admin.get('/api/v1/states/THA')).json.agencies[0];
    expectProblem(assert, await admin.post('/api/v1/contacts', newContact({ agency_id: tha.id })), 422, 'agency_id');
    // A body over the limit is refused from its Content-Length, before it is read (a raw
    // request: fetch would keep writing 9 MiB into a connection the server has closed).
    const huge = await rawRequest(server.base, [
      'POST /api/v1/contacts HTTP/1.1', `Host: ${new URL(server.base).host}`, `Cookie: ${admin.cookie}`,
      `X-CSRF-Token: ${admin.csrf}`, 'Content-Type: application/json', `Content-Length: ${9 * 1024 * 1024}`, 'Connection: close',
    ].join('\r\n'), '{"name":');
    expectProblem(assert, huge, 413, 'body');
    assert.equal(await contactCount(admin), before, 'no refused request wrote anything');
  });

  it('refuses duplicates with 409', async () => {
    const body = newContact({ name: 'Duplicate Checker' });
    assert.equal((await admin.post('/api/v1/contacts', body)).status, 201);
    expectProblem(assert, await admin.post('/api/v1/contacts', { ...body, name: 'duplicate checker' }), 409, 'name');
  });

  it('answers unknown routes and methods with problems', async () => {
    expectProblem(assert, await admin.get('/api/v1/nothing-here'), 404);
    const res = await admin.request('PUT', '/api/v1/contacts', { body: {} });
    expectProblem(assert, res, 405);
    assert.match(res.headers.get('allow'), /GET/);
    expectProblem(assert, await admin.get('/api/v1/contacts/abc'), 404);
  });

  it('refuses oversized headers with 431', async () => {
    const res = await fetch(`${server.base}/api/v1/health`, { headers: { 'X-Big': 'y'.repeat(20000) } });
    assert.equal(res.status, 431);
  });
});

describe('export', () => {
  it('gives CSV and vCard 4.0 of the same results', async () => {
    const csv = await pocKaz.get('/api/v1/contacts/export?format=csv&state=THA');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'id');
    const json = await pocKaz.get('/api/v1/contacts?state=THA');
    assert.equal(lines.length - 1, json.json.total);

    const vcf = await pocKaz.get('/api/v1/contacts/export?format=vcard&state=THA');
    assert.match(vcf.headers.get('content-type'), /^text\/vcard/);
    const cards = vcf.text.split('BEGIN:VCARD\r\nVERSION:4.0\r\n').length - 1;
    assert.equal(cards, json.json.total);
    for (const c of json.json.items) assert.ok(vcf.text.includes(`FN:${c.name}\r\n`));
    assert.ok(vcf.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
    expectProblem(assert, await pocKaz.get('/api/v1/contacts/export?format=xls'), 400, 'format');
  });
});

describe('event stream', () => {
  it('pushes directory changes to connected users and refuses strangers', async () => {
    const anon = new WebSocket(server.base.replace('http', 'ws') + '/api/v1/stream');
    const refused = await new Promise((r) => {
      anon.onerror = () => r(true);
      anon.onopen = () => r(false);
    });
    assert.equal(refused, true);

    const stream = await openStream(server.base, pocKaz);
    const k = (await focalKaz.get('/api/v1/contacts?state=KAZ')).json.items[0];
    await focalKaz.patch(`/api/v1/contacts/${k.id}`, { position: 'Stream test' });
    await stream.waitFor((e) => e.type === 'directory.contact.updated');
    stream.close();
    const { events } = stream;
    const e = events.find((x) => x.type === 'directory.contact.updated');
    assert.ok(e, `got ${JSON.stringify(events)}`);
    assert.equal(e.data.id, k.id);
    assert.equal(e.data.state, 'KAZ');
    assert.equal(e.data.position, undefined, 'events carry references, not content');
  });

  it('refuses cross-origin upgrades', async () => {
    const ws = new WebSocket(server.base.replace('http', 'ws') + '/api/v1/stream', {
      headers: { Cookie: pocKaz.cookie, Origin: 'https://evil.example' },
    });
    const opened = await new Promise((r) => {
      ws.onerror = () => r(false);
      ws.onopen = () => r(true);
    });
    assert.equal(opened, false);
  });
});
