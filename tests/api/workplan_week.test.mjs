// What needs a forum's secretariat in the coming days (GET /workplan/week), checked
// against the demo and the other endpoints: the SWG's meeting and its registration
// deadline with the states that have not registered, the ARF workshop waiting for the
// SOM, silence procedures ending, and the states that have not reported on every measure
// (counted here from the matrix). A state's focal point sees its own state's lines only;
// a state outside the forum is told nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'poc.usa'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

async function ok(res) {
  assert.equal(res.status, 200, res.text);
  return res.json;
}

describe('the week ahead', () => {
  it('shows the secretariat its meetings, deadlines and the states that have not reported', async () => {
    const week = await ok(await u['secretariat.cica'].get(`${W}/week?forum=CICA&days=31`));
    assert.equal(week.secretariat, true);
    const swg = (await ok(await u['secretariat.cica'].get(`${W}/meetings?forum=CICA`))).items.find((m) => m.title === 'Seventh meeting');
    assert.ok(week.meetings.some((m) => m.id === swg.id));
    const reg = week.registration_deadlines.find((r) => r.meeting === swg.id);
    assert.equal(reg.registered, 1);   // Kazakhstan registered in the demo
    const members = (await ok(await u['secretariat.cica'].get(`${W}/matrix?forum=CICA`))).states.map((s) => s.state);
    assert.deepEqual(reg.without_delegation.sort(), members.filter((s) => s !== 'KAZ').sort());
    // The states that have not reported on every measure, counted from the matrix.
    const matrix = await ok(await u['secretariat.cica'].get(`${W}/matrix?forum=CICA`));
    const expected = matrix.states.map((s) => [s.state, s.cells.filter((c) => c.status === 'not_reported').length]).filter(([, n]) => n > 0);
    assert.deepEqual(Object.fromEntries(week.not_reported.map((x) => [x.state, x.missing])), Object.fromEntries(expected));
    assert.ok(week.not_reported[0].missing >= week.not_reported.at(-1).missing, 'most missing first');
    // A week is shorter: the SWG meeting a month ahead is not in it.
    assert.ok(!(await ok(await u['secretariat.cica'].get(`${W}/week?forum=CICA`))).meetings.some((m) => m.id === swg.id));
  });

  it('shows the ARF Unit the workshop waiting for the SOM, then its silence procedure ending', async () => {
    let week = await ok(await u['secretariat.arf'].get(`${W}/week?forum=ARF`));
    const waiting = week.approvals_waiting.find((a) => a.title.startsWith('ARF Workshop on Operationalising'));
    assert.equal(waiting.body, 'SOM');
    const deadline = new Date(Date.now() + 3 * 86400000);
    assert.equal((await u['secretariat.arf'].post(`${W}/activities/${waiting.id}/silence`, { deadline: deadline.toISOString() })).status, 201);
    week = await ok(await u['secretariat.arf'].get(`${W}/week?forum=ARF`));
    assert.ok(!week.approvals_waiting.some((a) => a.id === waiting.id));
    assert.equal(week.silences_ending.find((s) => s.kind === 'activity' && s.id === waiting.id).body, 'SOM');
  });

  it('shows a focal point its own state\'s lines, and a stranger nothing', async () => {
    const week = await ok(await u['focal.kaz'].get(`${W}/week?forum=CICA&days=31`));
    assert.equal(week.secretariat, false);
    assert.ok(week.not_reported.every((x) => x.state === 'KAZ'));
    assert.ok(week.registration_deadlines.every((r) => r.without_delegation.every((s) => s === 'KAZ')));
    expectProblem(assert, await u['poc.usa'].get(`${W}/week?forum=CICA`), 404);
    expectProblem(assert, await u['secretariat.cica'].get(`${W}/week?forum=CICA&days=400`), 400);
  });
});
