// The work plan's calendars over the real server, read by an independent iCalendar
// parser (ical.js): a person's feed at a secret URL, subscribed without a session, with
// meetings timed in their own zone (a VTIMEZONE the parser uses), all-day activities and
// deadlines (registration, silence procedures, reconfirmation); a forum's feed; revoking
// a feed; the feed of someone who may not read a forum has none of it. Convening a
// meeting e-mails each member state's focal points an invitation (.ics, METHOD:REQUEST).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { Client, expectProblem, signedIn, startServer, startSmtpSink } from '../lib/harness.mjs';

const W = '/api/v1/workplan';
let server, smtp;
const u = {};
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--smtp', smtp.url] });
  for (const name of ['secretariat.cica', 'secretariat.arf', 'focal.kaz', 'poc.uzb', 'focal.usa', 'focal.aus'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
  smtp.stop();
});

async function ok(res, status = 200) {
  assert.equal(res.status, status, res.text);
  return res.json;
}

// The events of an iCalendar text, with its time zones registered for the parser.
function parse(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return { cal, events: cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

// A moment as a wall clock in a zone, by the JavaScript runtime's own zone data.
const wallClock = (date, timeZone) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);

describe('calendars', () => {
  let meeting, feed;

  it('a person\'s feed, at a secret URL, holds its forums\' meetings in their zones, activities and deadlines', async () => {
    const bodies = Object.fromEntries((await ok(await u['secretariat.cica'].get(`${W}/bodies?forum=CICA`))).items.map((b) => [b.code, b.id]));
    meeting = await ok(await u['secretariat.cica'].post(`${W}/meetings`, {
      body: bodies.SOC, title: 'Calendar test meeting', starts_on: day(20), ends_on: day(21), start_time: '10:00', time_zone: 'Asia/Almaty',
      place: 'Astana', registration_deadline: day(10), agenda: [{ title: 'Opening' }] }), 201);
    const cancelled = await ok(await u['secretariat.cica'].post(`${W}/meetings`, { body: bodies.SWG, title: 'Called off', starts_on: day(25), place: 'Baku' }), 201);
    await ok(await u['secretariat.cica'].post(`${W}/meetings/${cancelled.id}/cancel`, {}));
    // A directory reconfirmation due in a month.
    await ok(await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { due_date: day(30), message: 'Please confirm.' }), 201);

    expectProblem(assert, await new Client(server.base).post(`${W}/calendar-feeds`, {}), 401);
    feed = await ok(await u['focal.kaz'].post(`${W}/calendar-feeds`, {}), 201);
    assert.match(feed.path, /^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    assert.deepEqual((await ok(await u['focal.kaz'].get(`${W}/calendar-feeds`))).items.map((f) => f.id), [feed.id]);
    assert.ok(!JSON.stringify((await ok(await u['focal.kaz'].get(`${W}/calendar-feeds`)))).includes(feed.path.slice(17, 60)), 'the secret is shown once');

    const res = await fetch(server.base + feed.path);   // no session: the secret is the credential
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    const { cal, events } = parse(await res.text());
    assert.equal(cal.getFirstPropertyValue('version'), '2.0');
    const byUid = Object.fromEntries(events.map((e) => [e.uid, e]));

    const m = byUid[`meeting-${meeting.id}@parley`];
    assert.ok(m, events.map((e) => e.uid).join());
    assert.equal(m.summary, 'CICA · Senior Officials\' Committee: Calendar test meeting');
    assert.equal(m.startDate.zone.tzid, 'Asia/Almaty');
    assert.equal(wallClock(m.startDate.toJSDate(), 'Asia/Almaty'), '10:00');
    assert.equal(m.startDate.toJSDate().toISOString().slice(0, 10), day(20));
    assert.equal(m.location, 'Astana');

    const reg = byUid[`meeting-${meeting.id}-registration@parley`];
    assert.ok(reg.startDate.isDate);
    assert.equal(reg.startDate.toString(), day(10));
    assert.equal(byUid[`meeting-${cancelled.id}@parley`].component.getFirstPropertyValue('status'), 'CANCELLED');
    assert.ok(events.some((e) => e.uid.startsWith('reconfirmation-') && e.startDate.toString() === day(30)));
    // The ARF's meetings are not in Kazakhstan's calendar: it is not an ARF participant.
    assert.ok(!events.some((e) => e.summary.startsWith('ARF')));
  });

  it('a forum\'s feed, a silence procedure\'s deadline as an instant, and no feed of a forum one may not read', async () => {
    expectProblem(assert, await u['focal.usa'].post(`${W}/calendar-feeds`, { forum: 'CICA' }), 404);
    const arf = await ok(await u['focal.aus'].post(`${W}/calendar-feeds`, { forum: 'ARF' }), 201);
    // The demo's workshop is before the SOM: a silence procedure of a week.
    const activity = (await ok(await u['secretariat.arf'].get(`${W}/activities?forum=ARF&status=in_approval`))).items[0];
    const deadline = new Date(Date.now() + 7 * 86400000);
    deadline.setUTCMilliseconds(0);
    await ok(await u['secretariat.arf'].post(`${W}/activities/${activity.id}/silence`, { deadline: deadline.toISOString() }), 201);
    const { events } = parse(await (await fetch(server.base + arf.path)).text());
    const silence = events.find((e) => e.summary === `ARF · Silence procedure ends: ${activity.title}`);
    assert.ok(silence, events.map((e) => e.summary).join(' | '));
    assert.equal(silence.startDate.toJSDate().getTime(), deadline.getTime());
    assert.ok(events.every((e) => e.summary.startsWith('ARF')));
  });

  it('a revoked, guessed or foreign feed answers 404', async () => {
    expectProblem(assert, await u['poc.uzb'].delete(`${W}/calendar-feeds/${feed.id}`), 404);   // not its feed
    assert.equal((await fetch(server.base + feed.path)).status, 200);
    assert.equal((await u['focal.kaz'].delete(`${W}/calendar-feeds/${feed.id}`)).status, 204);
    assert.equal((await fetch(server.base + feed.path)).status, 404);
    for (const guess of ['/api/v1/calendar/x.ics', `/api/v1/calendar/${'A'.repeat(43)}.ics`, '/api/v1/calendar/..%2F..%2Fetc%2Fpasswd',
      `/api/v1/calendar/${'A'.repeat(43)}`])
      assert.equal((await fetch(server.base + guess)).status, 404, guess);
    assert.ok((await ok(await u['focal.kaz'].get(`${W}/calendar-feeds`))).items[0].revoked_at);
  });

  it('convening a meeting e-mails each member state\'s focal points its invitation', async () => {
    await ok(await u['secretariat.cica'].post(`${W}/meetings/${meeting.id}/convene`, {}));
    const mail = await smtp.waitFor((x) => x.to.includes('focal.kaz@demo.parley.example') && x.data.includes('invitation.ics'));
    assert.ok(mail, 'an invitation reached Kazakhstan\'s focal point');
    assert.match(mail.data, /Content-Type: multipart\/mixed; boundary="/);
    const encoded = mail.data.split('Content-Transfer-Encoding: base64\r\n\r\n')[1].split('\r\n--')[0].replace(/\r\n/g, '');
    const { cal, events } = parse(Buffer.from(encoded, 'base64').toString('utf8'));
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
    assert.equal(events.length, 1);
    assert.equal(events[0].uid, `meeting-${meeting.id}@parley`);
    assert.equal(wallClock(events[0].startDate.toJSDate(), 'Asia/Almaty'), '10:00');
    assert.ok(await smtp.waitFor((x) => x.to.includes('focal.uzb@demo.parley.example') && x.data.includes('invitation.ics')));
    assert.ok(!smtp.messages.some((x) => x.to.includes('focal.usa@') && x.data.includes('Calendar test meeting')), 'not to a CICA observer');
    // The same invitation from the console, for a reader; none for a stranger.
    const inv = await u['poc.uzb'].get(`${W}/meetings/${meeting.id}/invitation.ics`);
    assert.equal(inv.status, 200);
    assert.equal(parse(inv.text).events[0].uid, `meeting-${meeting.id}@parley`);
    expectProblem(assert, await u['focal.usa'].get(`${W}/meetings/${meeting.id}/invitation.ics`), 404);
  });
});
