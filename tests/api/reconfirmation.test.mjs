// The annual reconfirmation over the real server, a real SMTP sink and the testing clock:
// a secretariat starts one, every member state's focal point is e-mailed, a focal point
// confirms (each contact records when), reminders before the due date and overdue
// notices after it reach only the states that have not answered, exactly once even
// across restarts, and never get lost while the server is down. Denials for other
// forums, other states, other roles and bad input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, eventually, expectProblem, signedIn, startServer, startSmtpSink } from '../lib/harness.mjs';

const DAY = 86400;
let server;
let smtp;
const u = {};
let now;   // the server's clock, ms
let clockOffset = 0;   // seconds the test clock was moved, to restart at the same time

async function signInAll() {
  for (const name of ['admin', 'secretariat.cica', 'secretariat.arf', 'focal.kaz', 'focal.tha', 'focal.usa', 'poc.kaz'])
    u[name] = await signedIn(server.base, name);
}

async function advance(seconds) {
  const r = await u.admin.post('/api/v1/testing/clock', { advance_seconds: seconds });
  assert.equal(r.status, 200, r.text);
  clockOffset = r.json.offset_seconds;
  now = Date.parse(r.json.now);
}

const dateIn = (days) => new Date(now + days * DAY * 1000).toISOString().slice(0, 10);
const CICA_REMINDER = 'A reminder: the CICA secretariat';
const CICA_OVERDUE = 'The CICA secretariat asked';
const mailsTo = (user, word) => smtp.messages.filter((m) => m.to.includes(`${user}@demo.parley.example`) && m.data.includes(word));

function journalLength() {
  const r = cli(['journal', 'verify', '--db', server.db]);
  return Number(r.stdout.match(/(\d+) entries/)[1]);
}

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--manual-clock', '--smtp', smtp.url] });
  await signInAll();
  await advance(0);
});

after(async () => {
  await server.stop();
  server.cleanup();
  smtp.stop();
});

let rid;

describe('starting a reconfirmation', () => {
  it('is refused to anyone but the forum\'s secretariat and the admin, and to bad input', async () => {
    const body = { due_date: dateIn(10), message: 'Please confirm.' };
    expectProblem(assert, await new Client(server.base).post('/api/v1/forums/CICA/reconfirmations', body), 401);
    expectProblem(assert, await u['poc.kaz'].post('/api/v1/forums/CICA/reconfirmations', body), 403);
    expectProblem(assert, await u['focal.kaz'].post('/api/v1/forums/CICA/reconfirmations', body), 403);
    expectProblem(assert, await u['secretariat.arf'].post('/api/v1/forums/CICA/reconfirmations', body), 403);
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/NOPE/reconfirmations', body), 404);
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { ...body, due_date: dateIn(-1) }), 422, 'due_date');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { ...body, due_date: '2027-02-30' }), 422, 'due_date');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { due_date: dateIn(10) }), 422, 'message');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { ...body, remind_days_before: 0 }), 422, 'remind_days_before');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { ...body, message: 'x'.repeat(5000) }), 422, 'message');
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', { ...body, extra: 1 }), 422, 'extra');
    const list = await u['secretariat.cica'].get('/api/v1/forums/CICA/reconfirmations');
    assert.deepEqual(list.json.items, [], 'nothing was started by the refused requests');
  });

  it('asks every member state and e-mails each focal point, journaled', async () => {
    const before = journalLength();
    const r = await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', {
      due_date: dateIn(10), message: 'Annual review of the CICA directory.', remind_days_before: 3,
    });
    assert.equal(r.status, 201, r.text);
    rid = r.json.id;
    assert.equal(r.headers.get('location'), `/api/v1/forums/CICA/reconfirmations/${rid}`);
    assert.equal(r.json.summary.states, 28);
    assert.equal(r.json.summary.confirmed, 0);
    assert.ok(r.json.states.every((s) => s.status === 'pending'));
    assert.equal(journalLength(), before + 1);
    const mail = await smtp.waitFor((m) => m.to.includes('focal.kaz@demo.parley.example') && m.data.includes('/#/reconfirmations'));
    assert.ok(mail, 'the focal point of Kazakhstan was e-mailed');
    assert.match(mail.data, /Annual review of the CICA directory/);
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.tha@demo.parley.example') && m.data.includes('/#/reconfirmations')));
    assert.equal(mailsTo('focal.usa', 'reconfirmations').length, 0, 'not a CICA member: not asked');
    const kaz = r.json.states.find((s) => s.state === 'KAZ');
    assert.deepEqual(kaz.mails.map((m) => m.kind), ['request']);
    expectProblem(assert, await u['secretariat.cica'].post('/api/v1/forums/CICA/reconfirmations', {
      due_date: dateIn(20), message: 'Again?' }), 409);
  });
});

describe('following and answering', () => {
  it('shows the secretariat every state, a focal point its own, and nobody else anything', async () => {
    const list = await u['secretariat.cica'].get('/api/v1/forums/CICA/reconfirmations');
    assert.equal(list.json.items[0].unanswered, 28);
    const mine = await u['focal.kaz'].get('/api/v1/forums/CICA/reconfirmations');
    assert.equal(mine.json.items[0].your_state.status, 'pending');
    assert.equal(mine.json.items[0].unanswered, undefined, 'a focal point sees no other state');
    const detail = await u['focal.kaz'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`);
    assert.deepEqual(detail.json.states.map((s) => s.state), ['KAZ']);
    expectProblem(assert, await u['secretariat.arf'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`), 403);
    expectProblem(assert, await u['secretariat.arf'].get('/api/v1/forums/CICA/reconfirmations'), 403);
    expectProblem(assert, await u['focal.usa'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`), 403);
    expectProblem(assert, await u['poc.kaz'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`), 403);
    expectProblem(assert, await u['secretariat.cica'].get('/api/v1/forums/CICA/reconfirmations/99999'), 404);
    expectProblem(assert, await new Client(server.base).get('/api/v1/forums/CICA/reconfirmations'), 401);
    const pending = await u['focal.kaz'].get('/api/v1/directory/reconfirmations/pending');
    assert.deepEqual(pending.json.items.map((p) => [p.id, p.forum, p.status]), [[rid, 'CICA', 'pending']]);
    assert.deepEqual((await u['focal.usa'].get('/api/v1/directory/reconfirmations/pending')).json.items, []);
  });

  it('lets only the state\'s focal point confirm, once, and records it on each contact', async () => {
    const path = `/api/v1/forums/CICA/reconfirmations/${rid}/states/KAZ/confirm`;
    expectProblem(assert, await u['focal.tha'].post(path, {}), 403);
    expectProblem(assert, await u['secretariat.cica'].post(path, {}), 403);
    expectProblem(assert, await u.admin.post(path, {}), 403);
    expectProblem(assert, await u['poc.kaz'].post(path, {}), 403);
    expectProblem(assert, await u['focal.kaz'].post(path, { note: 'x'.repeat(3000) }), 422, 'note');
    expectProblem(assert, await u['focal.kaz'].post(`/api/v1/forums/CICA/reconfirmations/99999/states/KAZ/confirm`, {}), 404);
    expectProblem(assert, await u['focal.kaz'].post(`/api/v1/forums/ARF/reconfirmations/${rid}/states/KAZ/confirm`, {}), 404);
    expectProblem(assert, await u['focal.usa'].post(`/api/v1/forums/CICA/reconfirmations/${rid}/states/USA/confirm`, {}), 404);
    expectProblem(assert, await new Client(server.base).post(path, {}), 401);
    const noCsrf = await u['focal.kaz'].request('POST', path, { body: {}, csrf: false });
    assert.equal(noCsrf.status, 403, 'a session without its CSRF token is refused');
    const before = journalLength();
    const r = await u['focal.kaz'].post(path, { note: 'Two entries updated beforehand.' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.states[0].status, 'confirmed');
    assert.equal(r.json.states[0].confirmed_by, 'focal.kaz');
    assert.equal(journalLength(), before + 1);
    expectProblem(assert, await u['focal.kaz'].post(path, {}), 409);
    const contacts = await u['poc.kaz'].get('/api/v1/contacts?state=KAZ');
    assert.ok(contacts.json.items.length > 0);
    assert.ok(contacts.json.items.every((c) => c.confirmed_at), 'every active contact of the state was confirmed');
    const others = await u['poc.kaz'].get('/api/v1/contacts?state=THA');
    assert.ok(others.json.items.every((c) => !c.confirmed_at), 'another state\'s are not');
    assert.deepEqual((await u['focal.kaz'].get('/api/v1/directory/reconfirmations/pending')).json.items, []);
    const status = await u['secretariat.cica'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`);
    assert.deepEqual(status.json.summary, { states: 28, confirmed: 1, unanswered: 27, overdue: 0 });
  });
});

describe('reminders and overdue notices', () => {
  it('reminds the states that have not answered, once, when the reminder falls due', async () => {
    await advance(6 * DAY);   // four days before the due date: not yet
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mailsTo('focal.tha', CICA_REMINDER).length, 0);
    await advance(2 * DAY);   // two days before: reminders
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.tha@demo.parley.example') && m.data.includes(CICA_REMINDER)));
    await advance(60);
    await new Promise((r) => setTimeout(r, 1500));   // a few passes of the loop
    assert.equal(mailsTo('focal.tha', CICA_REMINDER).length, 1, 'reminded once');
    assert.equal(mailsTo('focal.kaz', CICA_REMINDER).length, 0, 'Kazakhstan answered: not reminded');
    const d = await u['secretariat.cica'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`);
    assert.deepEqual(d.json.states.find((s) => s.state === 'THA').mails.map((m) => m.kind), ['request', 'reminder']);
    assert.deepEqual(d.json.states.find((s) => s.state === 'KAZ').mails.map((m) => m.kind), ['request']);
  });

  it('marks unanswered states overdue after the due date and tells them, once', async () => {
    await advance(3 * DAY);   // the day after the due date
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.tha@demo.parley.example') && m.data.includes(CICA_OVERDUE)));
    const d = await u['secretariat.cica'].get(`/api/v1/forums/CICA/reconfirmations/${rid}`);
    assert.equal(d.json.past_due, true);
    assert.deepEqual(d.json.summary, { states: 28, confirmed: 1, unanswered: 27, overdue: 27 });
    assert.equal(d.json.states.find((s) => s.state === 'THA').status, 'overdue');
    assert.equal(d.json.states.find((s) => s.state === 'KAZ').status, 'confirmed');
    const own = await u['focal.tha'].get('/api/v1/directory/reconfirmations/pending');
    assert.equal(own.json.items[0].status, 'overdue');
    assert.equal(mailsTo('focal.kaz', CICA_OVERDUE).length, 0);
  });

  it('sends nothing twice after a restart, and loses nothing while the server was down', async () => {
    const dir = server.dir;
    const offset = clockOffset;
    // An ARF reconfirmation whose reminder falls due while the server is stopped.
    const arf = await u['secretariat.arf'].post('/api/v1/forums/ARF/reconfirmations', {
      due_date: dateIn(10), message: 'ARF directory review.', remind_days_before: 3 });
    assert.equal(arf.status, 201, arf.text);
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.usa@demo.parley.example') && m.data.includes('ARF directory review')));
    await server.stop();
    server = await startServer({ dir, extraArgs: ['--manual-clock', '--clock-offset', String(offset + 8 * DAY), '--smtp', smtp.url] });
    await signInAll();
    assert.ok(await smtp.waitFor((m) => m.to.includes('focal.usa@demo.parley.example') && m.data.includes('A reminder: the ARF secretariat')),
      'the reminder that fell due while the server was down went out at start');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(mailsTo('focal.tha', CICA_OVERDUE).length, 1, 'CICA\'s overdue notice was not sent again');
    assert.equal(mailsTo('focal.tha', CICA_REMINDER).length, 1, 'nor its reminder');
    assert.equal(mailsTo('focal.usa', 'A reminder: the ARF secretariat').length, 1);
    const status = cli(['directory', 'reconfirm', 'status', '--forum', 'ARF', '--db', server.db]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /27 states: 0 confirmed, 27 not answered, 0 overdue/);
    assert.match(status.stdout, /USA\tpending/);
  });
});

describe('the command line', () => {
  it('starts a reconfirmation and reports it; refuses bad input', async () => {
    const own = await startServer();   // the system clock, as the CLI's
    try {
      const secretariat = await signedIn(own.base, 'secretariat.cica');
      const due = new Date(Date.now() + 30 * DAY * 1000).toISOString().slice(0, 10);
      const bad = cli(['directory', 'reconfirm', 'start', '--forum', 'CICA', '--due', '2001-01-01', '--message', 'x', '--db', own.db]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /due_date/);
      const none = cli(['directory', 'reconfirm', 'status', '--forum', 'CICA', '--db', own.db]);
      assert.equal(none.code, 2);
      const r = cli(['directory', 'reconfirm', 'start', '--forum', 'cica', '--due', due, '--message', 'From the command line.', '--db', own.db]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /started reconfirmation \d+ of CICA: 28 states asked/);
      const s = cli(['directory', 'reconfirm', 'status', '--forum', 'CICA', '--format', 'json', '--db', own.db]);
      assert.equal(JSON.parse(s.stdout).message, 'From the command line.');
      const text = cli(['directory', 'reconfirm', 'status', '--forum', 'CICA', '--db', own.db]);
      assert.match(text.stdout, /28 states: 0 confirmed, 28 not answered, 0 overdue/);
      const list = await eventually(async () => {
        const l = await secretariat.get('/api/v1/forums/CICA/reconfirmations');
        return l.json.items.length === 1 ? l : null;
      });
      assert.ok(list, 'the server sees what the CLI started');
      assert.equal(list.json.items[0].started_by, 'cli');
    } finally {
      await own.stop();
      own.cleanup();
    }
  });
});
