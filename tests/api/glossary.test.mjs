// The glossary over the real server: a forum's terms with their equivalents, states'
// definitions proposed by their focal points, organisations' and the forum's agreed
// definitions recorded by the secretariat, the comparison view's highlighted
// differences, and TBX-Basic and CSV both ways. Who reads and writes what is enforced
// on every path (terms, definitions, comparison, export, import, the ledger), and a
// definition's link to a library contribution is shown only to its readers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const G = '/api/v1/glossary';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'focal.rus', 'poc.kaz', 'poc.uzb', 'focal.chn', 'poc.usa', 'focal.usa', 'admin'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

async function created(res) {
  assert.equal(res.status, 201, res.text);
  return res.json;
}

describe('terms and definitions of a forum', () => {
  let term, kazLaw, kazDef;

  it('are added by the secretariat and member states\' focal points, validated field by field', async () => {
    expectProblem(assert, await u['focal.kaz'].post(`${G}/terms`, { forum: 'CICA', term: '', lang: 'english' }), 422, 'term');
    expectProblem(assert, await u['poc.kaz'].post(`${G}/terms`, { forum: 'CICA', term: 'x' }), 403);
    expectProblem(assert, await u['focal.usa'].post(`${G}/terms`, { forum: 'CICA', term: 'x' }), 404);   // USA is not a CICA member
    expectProblem(assert, await u['secretariat.arf'].post(`${G}/terms`, { forum: 'CICA', term: 'x' }), 404);
    expectProblem(assert, await new Client(server.base).post(`${G}/terms`, { forum: 'CICA', term: 'x' }), 401);
    term = await created(await u['focal.kaz'].post(`${G}/terms`, {
      forum: 'CICA', term: 'critical information infrastructure object', lang: 'en',
      equivalents: [{ lang: 'ru', text: 'объект критической информационной инфраструктуры' }, { lang: 'zh', text: '关键信息基础设施对象' }],
    }));
    assert.equal(term.forum, 'CICA');
    assert.equal(term.equivalents.length, 2);
    // The same term in other case is the same term.
    expectProblem(assert, await u['secretariat.cica'].post(`${G}/terms`, { forum: 'CICA', term: 'Critical Information Infrastructure OBJECT' }), 409, 'term');
  });

  it('is found by its equivalents in any case, by the forum\'s readers only', async () => {
    const list = async (who, q) => (await u[who].get(`${G}/terms?forum=CICA&q=${encodeURIComponent(q)}`));
    // The demo's terms were made before this one.
    const ids = async (who, q) => (await list(who, q)).json.items.map((t) => t.id).filter((id) => id >= term.id);
    assert.deepEqual(await ids('poc.uzb', 'ОБЪЕКТ КРИТИЧЕСКОЙ'), [term.id]);
    assert.deepEqual(await ids('poc.uzb', '基础设施对象'), [term.id]);
    assert.deepEqual((await list('poc.uzb', 'nothing like it')).json.items, []);
    assert.deepEqual((await list('poc.uzb', '%')).json.items, [], 'a % is a character, not a wildcard');
    for (const who of ['poc.usa', 'admin', 'secretariat.arf']) expectProblem(assert, await list(who, ''), 404);
    for (const who of ['poc.usa', 'admin', 'secretariat.arf']) expectProblem(assert, await u[who].get(`${G}/terms/${term.id}`), 404);
  });

  it('takes a state\'s definition from its focal point only, linked to its national document', async () => {
    const lib = '/api/v1/library/contributions';
    kazLaw = await created(await u['focal.kaz'].post(lib, { forum: 'CICA', kind: 'law', title: 'On informatization (draft)', visibility: 'forum', tlp: 'TLP:GREEN' }));
    const def = (state, text, extra = {}) => ({ source: 'state', state, lang: 'en', text, ...extra });
    expectProblem(assert, await u['focal.kaz'].post(`${G}/terms/${term.id}/definitions`, def('RUS', 'x')), 403);
    expectProblem(assert, await u['poc.kaz'].post(`${G}/terms/${term.id}/definitions`, def('KAZ', 'x')), 403);
    expectProblem(assert, await u['focal.kaz'].post(`${G}/terms/${term.id}/definitions`, { source: 'organisation', organisation: 'ITU', lang: 'en', text: 'x' }), 403);
    expectProblem(assert, await u['focal.kaz'].post(`${G}/terms/${term.id}/definitions`, { source: 'forum', lang: 'en', text: 'x' }), 422, 'agreed_on');
    expectProblem(assert, await u['focal.rus'].post(`${G}/terms/${term.id}/definitions`, def('RUS', 'x', { contribution: kazLaw.id })), 422, 'contribution');
    kazDef = await created(await u['focal.kaz'].post(`${G}/terms/${term.id}/definitions`,
      def('KAZ', 'Information systems whose failure harms the security of the state and its citizens.', { contribution: kazLaw.id, reference: 'Art. 1(29)' })));
    assert.deepEqual(kazDef.contribution, { id: kazLaw.id, title: 'On informatization (draft)' });
    await created(await u['focal.rus'].post(`${G}/terms/${term.id}/definitions`,
      def('RUS', 'Information systems and networks whose failure harms the security of the state.')));
    await created(await u['secretariat.cica'].post(`${G}/terms/${term.id}/definitions`,
      { source: 'organisation', organisation: 'ISO/IEC 27000:2018', lang: 'en', text: 'Information assets essential to society.' }));
    await created(await u['secretariat.cica'].post(`${G}/terms/${term.id}/definitions`,
      { source: 'forum', agreed_on: '2024-10-03', agreed_in: 'CICA Special Working Group, 5th meeting', lang: 'ru', text: 'Объекты, нарушение работы которых угрожает безопасности.' }));
    const t = (await u['poc.uzb'].get(`${G}/terms/${term.id}`)).json;
    assert.deepEqual(t.definitions.map((d) => d.source), ['state', 'state', 'organisation', 'forum']);
    // UZB may not read KAZ's unpublished law: the link is not shown to it, nor its title.
    assert.equal(t.definitions[0].contribution, null);
    assert.ok(!JSON.stringify(t).includes('On informatization'));
    assert.deepEqual((await u['poc.kaz'].get(`${G}/terms/${term.id}`)).json.definitions[0].contribution?.id, kazLaw.id);
  });

  it('compares every definition in a language side by side, marking what sets each apart', async () => {
    const r = await u['poc.uzb'].get(`${G}/terms/${term.id}/comparison?lang=en`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.definitions.length, 3);
    assert.deepEqual(r.json.languages, ['en', 'ru']);
    const distinct = (d) => d.parts.filter((p) => p.distinct).map((p) => p.text.trim());
    const [kaz, rus, iso] = r.json.definitions;
    for (const d of r.json.definitions) assert.equal(d.parts.map((p) => p.text).join(''), d.text, 'the parts are the text');
    assert.ok(distinct(kaz).some((s) => s.includes('citizens')), JSON.stringify(kaz.parts));
    assert.ok(distinct(rus).some((s) => s.includes('networks')), JSON.stringify(rus.parts));
    assert.ok(distinct(iso).some((s) => s.includes('assets')), JSON.stringify(iso.parts));
    assert.ok(!distinct(kaz).some((s) => s.includes('Information')), 'a word every definition has is not marked');
    expectProblem(assert, await u['poc.usa'].get(`${G}/terms/${term.id}/comparison`), 404);
    expectProblem(assert, await u['poc.uzb'].get(`${G}/terms/${term.id}/comparison?lang=${encodeURIComponent('<x>')}`), 400, 'lang');
  });

  it('lets a state withdraw its own definition, not another\'s', async () => {
    const extra = await created(await u['focal.kaz'].post(`${G}/terms/${term.id}/definitions`, { source: 'state', state: 'KAZ', lang: 'ru', text: 'черновик' }));
    expectProblem(assert, await u['focal.rus'].delete(`${G}/definitions/${extra.id}`), 403);
    // An outsider learns nothing from the answer: the same for a definition that exists and one that does not.
    const outsider = await u['poc.usa'].delete(`${G}/definitions/${extra.id}`);
    expectProblem(assert, outsider, 404);
    assert.equal(outsider.json.detail.replace(String(extra.id), 'N'), (await u['poc.usa'].delete(`${G}/definitions/99999999`)).json.detail.replace('99999999', 'N'));
    assert.equal((await u['focal.kaz'].delete(`${G}/definitions/${extra.id}`)).status, 204);
    expectProblem(assert, await u['focal.kaz'].delete(`${G}/definitions/${extra.id}`), 404);
  });

  it('journals every change, read by the forum\'s readers and no one else', async () => {
    const records = async (who) => (await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`term:${term.id}`)}`)).json.records.map((x) => x.action);
    const seen = await records('poc.uzb');
    assert.equal(seen[0], 'glossary.term.create');
    assert.ok(seen.includes('glossary.definition.add') && seen.includes('glossary.definition.withdraw'), seen.join());
    assert.deepEqual(await records('admin'), []);
    assert.deepEqual(await records('poc.usa'), []);
  });

  it('exports TBX-Basic and CSV, which import into another forum\'s glossary as they were', async () => {
    const tbx = await u['poc.uzb'].get(`${G}/export?forum=CICA&format=tbx`);
    assert.equal(tbx.status, 200, tbx.text);
    assert.match(tbx.headers.get('content-type'), /application\/x-tbx\+xml/);
    assert.match(tbx.headers.get('content-disposition'), /attachment; filename="glossary-CICA.tbx"/);
    assert.match(tbx.text, /<tbx type="TBX-Basic" style="dca"[^>]*xmlns="urn:iso:std:iso:30042:ed-2"/);
    assert.match(tbx.text, /<term>关键信息基础设施对象<\/term>/);
    assert.ok(!tbx.text.includes(`parley:contribution=${kazLaw.id}<`), 'UZB may not read the linked law: its export does not link it');
    assert.ok((await u['poc.kaz'].get(`${G}/export?forum=CICA&format=tbx`)).text.includes(`parley:contribution=${kazLaw.id}<`));
    expectProblem(assert, await u['poc.usa'].get(`${G}/export?forum=CICA&format=tbx`), 404);
    expectProblem(assert, await u['poc.uzb'].get(`${G}/export?forum=CICA&format=pdf`), 400, 'format');

    // Into the ARF's glossary: only its secretariat imports; a bad file changes nothing.
    const imp = (who, format, raw) => u[who].request('POST', `${G}/import?forum=ARF&format=${format}`,
      { raw, headers: { 'Content-Type': format === 'tbx' ? 'application/x-tbx+xml' : 'text/csv' } });
    expectProblem(assert, await imp('focal.kaz', 'tbx', tbx.text), 403);
    expectProblem(assert, await imp('secretariat.cica', 'tbx', tbx.text), 404);
    expectProblem(assert, await imp('secretariat.arf', 'tbx', '<!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tbx>&x;</tbx>'), 422, 'file');
    expectProblem(assert, await imp('secretariat.arf', 'tbx', tbx.text.replace('</tbx>', '')), 422, 'file');
    assert.deepEqual((await u['secretariat.arf'].get(`${G}/terms?forum=ARF`)).json.items, []);
    let r = await imp('secretariat.arf', 'tbx', tbx.text);
    assert.equal(r.status, 200, r.text);
    // Every concept of the file (the demo's terms too), every definition.
    const count = (re) => (tbx.text.match(re) ?? []).length;
    assert.deepEqual(r.json, { terms_added: count(/<conceptEntry /g), terms_updated: 0, definitions_added: count(/<descrip type="definition">/g) });
    const arf = (await u['secretariat.arf'].get(`${G}/terms?forum=ARF&q=${encodeURIComponent('information infrastructure object')}`)).json.items;
    assert.equal(arf.length, 1);
    const copy = (await u['secretariat.arf'].get(`${G}/terms/${arf[0].id}`)).json;
    const original = (await u['secretariat.cica'].get(`${G}/terms/${term.id}`)).json;
    const strip = (t) => ({ term: t.term, lang: t.lang, equivalents: t.equivalents,
      definitions: t.definitions.map(({ source, state, organisation, agreed_on, agreed_in, lang, text, reference }) =>
        ({ source, state, organisation, agreed_on, agreed_in, lang, text, reference })) });
    assert.deepEqual(strip(copy), strip(original));
    // Importing it again adds nothing; the CSV export of the copy imports as nothing new too.
    assert.deepEqual((await imp('secretariat.arf', 'tbx', tbx.text)).json, { terms_added: 0, terms_updated: 0, definitions_added: 0 });
    const csv = await u['secretariat.arf'].get(`${G}/export?forum=ARF&format=csv`);
    assert.match(csv.text, /^concept,type,lang,text,source,state,organisation,agreed_on,agreed_in,reference,contribution\r\n/);
    assert.deepEqual((await imp('secretariat.arf', 'csv', csv.text)).json, { terms_added: 0, terms_updated: 0, definitions_added: 0 });
    r = await imp('secretariat.arf', 'csv', 'concept,type,lang,text,source,state\r\nc9,term,en,cyber attack\r\nc9,definition,en,An attack.,state,ZZZ\r\n');
    expectProblem(assert, r, 422, 'file');
    assert.equal((await u['secretariat.arf'].get(`${G}/terms?forum=ARF`)).json.items.length, count(/<conceptEntry /g), 'the refused file added nothing');
  });
});
