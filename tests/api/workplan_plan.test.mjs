// The work plan as a versioned document of its forum (issue 17, item 4): the ARF Unit opens
// a draft, which shows the catalogue's items with the activities serving them, their leads
// and where they stand (checked here against /measures and /activities, by the rule the
// document states); it exports as Markdown, HTML and an SVG timeline; circulating it takes
// the forum's next note verbale number, delivers the note on the hotline and freezes the
// text, whose SHA-256 is journaled. A second version says what changed since the first.
// Drafts are the secretariat's; states outside the ARF are told nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Client, expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.arf', 'secretariat.cica', 'focal.sgp', 'focal.aus', 'poc.tha', 'focal.kaz', 'admin'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

async function ok(res, status = 200) {
  assert.equal(res.status, status, res.text);
  return res.json;
}

// The rule the plan states for an item: its live activities (not drafts, withdrawn or
// not approved) all held or reported: completed; any approved, scheduled, held or
// reported: under way; any other live one: proposed; none: open.
function expectedStatus(activities) {
  const live = activities.filter((a) => !['draft', 'withdrawn', 'not_approved'].includes(a.status));
  if (!live.length) return 'open';
  if (live.every((a) => ['held', 'reported'].includes(a.status))) return 'completed';
  if (live.some((a) => ['approved', 'scheduled', 'held', 'reported'].includes(a.status))) return 'under_way';
  return 'proposed';
}

describe('the ARF work plan, version by version', () => {
  let v1, v2;

  it('a draft is the secretariat\'s, and shows the catalogue with its activities', async () => {
    const input = { title: 'ARF Work Plan on Security of and in the Use of ICTs', period_from: '2025-01-01', period_to: '2027-12-31',
      introduction: 'Adopted at the 21st ARF.\nReviewed each year | by the ISM * _on ICTs_.' };
    expectProblem(assert, await u['focal.sgp'].post(`${W}/forums/ARF/plans`, input), 403);
    expectProblem(assert, await u['focal.kaz'].post(`${W}/forums/ARF/plans`, input), 404);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/forums/ARF/plans`, input), 404);
    expectProblem(assert, await new Client(server.base).post(`${W}/forums/ARF/plans`, input), 401);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, { ...input, period_to: '2024-12-31' }), 422, 'period_to');
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, { ...input, period_from: '2025-02-30' }), 422, 'period_from');
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, { ...input, owner: 'x' }), 422, 'owner');
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, { period_from: '2025-01-01' }), 422, 'title');
    v1 = await ok(await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, input), 201);
    assert.equal(v1.status, 'draft');
    assert.equal(v1.version, 1);
    assert.equal(v1.symbol, 'ARF/WP/1');
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, input), 409);   // one draft at a time

    // Its items are the catalogue's, in order, with the activities serving each.
    const measures = (await ok(await u['secretariat.arf'].get(`${W}/measures?forum=ARF`))).items;
    const activities = (await ok(await u['secretariat.arf'].get(`${W}/activities?forum=ARF`))).items
      .filter((a) => !['draft', 'withdrawn'].includes(a.status))
      .filter((a) => !a.starts_on || (a.starts_on <= '2027-12-31' && (a.ends_on || a.starts_on) >= '2025-01-01'));
    const items = v1.content.items.filter((i) => i.measure_id);
    assert.deepEqual(items.map((i) => i.code), measures.map((m) => m.code));
    for (const item of items) {
      const mine = activities.filter((a) => a.measure_id === item.measure_id);
      assert.deepEqual(item.activities.map((a) => a.id).sort(), mine.map((a) => a.id).sort(), `activities of item ${item.code}`);
      assert.equal(item.status, expectedStatus(mine), `status of item ${item.code}`);
      const m = measures.find((x) => x.id === item.measure_id);
      assert.deepEqual(item.coordinators, m.coordinators);
    }
    const other = v1.content.items.find((i) => !i.measure_id);
    assert.deepEqual((other?.activities ?? []).map((a) => a.id).sort(),
      activities.filter((a) => !a.measure_id).map((a) => a.id).sort());

    // To the forum's states a draft does not exist.
    expectProblem(assert, await u['focal.sgp'].get(`${W}/plans/${v1.id}`), 404);
    expectProblem(assert, await u['focal.sgp'].get(`${W}/plans/${v1.id}?format=md`), 404);
    expectProblem(assert, await u['focal.sgp'].patch(`${W}/plans/${v1.id}`, { title: 'x' }), 404);
    assert.deepEqual((await ok(await u['focal.sgp'].get(`${W}/plans?forum=ARF`))).items, []);
    assert.equal((await ok(await u['secretariat.arf'].get(`${W}/plans?forum=ARF`))).items[0].id, v1.id);
    expectProblem(assert, await u['focal.kaz'].get(`${W}/plans?forum=ARF`), 404);
    expectProblem(assert, await u.admin.get(`${W}/plans/${v1.id}`), 404);
  });

  it('renders as Markdown, HTML and a timeline, its text escaped', async () => {
    await ok(await u['secretariat.arf'].patch(`${W}/plans/${v1.id}`, { title: 'ARF Work Plan <script>alert(1)</script> | ICTs' }));
    expectProblem(assert, await u['secretariat.arf'].patch(`${W}/plans/${v1.id}`, { period_to: '2020-01-01' }), 422, 'period_to');
    expectProblem(assert, await u['secretariat.arf'].patch(`${W}/plans/${v1.id}`, { title: '   ' }), 422, 'title');
    const md = await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=md`);
    assert.equal(md.status, 200);
    assert.match(md.headers.get('content-type'), /^text\/markdown/);
    assert.match(md.headers.get('content-disposition'), /arf-work-plan-v1\.md/);
    assert.match(md.text, /^# ARF Work Plan \\<script\\>alert\(1\)\\<\/script\\> \\\| ICTs\n/);
    assert.match(md.text, /Reviewed each year \\\| by the ISM \\\* \\_on ICTs\\_\./);
    for (const item of v1.content.items.filter((i) => i.measure_id)) assert.ok(md.text.includes(`\n## ${item.code}: `), item.code);

    const html = await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=html`);
    assert.match(html.headers.get('content-type'), /^text\/html/);
    const policy = html.headers.get('content-security-policy');
    assert.match(policy, /default-src 'none'/);
    assert.doesNotMatch(policy, /script-src/);
    assert.ok(!html.text.includes('<script>'), 'the title is escaped');
    assert.ok(html.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(html.text, /<svg [^>]*role="img"/);
    assert.match(html.text, /@media print/);

    const svg = await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=svg&links=console`);
    assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
    const linked = v1.content.items.flatMap((i) => i.activities).map((a) => a.id);
    for (const id of linked) assert.ok(svg.text.includes(`href="#/workplan/activities/${id}"`), `activity ${id} is linked`);
    assert.ok(!(await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=svg`)).text.includes('href='), 'no links outside the console');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=docx`), 400, 'format');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/plans/${v1.id}?format=svg&links=https://evil.example`), 400, 'links');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/plans/${v1.id}?path=/etc/passwd`), 400);
    await ok(await u['secretariat.arf'].patch(`${W}/plans/${v1.id}`, { title: 'ARF Work Plan on Security of and in the Use of ICTs' }));
  });

  it('is circulated like a negotiated text: numbered note verbale, hotline delivery, frozen and journaled', async () => {
    const scheme = await ok(await u['secretariat.arf'].get('/api/v1/negotiation/forums/ARF/note-scheme'));
    expectProblem(assert, await u['focal.sgp'].post(`${W}/plans/${v1.id}/circulate`, {}), 404);
    const circulated = await ok(await u['secretariat.arf'].post(`${W}/plans/${v1.id}/circulate`, {}));
    assert.equal(circulated.status, 'circulated');
    assert.equal(circulated.note_number, scheme.example);
    assert.match(circulated.note, /The Secretariat of the ASEAN Regional Forum \(ARF\) presents its compliments/);
    assert.match(circulated.note, /ARF Work Plan on Security of and in the Use of ICTs \(ARF\/WP\/1\)/);
    // The text as circulated, and its digest as journaled.
    assert.equal(createHash('sha256').update(JSON.stringify(circulated.content)).digest('hex'), circulated.content_sha256);
    const records = (await ok(await u['focal.sgp'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`plan:${v1.id}`)}`))).records;
    const entry = records.find((r) => r.action === 'workplan.plan.circulated');
    assert.ok(entry, JSON.stringify(records.map((r) => r.action)));
    const full = await ok(await u['focal.sgp'].get(`/api/v1/ledger/entries/${entry.index}`));
    assert.ok(JSON.stringify(full).includes(circulated.content_sha256), JSON.stringify(full));
    assert.ok(!records.some((r) => r.action === 'workplan.plan.draft'), 'the drafting is the secretariat\'s');
    assert.ok((await ok(await u['secretariat.arf'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`plan:${v1.id}`)}`))).records
      .some((r) => r.action === 'workplan.plan.draft'));
    assert.deepEqual((await ok(await u['focal.kaz'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`plan:${v1.id}`)}`))).records, []);
    expectProblem(assert, await u['focal.kaz'].get(`/api/v1/ledger/entries/${entry.index}`), 404);
    // Delivered on the hotline to the ARF's points of contact, not to others.
    assert.ok(circulated.communication_id);
    const comm = await ok(await u['poc.tha'].get(`/api/v1/communications/${circulated.communication_id}`));
    assert.equal(comm.type, 'note_verbale');
    assert.ok(comm.subject.startsWith(`Note verbale ${scheme.example}: ARF Work Plan`));
    expectProblem(assert, await u['focal.kaz'].get(`/api/v1/communications/${circulated.communication_id}`), 404);
    // Now the states read it; nobody changes it.
    assert.equal((await ok(await u['focal.sgp'].get(`${W}/plans/${v1.id}`))).content_sha256, circulated.content_sha256);
    assert.equal((await u['focal.sgp'].get(`${W}/plans/${v1.id}?format=md`)).status, 200);
    expectProblem(assert, await u['secretariat.arf'].patch(`${W}/plans/${v1.id}`, { title: 'x' }), 409);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/plans/${v1.id}/circulate`, {}), 409);
    expectProblem(assert, await u['secretariat.arf'].delete(`${W}/plans/${v1.id}`), 409);
    expectProblem(assert, await u['focal.kaz'].get(`${W}/plans/${v1.id}`), 404);
  });

  it('a second version says what changed, and the first stays as circulated', async () => {
    // A new proposal under item iv, submitted, changes the plan.
    const measures = (await ok(await u['secretariat.arf'].get(`${W}/measures?forum=ARF`))).items;
    const iv = measures.find((m) => m.code === 'iv');
    const paper = await ok(await u['focal.aus'].post('/api/v1/library/contributions',
      { forum: 'ARF', kind: 'policy', title: 'Concept paper: CERT training', visibility: 'forum', tlp: 'TLP:GREEN' }), 201);
    const a = await ok(await u['focal.aus'].post(`${W}/activities`, { forum: 'ARF', kind: 'training', title: 'ARF CERT Training Course',
      objectives: 'Train CERT staff.', venue: 'Singapore', starts_on: '2027-03-01', ends_on: '2027-03-03', co_leads: ['AUS', 'SGP'],
      concept_paper: paper.id, measure: iv.id }), 201);
    await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/submit`, {}));

    v2 = await ok(await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, {}), 201);
    assert.equal(v2.version, 2);
    assert.equal(v2.title, 'ARF Work Plan on Security of and in the Use of ICTs', 'a new version starts from the last');
    assert.equal(v2.period_to, '2027-12-31');
    const item = v2.content.items.find((i) => i.code === 'iv');
    assert.ok(item.activities.some((x) => x.id === a.id));
    assert.ok(v2.changes.includes('Activity added under iv: \u201cARF CERT Training Course\u201d (In approval).'), JSON.stringify(v2.changes));
    const before = v1.content.items.find((i) => i.code === 'iv').status;
    if (before !== item.status) assert.ok(v2.changes.some((c) => c.startsWith('Item iv: ')));
    const md = (await u['secretariat.arf'].get(`${W}/plans/${v2.id}?format=md`)).text;
    assert.match(md, /## Changes since version 1\n\n(- .*\n)*- Activity added under iv/);
    // The first version is frozen: it does not list the new activity.
    const first = await ok(await u['focal.sgp'].get(`${W}/plans/${v1.id}`));
    assert.ok(!first.content.items.flatMap((i) => i.activities).some((x) => x.id === a.id));
    assert.deepEqual(first.changes, []);

    const sent = await ok(await u['secretariat.arf'].post(`${W}/plans/${v2.id}/circulate`, {}));
    assert.match(sent.note, /Changes since version 1:\n(- .*\n)*- Activity added under iv/);
    const list = (await ok(await u['focal.sgp'].get(`${W}/plans?forum=ARF`))).items;
    assert.deepEqual(list.map((p) => [p.version, p.status]), [[2, 'circulated'], [1, 'circulated']]);
  });

  it('a draft may be discarded', async () => {
    const v3 = await ok(await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, {}), 201);
    assert.equal(v3.version, 3);
    assert.deepEqual(v3.changes, [], 'nothing changed since version 2');
    expectProblem(assert, await u['focal.sgp'].delete(`${W}/plans/${v3.id}`), 404);
    assert.equal((await u['secretariat.arf'].delete(`${W}/plans/${v3.id}`)).status, 204);
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/plans/${v3.id}`), 404);
    // Its id is never handed out again, and its journal stays the ARF secretariat's: the
    // CICA's next version is another plan, whose secretariat reads nothing of it.
    const cica = await ok(await u['secretariat.cica'].post(`${W}/forums/CICA/plans`, { title: 'CICA Plan of Action' }), 201);
    assert.notEqual(cica.id, v3.id);
    const trail = async (who, id) => (await ok(await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`plan:${id}`)}`))).records.map((r) => r.action);
    assert.deepEqual(await trail('secretariat.cica', v3.id), []);
    assert.deepEqual(await trail('secretariat.arf', v3.id), ['workplan.plan.draft', 'workplan.plan.discard']);
    assert.deepEqual(await trail('secretariat.cica', cica.id), ['workplan.plan.draft']);
    assert.equal((await ok(await u['secretariat.arf'].post(`${W}/forums/ARF/plans`, {}), 201)).version, 3);
  });

  it('keeps its text in its place: one-line titles, introductions that open no Markdown block, XML-safe pictures', async () => {
    const draft = (await ok(await u['secretariat.arf'].get(`${W}/plans?forum=ARF`))).items.find((p) => p.status === 'draft');
    assert.equal(draft.introduction, undefined, 'the list carries no introductions');
    expectProblem(assert, await u['secretariat.arf'].patch(`${W}/plans/${draft.id}`, { title: 'Plan\n\nOpen it: https://evil.example' }), 422, 'title');
    await ok(await u['secretariat.arf'].patch(`${W}/plans/${draft.id}`, { introduction: '===\n- list\n12. twelve\n+ plus\n# heading\n> quote' }));
    const md = (await u['secretariat.arf'].get(`${W}/plans/${draft.id}?format=md`)).text;
    assert.ok(md.includes('\n\\===\n\\- list\n12\\. twelve\n\\+ plus\n\\# heading\n\\> quote\n'), md.slice(0, 400));
    // A title with characters XML has no place for: the picture stays well-formed.
    const paper = await ok(await u['focal.aus'].post('/api/v1/library/contributions',
      { forum: 'ARF', kind: 'policy', title: 'Concept paper: odd title', visibility: 'forum', tlp: 'TLP:GREEN' }), 201);
    const a = await ok(await u['focal.aus'].post(`${W}/activities`, { forum: 'ARF', kind: 'seminar', title: 'Seminar \uFFFE\uFFFF end',
      objectives: 'x', venue: 'Perth', co_leads: ['AUS', 'SGP'], concept_paper: paper.id }), 201);
    await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/submit`, {}));
    const svg = (await u['secretariat.arf'].get(`${W}/plans/${draft.id}?format=svg`)).text;
    assert.ok(svg.includes('Seminar \uFFFD\uFFFD end'));
    assert.ok(!svg.includes('\uFFFE') && !svg.includes('\uFFFF'));
  });
});
