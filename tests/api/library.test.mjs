// The library over the real server: a state's focal point submits a contribution, its
// forum's secretariat publishes it, language versions are files whose text is read in a
// child process after the upload, and search finds each script's documents. Who reads
// what is enforced on every path (a contribution, its file, search, the stream), and a
// file that cannot be read is kept and says why.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, expectProblem, openStream, rawRequest, signedIn, startServer, timedFetch } from '../lib/harness.mjs';

const API = '/api/v1/library/contributions';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'poc.kaz', 'poc.uzb', 'focal.chn', 'poc.usa', 'focal.usa', 'admin'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const put = (who, id, lang, bytes, { translation = 'original', filename = 'law.txt', type = 'application/octet-stream' } = {}) =>
  u[who].request('PUT', `${API}/${id}/versions/${lang}?translation=${translation}&filename=${encodeURIComponent(filename)}`,
    { raw: bytes, headers: { 'Content-Type': type } });

// The demo's own contributions (made before any of these) are left out of search results.
let first = Infinity;
async function submit(who, body) {
  const r = await u[who].post(API, body);
  assert.equal(r.status, 201, r.text);
  first = Math.min(first, r.json.id);
  return r.json;
}

const found = async (who, q) => {
  const r = await u[who].get(`${API}?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((c) => c.id >= first);
};
const search = async (who, q) => (await found(who, q)).map((c) => c.id);

describe('a contribution from submission to publication', () => {
  let law;
  it('is submitted by a focal point for its own state, and validated field by field', async () => {
    const bad = await u['focal.kaz'].post(API, { forum: 'CICA', kind: 'decree', title: '', visibility: 'public', tlp: 'TLP:AMBER' });
    const p = expectProblem(assert, bad, 422, 'kind');
    for (const field of ['title', 'tlp']) assert.ok(p.errors.some((e) => e.field === field), bad.text);
    expectProblem(assert, await u['focal.kaz'].post(API, { forum: 'ARF', kind: 'law', title: 'x' }), 422, 'forum');   // KAZ is not in the ARF
    expectProblem(assert, await u['poc.kaz'].post(API, { forum: 'CICA', kind: 'law', title: 'x' }), 403);
    law = await submit('focal.kaz', {
      forum: 'CICA', kind: 'law', title: 'Закон о кибербезопасности', summary: 'Critical information infrastructure',
      adopted_on: '2017-11-28', visibility: 'forum', tlp: 'TLP:GREEN', tags: ['norm-13', 'cbm-3'],
    });
    assert.equal(law.state, 'KAZ');
    assert.equal(law.workflow, 'submitted');
    assert.deepEqual(law.tags, ['cbm-3', 'norm-13']);
  });

  it('is read before publication only by its state and the forum\'s secretariat', async () => {
    assert.equal((await u['poc.kaz'].get(`${API}/${law.id}`)).status, 200);
    assert.equal((await u['secretariat.cica'].get(`${API}/${law.id}`)).json.can_review, true);
    for (const who of ['poc.uzb', 'secretariat.arf', 'admin', 'poc.usa']) expectProblem(assert, await u[who].get(`${API}/${law.id}`), 404);
    assert.deepEqual(await search('poc.uzb', 'кибербезопасности'), []);
  });

  it('is published by that secretariat only, and then read by the forum\'s member states', async () => {
    expectProblem(assert, await u['focal.kaz'].post(`${API}/${law.id}/publish`), 403);
    expectProblem(assert, await u['secretariat.arf'].post(`${API}/${law.id}/publish`), 404);
    const stream = await openStream(server.base, u['poc.uzb']);
    const outsider = await openStream(server.base, u['poc.usa']);
    const r = await u['secretariat.cica'].post(`${API}/${law.id}/publish`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.workflow, 'published');
    assert.ok(await stream.waitFor((e) => e.type === 'library.contribution.published' && e.data.id === law.id));
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/${law.id}/publish`), 409);
    assert.equal((await u['poc.uzb'].get(`${API}/${law.id}`)).status, 200);
    expectProblem(assert, await u['poc.usa'].get(`${API}/${law.id}`), 404);   // USA is not in the CICA
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!outsider.events.some((e) => e.type.startsWith('library.')), 'an outsider hears nothing of it');
    await stream.close();
    await outsider.close();
  });

  it('shows its ledger records to those who read it, the admin not included', async () => {
    const records = async (who) => {
      const r = await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`contribution:${law.id}`)}`);
      assert.equal(r.status, 200, r.text);
      return r.json.records.map((x) => x.action);
    };
    assert.deepEqual(await records('poc.uzb'), ['library.contribution.submit', 'library.contribution.publish']);
    assert.deepEqual(await records('admin'), []);     // the contribution is for the CICA's members
    assert.deepEqual(await records('poc.usa'), []);
  });

  it('is returned with a note, which only a submitted one can be', async () => {
    const draft = await submit('focal.kaz', { forum: 'CICA', kind: 'strategy', title: 'Draft strategy', visibility: 'public', tlp: 'TLP:CLEAR' });
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/${draft.id}/return`, {}), 422, 'note');
    const r = await u['secretariat.cica'].post(`${API}/${draft.id}/return`, { note: 'Please add the official translation.' });
    assert.equal(r.json.workflow, 'returned');
    assert.equal((await u['focal.kaz'].get(`${API}/${draft.id}`)).json.return_note, 'Please add the official translation.');
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/${draft.id}/return`, { note: 'again' }), 409);
  });
});

describe('language versions, their text and search across scripts', () => {
  let ru, zh, fr;
  before(async () => {
    ru = await submit('focal.kaz', { forum: 'CICA', kind: 'law', title: 'Law on informatization', visibility: 'public', tlp: 'TLP:CLEAR' });
    zh = await submit('focal.chn', { forum: 'CICA', kind: 'law', title: 'Cybersecurity Law', visibility: 'forum', tlp: 'TLP:GREEN' });
    fr = await submit('focal.kaz', { forum: 'CICA', kind: 'views', title: 'Views on threats', visibility: 'states', states: ['UZB'], tlp: 'TLP:AMBER' });
  });

  it('stores each file once, reads its text in the background, and search finds each script', async () => {
    let r = await put('focal.kaz', ru.id, 'ru', Buffer.from('Статья 1. Кибербезопасность критической информационной инфраструктуры.\n'));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.versions[0].text.status, 'pending');
    r = await put('focal.chn', zh.id, 'zh', Buffer.from('<!DOCTYPE html><html><body><h1>中华人民共和国网络安全法</h1><script>x()</script><p>第一条 为了保障网络安全</p></body></html>'),
      { filename: 'law.html', type: 'text/html' });
    assert.equal(r.status, 200, r.text);
    r = await put('focal.kaz', fr.id, 'fr', Buffer.from('La cybersécurité des opérateurs d\'importance vitale.'), { translation: 'unofficial' });
    assert.equal(r.status, 200, r.text);
    for (const c of [ru, zh, fr]) assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/publish`)).status, 200);
    const read = async (who, id) => (await u[who].get(`${API}/${id}`)).json.versions[0].text;
    for (const [who, c] of [['focal.kaz', ru], ['focal.chn', zh], ['focal.kaz', fr]])
      assert.equal((await eventually(async () => ((await read(who, c.id)).status === 'done' ? read(who, c.id) : null), 20000))?.flag, '');
    assert.equal((await u['focal.chn'].get(`${API}/${zh.id}`)).json.versions[0].format, 'html');
    assert.deepEqual(await search('poc.uzb', 'кибербезопасность'), [ru.id]);
    assert.deepEqual(await search('poc.uzb', 'КИБЕРБЕЗОПАСНОСТЬ'), [ru.id]);
    assert.deepEqual(await search('poc.uzb', '网络安全'), [zh.id]);
    assert.deepEqual(await search('poc.uzb', 'cybersecurite'), [fr.id]);   // listed, AMBER: a point of contact of UZB
    assert.deepEqual(await search('poc.uzb', 'x'), []);                   // the script's text is not the page's
    assert.deepEqual(await search('poc.uzb', 'state:CHN kind:law'), [zh.id]);
  });

  it('keeps every read path to what the reader may read', async () => {
    // USA is in neither the CICA nor the list: the public one only.
    assert.deepEqual(await search('poc.usa', 'кибербезопасность'), [ru.id]);
    assert.deepEqual(await search('poc.usa', '网络安全'), []);
    assert.deepEqual(await search('poc.usa', 'cybersecurite'), []);
    expectProblem(assert, await u['poc.usa'].get(`${API}/${fr.id}/versions/fr/file`), 404);
    const file = await u['poc.uzb'].get(`${API}/${fr.id}/versions/fr/file`);
    assert.equal(file.status, 200);
    assert.match(file.text, /cybersécurité/);
    assert.match(file.headers.get('content-disposition'), /attachment/);
    // Nobody signed in: nothing.
    assert.equal((await timedFetch(`${server.base}${API}?q=law`)).status, 401);
    assert.equal((await timedFetch(`${server.base}${API}/${ru.id}/versions/ru/file`)).status, 401);
    // Only the state's focal point or the secretariat adds versions.
    expectProblem(assert, await put('poc.uzb', ru.id, 'en', Buffer.from('x')), 403);
    expectProblem(assert, await put('focal.chn', ru.id, 'en', Buffer.from('x')), 403);
    expectProblem(assert, await put('focal.kaz', ru.id, 'not a tag', Buffer.from('x')), 422, 'lang');
  });

  it('keeps a file it cannot read, and says why', async () => {
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(64, 1)]);
    const r = await put('focal.kaz', ru.id, 'en', png, { translation: 'unofficial', filename: '../../etc/passwd' });
    assert.equal(r.status, 200, r.text);
    const version = await eventually(async () => {
      const v = (await u['focal.kaz'].get(`${API}/${ru.id}`)).json.versions.find((x) => x.lang === 'en');
      return v.text.status === 'done' ? v : null;
    }, 20000);
    assert.equal(version.text.flag, 'unsupported');
    assert.ok(version.text.detail.length > 0);
    assert.equal(version.filename, 'passwd');   // a name, never a path
    // Bidirectional controls are taken out of the name ("evil\u202Efdp.exe" reads "evilexe.pdf").
    const renamed = await put('focal.kaz', ru.id, 'en', png, { translation: 'unofficial', filename: 'evil\u202Efdp.exe' });
    assert.equal(renamed.json.versions.find((x) => x.lang === 'en').filename, 'evilfdp.exe');
    // A file the state adds to a published contribution goes back to review first.
    assert.equal(renamed.json.workflow, 'submitted');
    expectProblem(assert, await u['poc.uzb'].get(`${API}/${ru.id}/versions/en/file`), 404);
    assert.equal((await u['secretariat.cica'].post(`${API}/${ru.id}/publish`)).status, 200);
    const back = await u['poc.uzb'].request('GET', `${API}/${ru.id}/versions/en/file`);
    assert.equal(back.status, 200);
  });

  it('gives each version\'s text a page at a time, to its readers only', async () => {
    const page = await u['poc.uzb'].get(`${API}/${fr.id}/versions/fr/text`);
    assert.equal(page.status, 200, page.text);
    assert.deepEqual(page.json, { lang: 'fr', page: 1, pages: 1, text: page.json.text });
    assert.match(page.json.text, /cybersécurité des opérateurs/);
    expectProblem(assert, await u['poc.usa'].get(`${API}/${fr.id}/versions/fr/text`), 404);
    expectProblem(assert, await u['admin'].get(`${API}/${fr.id}/versions/fr/text`), 404);
    expectProblem(assert, await u['poc.uzb'].get(`${API}/${fr.id}/versions/fr/text?page=2`), 404);
    expectProblem(assert, await u['poc.uzb'].get(`${API}/${fr.id}/versions/de/text`), 404);
    expectProblem(assert, await u['poc.uzb'].get(`${API}/${fr.id}/versions/fr/text?page=0`), 400, 'page');
  });

  it('finds Arabic and Thai by substring, and flags a corrupt PDF without losing it', async () => {
    const c = await submit('focal.kaz', { forum: 'CICA', kind: 'survey_answer', title: 'Answers', visibility: 'forum', tlp: 'TLP:GREEN' });
    await put('focal.kaz', c.id, 'ar', Buffer.from('<html><body><p>قانون مكافحة الجرائم الإلكترونية</p></body></html>'), { filename: 'ar.html' });
    await put('focal.kaz', c.id, 'th', Buffer.from('พระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์'), { filename: 'th.txt' });
    const broken = await submit('focal.kaz', { forum: 'CICA', kind: 'law', title: 'Broken scan', visibility: 'forum', tlp: 'TLP:GREEN' });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF garbage');
    await put('focal.kaz', broken.id, 'en', pdf, { filename: 'scan.pdf' });
    for (const x of [c, broken]) assert.equal((await u['secretariat.cica'].post(`${API}/${x.id}/publish`)).status, 200);
    const read = async (id) => {
      const got = (await u['focal.kaz'].get(`${API}/${id}`)).json;
      return got.versions.every((v) => v.text.status === 'done') ? got : null;
    };
    await eventually(() => read(c.id), 20000);
    const scan = (await eventually(() => read(broken.id), 20000)).versions[0];
    assert.ok(['corrupt', 'no-text'].includes(scan.text.flag), JSON.stringify(scan.text));
    assert.ok(scan.text.detail.length > 0);
    assert.equal(Buffer.compare(Buffer.from((await u['poc.uzb'].request('GET', `${API}/${broken.id}/versions/en/file`)).text, 'latin1'), pdf), 0, 'the file is kept as sent');
    assert.deepEqual(await search('poc.uzb', 'الجرائم'), [c.id]);
    assert.deepEqual(await search('poc.uzb', 'ความมั่นคง'), [c.id]);
    assert.deepEqual(await search('poc.uzb', 'lang:th ไซเบอร์'), [c.id]);
  });

  it('refuses a query it cannot read, naming q, and one that no index would answer', async () => {
    expectProblem(assert, await u['poc.uzb'].get(`${API}?q=${encodeURIComponent('"open')}`), 400, 'q');
    expectProblem(assert, await u['poc.uzb'].get(`${API}?q=${encodeURIComponent('year:abc')}`), 400, 'q');
    expectProblem(assert, await u['poc.uzb'].get(`${API}?q=${encodeURIComponent('网 络 安')}`), 400, 'q');
    expectProblem(assert, await u['poc.uzb'].get(`${API}?q=${encodeURIComponent('law -a -b -c -d -e -f -g -h -i')}`), 400, 'q');
    assert.deepEqual(await search('poc.uzb', '网络'), [zh.id]);   // two short ones are looked for page by page
  });

  it('refuses a file larger than its limit before reading it, and one without a length', async () => {
    const who = u['focal.kaz'];
    const head = (extra) => [`PUT ${API}/${ru.id}/versions/de HTTP/1.1`, `Host: ${new URL(server.base).host}`, `Cookie: ${who.cookie}`,
      `X-CSRF-Token: ${who.csrf}`, 'Content-Type: application/octet-stream', 'Connection: close', ...extra].join('\r\n');
    // 64 MiB announced, a few bytes sent: the answer comes on the headers alone.
    expectProblem(assert, await rawRequest(server.base, head([`Content-Length: ${64 << 20}`]), 'abc'), 413, 'file');
    expectProblem(assert, await rawRequest(server.base, head(['Transfer-Encoding: chunked']), '3\r\nabc\r\n0\r\n\r\n'), 411);
  });

  it('refuses, on the headers alone, a file for a contribution that is not the sender\'s or in a language it cannot be', { timeout: 30000 }, async () => {
    // 1 MiB announced, a few bytes sent: were the body read, the answer would wait for it.
    const head = (who, id, lang) => [`PUT ${API}/${id}/versions/${lang} HTTP/1.1`, `Host: ${new URL(server.base).host}`,
      `Cookie: ${u[who].cookie}`, `X-CSRF-Token: ${u[who].csrf}`, 'Content-Type: application/octet-stream',
      'Connection: close', `Content-Length: ${1 << 20}`].join('\r\n');
    expectProblem(assert, await rawRequest(server.base, head('focal.chn', ru.id, 'de'), 'abc'), 403);   // CHN reads it: not its own
    expectProblem(assert, await rawRequest(server.base, head('focal.kaz', 999999, 'de'), 'abc'), 404);
    expectProblem(assert, await rawRequest(server.base, head('focal.kaz', ru.id, 'EN'), 'abc'), 422, 'lang');
    expectProblem(assert, await rawRequest(server.base, head('focal.usa', fr.id, 'en'), 'abc'), 404);   // not readable: not said to exist
    assert.equal((await u['focal.kaz'].get(`${API}/${ru.id}`)).json.versions.some((v) => v.lang === 'de'), false, 'nothing was stored');
  });
});

describe('snippets, edits, revisions and supersession', () => {
  let old, current;
  const waitRead = (who, id) => eventually(async () => {
    const c = (await u[who].get(`${API}/${id}`)).json;
    return c.versions.length && c.versions.every((v) => v.text.status === 'done') ? c : null;
  }, 20000);

  it('shows where a search matched, in the original text, its matched words marked', async () => {
    const c = await submit('focal.kaz', { forum: 'CICA', kind: 'regulation', title: 'Rules on incident reporting', visibility: 'forum', tlp: 'TLP:GREEN' });
    await put('focal.kaz', c.id, 'ru', Buffer.from('Глава 1.\nОператоры сообщают об ИНЦИДЕНТАХ в течение суток.\nГлава 2.\n'));
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/publish`)).status, 200);
    await waitRead('focal.kaz', c.id);
    const [item] = (await found('poc.uzb', 'инцидентах')).filter((x) => x.id === c.id);
    assert.ok(item, 'found');
    assert.equal(item.snippets.length, 1);
    const s = item.snippets[0];
    assert.equal(s.lang, 'ru');
    assert.equal(s.page, 1);
    assert.equal(s.parts.map((p) => p.text).join(''), 'Операторы сообщают об ИНЦИДЕНТАХ в течение суток.');
    assert.deepEqual(s.parts.filter((p) => p.hit).map((p) => p.text), ['ИНЦИДЕНТАХ']);
    // A match in the title and summary only: the snippet comes from them, with no language.
    const [byTitle] = (await found('poc.uzb', 'reporting')).filter((x) => x.id === c.id);
    assert.equal(byTitle.snippets[0].lang, null);
    assert.deepEqual(byTitle.snippets[0].parts.filter((p) => p.hit).map((p) => p.text), ['reporting']);
  });

  it('keeps each edit as a revision, and sends the state\'s changes to a published one back to review', async () => {
    old = await submit('focal.kaz', { forum: 'CICA', kind: 'strategy', title: 'Strategy 2018–2022', visibility: 'forum', tlp: 'TLP:GREEN' });
    await put('focal.kaz', old.id, 'en', Buffer.from('The first strategy.'));
    assert.equal((await u['secretariat.cica'].post(`${API}/${old.id}/publish`)).status, 200);
    current = await submit('focal.kaz', { forum: 'CICA', kind: 'strategy', title: 'Strategy 2023–2027', visibility: 'forum', tlp: 'TLP:GREEN' });
    assert.equal((await u['secretariat.cica'].post(`${API}/${current.id}/publish`)).status, 200);

    // Who may edit, and what an edit may not do.
    expectProblem(assert, await u['poc.kaz'].patch(`${API}/${old.id}`, { title: 'x' }), 403);
    expectProblem(assert, await u['focal.chn'].patch(`${API}/${old.id}`, { title: 'x' }), 403);   // CHN reads it, as a CICA member
    expectProblem(assert, await u['focal.usa'].patch(`${API}/${old.id}`, { title: 'x' }), 404);   // the USA may not read it
    expectProblem(assert, await u['focal.kaz'].patch(`${API}/${old.id}`, { forum: 'ARF' }), 422, 'forum');
    expectProblem(assert, await u['focal.kaz'].patch(`${API}/${old.id}`, { colour: 'red' }), 422, 'colour');
    expectProblem(assert, await u['focal.kaz'].patch(`${API}/${old.id}`, { superseded_by: current.id }), 422, 'superseded_by');   // status stays in_force
    expectProblem(assert, await u['focal.kaz'].patch(`${API}/${old.id}`, { status: 'superseded', superseded_by: old.id }), 422, 'superseded_by');
    const chnLaw = await submit('focal.chn', { forum: 'CICA', kind: 'law', title: 'Another state\'s', visibility: 'public', tlp: 'TLP:CLEAR' });
    expectProblem(assert, await u['focal.kaz'].patch(`${API}/${old.id}`, { status: 'superseded', superseded_by: chnLaw.id }), 422, 'superseded_by');

    let r = await u['focal.kaz'].patch(`${API}/${old.id}`, { status: 'superseded', superseded_by: current.id, title: 'Strategy 2018–2022 (superseded)' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.revision, 2);
    assert.equal(r.json.superseded_by, current.id);
    assert.equal(r.json.workflow, 'submitted', 'the state changed a published contribution: reviewed again');
    assert.equal(r.json.summary, '', 'what the patch does not name stays');
    expectProblem(assert, await u['poc.uzb'].get(`${API}/${old.id}`), 404);
    // Search results carry the same links, to what the reader may read only.
    const inSearch = async (id) => (await found('poc.uzb', 'strategy')).find((x) => x.id === id);
    assert.deepEqual((await inSearch(current.id)).supersedes, [], 'not shown while the reader may not read it');
    assert.equal((await u['secretariat.cica'].post(`${API}/${old.id}/publish`)).status, 200);
    assert.deepEqual((await u['poc.uzb'].get(`${API}/${current.id}`)).json.supersedes, [old.id]);
    assert.deepEqual((await inSearch(current.id)).supersedes, [old.id]);
    assert.equal((await inSearch(old.id)).superseded_by, current.id);

    // A file replaced: the old one stays readable as part of the earlier revision.
    await put('focal.kaz', old.id, 'en', Buffer.from('The first strategy, corrected.'));
    assert.equal((await u['secretariat.cica'].post(`${API}/${old.id}/publish`)).status, 200);
    const revisions = (await u['poc.uzb'].get(`${API}/${old.id}/revisions`)).json.items;
    assert.deepEqual(revisions.map((x) => x.revision), [1, 2]);
    assert.equal(revisions[0].title, 'Strategy 2018–2022');
    assert.equal(revisions[0].status, 'in_force');
    const oldFile = await u['poc.uzb'].get(revisions[1].versions[0].file);
    assert.equal(oldFile.status, 200, oldFile.text);
    assert.equal(oldFile.text, 'The first strategy.');
    assert.equal((await u['poc.uzb'].get(`${API}/${old.id}/versions/en/file`)).text, 'The first strategy, corrected.');
    // Revisions are read by the contribution's readers only.
    expectProblem(assert, await u['poc.usa'].get(`${API}/${old.id}/revisions`), 404);
    expectProblem(assert, await u['poc.usa'].get(revisions[1].versions[0].file), 404);
    expectProblem(assert, await u['admin'].get(`${API}/${old.id}/revisions`), 404);
  });

  it('shows an earlier revision only to those who could read it then, and the return note to the state only', async () => {
    const c = await submit('focal.kaz', { forum: 'CICA', kind: 'views', title: 'Restricted first', visibility: 'states', states: ['UZB'], tlp: 'TLP:AMBER+STRICT' });
    await put('focal.kaz', c.id, 'en', Buffer.from(`Red lines, for UZB only ${Date.now()}`));
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/return`, { note: 'Confidential: drop paragraph 3' })).status, 200);
    await put('focal.kaz', c.id, 'en', Buffer.from('The public text.'));
    let r = await u['focal.kaz'].patch(`${API}/${c.id}`, { visibility: 'public', tlp: 'TLP:CLEAR' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/publish`)).status, 200);
    // The USA reads the contribution now, not its restricted past.
    assert.equal((await u['poc.usa'].get(`${API}/${c.id}`)).status, 200);
    const theirs = (await u['poc.usa'].get(`${API}/${c.id}/revisions`)).json.items;
    assert.deepEqual(theirs.map((x) => x.revision), [], 'both earlier revisions were for UZB, and unpublished');
    expectProblem(assert, await u['poc.usa'].get(`${API}/${c.id}/revisions/1/versions/en/file`), 404);
    assert.ok(!JSON.stringify(theirs).includes('Confidential'));
    // The state reads all of it, its note included.
    const own = (await u['poc.kaz'].get(`${API}/${c.id}/revisions`)).json.items;
    assert.deepEqual(own.map((x) => [x.revision, x.visibility, x.workflow]), [[1, 'states', 'returned'], [2, 'states', 'submitted']]);
    assert.ok(own.some((x) => x.return_note === 'Confidential: drop paragraph 3'));
    assert.equal((await u['poc.kaz'].get(`${API}/${c.id}/revisions/1/versions/en/file`)).status, 200);
  });

  it('leaves who may read a contribution, and its TLP, to its state', async () => {
    const c = await submit('focal.kaz', { forum: 'CICA', kind: 'views', title: 'Listed only', visibility: 'states', states: ['UZB'], tlp: 'TLP:AMBER' });
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/publish`)).status, 200);
    expectProblem(assert, await u['secretariat.cica'].patch(`${API}/${c.id}`, { visibility: 'public', tlp: 'TLP:CLEAR' }), 403);
    expectProblem(assert, await u['secretariat.cica'].patch(`${API}/${c.id}`, { tlp: 'TLP:AMBER+STRICT' }), 403);
    const r = await u['secretariat.cica'].patch(`${API}/${c.id}`, { summary: 'Corrected by the secretariat.' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.workflow, 'published', 'the reviewer\'s own correction needs no review');
    expectProblem(assert, await u['poc.usa'].get(`${API}/${c.id}`), 404);
  });

  it('publishes a returned contribution only once its state has resubmitted it', async () => {
    const c = await submit('focal.kaz', { forum: 'CICA', kind: 'policy', title: 'Policy', visibility: 'forum', tlp: 'TLP:GREEN' });
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/return`, { note: 'Add the English version' })).status, 200);
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/${c.id}/publish`), 409);
    const stream = await openStream(server.base, u['secretariat.cica']);
    const r = await u['focal.kaz'].patch(`${API}/${c.id}`, { summary: 'With its English version.' });
    assert.equal(r.json.workflow, 'submitted');
    assert.ok(await stream.waitFor((e) => e.type === 'library.contribution.submitted' && e.data.id === c.id), 'the secretariat hears of the resubmission');
    await stream.close();
    assert.equal((await u['secretariat.cica'].post(`${API}/${c.id}/publish`)).status, 200);
  });

  it('does not tell an uploader that someone else stored the same bytes', async () => {
    // CHN's file, in a contribution KAZ may not read.
    const secret = Buffer.from(`A text only China has: ${Date.now()}`);
    const chn = await submit('focal.chn', { forum: 'CICA', kind: 'views', title: 'Private', visibility: 'states', states: ['CHN'], tlp: 'TLP:AMBER' });
    await put('focal.chn', chn.id, 'en', secret);
    await waitRead('focal.chn', chn.id);
    // KAZ uploads the same bytes to its own contribution: pending, like any new file, then read.
    const mine = await submit('focal.kaz', { forum: 'CICA', kind: 'views', title: 'Mine', visibility: 'forum', tlp: 'TLP:GREEN' });
    const r = await put('focal.kaz', mine.id, 'en', secret);
    assert.equal(r.json.versions[0].text.status, 'pending');
    assert.equal(r.json.versions[0].format, '');
    assert.equal((await waitRead('focal.kaz', mine.id)).versions[0].text.pages, 1);
    // Nor does the ledger: KAZ's version came after CHN's file was read.
    const sha = r.json.versions[0].sha256;
    const records = await u['focal.kaz'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`file:${sha}`)}`);
    assert.equal(records.status, 200, records.text);
    assert.deepEqual(records.json.records, []);
    assert.equal((await u['focal.chn'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`file:${sha}`)}`)).json.records.length, 1);
  });
});
