// Search folds case and diacritics in every script, as it does for ASCII: the
// directory's q finds an entry stored as КАЗАХСТАН when asked for Казахстан, a
// mixed-case Russian name by any case, Ё as Е, é as e.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem, signedIn, startServer } from '../lib/harness.mjs';

let server, admin, pocKaz;
before(async () => {
  server = await startServer();
  [admin, pocKaz] = await Promise.all(['admin', 'poc.kaz'].map((u) => signedIn(server.base, u)));
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const contact = (extra) => ({
  state: 'KAZ', type: 'technical', availability: '24/7', languages: ['ru', 'kk'], timezone: 'Asia/Almaty',
  channels: [{ kind: 'email', value: 'cert@kaz.example.org', use: null }], ...extra,
});

async function names(client, q) {
  const res = await client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}&limit=500`);
  assert.equal(res.status, 200, res.text);
  return res.json.items.map((c) => c.name).sort();
}

describe('directory search in every script', () => {
  it('finds Cyrillic, Greek and accented entries whatever the case and diacritics', async () => {
    for (const body of [
      contact({ name: 'Ерлан Ёлкин', position: 'ДЕЖУРНЫЙ ОФИЦЕР, КАЗАХСТАН' }),
      contact({ name: 'Айгерім Сәрсенбаева', position: 'Ведущий специалист' }),
      contact({ name: 'Éloïse Dubois', position: 'Conseillère, Fédération' }),
      contact({ name: 'Νίκος Παπαδόπουλος', position: 'Σύνδεσμος' }),
    ]) {
      const res = await admin.post('/api/v1/contacts', body);
      assert.equal(res.status, 201, res.text);
    }
    assert.deepEqual(await names(pocKaz, 'Казахстан'), ['Ерлан Ёлкин']);
    assert.deepEqual(await names(pocKaz, 'казахстан'), ['Ерлан Ёлкин']);
    assert.deepEqual(await names(pocKaz, 'ЕРЛАН'), ['Ерлан Ёлкин']);
    assert.deepEqual(await names(pocKaz, 'елкин'), ['Ерлан Ёлкин']);   // Ё found as Е
    assert.deepEqual(await names(pocKaz, 'дежурный офицер'), ['Ерлан Ёлкин']);
    assert.deepEqual(await names(pocKaz, 'СӘРСЕНБАЕВА'), ['Айгерім Сәрсенбаева']);
    assert.deepEqual(await names(pocKaz, 'сарсенбаева'), []);   // Kazakh ә is a letter of its own, not а with a mark
    assert.deepEqual(await names(pocKaz, 'айгерім'), ['Айгерім Сәрсенбаева']);
    assert.deepEqual(await names(pocKaz, 'eloise federation'), ['Éloïse Dubois']);
    assert.deepEqual(await names(pocKaz, 'ÉLOÏSE'), ['Éloïse Dubois']);
    assert.deepEqual(await names(pocKaz, 'ΠΑΠΑΔΟΠΟΥΛΟΣ'), ['Νίκος Παπαδόπουλος']);
    assert.deepEqual(await names(pocKaz, 'νικος'), ['Νίκος Παπαδόπουλος']);
    assert.deepEqual(await names(pocKaz, 'Казахстан Dubois'), []);
  });

  it('takes the same name in another case or with other diacritics for a duplicate', async () => {
    expectProblem(assert, await admin.post('/api/v1/contacts', contact({ name: 'ЕРЛАН ЕЛКИН' })), 409, 'name');
    expectProblem(assert, await admin.post('/api/v1/contacts', contact({ name: 'eloise DUBOIS' })), 409, 'name');
    const other = await admin.post('/api/v1/contacts', contact({ name: 'Ерлан Ёлкинов' }));
    assert.equal(other.status, 201, other.text);
  });

  it('still finds ASCII as before and treats wildcards literally', async () => {
    assert.ok((await names(pocKaz, 'KAZAKHSTAN')).length > 0);
    assert.deepEqual(await names(pocKaz, '%'), []);
    assert.deepEqual(await names(pocKaz, '_'), []);
  });

  it('refuses a search that is not UTF-8 or too long, naming q', async () => {
    expectProblem(assert, await pocKaz.get('/api/v1/contacts?q=%FF%FE'), 400, 'q');
    expectProblem(assert, await pocKaz.get(`/api/v1/contacts?q=${encodeURIComponent('ж'.repeat(150))}`), 400, 'q');
  });
});

describe('search of shared threat information', () => {
  it('finds an object by its name in any case and with or without diacritics', async () => {
    const id = `indicator--${randomUUID()}`;
    const tlpGreen = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
    const res = await pocKaz.post('/api/v1/exchange/objects?forum=CICA', {
      type: 'bundle', id: `bundle--${randomUUID()}`, objects: [{
        type: 'indicator', spec_version: '2.1', id, created: '2026-05-01T10:00:00.000Z', modified: '2026-05-01T10:00:00.000Z',
        name: 'Ботнет СЕВЕР — узел управления в Алматы', pattern: "[ipv4-addr:value = '203.0.113.77']", pattern_type: 'stix',
        valid_from: '2026-05-01T10:00:00Z', object_marking_refs: [tlpGreen],
      }],
    });
    assert.ok(res.status === 200 || res.status === 201, res.text);
    assert.equal(res.json.stored, 1, res.text);
    const found = async (q) => {
      const r = await pocKaz.get(`/api/v1/exchange/objects?forum=CICA&q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      return r.json.objects.map((o) => o.id);
    };
    assert.deepEqual(await found('ботнет север'), [id]);
    assert.deepEqual(await found('УЗЕЛ УПРАВЛЕНИЯ'), [id]);
    assert.deepEqual(await found('алматы'), [id]);
    assert.deepEqual(await found('ботнет юг'), []);
    assert.deepEqual(await found('203.0.113.77'), [id]);   // the pattern, in the body, as before
  });
});
