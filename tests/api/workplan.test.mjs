// The work plan's measures over the real server: a forum's catalogue kept by its
// secretariat, member states' implementation reports (by their focal points, or the
// secretariat on their behalf) with evidence in the library, a state's row over time,
// and the matrix of states × measures as JSON, CSV and SVG, computed here from the
// reports the test made. Every path is denied to callers outside the forum.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'poc.kaz', 'focal.rus', 'poc.uzb', 'focal.tha',
    'focal.usa', 'poc.usa', 'admin', 'focal.sgp'])
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

// RFC 4180, enough for the matrix: quoted fields with commas and doubled quotes.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\r') continue;
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += ch;
  }
  return rows;
}

describe('measures and implementation reports', () => {
  let measure;
  const made = [];   // every report this test made on `measure`, in order

  it('are catalogued by the forum\'s secretariat only, validated field by field', async () => {
    const m = { forum: 'CICA', code: 'T-1', title: 'Points of contact for ICT incidents', period_from: '2026-01-01', period_to: '2026-12-31', coordinators: ['KAZ'], co_coordinators: ['UZB'] };
    expectProblem(assert, await new Client(server.base).post(`${W}/measures`, m), 401);
    expectProblem(assert, await u['focal.kaz'].post(`${W}/measures`, m), 403);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/measures`, m), 404);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, code: '' }), 422, 'code');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, period_to: '2025-01-01' }), 422, 'period_to');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, period_from: '2026-02-30' }), 422, 'period_from');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, coordinators: ['USA'] }), 422, 'coordinators');   // a CICA observer
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, co_coordinators: ['KAZ'] }), 422, 'co_coordinators');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, colour: 'red' }), 422, 'colour');
    measure = await created(await u['secretariat.cica'].post(`${W}/measures`, m));
    assert.deepEqual([measure.code, measure.coordinators, measure.co_coordinators], ['T-1', ['KAZ'], ['UZB']]);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/measures`, { ...m, title: 'again' }), 409, 'code');

    const changed = await u['secretariat.cica'].patch(`${W}/measures/${measure.id}`, { co_coordinators: ['UZB', 'THA'], title: 'Points of contact' });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.json.co_coordinators, ['THA', 'UZB']);
    expectProblem(assert, await u['focal.kaz'].patch(`${W}/measures/${measure.id}`, { title: 'x' }), 403);
    expectProblem(assert, await u['secretariat.cica'].patch(`${W}/measures/${measure.id}`, { forum: 'ARF' }), 422, 'forum');
  });

  it('are read by the forum\'s people and nobody else', async () => {
    const list = (await u['poc.uzb'].get(`${W}/measures?forum=CICA`)).json;
    assert.ok(list.items.some((x) => x.id === measure.id && x.title === 'Points of contact'));
    assert.equal(list.can_manage, false);
    assert.equal((await u['secretariat.cica'].get(`${W}/measures`)).json.can_manage, true);
    for (const who of ['poc.usa', 'admin', 'secretariat.arf']) {
      expectProblem(assert, await u[who].get(`${W}/measures?forum=CICA`), 404);
      expectProblem(assert, await u[who].get(`${W}/measures/${measure.id}`), 404);
      expectProblem(assert, await u[who].get(`${W}/measures/${measure.id}/reports`), 404);
      expectProblem(assert, await u[who].post(`${W}/measures/${measure.id}/reports`, { status: 'implemented', state: 'KAZ' }), who === 'admin' || who === 'poc.usa' ? 403 : 404);
    }
    // What another forum's secretariat is told equals what it is told of a measure that does not exist.
    const absent = await u['secretariat.arf'].get(`${W}/measures/99999999`);
    assert.equal((await u['secretariat.arf'].get(`${W}/measures/${measure.id}`)).json.detail.replace(String(measure.id), 'N'), absent.json.detail.replace('99999999', 'N'));
  });

  it('take each state\'s reports from its focal point, or the secretariat on its behalf', async () => {
    const url = `${W}/measures/${measure.id}/reports`;
    expectProblem(assert, await u['poc.kaz'].post(url, { status: 'implemented' }), 403);
    expectProblem(assert, await u['focal.kaz'].post(url, { status: 'implemented', state: 'RUS' }), 403);
    expectProblem(assert, await u['focal.kaz'].post(url, { status: 'done' }), 422, 'status');
    expectProblem(assert, await u['focal.kaz'].post(url, { status: 'implemented', as_of: '2999-01-01' }), 422, 'as_of');
    expectProblem(assert, await u['secretariat.cica'].post(url, { status: 'implemented' }), 422, 'state');
    expectProblem(assert, await u['secretariat.cica'].post(url, { status: 'implemented', state: 'USA' }), 422, 'state');
    expectProblem(assert, await u['focal.kaz'].post(url, { status: 'implemented', evidence: [{ kind: 'contribution' }] }), 422, 'evidence.0.id');

    // Evidence: Kazakhstan's own document, readable by Kazakhstan alone while it awaits review.
    const lib = '/api/v1/library/contributions';
    const kazOwn = await created(await u['focal.kaz'].post(lib, { forum: 'CICA', kind: 'best_practice', title: 'PoC procedure (draft)', visibility: 'forum', tlp: 'TLP:GREEN' }));
    const rusViews = await created(await u['focal.rus'].post(lib, { forum: 'CICA', kind: 'views', title: 'Russian views (draft)', visibility: 'forum', tlp: 'TLP:GREEN' }));
    expectProblem(assert, await u['focal.kaz'].post(url, { status: 'implemented', evidence: [{ kind: 'contribution', id: rusViews.id }] }), 422, 'evidence.0.id');

    const report = async (who, body) => {
      const r = await created(await u[who].post(url, body));
      made.push(r);
      return r;
    };
    const first = await report('focal.kaz', { status: 'in_progress', as_of: '2026-02-01', note: 'Designated.', evidence: [{ kind: 'contribution', id: kazOwn.id }] });
    assert.equal(first.state, 'KAZ');
    assert.deepEqual(first.evidence, [{ kind: 'contribution', id: kazOwn.id, title: 'PoC procedure (draft)' }]);
    assert.equal(first.reported_by, 'Focal point, Kazakhstan');
    await report('focal.kaz', { status: 'implemented', as_of: '2026-06-01' });
    await report('secretariat.cica', { status: 'not_started', state: 'UZB', as_of: '2026-03-01', note: 'By note verbale of 1 March.' });
    // Two reports for the same day: the one made last is the cell's (its report_id, below).
    await report('secretariat.cica', { status: 'not_started', state: 'UZB', as_of: '2026-03-01', note: 'Corrected: by note verbale of 1 March 2026.' });
    await report('focal.rus', { status: 'not_applicable', as_of: '2026-04-01' });
    // A late report speaking for an earlier day: the matrix orders by the day, not the moment.
    await report('focal.rus', { status: 'in_progress', as_of: '2026-01-15' });

    // Another state's reader sees that Kazakhstan cited evidence, not the draft it may not read.
    const seen = (await u['poc.uzb'].get(`${url}?state=KAZ`)).json.items;
    assert.deepEqual(seen.map((x) => x.status), ['implemented', 'in_progress']);
    assert.deepEqual(seen[1].evidence, []);
    assert.equal(seen[1].evidence_withheld, 1);
    assert.equal((await u['focal.kaz'].get(`${url}?state=KAZ`)).json.items[1].evidence.length, 1);
  });

  it('draw the matrix from the latest report of each state as of a day, filtered and exported', async () => {
    // What the matrix must say, from the reports made above.
    const expected = (asOf) => {
      const latest = {};
      for (const r of made) if (r.as_of <= asOf && (!latest[r.state] || r.as_of >= latest[r.state].as_of)) latest[r.state] = r;
      return latest;
    };
    for (const asOf of ['2026-01-31', '2026-03-15', '2026-11-30']) {
      const m = await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=${asOf}`);
      assert.equal(m.status, 200, m.text);
      const col = m.json.measures.findIndex((x) => x.id === measure.id);
      assert.ok(col >= 0);
      const want = expected(asOf);
      for (const row of m.json.states) {
        const cell = row.cells[col];
        assert.equal(cell.status, want[row.state]?.status ?? 'not_reported', `${row.state} as of ${asOf}`);
        if (want[row.state]) assert.equal(cell.report_id, want[row.state].id);
      }
      const reported = Object.keys(want).length;
      assert.equal(m.json.measures[col].totals.not_reported, m.json.states.length - reported);
    }

    const implemented = (await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=2026-11-30&status=implemented&measure=T-1`)).json;
    assert.deepEqual(implemented.states.map((s) => [s.state, s.cells[0].status]), [['KAZ', 'implemented']]);
    expectProblem(assert, await u['poc.uzb'].get(`${W}/matrix?forum=CICA&status=finished`), 400, 'status');
    expectProblem(assert, await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=yesterday`), 400, 'as_of');
    expectProblem(assert, await u['poc.uzb'].get(`${W}/matrix?forum=CICA&format=pdf`), 400, 'format');
    expectProblem(assert, await u['poc.uzb'].get(`${W}/matrix?forum=CICA&group=NOPE`), 422, 'group');

    const csv = await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=2026-11-30&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="cica-implementation-2026-11-30\.csv"/);
    const rows = parseCsv(csv.text);
    const col = rows[0].indexOf('T-1');
    assert.ok(col >= 2, rows[0].join());
    const byState = Object.fromEntries(rows.slice(1).map((r) => [r[0], r[col]]));
    assert.deepEqual([byState.KAZ, byState.UZB, byState.RUS, byState.THA], ['implemented', 'not_started', 'not_applicable', 'not_reported']);

    const svg = await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=2026-11-30&format=svg&measure=T-1,ICT`);
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
    assert.ok(svg.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    const json = (await u['poc.uzb'].get(`${W}/matrix?forum=CICA&as_of=2026-11-30&measure=T-1,ICT`)).json;
    assert.equal((svg.text.match(/<g><title>/g) ?? []).length, json.states.length * 2);
    assert.ok(svg.text.includes('KAZ · T-1: Implemented (as of 2026-06-01)'));
  });

  it('filter the ARF\'s matrix by its member groups', async () => {
    const asean = (await u['secretariat.arf'].get(`${W}/matrix?forum=ARF&group=ASEAN`)).json;
    const groups = (await u['secretariat.arf'].get('/api/v1/forums/ARF/groups')).json.items ?? [];
    const members = groups.find((g) => g.code === 'ASEAN')?.members.map((m) => m.alpha3).sort();
    assert.ok(members?.length, JSON.stringify(groups).slice(0, 200));
    assert.deepEqual(asean.states.map((s) => s.state).sort(), members);
    assert.equal((await u['secretariat.arf'].get(`${W}/matrix?forum=ARF&group=ASEAN&state=SGP,AUS`)).json.states.map((s) => s.state).join(), 'SGP');
  });

  it('show a state its own row over time', async () => {
    const row = (await u['focal.kaz'].get(`${W}/implementation?forum=CICA`)).json;
    assert.equal(row.state, 'KAZ');
    assert.equal(row.can_report, true);
    const t1 = row.measures.find((x) => x.id === measure.id);
    assert.deepEqual(t1.reports.map((x) => [x.as_of, x.status]), [['2026-06-01', 'implemented'], ['2026-02-01', 'in_progress']]);
    assert.equal(t1.status, 'implemented');
    const other = (await u['poc.uzb'].get(`${W}/implementation?forum=CICA&state=KAZ`)).json;
    assert.equal(other.can_report, false);
    expectProblem(assert, await u['poc.uzb'].get(`${W}/implementation?forum=CICA&state=USA`), 404);
    expectProblem(assert, await u['poc.usa'].get(`${W}/implementation?forum=CICA&state=KAZ`), 404);
  });

  it('are denied, in every form, to callers outside the forum', async () => {
    for (const who of ['poc.usa', 'focal.usa', 'admin', 'secretariat.arf'])
      for (const format of ['json', 'csv', 'svg'])
        expectProblem(assert, await u[who].get(`${W}/matrix?forum=CICA&format=${format}`), 404);
    expectProblem(assert, await new Client(server.base).get(`${W}/matrix?forum=CICA`), 401);
  });

  it('journals every change, read by the forum\'s readers and no one else', async () => {
    const records = async (who) => (await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`measure:${measure.id}`)}`)).json.records.map((x) => x.action);
    const seen = await records('poc.uzb');
    assert.equal(seen.filter((a) => a === 'workplan.implementation.report').length, made.length);
    assert.ok(seen.includes('workplan.measure.create') && seen.includes('workplan.measure.update'), seen.join());
    assert.deepEqual(await records('poc.usa'), []);
    assert.deepEqual(await records('secretariat.arf'), []);
  });
});
