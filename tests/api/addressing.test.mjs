// The directory as the hotline's address book, over the real server: a communication
// goes to states and a kind of contact, and reaches exactly the accounts of the valid
// directory contacts of that kind — on the stream and by e-mail; expired contacts get
// nothing and their focal point is told; office hours in the contact's own time zone
// shift the deadline and the escalation; checks test one kind; a note verbale is its
// own type; and what may not link, address or read is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cli, eventually, expectProblem, openStream, signedIn, startServer, startSmtpSink, Client,
} from '../lib/harness.mjs';

let server;
let smtp;
const u = {};
const DAY = 86_400_000;

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--manual-clock', '--smtp', smtp.url] });
  for (const name of ['admin', 'secretariat.cica', 'poc.uzb', 'poc.kaz', 'policy.kaz', 'focal.kaz', 'poc.tha',
    'focal.tha', 'focal.uzb', 'poc.aus'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
  smtp.stop();
});

function note(extra = {}) {
  return {
    type: 'request_for_information',
    recipients: ['KAZ'],
    subject: 'Botnet controllers in your address space',
    description: 'Our CERT sees command traffic to hosts announced in your space.',
    severity: 2,
    tlp: 'TLP:GREEN',
    ...extra,
  };
}

const send = (who, extra) => u[who].post('/api/v1/communications', note(extra));
// A contact with an account, from the address book of a sender of another state.
const contactOf = async (state, kind) =>
  (await u[state === 'UZB' ? 'poc.kaz' : 'poc.uzb'].get('/api/v1/hotline/addressees?forum=CICA')).json.states
    .find((s) => s.state === state).contacts.find((c) => c.kind === kind);
const mailTo = (who, pred = () => true) => smtp.messages.filter((m) => m.to.includes(`${who}@demo.parley.example`) && pred(m));
const quiet = () => new Promise((r) => setTimeout(r, 400));   // the scheduler records deliveries and mail within 250 ms

describe('addressing by kind of contact', () => {
  it("a communication to a state's technical contacts reaches its technical contact, not its policy contact", async () => {
    const policyStream = await openStream(server.base, u['policy.kaz']);
    try {
      const r = await send('poc.uzb', { contact_kind: 'technical', subject: 'Technical only' });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.contact_kind, 'technical');
      assert.deepEqual(r.json.people.map((p) => p.username), ['poc.kaz']);
      assert.equal(r.json.recipients[0].people, 1);
      assert.equal(r.json.recipients[0].no_valid_contact, false);
      // By e-mail: poc.kaz is not connected, so it gets a link; policy.kaz gets nothing.
      assert.ok(await smtp.waitFor((m) => m.to.includes('poc.kaz@demo.parley.example') && m.data.includes(`/#/hotline/${r.json.id}`)));
      await quiet();
      assert.equal(mailTo('policy.kaz', (m) => m.data.includes(`/#/hotline/${r.json.id}`)).length, 0);
      // On the stream and the API: nothing for the policy contact.
      assert.ok(!policyStream.events.some((e) => e.data?.id === r.json.id), 'the policy contact got no event');
      expectProblem(assert, await u['policy.kaz'].get(`/api/v1/communications/${r.json.id}`), 404);
      assert.ok(!(await u['policy.kaz'].get('/api/v1/communications?box=all')).json.items.some((c) => c.id === r.json.id));
      expectProblem(assert, await u['policy.kaz'].post(`/api/v1/communications/${r.json.id}/ack`, {}), 404);
      assert.equal((await u['poc.kaz'].get(`/api/v1/communications/${r.json.id}`)).json.you.can_acknowledge, true);
      // The focal point oversees its state's traffic.
      assert.equal((await u['focal.kaz'].get(`/api/v1/communications/${r.json.id}`)).status, 200);
    } finally {
      await policyStream.close();
    }
  });

  it('a communication to policy contacts reaches the policy contact live, and not the technical one', async () => {
    const policyStream = await openStream(server.base, u['policy.kaz']);
    const techStream = await openStream(server.base, u['poc.kaz']);
    try {
      const r = await send('poc.uzb', { contact_kind: 'policy', subject: 'Policy only' });
      assert.equal(r.status, 201, r.text);
      assert.ok(await policyStream.waitFor((e) => e.type === 'hotline.communication.sent' && e.data.id === r.json.id));
      await quiet();
      assert.ok(!techStream.events.some((e) => e.data?.id === r.json.id));
      expectProblem(assert, await u['poc.kaz'].get(`/api/v1/communications/${r.json.id}`), 404);
      const reply = await u['policy.kaz'].post(`/api/v1/communications/${r.json.id}/reply`, { description: 'Noted.' });
      assert.equal(reply.status, 201, reply.text);
      assert.equal(reply.json.contact_kind, 'policy', 'a reply keeps the thread\'s kind');
      assert.ok(reply.json.people.some((p) => p.username === 'poc.uzb'), 'the answer goes back to the sender');
    } finally {
      await policyStream.close();
      await techStream.close();
    }
  });

  it('all kinds reach every valid contact of the state', async () => {
    const r = await send('poc.uzb', { contact_kind: 'all' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.people.map((p) => p.username).sort(), ['poc.kaz', 'policy.kaz']);
    const dflt = await send('poc.uzb', {});
    assert.equal(dflt.json.contact_kind, 'all', 'all is the default');
  });

  it('law enforcement: nobody until a contact of that kind has an account, then only it', async () => {
    // Nobody yet: said clearly to the sender, and the focal point is told.
    const none = await send('poc.uzb', { contact_kind: 'law_enforcement' });
    assert.equal(none.status, 201, none.text);
    assert.equal(none.json.recipients[0].no_valid_contact, true);
    assert.equal(none.json.recipients[0].people, 0);
    assert.ok(none.json.lifecycle.some((e) => e.kind === 'no_valid_contact' && e.state === 'KAZ' && /law_enforcement/.test(e.detail)));
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.kaz@demo.parley.example') && /No valid law_enforcement/.test(m.data)));

    const k = await u['secretariat.cica'].post('/api/v1/contacts', {
      state: 'KAZ', name: 'Duty Officer, Cybercrime Unit', type: 'law_enforcement', availability: '24/7', timezone: 'Asia/Almaty',
    });
    assert.equal(k.status, 201, k.text);
    const add = cli(['user', 'add', 'le.kaz', '--role', 'poc', '--state', 'KAZ', '--email', 'le.kaz@demo.parley.example',
      '--db', server.db], { env: { PARLEY_PASSWORD: 'parley-demo' } });
    assert.equal(add.code, 0, add.stderr);
    // Linking: only those who manage Kazakhstan's entries, an account of Kazakhstan, once.
    const path = `/api/v1/contacts/${k.json.id}/account`;
    expectProblem(assert, await new Client(server.base).put(path, { username: 'le.kaz' }), 401);
    expectProblem(assert, await u['poc.kaz'].put(path, { username: 'le.kaz' }), 403);
    expectProblem(assert, await u['focal.tha'].put(path, { username: 'le.kaz' }), 403);
    expectProblem(assert, await u['focal.kaz'].put(path, { username: 'poc.tha' }), 422, 'username');
    expectProblem(assert, await u['focal.kaz'].put(path, { username: 'poc.kaz' }), 409, 'username');   // already the technical contact's
    expectProblem(assert, await u['focal.kaz'].put(path, { username: 'le.kaz', extra: 1 }), 422, 'extra');
    expectProblem(assert, await u['focal.kaz'].put(path, { username: 'x'.repeat(65) }), 422, 'username');
    expectProblem(assert, await u['focal.kaz'].put('/api/v1/contacts/999999/account', { username: 'le.kaz' }), 404);
    const link = await u['focal.kaz'].put(path, { username: 'le.kaz' });
    assert.equal(link.status, 200, link.text);

    const r = await send('poc.uzb', { contact_kind: 'law_enforcement' });
    assert.deepEqual(r.json.people.map((p) => p.username), ['le.kaz']);
    assert.equal(r.json.recipients[0].no_valid_contact, false);
    const le = await signedIn(server.base, 'le.kaz');
    assert.equal((await le.get(`/api/v1/communications/${r.json.id}`)).status, 200);
    expectProblem(assert, await u['poc.kaz'].get(`/api/v1/communications/${r.json.id}`), 404);
    expectProblem(assert, await u['policy.kaz'].get(`/api/v1/communications/${r.json.id}`), 404);

    // Unlinked, it receives nothing again.
    expectProblem(assert, await u['poc.kaz'].delete(path), 403);
    assert.equal((await u['focal.kaz'].delete(path)).status, 204);
    expectProblem(assert, await u['focal.kaz'].delete(path), 404);
    const after = await send('poc.uzb', { contact_kind: 'law_enforcement' });
    assert.equal(after.json.recipients[0].no_valid_contact, true);
    expectProblem(assert, await le.get(`/api/v1/communications/${after.json.id}`), 404);
  });
});

describe('validity', () => {
  it('an expired contact receives nothing, and its focal point is told it missed the communication', async () => {
    const tech = await contactOf('THA', 'technical');
    const yesterday = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    const patched = await u['secretariat.cica'].patch(`/api/v1/contacts/${tech.contact_id}`, { valid_until: yesterday });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await contactOf('THA', 'technical')).expired, true);
    const thaStream = await openStream(server.base, u['poc.tha']);
    try {
      const r = await send('poc.uzb', { recipients: ['THA'], contact_kind: 'technical', subject: 'To an expired contact' });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.recipients[0].no_valid_contact, true, 'the sender sees it in the recipients\' status');
      assert.deepEqual(r.json.people, []);
      const missed = r.json.lifecycle.find((e) => e.kind === 'contact_expired');
      assert.equal(missed?.state, 'THA');
      assert.match(missed.detail, new RegExp(`poc\\.tha.*expired on ${yesterday}`));
      const mail = await smtp.waitFor((m) => m.to.includes('focal.tha@demo.parley.example') && m.data.includes(`/#/hotline/${r.json.id}`) && /expired/.test(m.data));
      assert.ok(mail, 'the focal point is e-mailed');
      assert.ok(mail.data.includes(yesterday));
      await quiet();
      assert.ok(!thaStream.events.some((e) => e.data?.id === r.json.id), 'nothing on the expired contact\'s stream');
      assert.equal(mailTo('poc.tha', (m) => m.data.includes(`/#/hotline/${r.json.id}`)).length, 0, 'no e-mail to it');
      expectProblem(assert, await u['poc.tha'].get(`/api/v1/communications/${r.json.id}`), 404);
      // It cannot be named either.
      const named = await send('poc.uzb', { recipients: ['THA'], tlp: 'TLP:RED', recipient_contacts: [tech.contact_id] });
      const p = expectProblem(assert, named, 422, 'recipient_contacts.0');
      assert.match(p.errors[0].reason, /expired/);
    } finally {
      await thaStream.close();
    }
  });
});

describe('availability', () => {
  it('an office-hours contact outside its hours shifts the deadline and the escalation', async () => {
    // The server's clock stands still: read it from a communication.
    const probe = await send('poc.uzb', {});
    const now = Date.parse(probe.json.created_at);
    const opensDay = (Math.floor(now / DAY) + 2) * DAY;   // two days from now, 00:00 UTC
    const weekday = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'][Math.floor(opensDay / DAY) % 7];   // 1970-01-01 was a Thursday
    const policy = await contactOf('KAZ', 'policy');
    const hours = await u['focal.kaz'].patch(`/api/v1/contacts/${policy.contact_id}`, {
      availability: 'office_hours', office_hours: `${weekday.toLowerCase()} 09:00-17:00`, timezone: 'UTC',
    });
    assert.equal(hours.status, 200, hours.text);
    assert.equal(hours.json.office_hours, `${weekday} 09:00-17:00`, 'stored in canonical form');
    const opens = opensDay + 9 * 3_600_000;
    const listed = await contactOf('KAZ', 'policy');
    assert.equal(listed.available_now, false);
    assert.equal(Date.parse(listed.next_opening_at), opens);

    const r = await send('poc.uzb', { contact_kind: 'policy', type: 'request_for_assistance', severity: 5 });   // 15 minutes
    assert.equal(r.status, 201, r.text);
    const deadline = Date.parse(r.json.recipients[0].ack_deadline_at);
    assert.equal(deadline, opens + 15 * 60_000, 'the deadline counts from the next opening');
    assert.ok(r.json.lifecycle.some((e) => e.kind === 'awaiting_availability' && e.state === 'KAZ'));
    // Its e-mail gives the contact its own state's deadline.
    const mail = await smtp.waitFor((m) => m.to.includes('policy.kaz@demo.parley.example') && m.data.includes(`/#/hotline/${r.json.id}`));
    assert.ok(mail, 'the policy contact is e-mailed at once, whatever its hours');
    assert.ok(mail.data.includes(`Acknowledge by: ${new Date(deadline).toISOString()}`), mail.data);
    // At send + 15 minutes nothing escalates.
    await u.admin.post('/api/v1/testing/clock', { advance_seconds: 16 * 60 });
    await quiet();
    let c = (await u['poc.uzb'].get(`/api/v1/communications/${r.json.id}`)).json;
    assert.equal(c.recipients[0].escalation_level, 0);
    assert.equal(Date.parse(c.recipients[0].next_escalation_at), deadline);
    // Past the shifted deadline, it escalates to the contacts available then: the 24/7
    // technical contact.
    await u.admin.post('/api/v1/testing/clock', { advance_seconds: Math.ceil((deadline - now) / 1000) - 16 * 60 + 1 });
    c = await eventually(async () => {
      const x = (await u['poc.uzb'].get(`/api/v1/communications/${r.json.id}`)).json;
      return x.recipients[0].escalation_level >= 1 ? x : null;
    });
    assert.ok(c, 'escalated after the shifted deadline');
    const step = c.lifecycle.find((e) => e.kind === 'escalated');
    assert.match(step.detail, /level 1.*available.*poc\.kaz/);
    assert.equal((await u['poc.kaz'].get(`/api/v1/communications/${r.json.id}`)).status, 200, 'the escalation reaches it');

    // A 24/7 recipient keeps the plain deadline.
    const tech = await send('poc.uzb', { contact_kind: 'technical', type: 'request_for_assistance', severity: 5 });
    assert.equal(Date.parse(tech.json.recipients[0].ack_deadline_at) - Date.parse(tech.json.created_at), 15 * 60_000);
  });

  it('refuses office hours and time zones it cannot read', async () => {
    const policy = await contactOf('KAZ', 'policy');
    const path = `/api/v1/contacts/${policy.contact_id}`;
    for (const bad of ['Mon-Fri', 'Mon-Fri 17:00-09:00', 'Someday 09:00-17:00', 'x'.repeat(201), 'Mon 09:00-10:00;'.repeat(15)])
      expectProblem(assert, await u['focal.kaz'].patch(path, { office_hours: bad }), 422, 'office_hours');
    expectProblem(assert, await u['focal.kaz'].patch(path, { timezone: 'Mars/Olympus_Mons' }), 422, 'timezone');
  });
});

describe('checks of one kind', () => {
  it('tests only the contacts of the kind chosen', async () => {
    const r = await u['secretariat.cica'].post('/api/v1/checks', { forum: 'CICA', states: ['KAZ', 'UZB'], kind: 'policy' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.scope.kind, 'policy');
    const kaz = r.json.states.find((s) => s.state === 'KAZ');
    const uzb = r.json.states.find((s) => s.state === 'UZB');
    assert.deepEqual(kaz.people.map((p) => p.username), ['policy.kaz']);
    assert.equal(uzb.no_point_of_contact, true, 'Uzbekistan has no policy contact with an account');
    assert.equal(r.json.summary.people, 1);
    const comm = (await u['policy.kaz'].get(`/api/v1/communications/${r.json.communication_id}`)).json;
    assert.equal(comm.contact_kind, 'policy');
    expectProblem(assert, await u['poc.kaz'].post(`/api/v1/communications/${r.json.communication_id}/ack`, {}), 404);
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/checks', { forum: 'CICA', kind: 'diplomats' }), 422, 'kind');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/checks', { forum: 'CICA', contacts: [{}] }), 422, 'contacts.0');
    const tech = await contactOf('UZB', 'technical');
    const one = await u['secretariat.cica'].post('/api/v1/checks', { forum: 'CICA', contacts: [tech.contact_id] });
    assert.equal(one.status, 201, one.text);
    assert.equal(one.json.summary.people, 1);
  });
});

describe('notes verbales', () => {
  it('are their own type, without severity', async () => {
    const r = await send('poc.uzb', { type: 'note_verbale', severity: undefined, subject: 'Note verbale UZB/ICT/2026/7' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.type, 'note_verbale');
    assert.equal(r.json.severity, null);
    assert.equal(r.json.severity_name, null);
    expectProblem(assert, await send('poc.uzb', { type: 'note_verbale', severity: 0 }), 422, 'severity');
    const list = (await u['poc.kaz'].get('/api/v1/communications?type=note_verbale')).json;
    assert.ok(list.items.some((c) => c.id === r.json.id && c.severity === null));
    // Its e-mail speaks of a note verbale, not of an incident's severity.
    const mail = await smtp.waitFor((m) => m.data.includes(`/#/hotline/${r.json.id}`));
    assert.ok(mail);
    assert.match(mail.data, /Note verbale from UZB/);
    assert.doesNotMatch(mail.data, /Severity|ICT incident/);
  });
});

describe('refusals', () => {
  it('the address book is for those who send, in their own forums', async () => {
    expectProblem(assert, await new Client(server.base).get('/api/v1/hotline/addressees?forum=CICA'), 401);
    expectProblem(assert, await u.admin.get('/api/v1/hotline/addressees?forum=CICA'), 403);
    expectProblem(assert, await u['poc.kaz'].get('/api/v1/hotline/addressees?forum=ARF'), 404);   // not a member
    expectProblem(assert, await u['poc.aus'].get('/api/v1/hotline/addressees?forum=CICA'), 404);
    expectProblem(assert, await u['poc.kaz'].get('/api/v1/hotline/addressees?forum=CICA&x=1'), 400, 'x');
    const book = (await u['poc.kaz'].get('/api/v1/hotline/addressees?forum=CICA')).json;
    assert.ok(!book.states.some((s) => s.state === 'KAZ'), 'not its own state');
    assert.equal(JSON.stringify(book).includes('@'), false, 'no e-mail addresses');
    assert.equal(JSON.stringify(book).includes('poc.'), false, 'no usernames');
  });

  it('bad addressing is refused, naming the field', async () => {
    expectProblem(assert, await send('poc.uzb', { contact_kind: 'diplomats' }), 422, 'contact_kind');
    expectProblem(assert, await send('poc.uzb', { recipient_contacts: [-1] }), 422, 'recipient_contacts.0');
    expectProblem(assert, await send('poc.uzb', { recipient_contacts: 'poc.kaz' }), 422, 'recipient_contacts');
    expectProblem(assert, await send('poc.uzb', { recipient_contacts: Array.from({ length: 301 }, (_, i) => i + 1) }), 422, 'recipient_contacts');
    // A contact of a state that is not a recipient, and an account that is no contact's.
    const kazOther = await contactOf('KAZ', 'technical');
    expectProblem(assert, await send('poc.uzb', { recipients: ['THA'], recipient_contacts: [kazOther.contact_id] }), 422, 'recipient_contacts.0');
    // A directory contact without an account cannot be named.
    const tha = (await u['poc.uzb'].get('/api/v1/contacts?state=THA&type=policy')).json.items[0];
    assert.ok(tha);
    expectProblem(assert, await send('poc.uzb', { recipients: ['THA'], recipient_contacts: [tha.id] }), 422, 'recipient_contacts.0');
    expectProblem(assert, await send('poc.uzb', { recipient_contacts: ['focal.kaz'] }), 422, 'recipient_contacts.0');
    expectProblem(assert, await u['poc.uzb'].post(`/api/v1/communications/1/reply`, { description: 'x', contact_kind: 'policy' }), 422, 'contact_kind');
  });
});
