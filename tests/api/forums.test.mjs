// Forums administered, from an empty database (no --demo): states from ISO 3166-1 with
// their names per language (Debian's iso-codes), Accept-Language, a participant that
// is not a state, the OSCE created with its 57 participating States, partners and a
// group, participation with dates and history, leaving ending access to the forum's
// content that day, the CLI, and every change journaled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, cli, expectProblem, signedIn, sql, startServer } from '../lib/harness.mjs';

const PASSWORD = 'forum-admin-passphrase-1';
// The OSCE's 57 participating States (osce.org/participating-states), by ISO 3166-1 alpha-3.
const OSCE = ['ALB', 'AND', 'ARM', 'AUT', 'AZE', 'BLR', 'BEL', 'BIH', 'BGR', 'CAN', 'HRV', 'CYP', 'CZE', 'DNK', 'EST',
  'FIN', 'FRA', 'GEO', 'DEU', 'GRC', 'VAT', 'HUN', 'ISL', 'IRL', 'ITA', 'KAZ', 'KGZ', 'LVA', 'LIE', 'LTU', 'LUX',
  'MLT', 'MDA', 'MCO', 'MNG', 'MNE', 'NLD', 'MKD', 'NOR', 'POL', 'PRT', 'ROU', 'RUS', 'SMR', 'SRB', 'SVK', 'SVN',
  'ESP', 'SWE', 'CHE', 'TJK', 'TUR', 'TKM', 'UKR', 'GBR', 'USA', 'UZB'];
// Its Asian Partners for Co-operation.
const ASIAN_PARTNERS = ['AUS', 'JPN', 'KOR', 'THA'];

// What Debian's gettext catalogue says a name is in a language (msgunfmt, not Parley's reader).
function isoName(folder, english) {
  const r = spawnSync('msgunfmt', [`/usr/share/locale/${folder}/LC_MESSAGES/iso_3166-1.mo`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const m = r.stdout.match(new RegExp(`msgid "${english}"\\nmsgstr "([^"]+)"`));
  assert.ok(m, `${english} in ${folder}`);
  return m[1];
}

const sqlite = (server, query) => sql(server.db, query);   // sqlite3 or psql (harness)

let server;
const u = {};

function addUser(name, role, extra = []) {
  const r = cli(['user', 'add', name, '--role', role, '--email', `${name}@example.org`, '--db', server.db, ...extra],
    { env: { PARLEY_PASSWORD: PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
}

async function signIn(name) {
  const c = new Client(server.base);
  const r = await c.signIn(name, PASSWORD);
  assert.equal(r.status, 201, r.text);
  u[name] = c;
  return c;
}

before(async () => {
  server = await startServer({ demo: false });
  addUser('admin', 'admin');
  await signIn('admin');
});

after(async () => {
  await server.stop();
  server.cleanup();
});

describe('states from ISO 3166-1', () => {
  it('holds every ISO 3166-1 entry, with names in the caller\'s language', async () => {
    const all = await u.admin.get('/api/v1/states');
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json.items.filter((s) => s.iso).length, 249);
    assert.equal(all.headers.get('content-language'), 'en');

    const kaz = await u.admin.get('/api/v1/states/KAZ', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(kaz.status, 200, kaz.text);
    assert.equal(kaz.json.name, 'Казахстан');
    assert.equal(kaz.json.alpha2, 'KZ');
    assert.equal(kaz.headers.get('content-language'), 'ru');
    assert.match(kaz.headers.get('vary') ?? '', /Accept-Language/);
    // Every name, in every language the directory holds, the UN's six among them.
    for (const lang of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) assert.ok(kaz.json.names[lang], `names.${lang}`);
    assert.equal(kaz.json.names.en, 'Kazakhstan');
    assert.equal(kaz.json.names['zh-Hant'], isoName('zh_TW', 'Kazakhstan'));

    const cases = [
      ['fr-CH, fr;q=0.9', 'AUT', isoName('fr', 'Austria'), 'fr'],
      ['zh-CN', 'CHN', isoName('zh_CN', 'China'), 'zh-Hans'],
      ['zh', 'AUT', isoName('zh_CN', 'Austria'), 'zh'],
      ['ar', 'EGY', isoName('ar', 'Egypt'), 'ar'],
      ['es;q=0.3, ru;q=0.8', 'DEU', isoName('ru', 'Germany'), 'ru'],
      ['tlh, i-klingon;q=0.9', 'AUT', 'Austria', 'en'],   // no names in Klingon: English
      ['*', 'AUT', 'Austria', 'en'],
    ];
    for (const [accept, code, name, lang] of cases) {
      const r = await u.admin.get(`/api/v1/states/${code}`, { headers: { 'Accept-Language': accept } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, name, `${code} for ${accept}`);
      assert.equal(r.headers.get('content-language'), lang, accept);
    }
    const list = await u.admin.get('/api/v1/states', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(list.json.items.find((s) => s.alpha3 === 'AUT').name, isoName('ru', 'Austria'));
  });

  it('refuses a malformed or oversized Accept-Language, naming the header', async () => {
    for (const bad of ['ru;q=2', 'en_US', 'ru;q=0.5;level=1', 'x'.repeat(20), `${'en,'.repeat(40)}ru`, 'a'.repeat(2000)])
      expectProblem(assert, await u.admin.get('/api/v1/states/KAZ', { headers: { 'Accept-Language': bad } }), 400, 'Accept-Language');
    expectProblem(assert, await u.admin.get('/api/v1/forums', { headers: { 'Accept-Language': 'ru;q=abc' } }), 400, 'Accept-Language');
  });

  it('lets the admin add a participant that is not a state, with its own code and names', async () => {
    const anon = new Client(server.base);
    expectProblem(assert, await anon.post('/api/v1/states', { code: 'EUU', names: { en: 'European Union' } }), 401);
    const body = { code: 'EUU', kind: 'organization', names: { en: 'European Union', fr: 'Union européenne', ru: 'Европейский союз' } };
    expectProblem(assert, await u.admin.post('/api/v1/states', { ...body, code: 'AUT' }), 409, 'code');   // an ISO code
    expectProblem(assert, await u.admin.post('/api/v1/states', { ...body, code: 'E1' }), 422, 'code');
    expectProblem(assert, await u.admin.post('/api/v1/states', { ...body, kind: 'state' }), 422, 'kind');
    expectProblem(assert, await u.admin.post('/api/v1/states', { code: 'EUU', names: { fr: 'Union européenne' } }), 422, 'names.en');
    expectProblem(assert, await u.admin.post('/api/v1/states', { code: 'EUU', names: { en: '' } }), 422, 'names.en');
    const r = await u.admin.post('/api/v1/states', body, { headers: { 'Accept-Language': 'fr' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.name, 'Union européenne');
    assert.equal(r.json.iso, false);
    const p = await u.admin.patch('/api/v1/states/EUU', { names: { es: 'Unión Europea', fr: null } });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.names.es, 'Unión Europea');
    assert.equal(p.json.names.fr, undefined);
    expectProblem(assert, await u.admin.patch('/api/v1/states/EUU', { names: { en: null } }), 422, 'names.en');
    const ru = await u.admin.get('/api/v1/states/EUU', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(ru.json.name, 'Европейский союз');
    const de = await u.admin.get('/api/v1/states/EUU', { headers: { 'Accept-Language': 'de' } });
    assert.equal(de.json.name, 'European Union');
  });
});

describe('the OSCE, created by an admin from an empty database', () => {
  const osce = {
    code: 'OSCE',
    names: {
      en: { name: 'Organization for Security and Co-operation in Europe', abbreviation: 'OSCE' },
      ru: { name: 'Организация по безопасности и сотрудничеству в Европе', abbreviation: 'ОБСЕ' },
      fr: { name: "Organisation pour la sécurité et la coopération en Europe", abbreviation: 'OSCE' },
    },
    languages: ['en', 'fr', 'de', 'it', 'ru', 'es'],
    timezone: 'Europe/Vienna',
    website: 'https://www.osce.org',
    secretariat: 'OSCE Secretariat, Vienna',
  };

  it('refuses anyone but the admin, and bad codes and time zones', async () => {
    expectProblem(assert, await new Client(server.base).post('/api/v1/forums', osce), 401);
    // The CICA exists so that its secretariat is a secretariat of another forum.
    const cica = await u.admin.post('/api/v1/forums', {
      code: 'CICA',
      names: { en: { name: 'Conference on Interaction and Confidence Building Measures in Asia', abbreviation: 'CICA' },
        ru: { name: 'Совещание по взаимодействию и мерам доверия в Азии', abbreviation: 'СВМДА' } },
      languages: ['en', 'ru'], timezone: 'Asia/Almaty',
    });
    assert.equal(cica.status, 201, cica.text);
    addUser('secretariat.cica', 'secretariat', ['--forum', 'CICA']);
    await signIn('secretariat.cica');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums', osce), 403);
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, code: 'o s c e' }), 422, 'code');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, timezone: 'Mars/Olympus_Mons' }), 422, 'timezone');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, timezone: '../../etc/passwd' }), 422, 'timezone');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, names: {} }), 422, 'names');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, names: { english: 'x' } }), 422, 'names.english');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, languages: ['en', 'not a tag'] }), 422, 'languages.1');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, website: 'javascript:alert(1)' }), 422, 'website');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, names: { en: { name: 'x'.repeat(5000) } } }), 422, 'names.en.name');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, extra: 1 }), 422, 'extra');
  });

  it('creates it with its names per language', async () => {
    const r = await u.admin.post('/api/v1/forums', osce, { headers: { 'Accept-Language': 'ru' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), '/api/v1/forums/OSCE');
    assert.equal(r.json.name, osce.names.ru.name);
    assert.equal(r.json.abbreviation, 'ОБСЕ');
    assert.equal(r.headers.get('content-language'), 'ru');
    assert.equal(r.json.timezone, 'Europe/Vienna');
    expectProblem(assert, await u.admin.post('/api/v1/forums', osce), 409, 'code');
    const fr = await u.admin.get('/api/v1/forums/OSCE', { headers: { 'Accept-Language': 'fr' } });
    assert.equal(fr.json.name, osce.names.fr.name);
    assert.deepEqual(fr.json.names, osce.names);
    const de = await u.admin.get('/api/v1/forums', { headers: { 'Accept-Language': 'de' } });
    assert.equal(de.json.items.find((f) => f.code === 'OSCE').name, osce.names.en.name);   // fallback
    const cicaRu = (await u.admin.get('/api/v1/forums', { headers: { 'Accept-Language': 'ru' } })).json.items.find((f) => f.code === 'CICA');
    assert.equal(cicaRu.abbreviation, 'СВМДА');
  });

  it('records its 57 participating States, looked up in the ISO list, and its partners', async () => {
    const iso = new Set((await u.admin.get('/api/v1/states')).json.items.map((s) => s.alpha3));
    assert.equal(OSCE.length, 57);
    for (const code of OSCE) assert.ok(iso.has(code), code);
    for (const code of OSCE) {
      const r = await u.admin.put(`/api/v1/forums/OSCE/members/${code}`, { kind: 'member', joined_on: '1975-08-01' });
      assert.equal(r.status, 200, r.text);
    }
    for (const code of ASIAN_PARTNERS) {
      const r = await u.admin.put(`/api/v1/forums/OSCE/members/${code}`, { kind: 'partner' });
      assert.equal(r.status, 200, r.text);
    }
    const f = await u.admin.get('/api/v1/forums/OSCE');
    assert.equal(f.json.members, 57);   // partners are not members
    const states = await u.admin.get('/api/v1/forums/OSCE/states', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(states.json.items.length, 57);
    assert.equal(states.json.items.find((s) => s.alpha3 === 'AUT').name, isoName('ru', 'Austria'));
    const parts = await u.admin.get('/api/v1/forums/OSCE/participants');
    assert.equal(parts.json.items.length, 61);
    assert.deepEqual(parts.json.items.filter((p) => p.kind === 'partner').map((p) => p.state).sort(), [...ASIAN_PARTNERS].sort());
  });

  it('refuses participation changes from anyone but the admin, and bad codes and dates', async () => {
    expectProblem(assert, await new Client(server.base).put('/api/v1/forums/OSCE/members/AUT', { kind: 'member' }), 401);
    expectProblem(assert, await u['secretariat.cica'].put('/api/v1/forums/OSCE/members/IND', { kind: 'member' }), 403);
    expectProblem(assert, await u['secretariat.cica'].delete('/api/v1/forums/OSCE/members/AUT'), 403);
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/XQZ', { kind: 'member' }), 404);   // a code that names no state
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/A1', { kind: 'member' }), 400, 'alpha3');
    expectProblem(assert, await u.admin.put('/api/v1/forums/NOPE/members/AUT', { kind: 'member' }), 404);
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/IND', { kind: 'chair' }), 422, 'kind');
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/IND', { joined_on: '2025-02-30' }), 422, 'joined_on');
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/IND', { joined_on: '2025-01-01', left_on: '2024-01-01' }), 422, 'left_on');
    expectProblem(assert, await u.admin.delete('/api/v1/forums/OSCE/members/IND'), 404);
  });

  it('keeps the history when a partner becomes a member', async () => {
    const r = await u.admin.put('/api/v1/forums/OSCE/members/MNG', { kind: 'member', joined_on: '2012-11-21' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.periods.length, 1, 'a correction of the same kind changes the period');
    assert.equal(r.json.periods[0].joined_on, '2012-11-21');
    const tha = await u.admin.put('/api/v1/forums/OSCE/members/THA', { kind: 'member', joined_on: '2099-01-01' });
    assert.equal(tha.status, 200, tha.text);
    assert.deepEqual(tha.json.periods.map((p) => [p.kind, p.left_on]), [['partner', '2099-01-01'], ['member', null]]);
    const states = (await u.admin.get('/api/v1/forums/OSCE/states')).json.items.map((s) => s.alpha3);
    assert.ok(!states.includes('THA'), 'a member from a future date is not a member yet');
  });

  it('defines groups: the admin or the forum\'s own secretariat, from its participants', async () => {
    addUser('secretariat.osce', 'secretariat', ['--forum', 'OSCE']);
    await signIn('secretariat.osce');
    const nordic = { names: { en: 'Nordic States', ru: 'Северные страны' }, members: ['DNK', 'FIN', 'ISL', 'NOR', 'SWE'] };
    expectProblem(assert, await new Client(server.base).put('/api/v1/forums/OSCE/groups/NORDIC', nordic), 401);
    expectProblem(assert, await u['secretariat.cica'].put('/api/v1/forums/OSCE/groups/NORDIC', nordic), 403);
    expectProblem(assert, await u['secretariat.osce'].put('/api/v1/forums/OSCE/groups/NORDIC', { ...nordic, members: ['DNK', 'CHN'] }), 422, 'members.1');
    expectProblem(assert, await u['secretariat.osce'].put('/api/v1/forums/OSCE/groups/NORDIC', { ...nordic, names: {} }), 422, 'names');
    let r = await u['secretariat.osce'].put('/api/v1/forums/OSCE/groups/NORDIC', nordic);
    assert.equal(r.status, 200, r.text);
    r = await u.admin.put('/api/v1/forums/OSCE/groups/ASIAN-PARTNERS', { names: { en: 'Asian Partners for Co-operation' }, members: ['AUS', 'JPN', 'KOR'] });
    assert.equal(r.status, 200, r.text);
    const groups = await u.admin.get('/api/v1/forums/OSCE/groups', { headers: { 'Accept-Language': 'ru' } });
    const g = groups.json.items.find((x) => x.code === 'NORDIC');
    assert.equal(g.name, 'Северные страны');
    assert.deepEqual(g.members.map((m) => m.alpha3).sort(), nordic.members);
    assert.ok(g.members.some((m) => m.name === isoName('ru', 'Finland')));
    expectProblem(assert, await u['secretariat.cica'].delete('/api/v1/forums/OSCE/groups/ASIAN-PARTNERS'), 403);
    assert.equal((await u['secretariat.osce'].delete('/api/v1/forums/OSCE/groups/ASIAN-PARTNERS')).status, 204);
    expectProblem(assert, await u.admin.delete('/api/v1/forums/OSCE/groups/ASIAN-PARTNERS'), 404);
  });

  it('refuses the others and oversized input on every administration route', async () => {
    addUser('focal.deu', 'focal_point', ['--state', 'DEU']);
    const focal = await signIn('focal.deu');
    expectProblem(assert, await focal.post('/api/v1/states', { code: 'QQQ', names: { en: 'Q' } }), 403);
    expectProblem(assert, await focal.patch('/api/v1/states/DEU', { names: { en: 'Deutschland' } }), 403);
    expectProblem(assert, await u['secretariat.osce'].patch('/api/v1/states/DEU', { names: { en: 'Deutschland' } }), 403);
    expectProblem(assert, await focal.put('/api/v1/forums/OSCE/members/DEU', { kind: 'observer' }), 403);
    expectProblem(assert, await focal.put('/api/v1/forums/OSCE/groups/X1', { names: { en: 'x' }, members: ['DEU'] }), 403);
    expectProblem(assert, await new Client(server.base).get('/api/v1/forums/OSCE/participants'), 401);
    const names = {};
    for (let i = 0; i < 300; i++) names[`x${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`] = { name: 'n' };
    expectProblem(assert, await u.admin.post('/api/v1/forums', { code: 'HUGE', names }), 422, 'names');
    const many = Array.from({ length: 1001 }, () => 'AUT');
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/groups/BIG', { names: { en: 'Big' }, members: many }), 422, 'members');
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/groups/a%20b', { names: { en: 'x' }, members: [] }), 400, 'group');
    expectProblem(assert, await u.admin.post('/api/v1/forums', { ...osce, code: 'NEST', names: { en: { name: { deep: [1] } } } }), 422, 'names.en.name');
    assert.equal((await u.admin.get('/api/v1/forums/HUGE')).status, 404, 'nothing was written');
    // A weight of zero is "not acceptable": the caller gets English.
    const r = await u.admin.get('/api/v1/states/KAZ', { headers: { 'Accept-Language': 'ru;q=0' } });
    assert.equal(r.json.name, 'Kazakhstan');
  });

  it('edits the forum (admin only)', async () => {
    expectProblem(assert, await u['secretariat.osce'].patch('/api/v1/forums/OSCE', { website: 'https://osce.org' }), 403);
    expectProblem(assert, await u.admin.patch('/api/v1/forums/OSCE', { timezone: 'Europe/Nowhere' }), 422, 'timezone');
    expectProblem(assert, await u.admin.patch('/api/v1/forums/OSCE', { code: 'X' }), 422, 'code');
    const r = await u.admin.patch('/api/v1/forums/OSCE', { secretariat: 'Conflict Prevention Centre, Vienna', website: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.secretariat, 'Conflict Prevention Centre, Vienna');
    assert.equal(r.json.website, null);
    assert.equal(r.json.name, osce.names.en.name);
  });
});

describe('leaving a forum ends access to its content that day', () => {
  let contact;
  let document;
  let object;
  let before_comm;
  before(async () => {
    addUser('focal.aut', 'focal_point', ['--state', 'AUT']);   // sees all its state's traffic
    addUser('poc.deu', 'poc', ['--state', 'DEU']);
    for (const n of ['focal.aut', 'poc.deu']) await signIn(n);
    const k = await u['secretariat.osce'].post('/api/v1/contacts', { state: 'AUT', name: 'Anna Beispiel', type: 'technical', availability: '24/7' });
    assert.equal(k.status, 201, k.text);
    contact = k.json;
    const d = await u['secretariat.osce'].post('/api/v1/negotiation/documents', {
      forum: 'OSCE', symbol: 'PC.DEC/1', title: 'Decision on ICT confidence-building measures', distribution: 'member_states',
      text: '# Decision\n\nRecalling the earlier decisions,\n\n## DECIDES:\n\n1. To exchange points of contact.\n',
    });
    assert.equal(d.status, 201, d.text);
    document = d.json.id;
    const id = `indicator--${randomUUID()}`;
    const b = await u['poc.deu'].post('/api/v1/exchange/objects?forum=OSCE', {
      type: 'bundle', id: `bundle--${randomUUID()}`,
      objects: [{ type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
        name: 'scanner', pattern: "[ipv4-addr:value = '198.51.100.9']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] }],
    });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json.stored, 1, b.text);
    object = id;
    const c = await u['poc.deu'].post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['OSCE'], subject: 'Scanning seen across the region',
      description: 'Do you see it too?', severity: 2, tlp: 'TLP:GREEN', sector: 'energy',
    });
    assert.equal(c.status, 201, c.text);
    before_comm = c.json.id;
  });

  it('gives a member access before it leaves', async () => {
    assert.equal((await u['focal.aut'].get(`/api/v1/communications/${before_comm}`)).status, 200);
    assert.equal((await u['focal.aut'].get(`/api/v1/negotiation/documents/${document}`)).status, 200);
    assert.equal((await u['focal.aut'].get(`/api/v1/exchange/objects/${object}?forum=OSCE`)).status, 200);
    assert.equal((await u['secretariat.osce'].patch(`/api/v1/contacts/${contact.id}`, { position: 'Analyst' })).status, 200);
  });

  it('ends it from the day it leaves, and keeps the history', async () => {
    const r = await u.admin.delete('/api/v1/forums/OSCE/members/AUT');
    assert.equal(r.status, 200, r.text);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(r.json.periods.map((p) => [p.kind, p.joined_on, p.left_on]), [['member', '1975-08-01', today]]);

    expectProblem(assert, await u['focal.aut'].get(`/api/v1/negotiation/documents/${document}`), 404);
    expectProblem(assert, await u['focal.aut'].get(`/api/v1/exchange/objects/${object}?forum=OSCE`), 404);
    expectProblem(assert, await u['secretariat.osce'].patch(`/api/v1/contacts/${contact.id}`, { position: 'Lead' }), 403);
    // What it received before is out of its reach too, by id and in its lists.
    expectProblem(assert, await u['focal.aut'].get(`/api/v1/communications/${before_comm}`), 404);
    assert.ok(!(await u['focal.aut'].get('/api/v1/communications?box=all')).json.items.some((x) => x.id === before_comm));
    // A forum-wide communication sent after it left does not reach it.
    const c = await u['poc.deu'].post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['OSCE'], subject: 'Second wave', description: 'And now?',
      severity: 2, tlp: 'TLP:GREEN', sector: 'energy',
    });
    assert.equal(c.status, 201, c.text);
    expectProblem(assert, await u['focal.aut'].get(`/api/v1/communications/${c.json.id}`), 404);
    assert.ok(!(await u['focal.aut'].get('/api/v1/communications')).json.items.some((x) => x.id === c.json.id));

    const f = await u.admin.get('/api/v1/forums/OSCE');
    assert.equal(f.json.members, 56);
    const past = (await u.admin.get('/api/v1/forums/OSCE/participants')).json.items.find((p) => p.state === 'AUT');
    assert.equal(past.current, false);
    assert.equal(past.left_on, today);
    expectProblem(assert, await u.admin.delete('/api/v1/forums/OSCE/members/AUT'), 404);
    // Rejoining may not reach back into the period that ended.
    expectProblem(assert, await u.admin.put('/api/v1/forums/OSCE/members/AUT', { joined_on: '2000-01-01' }), 422, 'joined_on');
  });
});

describe('the command line and the journal', () => {
  it('administers forums from the CLI, journaled as the operator', async () => {
    const db = ['--db', server.db];
    let r = cli(['forum', 'add', 'ARF', '--name', 'en=ASEAN Regional Forum', '--abbr', 'en=ARF', '--name', 'ru=Региональный форум АСЕАН',
      '--language', 'en', '--timezone', 'Asia/Jakarta', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['state', 'add', 'ASE', '--name', 'en=ASEAN Secretariat', '--name', 'ru=Секретариат АСЕАН', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['state', 'add', 'KAZ', '--name', 'en=Kazakhstan', ...db]);
    assert.notEqual(r.code, 0, 'an ISO 3166-1 code is a state already');
    assert.equal((await u.admin.get('/api/v1/states/ASE', { headers: { 'Accept-Language': 'ru' } })).json.name, 'Секретариат АСЕАН');
    r = cli(['forum', 'member', 'add', 'ARF', 'BRN', 'KHM', 'IDN', 'EUU', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['forum', 'member', 'add', 'ARF', 'XYZ', ...db]);
    assert.notEqual(r.code, 0);
    r = cli(['forum', 'add', 'BAD', '--name', 'en=Bad', '--timezone', 'Nowhere/Land', ...db]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /timezone/);
    r = cli(['forum', 'group', 'set', 'ARF', 'ASEAN', '--name', 'en=ASEAN Member States', '--member', 'BRN', '--member', 'KHM', '--member', 'IDN', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['forum', 'member', 'remove', 'ARF', 'KHM', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['forum', 'edit', 'ARF', '--secretariat', 'ARF Unit, Jakarta', ...db]);
    assert.equal(r.code, 0, r.stderr);
    r = cli(['forum', 'list', ...db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ARF\tASEAN Regional Forum \(ARF\)\t3 members$/m);
    assert.match(r.stdout, /^OSCE\t/m);
    const arf = await u.admin.get('/api/v1/forums/ARF', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(arf.json.name, 'Региональный форум АСЕАН');
    assert.equal(arf.json.secretariat, 'ARF Unit, Jakarta');
    const members = (await u.admin.get('/api/v1/forums/ARF/states')).json.items.map((s) => s.alpha3).sort();
    assert.deepEqual(members, ['BRN', 'EUU', 'IDN']);
  });

  it('journals every change with its actor, and the chain verifies', () => {
    const rows = sqlite(server, "SELECT actor || ' ' || action || ' ' || object FROM journal WHERE action LIKE 'forum.%' OR action LIKE 'state.%' ORDER BY seq").split('\n');
    const has = (re) => assert.ok(rows.some((l) => re.test(l)), `${re} in\n${rows.slice(0, 10).join('\n')}`);
    has(/^user:admin state\.create state:EUU$/);
    has(/^user:admin state\.update state:EUU$/);
    has(/^user:admin forum\.create forum:OSCE$/);
    has(/^user:admin forum\.update forum:OSCE$/);
    has(/^user:admin forum\.participation\.end forum:OSCE\/state:AUT$/);
    has(/^user:secretariat\.osce forum\.group\.create forum:OSCE\/group:NORDIC$/);
    has(/^user:secretariat\.osce forum\.group\.delete forum:OSCE\/group:ASIAN-PARTNERS$/);
    has(/^cli forum\.create forum:ARF$/);
    has(/^cli state\.create state:ASE$/);
    has(/^cli forum\.participation\.end forum:ARF\/state:KHM$/);
    assert.equal(rows.filter((l) => / forum\.participation\.set forum:OSCE\//.test(l)).length, 57 + 4 + 2);
    assert.equal(cli(['journal', 'verify', '--db', server.db]).code, 0);
  });
});
