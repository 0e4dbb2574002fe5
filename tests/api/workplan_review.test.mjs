// The annual review (issue 17, item 6), each figure checked against the endpoints it is
// made from: the activities held and still planned (/activities), the decisions of the
// year's meetings (/meetings), each state's implementation at the start and end of the
// year and what changed (the matrix on 31 December of the year before, and today), the
// communication checks' response per state (the checks' own reports), and the library
// contributions (one more once published). As JSON, Markdown, HTML, SVG charts, and from
// the command line; states outside the ARF are told nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
const YEAR = new Date().getUTCFullYear();
const TODAY = new Date().toISOString().slice(0, 10);
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.arf', 'secretariat.cica', 'focal.sgp', 'focal.aus', 'poc.tha', 'poc.aus', 'focal.kaz', 'admin'])
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

const review = async (who = 'secretariat.arf', q = '') => ok(await u[who].get(`${W}/review?forum=ARF&year=${YEAR}${q}`));

// Each state's cells by status, from a matrix.
function counts(matrix) {
  return Object.fromEntries(matrix.states.map((s) => {
    const c = Object.fromEntries(matrix.statuses.map((st) => [st, 0]));
    for (const cell of s.cells) c[cell.status] += 1;
    return [s.state, c];
  }));
}

// An ARF workshop taken through the ISM, SOM and Ministers to held and reported.
async function heldWorkshop() {
  const bodies = Object.fromEntries((await ok(await u['secretariat.arf'].get(`${W}/bodies?forum=ARF`))).items.map((b) => [b.code, b.id]));
  const meetings = {};
  for (const code of ['ISM-ICT', 'SOM', 'MM'])
    meetings[code] = (await ok(await u['secretariat.arf'].post(`${W}/meetings`, { body: bodies[code], title: `Review ${code}`, starts_on: day(0), place: 'Vientiane' }), 201)).id;
  const paper = await ok(await u['focal.aus'].post('/api/v1/library/contributions',
    { forum: 'ARF', kind: 'policy', title: 'Concept paper: review workshop', visibility: 'forum', tlp: 'TLP:GREEN' }), 201);
  const a = await ok(await u['focal.aus'].post(`${W}/activities`, { forum: 'ARF', kind: 'workshop', title: 'ARF Workshop for the review',
    objectives: 'Exercise the points of contact.', venue: 'Canberra', co_leads: ['AUS', 'SGP'], concept_paper: paper.id }), 201);
  await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/submit`, {}));
  for (const code of ['ISM-ICT', 'SOM', 'MM'])
    await ok(await u['secretariat.arf'].post(`${W}/activities/${a.id}/decisions`, { meeting: meetings[code], outcome: 'approved', wording: `${code} approves the workshop.` }), 201);
  await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/schedule`, { starts_on: day(0), ends_on: day(0), venue: 'Canberra' }));
  await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/held`, {}));
  await ok(await u['focal.aus'].post(`${W}/activities/${a.id}/report`, { summary: 'Twenty experts took part.',
    participants: [{ state: 'AUS', participants: 12 }, { state: 'SGP', participants: 8 }] }));
  return a.id;
}

describe('the ARF\'s annual review', () => {
  it('lists the activities held and planned, and the decisions of the year', async () => {
    const held = await heldWorkshop();
    const r = await review();
    assert.equal(r.forum, 'ARF');
    assert.equal(r.year, YEAR);
    assert.equal(r.from, `${YEAR}-01-01`);
    assert.equal(r.to, TODAY);
    const activities = (await ok(await u['secretariat.arf'].get(`${W}/activities?forum=ARF`))).items;
    const last = (a) => a.ends_on || a.starts_on;
    const expectHeld = activities.filter((a) => ['held', 'reported'].includes(a.status) && last(a) && last(a) >= r.from && last(a) <= r.to);
    const expectPlanned = activities.filter((a) => ['in_approval', 'approved', 'scheduled'].includes(a.status) && (!last(a) || last(a) >= r.from));
    assert.deepEqual(r.held.map((a) => a.id).sort(), expectHeld.map((a) => a.id).sort());
    assert.deepEqual(r.planned.map((a) => a.id).sort(), expectPlanned.map((a) => a.id).sort());
    const mine = r.held.find((a) => a.id === held);
    assert.equal(mine.participants, 20);
    assert.equal(mine.summary, 'Twenty experts took part.');
    assert.equal(r.summary.activities_held, expectHeld.length);

    const meetings = (await ok(await u['secretariat.arf'].get(`${W}/meetings?forum=ARF&from=${r.from}&to=${r.to}`))).items
      .filter((m) => m.status !== 'cancelled' && m.starts_on <= r.to);
    const decisions = [];
    for (const m of meetings)
      for (const d of (await ok(await u['secretariat.arf'].get(`${W}/meetings/${m.id}`))).decisions) decisions.push(d.wording);
    assert.deepEqual(r.decisions.map((d) => d.wording).sort(), decisions.sort());
    assert.ok(r.decisions.some((d) => d.wording === 'MM approves the workshop.' && d.body === 'MM' && d.outcome === 'approved'));
  });

  it('gives each state\'s implementation at the start and end of the year, and what changed', async () => {
    const ii = (await ok(await u['secretariat.arf'].get(`${W}/measures?forum=ARF`))).items.find((m) => m.code === 'ii');
    await ok(await u['focal.sgp'].post(`${W}/measures/${ii.id}/reports`, { status: 'implemented', note: 'Exercise held.', as_of: TODAY }), 201);
    const r = await review();
    const start = await ok(await u['secretariat.arf'].get(`${W}/matrix?forum=ARF&as_of=${YEAR - 1}-12-31`));
    const end = await ok(await u['secretariat.arf'].get(`${W}/matrix?forum=ARF`));
    assert.deepEqual(r.states.map((s) => s.state), end.states.map((s) => s.state));
    const [a, b] = [counts(start), counts(end)];
    for (const s of r.states) {
      assert.deepEqual(s.implementation.start, a[s.state], `${s.state} on 1 January`);
      assert.deepEqual(s.implementation.end, b[s.state], `${s.state} today`);
      const i = end.states.findIndex((x) => x.state === s.state);
      const changes = end.measures.map((m, j) => ({ measure: m.code, from: start.states[i].cells[j].status, to: end.states[i].cells[j].status }))
        .filter((c) => c.from !== c.to);
      assert.deepEqual(s.implementation.changes, changes, s.state);
    }
    assert.ok(r.states.find((s) => s.state === 'SGP').implementation.changes.some((c) => c.measure === 'ii' && c.to === 'implemented'));
    assert.equal(r.summary.measures, end.measures.length);
  });

  it('gives each state\'s response to the year\'s communication checks', async () => {
    const start = await ok(await u['secretariat.arf'].post('/api/v1/checks', { forum: 'ARF', states: ['THA', 'AUS', 'SGP'] }), 201);
    await ok(await u['poc.tha'].post(`/api/v1/communications/${start.communication_id}/ack`, {}));
    await ok(await u['poc.aus'].post(`/api/v1/communications/${start.communication_id}/ack`, {}));
    const r = await review();
    // Expected: from every ARF check of the year, its report's people, by state.
    const checks = (await ok(await u['secretariat.arf'].get('/api/v1/checks?forum=ARF'))).items.filter((c) => c.started_at.startsWith(String(YEAR)));
    const expected = {};
    for (const c of checks) {
      const report = await ok(await u['secretariat.arf'].get(`/api/v1/checks/${c.id}`));
      for (const s of report.states) {
        const e = (expected[s.state] ??= { addressed: 0, acknowledged: 0, seconds: [] });
        e.addressed += 1;
        const acked = s.people.filter((p) => p.acknowledged).map((p) => p.seconds_to_acknowledge);
        if (acked.length) {
          e.acknowledged += 1;
          e.seconds.push(Math.min(...acked));
        }
      }
    }
    const median = (v) => {
      if (!v.length) return null;
      const s = [...v].sort((x, y) => x - y);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    assert.equal(r.summary.checks, checks.length);
    for (const s of r.states) {
      const e = expected[s.state] ?? { addressed: 0, acknowledged: 0, seconds: [] };
      assert.equal(s.checks.addressed, e.addressed, s.state);
      assert.equal(s.checks.acknowledged, e.acknowledged, s.state);
      assert.equal(s.checks.response_rate, e.addressed ? e.acknowledged / e.addressed : null, s.state);
      const m = median(e.seconds);
      if (m === null) assert.equal(s.checks.median_seconds, null);
      else assert.ok(Math.abs(s.checks.median_seconds - m) < 0.002, `${s.state}: ${s.checks.median_seconds} vs ${m}`);
    }
    assert.equal(r.states.find((s) => s.state === 'THA').checks.acknowledged >= 1, true);
    assert.equal(r.states.find((s) => s.state === 'SGP').checks.addressed >= 1, true);

    // As the checks' own reports: a state's reader sees its own state's figures and the
    // forum's totals, not another state's.
    const mine = await review('focal.sgp');
    assert.deepEqual(mine.states.find((s) => s.state === 'SGP').checks, r.states.find((s) => s.state === 'SGP').checks);
    for (const s of mine.states.filter((x) => x.state !== 'SGP')) assert.equal(s.checks, null, s.state);
    assert.equal(mine.summary.check_response_rate, r.summary.check_response_rate);
    expectProblem(assert, await u['focal.sgp'].get(`/api/v1/checks/${start.id}`), 404);   // the same rule as the hotline's
    const chart = (await u['focal.sgp'].get(`${W}/review?forum=ARF&year=${YEAR}&format=svg&chart=responses`)).text;
    assert.ok(chart.includes('THA Thailand</text>') && !/THA Thailand: \d/.test(chart), 'no figure for Thailand');
    const md = (await u['focal.sgp'].get(`${W}/review?forum=ARF&year=${YEAR}&format=md`)).text;
    assert.match(md, /\| Thailand \(THA\) \| the secretariat's and the state's \|/);
  });

  it('counts each state\'s published library contributions of the year', async () => {
    const before = (await review()).states.find((s) => s.state === 'SGP').contributions;
    const c = await ok(await u['focal.sgp'].post('/api/v1/library/contributions',
      { forum: 'ARF', kind: 'strategy', title: 'Singapore Cybersecurity Strategy', visibility: 'forum', tlp: 'TLP:CLEAR' }), 201);
    assert.equal((await review()).states.find((s) => s.state === 'SGP').contributions, before, 'not yet published');
    await ok(await u['secretariat.arf'].post(`/api/v1/library/contributions/${c.id}/publish`, {}));
    const r = await review();
    assert.equal(r.states.find((s) => s.state === 'SGP').contributions, before + 1);
    assert.equal(r.summary.contributions, r.states.reduce((n, s) => n + s.contributions, 0));
  });

  it('prints as Markdown and HTML with its charts, and from the command line', async () => {
    const r = await review();
    const md = await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=md`);
    assert.match(md.headers.get('content-type'), /^text\/markdown/);
    assert.match(md.headers.get('content-disposition'), new RegExp(`arf-review-${YEAR}\\.md`));
    assert.ok(md.text.startsWith(`# ARF: annual review ${YEAR}\n`));
    for (const h of ['## Activities held', '## Activities planned', '## Decisions', '## Implementation of the measures', '## Communication checks', '## Library contributions'])
      assert.ok(md.text.includes(`\n${h}\n`), h);
    for (const s of r.states) assert.ok(md.text.includes(`| ${s.name} (${s.state}) |`), s.state);
    assert.ok(md.text.includes('| ARF Workshop for the review | Workshop |'));

    const html = await u['focal.sgp'].get(`${W}/review?forum=ARF&year=${YEAR}&format=html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-security-policy'), /default-src 'none'/);
    assert.equal((html.text.match(/<svg /g) ?? []).length, 3, 'three charts');
    assert.ok(!html.text.includes('<script'));
    for (const chart of ['implementation', 'responses', 'contributions']) {
      const svg = await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=svg&chart=${chart}`);
      assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
      for (const s of r.states) assert.ok(svg.text.includes(`>${s.state} `), `${chart}: ${s.state}`);
    }
    const sgp = r.states.find((s) => s.state === 'SGP');
    const implemented = (await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=svg&chart=implementation`)).text;
    assert.ok(implemented.includes(`${sgp.implementation.end.implemented} of ${r.summary.measures} implemented`));

    // One command: the same review, as the forum's secretariat reads it.
    const printed = cli(['review', '--forum', 'arf', '--year', String(YEAR), '--format', 'json', '--db', server.db]);
    assert.equal(printed.code, 0, printed.stderr);
    const fromCli = JSON.parse(printed.stdout);
    assert.deepEqual({ ...fromCli, generated_on: null }, { ...r, generated_on: null });
    const bad = cli(['review', '--forum', 'ARF', '--year', '1999', '--db', server.db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /year/);
    const nowhere = cli(['review', '--forum', 'ZZZ', '--year', String(YEAR), '--db', server.db]);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /There is no forum ZZZ/);
  });

  it('is denied to states outside the forum, and refuses bad questions', async () => {
    expectProblem(assert, await u['focal.kaz'].get(`${W}/review?forum=ARF&year=${YEAR}`), 404);
    expectProblem(assert, await u['secretariat.cica'].get(`${W}/review?forum=ARF&year=${YEAR}&format=html`), 404);
    expectProblem(assert, await u.admin.get(`${W}/review?forum=ARF&year=${YEAR}`), 404);
    expectProblem(assert, await new Client(server.base).get(`${W}/review?forum=ARF&year=${YEAR}`), 401);
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF`), 400, 'year');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=1999`), 422, 'year');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR + 1}`), 422, 'year');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=twenty`), 400, 'year');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=pdf`), 400, 'format');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=svg`), 400, 'chart');
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR}&format=svg&chart=../../etc/passwd`), 400, 'chart');
    // A past year: the year's end is 31 December; this year's workshop is not in it.
    const last = await ok(await u['secretariat.arf'].get(`${W}/review?forum=ARF&year=${YEAR - 1}`));
    assert.equal(last.to, `${YEAR - 1}-12-31`);
    assert.ok(!last.held.some((a) => a.title === 'ARF Workshop for the review'));
  });
});
