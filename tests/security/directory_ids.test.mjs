// Finding 19: contacts (and agencies) had INTEGER PRIMARY KEYs without AUTOINCREMENT, so
// SQLite gave a new row the id of the last row deleted: the journal's "contact:812",
// a stream event, a bookmark or another state's note about contact 812 then named
// somebody else. The fixed server never reuses an id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn, startServer } from '../lib/harness.mjs';

let server;
let admin;
let focal;
before(async () => {
  server = await startServer();
  admin = await signedIn(server.base, 'admin');
  focal = await signedIn(server.base, 'focal.tha');
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const contact = (name) => ({ state: 'THA', name, type: 'technical', availability: '24/7', languages: ['en'] });

describe('finding 19: ids are never reused', () => {
  it('a contact created after one was deleted gets a new id, also when the deleted one was the last row', async () => {
    const seen = [];
    const first = await admin.post('/api/v1/contacts', contact('Reused Id One'));
    assert.equal(first.status, 201, first.text);
    seen.push(first.json.id);
    assert.equal((await admin.delete(`/api/v1/contacts/${first.json.id}`)).status, 204);
    const second = await admin.post('/api/v1/contacts', contact('Reused Id Two'));
    assert.equal(second.status, 201, second.text);
    assert.ok(!seen.includes(second.json.id), `the deleted contact's id ${first.json.id} was given again`);
    seen.push(second.json.id);

    // The last row of the table, whoever made it (here a focal point's own contact, applied
    // directly or as a nomination), deleted; then a new one.
    const all = await admin.get('/api/v1/contacts?state=THA&limit=500');
    const pending = await admin.get('/api/v1/contacts?state=THA&status=pending&limit=500');
    const nominated = await focal.post('/api/v1/contacts', contact('Reused Id Three'));
    assert.equal(nominated.status, 201, nominated.text);
    const last = Math.max(nominated.json.id, ...all.json.items.map((c) => c.id), ...pending.json.items.map((c) => c.id));
    assert.equal(last, nominated.json.id, 'the nomination is the last row');
    assert.equal((await admin.delete(`/api/v1/contacts/${last}`)).status, 204);
    seen.push(last);
    const third = await admin.post('/api/v1/contacts', contact('Reused Id Four'));
    assert.equal(third.status, 201, third.text);
    assert.ok(!seen.includes(third.json.id), `id ${third.json.id} was given again (seen ${seen})`);
    assert.ok(third.json.id > Math.max(...seen));
    // The deleted ids stay gone.
    for (const id of [first.json.id, last]) assert.equal((await admin.get(`/api/v1/contacts/${id}`)).status, 404);
  });

  it('an agency created after one was deleted gets a new id', async () => {
    const a = await admin.post('/api/v1/states/THA/agencies', { name: 'Reused Agency One', kind: 'cert' });
    assert.equal(a.status, 201, a.text);
    assert.equal((await admin.delete(`/api/v1/agencies/${a.json.id}`)).status, 204);
    const b = await admin.post('/api/v1/states/THA/agencies', { name: 'Reused Agency Two', kind: 'cert' });
    assert.equal(b.status, 201, b.text);
    assert.notEqual(b.json.id, a.json.id, `the deleted agency's id ${a.json.id} was given again`);
  });
});
