// Activities and their approval over the real server, along the ARF's path: Australia
// proposes a workshop co-chaired with the United States, which the ARF's rule refuses (no
// ASEAN co-chair) and says why; with Singapore as co-chair and a concept paper it goes to
// the Inter-Sessional Meeting, which returns it with comments, then approves it; the
// Senior Officials' Meeting approves it by silence procedure (broken once, then held);
// the Ministers approve it at their meeting; it is scheduled, held and reported with
// participants by state. Capacity building: a need and an offer become a draft activity.
// Every step is denied to callers outside the forum and to the wrong roles.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, expectProblem, signedIn, sql, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server;
const u = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.arf', 'secretariat.cica', 'focal.aus', 'poc.aus', 'focal.sgp', 'poc.tha', 'poc.usa', 'focal.kaz',
    'focal.kgz', 'focal.rus', 'admin'])
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

describe('an ARF workshop from proposal to report', () => {
  let id, paperId, meetings = {};

  it('the forum\'s rules and approval path are the secretariat\'s to set', async () => {
    const rules = await ok(await u['poc.usa'].get(`${W}/forums/ARF/rules`));
    assert.deepEqual(rules.approval_path.map((b) => b.code), ['ISM-ICT', 'SOM', 'MM']);
    assert.equal(rules.co_lead_group, 'ASEAN');
    expectProblem(assert, await u['focal.aus'].put(`${W}/forums/ARF/rules`, { min_co_leads: 1 }), 403);
    expectProblem(assert, await u['secretariat.cica'].put(`${W}/forums/ARF/rules`, { min_co_leads: 1 }), 404);
    expectProblem(assert, await u['secretariat.arf'].put(`${W}/forums/ARF/rules`, { approval_path: ['ISM-ICT', 'NOPE'] }), 422, 'approval_path');
    expectProblem(assert, await u['secretariat.arf'].put(`${W}/forums/ARF/rules`, { co_lead_group: 'G77' }), 422, 'co_lead_group');
    expectProblem(assert, await u['focal.kaz'].get(`${W}/forums/ARF/rules`), 404);
    // The meetings of the path's bodies that will decide.
    const bodies = Object.fromEntries((await ok(await u['secretariat.arf'].get(`${W}/bodies?forum=ARF`))).items.map((b) => [b.code, b.id]));
    for (const [code, title] of [['ISM-ICT', 'Seventh meeting'], ['SOM', 'Senior Officials\' Meeting'], ['MM', 'Ministerial Meeting']])
      meetings[code] = (await ok(await u['secretariat.arf'].post(`${W}/meetings`, { body: bodies[code], title, starts_on: day(-1), place: 'Vientiane' }), 201)).id;
  });

  it('a proposal without an ASEAN co-chair fails the rule, which says why', async () => {
    const p = { forum: 'ARF', kind: 'workshop', title: 'ARF Workshop on Cyber Incident Response Exercises', objectives: 'Practise cooperation during incidents.',
      venue: 'Canberra', expected_participants: 'Two per participant', budget_note: 'Australia funds the venue.', co_leads: ['AUS', 'USA'] };
    expectProblem(assert, await u['focal.kaz'].post(`${W}/activities`, p), 404);   // Kazakhstan is not in the ARF
    expectProblem(assert, await u['poc.aus'].post(`${W}/activities`, p), 403);
    expectProblem(assert, await new Client(server.base).post(`${W}/activities`, p), 401);
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities`, { ...p, co_leads: ['SGP', 'USA'] }), 422, 'co_leads');   // without Australia
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities`, { ...p, co_leads: ['AUS', 'KAZ'] }), 422, 'co_leads');   // not an ARF participant
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities`, { ...p, kind: 'party' }), 422, 'kind');
    // A title is one line: it becomes a mail's subject, a calendar's SUMMARY and a Markdown heading.
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities`, { ...p, title: 'Workshop\nBcc: all' }), 422, 'title');
    const draft = await ok(await u['focal.aus'].post(`${W}/activities`, p), 201);
    id = draft.id;
    assert.equal(draft.status, 'draft');
    assert.equal(draft.rules.ok, false);
    const refused = expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/submit`, {}), 422, 'co_leads');
    const reasons = refused.errors.filter((e) => e.field === 'co_leads').map((e) => e.reason).join(' | ');
    assert.match(reasons, /at least one co-lead must be of the ASEAN member states \(ASEAN\); AUS, USA are not/);
    assert.ok(refused.errors.some((e) => e.field === 'concept_paper'), 'a concept paper is asked for');
    assert.equal((await ok(await u['focal.aus'].get(`${W}/activities/${id}`))).status, 'draft');
  });

  it('with Singapore as co-chair and a concept paper it goes to the Inter-Sessional Meeting', async () => {
    paperId = 0;
    const paper = await ok(await u['focal.aus'].post('/api/v1/library/contributions',
      { forum: 'ARF', kind: 'policy', title: 'Concept paper: incident response exercises', visibility: 'forum', tlp: 'TLP:GREEN' }), 201);
    expectProblem(assert, await u['focal.sgp'].patch(`${W}/activities/${id}`, { title: 'x' }), 403);   // not yet a co-lead
    expectProblem(assert, await u['focal.aus'].patch(`${W}/activities/${id}`, { concept_paper: 999999 }), 422, 'concept_paper');
    paperId = paper.id;
    const fixed = await ok(await u['focal.aus'].patch(`${W}/activities/${id}`, { co_leads: ['AUS', 'SGP'], concept_paper: paper.id }));
    assert.deepEqual(fixed.rules, { ok: true, problems: [] });
    const submitted = await ok(await u['focal.sgp'].post(`${W}/activities/${id}/submit`, {}));
    assert.equal(submitted.status, 'in_approval');
    assert.deepEqual(submitted.stages.map((s) => [s.body.code, s.outcome]), [['ISM-ICT', '']]);
    expectProblem(assert, await u['focal.aus'].patch(`${W}/activities/${id}`, { title: 'x' }), 409);   // under approval
    // Another state's reader sees that there is a concept paper, not the unpublished draft.
    assert.deepEqual((await ok(await u['poc.usa'].get(`${W}/activities/${id}`))).concept_paper, { id: null, withheld: true });
  });

  it('the ISM returns it with comments, then approves it once revised', async () => {
    const decide = (body) => u['secretariat.arf'].post(`${W}/activities/${id}/decisions`, body);
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/decisions`, { meeting: meetings['ISM-ICT'], outcome: 'approved' }), 403);
    expectProblem(assert, await decide({ meeting: meetings.SOM, outcome: 'approved' }), 422, 'meeting');   // the SOM does not decide this stage
    expectProblem(assert, await decide({ meeting: meetings['ISM-ICT'], outcome: 'fine' }), 422, 'outcome');
    const returned = await ok(await decide({ meeting: meetings['ISM-ICT'], outcome: 'returned', comments: 'Add a table-top scenario.' }), 201);
    assert.equal(returned.status, 'returned');
    assert.equal(returned.stages[0].comments, 'Add a table-top scenario.');
    await ok(await u['focal.sgp'].patch(`${W}/activities/${id}`, { objectives: 'Practise cooperation during incidents, with a table-top scenario.' }));
    await ok(await u['focal.aus'].post(`${W}/activities/${id}/submit`, {}));
    const approved = await ok(await decide({ meeting: meetings['ISM-ICT'], outcome: 'approved' }), 201);
    assert.deepEqual(approved.stages.map((s) => [s.body.code, s.outcome]), [['ISM-ICT', 'returned'], ['ISM-ICT', 'approved'], ['SOM', '']]);
    // The meeting records both decisions, with what they acted on.
    const ism = await ok(await u['poc.usa'].get(`${W}/meetings/${meetings['ISM-ICT']}`));
    assert.deepEqual(ism.decisions.map((d) => [d.acts_on.kind, d.acts_on.id, d.outcome]), [['activity', id, 'returned'], ['activity', id, 'approved']]);
  });

  it('the SOM approves it by a silence procedure, once broken and once held', async () => {
    const silence = (deadline) => u['secretariat.arf'].post(`${W}/activities/${id}/silence`, { deadline });
    expectProblem(assert, await silence(new Date(Date.now() - 1000).toISOString()), 422, 'deadline');
    expectProblem(assert, await silence('tomorrow'), 422, 'deadline');
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/silence`, { deadline: new Date(Date.now() + 3600000).toISOString() }), 403);
    await ok(await silence(new Date(Date.now() + 3600000).toISOString()), 201);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/activities/${id}/decisions`, { meeting: meetings.SOM, outcome: 'approved' }), 409);
    expectProblem(assert, await u['focal.kaz'].post(`${W}/activities/${id}/silence/break`, { reason: 'x' }), 404);
    expectProblem(assert, await u['poc.tha'].post(`${W}/activities/${id}/silence/break`, { reason: ' ' }), 422, 'reason');
    // An observer reads, and may not break silence (as in the negotiation).
    sql(server.db, "UPDATE users SET role = 'observer' WHERE username = 'poc.phl'");
    const observer = await signedIn(server.base, 'poc.phl');
    assert.equal((await ok(await observer.get(`${W}/activities/${id}`))).can_break_silence, false);
    expectProblem(assert, await observer.post(`${W}/activities/${id}/silence/break`, { reason: 'x' }), 403);
    const broken = await ok(await u['poc.tha'].post(`${W}/activities/${id}/silence/break`, { reason: 'The dates clash with the ASEAN CERT drill.' }));
    assert.equal(broken.stages.at(-1).silence.status, 'broken');
    assert.equal(broken.stages.at(-1).silence.broken.state, 'THA');
    assert.equal(broken.status, 'in_approval');
    // The note verbale of the silence procedure reached the participants' points of contact.
    const inbox = (await ok(await u['poc.tha'].get('/api/v1/communications?box=inbox&limit=50'))).items;
    assert.ok(inbox.some((c) => c.type === 'note_verbale' && c.subject.startsWith('Silence procedure: ARF Workshop on Cyber Incident Response Exercises')));

    await ok(await silence(new Date(Date.now() + 1500).toISOString()), 201);
    await sleep(2000);
    const held = await ok(await u['poc.usa'].get(`${W}/activities/${id}`));
    // The broken attempt stays in the history beside the one that held.
    assert.deepEqual(held.stages.slice(2).map((s) => [s.body.code, s.outcome, s.silence?.status ?? null]),
      [['SOM', '', 'broken'], ['SOM', 'approved', 'held'], ['MM', '', null]]);
    assert.equal(held.stages[2].silence.broken.reason, 'The dates clash with the ASEAN CERT drill.');
    assert.equal(held.stage, 2);
    const listed = (await ok(await u['poc.usa'].get(`${W}/activities?forum=ARF&status=in_approval`))).items.find((a) => a.id === id);
    assert.equal(listed.stage, 2);
    assert.deepEqual(listed.co_leads, [...held.co_leads].sort());   // the list reads every activity's leads at once
  });

  it('the Ministers approve it; it is scheduled, held and reported', async () => {
    const approved = await ok(await u['secretariat.arf'].post(`${W}/activities/${id}/decisions`, { meeting: meetings.MM, outcome: 'approved' }), 201);
    assert.equal(approved.status, 'approved');
    // The silence that ran out was stored by this write, before the Ministers' decision.
    const actions = (await u['poc.usa'].get(`/api/v1/ledger/records?object=${encodeURIComponent(`activity:${id}`)}`)).json.records.map((x) => x.action);
    assert.deepEqual(actions.slice(-2), ['workplan.activity.silence_held', 'workplan.activity.stage_decided']);
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/held`, {}), 409);   // not scheduled
    expectProblem(assert, await u['poc.aus'].post(`${W}/activities/${id}/schedule`, { starts_on: day(-1) }), 403);
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/schedule`, { venue: 'Canberra' }), 422, 'starts_on');
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/schedule`, { starts_on: day(-1), title: 'x' }), 422, 'schedule');
    const scheduled = await ok(await u['focal.aus'].post(`${W}/activities/${id}/schedule`, { starts_on: day(-1), ends_on: day(0), venue: 'Canberra' }));
    assert.equal(scheduled.status, 'scheduled');
    await ok(await u['focal.sgp'].post(`${W}/activities/${id}/held`, {}));
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/report`, { summary: 'x', participants: [{ state: 'XXZ', participants: 2 }] }), 422, 'participants');
    expectProblem(assert, await u['focal.aus'].post(`${W}/activities/${id}/report`, { summary: 'x', participants: [{ state: 'AUS', participants: -1 }] }), 422, 'participants.0.participants');
    const reported = await ok(await u['focal.aus'].post(`${W}/activities/${id}/report`, {
      summary: 'Thirty experts exercised the ARF points of contact through two scenarios.',
      outcomes: 'A checklist for cross-border incident cooperation.',
      participants: [{ state: 'AUS', participants: 6 }, { state: 'SGP', participants: 5 }, { state: 'USA', participants: 4 }],
      documents: [paperId, paperId],   // named twice: one document
    }));
    assert.equal(reported.report.documents.length, 1);
    assert.equal(reported.status, 'reported');
    assert.deepEqual(reported.report.participants, [{ state: 'AUS', participants: 6 }, { state: 'SGP', participants: 5 }, { state: 'USA', participants: 4 }]);
  });

  it('is denied to callers outside the forum, and journaled to its readers', async () => {
    for (const who of ['focal.kaz', 'secretariat.cica', 'admin']) {
      expectProblem(assert, await u[who].get(`${W}/activities/${id}`), 404);
      expectProblem(assert, await u[who].get(`${W}/activities?forum=ARF`), 404);
    }
    const records = async (who) => (await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`activity:${id}`)}`)).json.records.map((x) => x.action);
    const seen = await records('poc.usa');
    for (const a of ['workplan.activity.proposed', 'workplan.activity.submitted', 'workplan.activity.stage_decided', 'workplan.activity.silence_started',
      'workplan.activity.silence_broken', 'workplan.activity.scheduled', 'workplan.activity.held', 'workplan.activity.reported'])
      assert.ok(seen.includes(a), `${a} in ${seen.join()}`);
    assert.deepEqual(await records('focal.kaz'), []);
  });
});

describe('capacity building', () => {
  it('a need and an offer are posted by their states and matched by the secretariat into a draft activity', async () => {
    expectProblem(assert, await u['focal.kgz'].post(`${W}/capacity`, { forum: 'CICA', kind: 'need', title: 'x', state: 'KAZ' }), 403);
    expectProblem(assert, await u['focal.kgz'].post(`${W}/capacity`, { forum: 'CICA', kind: 'wish', title: 'x' }), 422, 'kind');
    expectProblem(assert, await u['focal.kgz'].post(`${W}/capacity`, { forum: 'CICA', kind: 'need', title: 'Training\r\nin Russian' }), 422, 'title');
    expectProblem(assert, await u['focal.aus'].post(`${W}/capacity`, { forum: 'CICA', kind: 'need', title: 'x' }), 404);
    const need = await ok(await u['focal.kgz'].post(`${W}/capacity`, { forum: 'CICA', kind: 'need', title: 'A review of our CSIRT\'s maturity', language: 'ru' }), 201);
    const offer = await ok(await u['focal.rus'].post(`${W}/capacity`, { forum: 'CICA', kind: 'offer', title: 'CSIRT maturity reviews', language: 'ru' }), 201);
    expectProblem(assert, await u['focal.kaz'].post(`${W}/capacity/match`, { need: need.id, offer: offer.id }), 403);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/capacity/match`, { need: offer.id, offer: need.id }), 422, 'need');
    const activity = await ok(await u['secretariat.cica'].post(`${W}/capacity/match`, { need: need.id, offer: offer.id, kind: 'study' }), 201);
    assert.equal(activity.status, 'draft');
    assert.deepEqual(activity.co_leads, ['KGZ', 'RUS']);
    assert.deepEqual(activity.from_capacity.map((e) => e.kind).sort(), ['need', 'offer']);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/capacity/match`, { need: need.id, offer: offer.id }), 409);
    // Both sides see where their entry went.
    for (const [who, entry, other] of [['focal.kgz', need, offer], ['focal.rus', offer, need]]) {
      const seen = await ok(await u[who].get(`${W}/capacity/${entry.id}`));
      assert.equal(seen.status, 'matched');
      assert.deepEqual(seen.history.map((h) => h.event), ['posted', 'matched']);
      assert.equal(seen.matched.id, other.id);
      assert.equal(seen.activity.id, activity.id);
    }
    expectProblem(assert, await u['secretariat.arf'].get(`${W}/capacity/${need.id}`), 404);
    expectProblem(assert, await u['focal.kgz'].post(`${W}/capacity/${need.id}/withdraw`, {}), 409);
  });
});
