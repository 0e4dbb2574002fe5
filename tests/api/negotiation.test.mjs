// Negotiation over the real server: the seed's compilation imported (ambiguities
// confirmed by a person), proposals by member states, distribution enforced on every
// read path, revisions immutable once circulated (by the database too), the note
// verbale and its hotline notification, renderings (the CLI's round trip, Akoma Ntoso
// validated by xmllint), diff, the silence procedure broken and not broken, adoption.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE, cli, expectProblem, openStream, signedIn, startServer, trySql } from '../lib/harness.mjs';

const SEED = readFileSync(join(SOURCE, 'src/negotiation/testdata/seed_001_draft_en.txt'), 'utf8');
const XSD = join(SOURCE, 'tests/interop/akoma-ntoso/akomantoso30.xsd');
const API = '/api/v1/negotiation';

let server;
const u = {};

before(async () => {
  server = await startServer({ extraArgs: ['--manual-clock'] });
  for (const name of ['admin', 'secretariat.cica', 'secretariat.arf', 'poc.kaz', 'focal.kaz', 'poc.uzb', 'poc.tha', 'focal.isr', 'poc.jpn', 'focal.chn'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const SMALL = `# Statement on Points of Contact

Recalling the report of the Group of Governmental Experts,

## DECLARE THE FOLLOWING:

1. We decide to exchange points of contact.

2. We will notify each other of incidents within 24 hours.
`;

async function openDocument(symbol, { text = SMALL, distribution = 'member_states', confirm = false } = {}) {
  const r = await u['secretariat.cica'].post(`${API}/documents`, {
    forum: 'CICA', symbol, title: `Statement ${symbol}`, distribution, text, confirm_ambiguities: confirm,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

const revision = async (who, id, n) => (await u[who].get(`${API}/documents/${id}/revisions/${n}`)).json;

describe('import of the seed compilation', () => {
  let id;
  it('refuses to guess: the ambiguities come back with line and column until a person confirms them', async () => {
    const r = await u['secretariat.cica'].post(`${API}/documents`, { forum: 'CICA', symbol: 'IMPORT/SUM/2022/DRAFT/3', title: 'Draft', text: SEED });
    const p = expectProblem(assert, r, 422, 'text');
    assert.equal(p.type, 'urn:parley:problem:ambiguous-text');
    assert.ok(p.errors.some((e) => /^line 25, column 336: \(\+ISR\) follows text that is not in brackets/.test(e.reason)), r.text);
    assert.equal((await u['secretariat.cica'].get(`${API}/documents?forum=CICA`)).json.items.filter((d) => d.symbol === 'IMPORT/SUM/2022/DRAFT/3').length, 0);
    id = await openDocument('IMPORT/SUM/2022/DRAFT/3', { text: SEED, confirm: true });
  });

  it('finds every proposal and attribution, by state', async () => {
    const rev = await revision('poc.kaz', id, 0);
    const seen = rev.proposals.map((p) => `${p.paragraph_label} ${p.kind} ${p.state} +${p.supporters.join(',')} -${p.opposers.join(',')}`);
    assert.deepEqual(seen, [
      'PP6 replace ISR + -', 'PP7 delete ISR + -', 'PP7 delete ISR + -', '3 delete_paragraph ISR + -',
      'Alt 3 alternative ISR + -', '4 delete IND +ISR -CHN,RUS', '4 insert THA + -', '7 delete ISR + -',
    ]);
    assert.deepEqual(rev.brackets.per_state, { CHN: 1, IND: 1, ISR: 8, RUS: 1, THA: 1 });
  });

  it('renders the canonical text that the CLI reads back unchanged (parse and render are inverses)', async () => {
    const text = (await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?format=text`)).text;
    const file = join(server.dir, 'rev0.txt');
    writeFileSync(file, text);
    const check = cli(['negotiate', 'check', file]);
    assert.equal(check.code, 0, check.stderr);
    const again = cli(['negotiate', 'render', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, text);
    assert.match(text, /data security in its agenda\[, and in this respect, the Global Initiative on Data Security\[as well as other proposals\] \(\+THA\) could serve/);
  });

  it('exports Akoma Ntoso that validates against the OASIS schema and keeps the attributions', async () => {
    const r = await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?format=akn`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/akn\+xml/);
    const file = join(server.dir, 'rev0.xml');
    writeFileSync(file, r.text);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    assert.match(r.text, /<inline name="attribution" refersTo="#ind" class="minus">\(-IND\)<\/inline>/);
    assert.match(r.text, /<parley:proposal id="prop_P\d+" kind="delete" state="IND" paragraph="p\d+"><parley:supports state="ISR"\/><parley:opposes state="CHN"\/><parley:opposes state="RUS"\/>/);
  });

  it('gives the clean text, a state view, Markdown and HTML', async () => {
    const clean = (await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?format=clean`)).text;
    assert.doesNotMatch(clean, /[[\]]|\(\+|\(-/);
    assert.match(clean, /\n3\. We recognize the importance of the global discussion/);   // 3 and Alt 3 are bracketed
    const isr = (await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?state=ISR`)).text;
    assert.match(isr, /Recognizing the importance of implementing the agreed upon voluntary norms/);
    assert.doesNotMatch(isr, /We support internationalization of Internet governance/);
    const md = await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?format=markdown`);
    assert.match(md.headers.get('content-type'), /^text\/markdown/);
    assert.match(md.text, /\n1\\\. We decide/);
    const html = await u['poc.kaz'].get(`${API}/documents/${id}/revisions/0?format=html`);
    assert.match(html.text, /title="Proposed by IND \(delete\); supported by ISR; opposed by CHN RUS"/);
  });
});

describe('distribution', () => {
  let restricted, general;
  before(async () => {
    restricted = await openDocument('CICA/DIST/1');
    general = await openDocument('CICA/DIST/2', { distribution: 'general' });
  });

  it('a member-states-only document does not exist for a non-member, on any read path', async () => {
    for (const who of ['poc.jpn', 'secretariat.arf']) {
      for (const path of [`/documents/${restricted}`, `/documents/${restricted}/revisions/0`, `/documents/${restricted}/revisions/0?format=akn`,
        `/documents/${restricted}/revisions/0?format=clean`, `/documents/${restricted}/revisions/0?state=JPN`, `/documents/${restricted}/diff?from=0&to=0`])
        expectProblem(assert, await u[who].get(API + path), 404);
      const list = (await u[who].get(`${API}/documents`)).json.items.map((d) => d.id);
      assert.ok(!list.includes(restricted), `${who} lists it`);
      assert.ok(list.includes(general), `${who} does not list the general document`);
      expectProblem(assert, await u[who].post(`${API}/documents/${restricted}/proposals`, { kind: 'delete', paragraph: 'p2', text: 'exchange' }), 404);
    }
    assert.equal((await u['poc.kaz'].get(`${API}/documents/${restricted}`)).status, 200);
    assert.equal((await u['poc.jpn'].get(`${API}/documents/${general}`)).status, 200);
  });

  it('a non-member reads a general document but may not propose on it', async () => {
    expectProblem(assert, await u['poc.jpn'].post(`${API}/documents/${general}/proposals`, { kind: 'delete', paragraph: 'p2', text: 'exchange' }), 403);
  });

  it('the stream tells only those who may read', async () => {
    const kaz = await openStream(server.base, u['poc.kaz']);
    const jpn = await openStream(server.base, u['poc.jpn']);
    const r = await u['poc.uzb'].post(`${API}/documents/${restricted}/proposals`, { kind: 'insert', paragraph: 'p2', after: 'points of contact', text: 'and keep them current' });
    assert.equal(r.status, 201, r.text);
    const seen = await kaz.waitFor((e) => e.type === 'negotiation.proposal.made' && e.data.document === restricted);
    assert.ok(seen, 'KAZ was told');
    await new Promise((res) => setTimeout(res, 300));
    assert.ok(!jpn.events.some((e) => e.type?.startsWith('negotiation.') && e.data?.document === restricted), 'JPN was told');
    await kaz.close();
    await jpn.close();
  });
});

describe('proposals, positions, revisions', () => {
  let id;
  before(async () => { id = await openDocument('CICA/PROP/1'); });

  it('a state proposes for itself only; the secretariat on behalf of a named member state', async () => {
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p3', text: 'within 24 hours', state: 'UZB' }), 403);
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p3', text: 'within 24 hours' }), 422, 'state');
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p3', text: 'within 24 hours', state: 'USA' }), 422, 'state');
    const r = await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'replace', paragraph: 'p3', text: '24', replacement: '72', comment: 'Capitals need time.' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.compilation, /2\. We will notify each other of incidents within \[24\] \(-KAZ\) \[72\] \(\+KAZ\) hours\./);
    const s = await u['secretariat.cica'].post(`${API}/documents/${id}/proposals`, { kind: 'add_paragraph', after_paragraph: 'p2', text: 'We will test our points of contact twice a year.', state: 'THA' });
    assert.equal(s.status, 201, s.text);
    assert.match(s.json.compilation, /\n\[1 bis\. We will test our points of contact twice a year\.\] \(\+THA\)\n/);
    const kazProposal = r.json.proposal;
    const p = r.json.proposals.find((x) => x.id === kazProposal);
    assert.equal(p.comments[0].text, 'Capitals need time.');
    assert.equal(p.comments[0].state, 'KAZ');
  });

  it('positions: support and oppose show as the notation says; the proposer cannot take one', async () => {
    const rev = await revision('poc.kaz', id, 0);
    const pid = rev.proposals.find((p) => p.kind === 'replace').id;
    let r = await u['poc.uzb'].post(`${API}/documents/${id}/proposals/${pid}/position`, { stance: 'support' });
    assert.equal(r.status, 200, r.text);
    r = await u['focal.chn'].post(`${API}/documents/${id}/proposals/${pid}/position`, { stance: 'oppose' });
    assert.match(r.json.compilation, /within \[24\] \(-KAZ\) \(-UZB\) \(\+CHN\) \[72\] \(\+KAZ\) \(\+UZB\) \(-CHN\) hours/);
    expectProblem(assert, await u['focal.kaz'].post(`${API}/documents/${id}/proposals/${pid}/position`, { stance: 'oppose' }), 409, 'state');
    expectProblem(assert, await u['poc.uzb'].post(`${API}/documents/${id}/proposals/P999/position`, { stance: 'oppose' }), 404);
    expectProblem(assert, await u['poc.uzb'].post(`${API}/documents/${id}/proposals/${pid}/position`, { stance: 'maybe' }), 422, 'stance');
  });

  it('bad proposals point at the field and change nothing', async () => {
    const before = (await revision('poc.kaz', id, 0)).compilation;
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p3', text: 'not in the text' }), 422, 'text');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p99', text: 'We' }), 422, 'paragraph');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'insert', paragraph: 'p3', after: 'We', text: 'really [truly]' }), 422, 'text');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'insert', paragraph: 'p3', after: 'We', text: ' ' }), 422, 'text');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'move', paragraph: 'p3' }), 422, 'kind');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p1', text: 'e' }), 422, 'text');   // occurs many times
    assert.equal((await revision('poc.kaz', id, 0)).compilation, before);
  });

  it('circulating freezes the revision, numbers its note verbale and tells the member states on the hotline', async () => {
    let r = await u['secretariat.cica'].put(`${API}/forums/CICA/note-scheme`, { pattern: 'NCT/ICT/{n}', next_number: 2000 });
    assert.equal(r.status, 200, r.text);
    expectProblem(assert, await u['secretariat.arf'].put(`${API}/forums/CICA/note-scheme`, { pattern: 'X/{n}', next_number: 1 }), 403);
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/circulate`, {}), 403);
    r = await u['secretariat.cica'].post(`${API}/documents/${id}/circulate`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.note_number, 'NCT/ICT/2000');
    assert.deepEqual(Object.keys(r.json.notes).sort(), ['en', 'ru']);   // the CICA's languages
    assert.match(r.json.notes.en, /^№NCT\/ICT\/2000\n\nThe Secretariat of the Conference on Interaction and Confidence Building Measures in Asia \(CICA\) presents its compliments/);
    // The note names the forum in its own language (the CICA's Russian name and abbreviation).
    assert.match(r.json.notes.ru, /Секретариат форума «Совещание по взаимодействию и мерам доверия в Азии» \(СВМДА\) свидетельствует свое уважение государствам-членам СВМДА/);
    assert.doesNotMatch(r.json.notes.ru, /Conference on Interaction/);
    const comm = r.json.communication_id;
    assert.ok(comm);
    const seen = await u['poc.uzb'].get(`/api/v1/communications/${comm}`);
    assert.equal(seen.status, 200, seen.text);
    assert.match(seen.json.subject, /^Note verbale NCT\/ICT\/2000: Statement CICA\/PROP\/1 \(CICA\/PROP\/1\)/);
    // A note verbale is not an incident: its own type, and no severity.
    assert.equal(seen.json.type, 'note_verbale');
    assert.equal(seen.json.severity, null);
    expectProblem(assert, await u['poc.jpn'].get(`/api/v1/communications/${comm}`), 404);
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/circulate`, {}), 409);
  });

  it('a circulated revision never changes: proposals open the next one, and the database refuses edits', async () => {
    const frozen = (await revision('poc.kaz', id, 0)).compilation;
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { revision: 0, kind: 'delete', paragraph: 'p2', text: 'exchange' }), 409, 'revision');
    expectProblem(assert, await u['secretariat.cica'].put(`${API}/documents/${id}/revisions/0/text`, { text: SMALL }), 409, 'revision');
    const r = await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p2', text: 'exchange' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.number, 1);
    assert.equal(r.json.label, 'CICA/PROP/1/Rev.1');
    assert.equal((await revision('poc.kaz', id, 0)).compilation, frozen);
    const tampered = trySql(server.db, `UPDATE neg_revisions SET body = '{}' WHERE document_id = ${id} AND number = 0;`);
    assert.equal(tampered.ok, false);
    assert.match(tampered.stderr, /a circulated revision is immutable/);
  });

  it('the secretariat resolves proposals; the proposer withdraws; diff says what changed', async () => {
    let rev = await revision('poc.kaz', id, 1);
    const replace = rev.proposals.find((p) => p.kind === 'replace').id;
    const added = rev.proposals.find((p) => p.kind === 'add_paragraph').id;
    const deletion = rev.proposals.find((p) => p.kind === 'delete').id;
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals/${replace}/resolve`, { outcome: 'accepted' }), 403);
    expectProblem(assert, await u['poc.uzb'].post(`${API}/documents/${id}/proposals/${deletion}/resolve`, { outcome: 'withdrawn' }), 403);
    let r = await u['secretariat.cica'].post(`${API}/documents/${id}/proposals/${replace}/resolve`, { outcome: 'accepted' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.compilation, /2\. We will notify each other of incidents within 72 hours\./);
    r = await u['poc.kaz'].post(`${API}/documents/${id}/proposals/${deletion}/resolve`, { outcome: 'withdrawn' });
    assert.equal(r.status, 200, r.text);
    r = await u['secretariat.cica'].post(`${API}/documents/${id}/proposals/${added}/resolve`, { outcome: 'accepted' });
    assert.match(r.json.compilation, /\n2\. We will test our points of contact twice a year\.\n\n3\. We will notify/);
    r = await u['secretariat.cica'].post(`${API}/documents/${id}/paragraphs/p3/ad-ref`, { agreed: true });
    assert.equal(r.status, 200, r.text);
    const d = (await u['poc.kaz'].get(`${API}/documents/${id}/diff?from=0&to=1`)).json;
    const p3 = d.paragraphs.find((p) => p.id === 'p3');
    assert.equal(p3.status, 'changed');
    assert.ok(p3.agreed_ad_ref);
    assert.deepEqual(p3.words.filter((w) => w.op === '+').map((w) => w.text.trim()), ['3.', '72 hours. (agreed ad ref)']);
    assert.deepEqual(d.proposals_closed.sort(), [added, replace, `${replace}a`].sort());
    assert.deepEqual(d.brackets, { from: 3, to: 0 });
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p3', text: '72' }), 409, 'paragraph');
  });
});

describe('silence procedure and adoption', () => {
  const advance = (seconds) => u.admin.post('/api/v1/testing/clock', { advance_seconds: seconds });
  const inHours = async (h) => {
    const now = (await advance(0)).json.now;
    return new Date(Date.parse(now) + h * 3600 * 1000).toISOString();
  };

  it('open brackets block adoption, naming the paragraphs', async () => {
    const id = await openDocument('CICA/ADOPT/0', { text: `# T\n\n1. We agree [to meet] (+KAZ).\n` });
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/adopt`, {}), 409);   // not circulated
    await u['secretariat.cica'].post(`${API}/documents/${id}/circulate`, {});
    const p = expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/adopt`, {}), 409, 'paragraphs.p1');
    assert.match(p.errors[0].reason, /paragraph 1 has 1 open bracket/);
  });

  it('silence not broken: at the deadline it holds and the document is adopted with its final clean text', async () => {
    const id = await openDocument('CICA/SIL/1');
    await u['secretariat.cica'].post(`${API}/documents/${id}/circulate`, {});
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/silence`, { deadline: await inHours(48) }), 403);
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/silence`, { deadline: '2001-01-01T00:00:00Z' }), 422, 'deadline');
    let r = await u['secretariat.cica'].post(`${API}/documents/${id}/silence`, { deadline: await inHours(48) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.silence.status, 'running');
    assert.ok(r.json.silence.remaining_seconds > 47 * 3600);
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/adopt`, {}), 409);
    await advance(49 * 3600);
    r = await u['poc.kaz'].get(`${API}/documents/${id}`);
    assert.equal(r.json.silence.status, 'held');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/silence/break`, { reason: 'Too late' }), 409);
    r = await u['secretariat.cica'].post(`${API}/documents/${id}/adopt`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'adopted');
    assert.equal(r.json.final_text, 'Symbol: CICA/SIL/1\nDistr: Member States only\nDate: ' + r.json.final_text.match(/Date: (.*)\n/)[1] +
      '\n\n# Statement CICA/SIL/1\n\nRecalling the report of the Group of Governmental Experts,\n\n## DECLARE THE FOLLOWING:\n\n' +
      '1. We decide to exchange points of contact.\n\n2. We will notify each other of incidents within 24 hours.\n');
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/proposals`, { kind: 'delete', paragraph: 'p2', text: 'exchange' }), 409, 'document');
  });

  it('silence broken by a member state: recorded, announced, and adoption refused', async () => {
    const id = await openDocument('CICA/SIL/2');
    await u['secretariat.cica'].post(`${API}/documents/${id}/circulate`, {});
    await u['secretariat.cica'].post(`${API}/documents/${id}/silence`, { deadline: await inHours(24) });
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/silence/break`, { reason: 'x' }), 403);
    expectProblem(assert, await u['poc.jpn'].post(`${API}/documents/${id}/silence/break`, { reason: 'x' }), 404);
    expectProblem(assert, await u['poc.tha'].post(`${API}/documents/${id}/silence/break`, {}), 422, 'reason');
    const stream = await openStream(server.base, u['secretariat.cica']);
    await advance(3600);
    let r = await u['poc.tha'].post(`${API}/documents/${id}/silence/break`, { reason: 'Paragraph 2 needs 72 hours.' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.silence.status, 'broken');
    assert.deepEqual({ state: r.json.silence.broken.state, by: r.json.silence.broken.by, reason: r.json.silence.broken.reason },
      { state: 'THA', by: 'poc.tha', reason: 'Paragraph 2 needs 72 hours.' });
    assert.ok(await stream.waitFor((e) => e.type === 'negotiation.silence.broken' && e.data.state === 'THA'));
    await stream.close();
    expectProblem(assert, await u['poc.kaz'].post(`${API}/documents/${id}/silence/break`, { reason: 'me too' }), 409);
    await advance(48 * 3600);
    assert.equal((await u['poc.kaz'].get(`${API}/documents/${id}`)).json.silence.status, 'broken');
    expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents/${id}/adopt`, {}), 409);
    const journal = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(journal.code, 0, journal.stdout + journal.stderr);
  });
});

describe('bad compilation text', () => {
  const cases = [
    ['# T\n\n1. We [agree to (-KAZ) share.\n', /^line 3, column 7: '\[' is never closed/],
    ['# T\n\n1. We agree] (-KAZ) to share.\n', /^line 3, column 12: '\]' closes no bracket/],
    ['# T\n\n1. We [agree] (+USA).\n', /^line 3, column 17: unknown state code 'USA'/],   // not a CICA member
    ['# T\n\n1. We [] (+KAZ) agree.\n', /^line 3, column 7: an attribution with no text/],
  ];
  for (const [text, reason] of cases)
    it(`refuses ${JSON.stringify(text.split('\n')[2])} and stores nothing`, async () => {
      const before = (await u['secretariat.cica'].get(`${API}/documents?forum=CICA`)).json.items.length;
      const p = expectProblem(assert, await u['secretariat.cica'].post(`${API}/documents`, { forum: 'CICA', symbol: `BAD/${Math.random()}`, title: 'Bad', text }), 422, 'text');
      assert.match(p.errors[0].reason, reason);
      assert.equal((await u['secretariat.cica'].get(`${API}/documents?forum=CICA`)).json.items.length, before);
    });

  it('the CLI says where, with exit status 1; ambiguities exit 3', () => {
    const file = join(server.dir, 'bad.txt');
    writeFileSync(file, cases[0][0]);
    const r = cli(['negotiate', 'check', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:7: error: '\\[' is never closed`));
    const seed = join(server.dir, 'seed.txt');
    writeFileSync(seed, SEED);
    const s = cli(['negotiate', 'check', '--format', 'json', seed]);
    assert.equal(s.code, 3);
    const report = JSON.parse(s.stdout);
    assert.equal(report.ambiguities.length, 3);
    assert.equal(report.proposals.length, 8);
  });
});
