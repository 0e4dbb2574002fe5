// A forum's bodies and meetings over the real server: the secretariat defines bodies with
// their chairs and plans a meeting whose agenda cites a draft under negotiation, a measure
// and a library document (each shown only to those who may read it); convening it sends
// a note verbale numbered in the forum's sequence, in its languages, on the hotline;
// member states' focal points register their delegations until the deadline; decisions
// are recorded with what they acted on, and who took part once it is held. Callers
// outside the forum are told none of it exists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, expectProblem, signedIn, startServer } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'poc.kaz', 'focal.uzb', 'poc.uzb', 'focal.usa', 'poc.usa', 'admin'])
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

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

describe('bodies and meetings', () => {
  let body, meeting, past, draft, kazOnly, measure;

  it('bodies are defined by the forum\'s secretariat, with chairs from its members', async () => {
    const b = { forum: 'CICA', code: 'T-WG', name: 'Test Working Group', chairs: ['KAZ'] };
    expectProblem(assert, await u['focal.kaz'].post(`${W}/bodies`, b), 403);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/bodies`, b), 404);
    expectProblem(assert, await new Client(server.base).post(`${W}/bodies`, b), 401);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/bodies`, { ...b, chairs: ['USA'] }), 422, 'chairs');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/bodies`, { ...b, name: ' ' }), 422, 'name');
    body = await ok(await u['secretariat.cica'].post(`${W}/bodies`, b), 201);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/bodies`, b), 409, 'code');
    const list = await ok(await u['poc.uzb'].get(`${W}/bodies?forum=CICA`));
    assert.deepEqual(list.items.map((x) => x.code), ['SWG', 'SOC', 'MC', 'T-WG']);
    assert.deepEqual(list.items.at(-1).chairs, ['KAZ']);
    for (const who of ['poc.usa', 'admin', 'secretariat.arf']) expectProblem(assert, await u[who].get(`${W}/bodies?forum=CICA`), 404);
    const changed = await ok(await u['secretariat.cica'].patch(`${W}/bodies/${body.id}`, { chairs: ['KAZ', 'UZB'] }));
    assert.deepEqual(changed.chairs, ['KAZ', 'UZB']);
  });

  it('a meeting\'s agenda cites what the secretariat may read in the forum, each shown to its readers only', async () => {
    draft = (await ok(await u['secretariat.cica'].get('/api/v1/negotiation/documents?forum=CICA'))).items[0];
    measure = (await ok(await u['secretariat.cica'].get(`${W}/measures?forum=CICA`))).items[0];
    const arfMeasure = (await ok(await u['secretariat.arf'].get(`${W}/measures?forum=ARF`))).items[0];
    // A document of Kazakhstan's listing Kazakhstan alone, once the secretariat publishes it.
    const lib = '/api/v1/library/contributions';
    kazOnly = await ok(await u['focal.kaz'].post(lib, { forum: 'CICA', kind: 'national_report', title: 'National report (KAZ only)', visibility: 'states', states: ['KAZ'], tlp: 'TLP:AMBER' }), 201);
    await ok(await u['secretariat.cica'].post(`${lib}/${kazOnly.id}/publish`, {}));
    const m = {
      body: body.id, title: 'First meeting', starts_on: day(40), ends_on: day(41), start_time: '10:00', time_zone: 'Asia/Almaty',
      place: 'Astana', online_url: 'https://meet.example.org/t-wg-1', registration_deadline: day(30),
      agenda: [
        { title: 'Adoption of the agenda' },
        { title: 'The draft statement', cites: { kind: 'negotiation', id: draft.id } },
        { title: 'The measure', cites: { kind: 'measure', id: measure.id } },
        { title: 'Kazakhstan\'s report', cites: { kind: 'contribution', id: kazOnly.id } },
      ],
    };
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, starts_on: '2026-13-01' }), 422, 'starts_on');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, ends_on: day(39) }), 422, 'ends_on');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, place: '', online_url: '' }), 422, 'place');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, online_url: 'javascript:alert(1)' }), 422, 'online_url');
    // A link that would write lines of its own into calendars and invitations.
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, online_url: 'https://x.example/\nEND:VEVENT\nBEGIN:VEVENT' }), 422, 'online_url');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, time_zone: 'Mars/Olympus' }), 422, 'time_zone');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, registration_deadline: day(45) }), 422, 'registration_deadline');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, agenda: [{ title: 'x', cites: { kind: 'measure', id: arfMeasure.id } }] }), 422, 'agenda.0.cites');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, agenda: [{ title: 'x', cites: { kind: 'file', id: 1 } }] }), 422, 'agenda.0.cites.kind');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, title: 'SWG\nDESCRIPTION:forged' }), 422, 'title');
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings`, { ...m, agenda: [{ title: 'Opening\nBEGIN:VEVENT' }] }), 422, 'agenda.0.title');
    expectProblem(assert, await u['focal.kaz'].post(`${W}/meetings`, m), 403);
    expectProblem(assert, await u['secretariat.arf'].post(`${W}/meetings`, m), 404);
    meeting = await ok(await u['secretariat.cica'].post(`${W}/meetings`, m), 201);
    assert.equal(meeting.status, 'planned');
    assert.equal(meeting.body_code, 'T-WG');

    const seenBy = async (who) => (await ok(await u[who].get(`${W}/meetings/${meeting.id}`))).agenda.map((a) => a.cites);
    const uzb = await seenBy('poc.uzb');
    assert.equal(uzb[0], null);
    assert.equal(uzb[1].symbol, draft.symbol);
    assert.equal(uzb[2].code, measure.code);
    assert.deepEqual(uzb[3], { kind: 'contribution', withheld: true });
    assert.equal((await seenBy('poc.kaz'))[3].title, 'National report (KAZ only)');
    for (const who of ['poc.usa', 'admin', 'secretariat.arf']) expectProblem(assert, await u[who].get(`${W}/meetings/${meeting.id}`), 404);
  });

  it('an agenda changed keeps the ids of the items that stay, and refuses another meeting\'s', async () => {
    const before = (await ok(await u['secretariat.cica'].get(`${W}/meetings/${meeting.id}`))).agenda;
    const kept = before.map((a) => ({ id: a.id, title: a.title, ...(a.cites ? { cites: { kind: a.cites.kind, id: a.cites.id ?? kazOnly.id } } : {}) }));
    const changed = await ok(await u['secretariat.cica'].patch(`${W}/meetings/${meeting.id}`, { agenda: [...kept, { title: 'Any other business' }] }));
    assert.deepEqual(changed.agenda.slice(0, before.length).map((a) => a.id), before.map((a) => a.id));
    assert.equal(changed.agenda.length, before.length + 1);
    const again = await ok(await u['secretariat.cica'].patch(`${W}/meetings/${meeting.id}`, { agenda: changed.agenda.map((a) => ({ id: a.id, title: a.title })) }));
    assert.deepEqual(again.agenda.map((a) => a.id), changed.agenda.map((a) => a.id));
    expectProblem(assert, await u['secretariat.cica'].patch(`${W}/meetings/${meeting.id}`, { agenda: [{ id: 999999, title: 'x' }] }), 422, 'agenda.0.id');
  });

  it('convening sends a note verbale in the forum\'s sequence and languages, on the hotline, once', async () => {
    const scheme = await ok(await u['secretariat.cica'].get('/api/v1/negotiation/forums/CICA/note-scheme'));
    expectProblem(assert, await u['focal.kaz'].post(`${W}/meetings/${meeting.id}/convene`, {}), 403);
    const convened = await ok(await u['secretariat.cica'].post(`${W}/meetings/${meeting.id}/convene`, {}));
    assert.equal(convened.status, 'convened');
    assert.equal(convened.note_number, scheme.example);
    assert.equal((await ok(await u['secretariat.cica'].get('/api/v1/negotiation/forums/CICA/note-scheme'))).next_number, scheme.next_number + 1);
    assert.match(convened.note, /The Secretariat of the Conference on Interaction and Confidence Building Measures in Asia \(CICA\) presents its compliments/);
    assert.match(convened.note, /First meeting of the Test Working Group will be held on/);
    assert.match(convened.note, /2\. The draft statement/);
    assert.match(convened.note, /Секретариат форума «Совещание по взаимодействию и мерам доверия в Азии» \(СВМДА\)/);
    assert.ok(convened.communication_id);
    const comm = await ok(await u['poc.uzb'].get(`/api/v1/communications/${convened.communication_id}`));
    assert.equal(comm.type, 'note_verbale');
    assert.match(comm.subject, new RegExp(`^Note verbale ${scheme.example.replaceAll('/', '\\/')}: First meeting \\(Test Working Group\\)`));
    expectProblem(assert, await u['poc.usa'].get(`/api/v1/communications/${convened.communication_id}`), 404);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings/${meeting.id}/convene`, {}), 409);
  });

  it('delegations are registered by each state\'s focal point, whole, with one head', async () => {
    const url = (state) => `${W}/meetings/${meeting.id}/delegations/${state}`;
    const kaz = { members: [{ name: 'Aigerim Alden', function: 'Director', head: true }, { name: 'Daniyar Borsa', function: 'Expert' }] };
    expectProblem(assert, await u['focal.kaz'].put(url('UZB'), kaz), 403);
    expectProblem(assert, await u['poc.kaz'].put(url('KAZ'), kaz), 403);
    expectProblem(assert, await u['focal.usa'].put(url('USA'), kaz), 404);
    expectProblem(assert, await u['focal.kaz'].put(url('KAZ'), { members: [{ name: 'A', head: true }, { name: 'B', head: true }] }), 422, 'members');
    expectProblem(assert, await u['focal.kaz'].put(url('KAZ'), { members: [{ name: '' }] }), 422, 'members.0.name');
    await ok(await u['focal.kaz'].put(url('KAZ'), kaz));
    await ok(await u['focal.uzb'].put(url('UZB'), { members: [{ name: 'Mei Castell', function: 'Head of delegation', head: true }] }));
    // Registering again replaces the delegation.
    await ok(await u['focal.kaz'].put(url('KAZ'), { members: [kaz.members[0]] }));
    const m = await ok(await u['poc.uzb'].get(`${W}/meetings/${meeting.id}`));
    assert.deepEqual(m.delegations.map((d) => [d.state, d.members.map((x) => x.name)]), [['KAZ', ['Aigerim Alden']], ['UZB', ['Mei Castell']]]);
    assert.equal(m.can_register, false);
    assert.equal((await ok(await u['focal.kaz'].get(`${W}/meetings/${meeting.id}`))).can_register, true);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings/${meeting.id}/decisions`, { wording: 'Too early.' }), 409);
  });

  it('a past meeting closes registration to focal points, records decisions and its participants', async () => {
    past = await ok(await u['secretariat.cica'].post(`${W}/meetings`, {
      body: body.id, title: 'Preparatory meeting', starts_on: day(-3), ends_on: day(-2), place: 'Online', online_url: 'https://meet.example.org/p',
      registration_deadline: day(-10), agenda: [{ title: 'The measure', cites: { kind: 'measure', id: measure.id } }],
    }), 201);
    const url = (state) => `${W}/meetings/${past.id}/delegations/${state}`;
    expectProblem(assert, await u['focal.kaz'].put(url('KAZ'), { members: [{ name: 'Late Comer' }] }), 409);
    await ok(await u['secretariat.cica'].put(url('KAZ'), { members: [{ name: 'Aigerim Alden', head: true }, { name: 'Absent Person' }] }));
    const decisions = `${W}/meetings/${past.id}/decisions`;
    expectProblem(assert, await u['secretariat.cica'].post(decisions, { wording: 'x', outcome: 'approved' }), 422, 'outcome');
    expectProblem(assert, await u['secretariat.cica'].post(decisions, { wording: 'x', agenda_item: 999999 }), 422, 'agenda_item');
    expectProblem(assert, await u['focal.kaz'].post(decisions, { wording: 'x' }), 403);
    const item = past.agenda[0].id;
    const withDecision = await ok(await u['secretariat.cica'].post(decisions, {
      wording: 'The Group took note of the coordinators\' report.', agenda_item: item, acts_on: { kind: 'measure', id: measure.id }, outcome: 'taken_note',
    }), 201);
    assert.equal(withDecision.decisions.length, 1);
    assert.equal(withDecision.decisions[0].acts_on.code, measure.code);
    assert.equal(withDecision.decisions[0].outcome, 'taken_note');

    const delegates = withDecision.delegations[0].members;
    const present = delegates.find((d) => d.name === 'Aigerim Alden').id;
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings/${past.id}/held`, { participants: [meeting.id * 1000] }), 422, 'participants');
    const held = await ok(await u['secretariat.cica'].post(`${W}/meetings/${past.id}/held`, { participants: [present] }));
    assert.equal(held.status, 'held');
    assert.deepEqual(held.participants.map((p) => p.name), ['Aigerim Alden']);
    expectProblem(assert, await u['secretariat.cica'].post(`${W}/meetings/${past.id}/held`, {}), 409);
    expectProblem(assert, await u['secretariat.cica'].put(url('UZB'), { members: [{ name: 'Too Late' }] }), 409);
    expectProblem(assert, await u['secretariat.cica'].patch(`${W}/meetings/${past.id}`, { title: 'Renamed' }), 409);
  });

  it('lists the forum\'s meetings by days, and journals every change to the forum\'s readers only', async () => {
    const soon = await ok(await u['poc.uzb'].get(`${W}/meetings?forum=CICA&from=${day(35)}&to=${day(45)}`));
    assert.ok(soon.items.some((x) => x.id === meeting.id));
    assert.ok(!soon.items.some((x) => x.id === past.id));
    expectProblem(assert, await u['poc.uzb'].get(`${W}/meetings?forum=CICA&from=soon`), 400, 'from');
    expectProblem(assert, await u['poc.usa'].get(`${W}/meetings?forum=CICA`), 404);
    const records = async (who, id) => (await u[who].get(`/api/v1/ledger/records?object=${encodeURIComponent(`meeting:${id}`)}`)).json.records.map((x) => x.action);
    const seen = await records('poc.uzb', meeting.id);
    for (const action of ['workplan.meeting.create', 'workplan.meeting.convened', 'workplan.meeting.delegation']) assert.ok(seen.includes(action), seen.join());
    assert.ok((await records('poc.uzb', past.id)).includes('workplan.meeting.held'));
    assert.deepEqual(await records('poc.usa', meeting.id), []);
    assert.deepEqual(await records('secretariat.arf', past.id), []);
  });
});
