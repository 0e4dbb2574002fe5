// Two `parley serve` processes on ONE SQLite file (WAL): what several instances on one
// database must get right (docs/architecture.md, "Several instances"). Push reaches the
// other instance's streams with its audience, caches see the other's writes at once,
// throttling is shared, concurrent writes keep one journal, scheduled work and mail
// happen once, and a killed instance's work is taken over.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Client, cli, eventually, sql as harnessSql, expectProblem, openStream, signedIn, startServer, startSmtpSink,
} from '../lib/harness.mjs';

let smtp;
let a;   // instance A (loaded the demo)
let b;   // instance B, same database file

before(async () => {
  smtp = await startSmtpSink();
  a = await startServer({ extraArgs: ['--manual-clock', '--smtp', smtp.url] });
  b = await startServer({ dir: a.dir, demo: false, extraArgs: ['--manual-clock', '--smtp', smtp.url] });
});

after(async () => {
  await a?.stop();
  await b?.stop();
  a?.cleanup();
  smtp?.stop();
});

function note(extra = {}) {
  return {
    type: 'request_for_information',
    recipients: ['UZB'],
    subject: 'Scanning of energy-sector SCADA from shared infrastructure',
    description: 'Coordinated scanning of port 502. Do you see it too?',
    severity: 3,
    tlp: 'TLP:AMBER',
    sector: 'energy',
    ...extra,
  };
}

// The shared database, read and written behind the servers' backs (SQLite or PostgreSQL).
const sql = (query) => harnessSql(a.db, query);

describe('two instances on one database', () => {
  it('pushes an event written on A to the right streams on B, and B records the delivery', async () => {
    const kazA = await signedIn(a.base, 'poc.kaz');
    const uzbB = await signedIn(b.base, 'poc.uzb');
    const thaB = await signedIn(b.base, 'poc.tha');
    const kazStream = await openStream(a.base, kazA);
    const uzbStream = await openStream(b.base, uzbB);
    const thaStream = await openStream(b.base, thaB);
    try {
      const sent = await kazA.post('/api/v1/communications', note());
      assert.equal(sent.status, 201, sent.text);
      const id = sent.json.id;
      const arrived = await uzbStream.waitFor((e) => e.type === 'hotline.communication.sent' && e.data.id === id);
      assert.ok(arrived, 'the recipient on B got what was sent on A');
      // Delivery is recorded by B, which delivered, and announced to the sender on A.
      const delivered = await kazStream.waitFor((e) => e.data?.id === id && e.data.stage === 'delivered', 10000);
      assert.deepEqual(delivered?.data.states, ['UZB'], 'the sender on A sees the delivery made by B');
      const c = (await kazA.get(`/api/v1/communications/${id}`)).json;
      assert.ok(c.lifecycle.some((e) => e.kind === 'delivered' && e.state === 'UZB'), JSON.stringify(c.lifecycle));
      // A third state's stream on B, open all along, received nothing of it.
      const ack = await uzbB.post(`/api/v1/communications/${id}/ack`, {});
      assert.equal(ack.status, 200, ack.text);
      assert.ok(await kazStream.waitFor((e) => e.data?.id === id && e.data.stage === 'acknowledged'), 'B -> A');
      assert.equal(thaStream.events.filter((e) => e.data?.id === id).length, 0, 'no event of it reached THA on B');
    } finally {
      await kazStream.close();
      await uzbStream.close();
      await thaStream.close();
    }
  });

  it('serves from B, at once, what was just written on A (no stale cache)', async () => {
    const focalA = await signedIn(a.base, 'focal.kaz');
    const readerB = await signedIn(b.base, 'poc.uzb');
    const list = (await readerB.get('/api/v1/contacts?state=KAZ&limit=100')).json;
    const k = list.items[0];
    for (let i = 0; i < 5; i++) {
      const position = `Position ${i} ${Date.now()}`;
      await readerB.get('/api/v1/contacts?state=KAZ&limit=100');   // cached on B
      const ok = await focalA.patch(`/api/v1/contacts/${k.id}`, { position });
      assert.equal(ok.status, 200, ok.text);
      const again = (await readerB.get('/api/v1/contacts?state=KAZ&limit=100')).json;
      assert.equal(again.items.find((x) => x.id === k.id).position, position, `round ${i}: B saw A's write at once`);
    }
  });

  it('counts guesses spread over both instances as one stream of guesses', async () => {
    // 5 failures lock a username at an address: alternate instances.
    for (let i = 0; i < 5; i++) {
      const r = await new Client(i % 2 ? b.base : a.base).signIn('poc.mng', 'wrong-password');
      assert.equal(r.status, 401, `guess ${i + 1}: ${r.text}`);
    }
    for (const base of [a.base, b.base]) {
      const r = await new Client(base).signIn('poc.mng');   // even the right password
      expectProblem(assert, r, 429);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
  });

  it('keeps one journal under concurrent sending on both instances', async () => {
    const senders = await Promise.all([signedIn(a.base, 'poc.kaz'), signedIn(b.base, 'poc.kaz')]);
    const before = Number(sql('SELECT count(*) FROM journal'));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      senders[i % 2].post('/api/v1/communications', note({ subject: `Concurrent ${i}` }))));
    for (const r of results) assert.equal(r.status, 201, r.text);
    const ids = results.map((r) => r.json.id);
    assert.equal(new Set(ids).size, 200, 'distinct communication ids');
    // Every acknowledged communication is in the database.
    const stored = sql(`SELECT count(*) FROM communications WHERE id IN (${ids.join(',')})`);
    assert.equal(Number(stored), 200);
    assert.ok(Number(sql('SELECT count(*) FROM journal')) >= before + 200);
    const verify = cli(['journal', 'verify', '--db', a.db]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    // Each communication's send is one journal entry.
    for (const id of ids.slice(0, 20))
      assert.equal(sql(`SELECT count(*) FROM journal WHERE action = 'communication.send' AND object = 'communication:${id}'`), '1');
  });

  it('escalates an unacknowledged communication once, with both instances running', async () => {
    const kaz = await signedIn(a.base, 'poc.kaz');
    const r = await kaz.post('/api/v1/communications', note({ recipients: ['PAK'], severity: 5, type: 'request_for_assistance' }));
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    // Both instances' clocks pass the deadline (each process has its own testing clock).
    await Promise.all([a, b].map(async (s) => {
      const admin = await signedIn(s.base, 'admin');
      const moved = await admin.post('/api/v1/testing/clock', { advance_seconds: 15 * 60 + 30 });
      assert.equal(moved.status, 200, moved.text);
    }));
    const escalated = await eventually(() =>
      Number(sql(`SELECT count(*) FROM journal WHERE action = 'communication.escalate' AND object = 'communication:${id}'`)) > 0, 10000);
    assert.ok(escalated, 'escalated');
    // Give the other instance's scheduler passes time to (wrongly) fire again.
    await new Promise((res) => setTimeout(res, 1500));
    const steps = sql(`SELECT change FROM journal WHERE action = 'communication.escalate' AND object = 'communication:${id}'`)
      .split('\n').map((l) => JSON.parse(l).level);
    assert.equal(new Set(steps).size, steps.length, `each level once: ${steps}`);
    assert.ok(steps.length >= 1 && steps.length <= 3);
  });

  it('sends every queued mail exactly once with both instances draining the outbox', async () => {
    // A hundred mails queued at once (as another process would): both instances' workers
    // find them due on their next look, and each is sent by exactly one of them.
    const tag = `queued-${Date.now()}`;
    sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO mail_outbox (to_addr, subject, body, created_at, next_attempt_at) SELECT 'poc' || i || '@example.org', '${tag} ' || i, 'body', 0, 0 FROM n`);
    const queued = () => smtp.messages.filter((m) => m.data.includes(tag));
    assert.ok(await eventually(() => Number(sql(`SELECT count(*) FROM mail_outbox WHERE subject LIKE '${tag} %' AND sent_at IS NULL`)) === 0, 60000),
      'every queued mail was sent');
    await eventually(() => queued().length >= 100, 10000);
    await new Promise((res) => setTimeout(res, 2500));   // a duplicate would arrive meanwhile
    const subjects = queued().map((m) => /Subject: (.*)/.exec(m.data)?.[1]?.trim());
    assert.equal(subjects.length, 100, `each of the 100 once (got ${subjects.length})`);
    assert.equal(new Set(subjects).size, 100);
    assert.equal(Number(sql(`SELECT count(DISTINCT claimed_by) FROM mail_outbox WHERE subject LIKE '${tag} %'`)), 0, 'claims end when sent');

    const kaz = await signedIn(a.base, 'poc.kaz');
    const kazB = await signedIn(b.base, 'poc.kaz');
    const firstMail = Number(sql('SELECT coalesce(max(id), 0) FROM mail_outbox'));
    // Nobody of the recipient states is connected: each communication is e-mailed.
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? kazB : kaz).post('/api/v1/communications', note({ recipients: ['UZB', 'THA'], subject: `Mail ${i}` }))));
    for (const r of sent) assert.equal(r.status, 201, r.text);
    const ids = sent.map((r) => r.json.id);
    // The mails of these communications (their body names the number).
    // (Portable SQL: a literal line break ends the number, so that 21 is not 211.)
    const number = `CASE ${ids.map((id) => `WHEN body LIKE '%Number:    ${id}\n%' THEN ${id}`).join(' ')} END`;
    const mine = `id > ${firstMail} AND ${number} IS NOT NULL`;
    // Every communication's mails are queued (each of them e-mails someone) and sent.
    const allSent = () => {
      const queuedFor = Number(sql(`SELECT count(DISTINCT ${number}) FROM mail_outbox WHERE ${mine}`));
      const pending = Number(sql(`SELECT count(*) FROM mail_outbox WHERE ${mine} AND sent_at IS NULL`));
      return queuedFor === 30 && pending === 0;
    };
    assert.ok(await eventually(allSent, 60000), 'every mail was queued and sent');
    await new Promise((res) => setTimeout(res, 2500));   // a duplicate (or a late mail) would arrive meanwhile
    assert.ok(await eventually(allSent, 30000));
    const expected = Number(sql(`SELECT count(*) FROM mail_outbox WHERE ${mine}`));
    const numbers = new Set(sent.map((r) => String(r.json.id)));
    const received = () => smtp.messages.filter((m) => {
      const num = /Number:\s+(\d+)/.exec(m.data)?.[1];
      return num && numbers.has(num);
    });
    await eventually(() => received().length >= expected, 10000);
    const got = received();
    const keys = got.map((m) => `${m.to}|${/Number:\s+(\d+)/.exec(m.data)[1]}`);
    assert.equal(got.length, expected, 'as many mails received as queued');
    assert.equal(new Set(keys).size, keys.length, 'no mail twice');
    assert.equal(sql(`SELECT count(*) FROM mail_outbox WHERE ${mine} AND claimed_by IS NOT NULL`), '0', 'claims end when sent');
  });

  it('takes over the checkpoint signer when its holder is killed with SIGKILL', async () => {
    // Kill the instance that holds the signer's lease (A, which started first, unless it
    // could not renew in time at some point under load and B took the lease over).
    const holder = sql("SELECT holder FROM cluster_leases WHERE name = 'ledger.checkpoint_signer'");
    const [victim, survivor] = holder.includes(`:${a.child.pid}:`) ? [a, b] : [b, a];
    assert.match(holder, new RegExp(`:${victim.child.pid}:`));
    const logs = (s) => s.output().stderr + s.output().stdout;
    const signatures = (s) => (logs(s).match(/ledger_checkpoint_signed/g) ?? []).length;
    const takenBefore = (logs(survivor).match(/lease_taken[^\n]*ledger\.checkpoint_signer/g) ?? []).length;
    const signedBefore = signatures(survivor);
    victim.child.kill('SIGKILL');
    await victim.stop();
    const kaz = await signedIn(survivor.base, 'poc.kaz');
    const r = await kaz.post('/api/v1/communications', note({ subject: 'After the loss of an instance' }));
    assert.equal(r.status, 201, r.text);
    const size = Number(sql('SELECT count(*) FROM journal'));
    // The survivor takes the lease once the dead holder's has expired, then signs a
    // checkpoint covering its own write.
    const signed = await eventually(async () => {
      const cp = await kaz.get('/api/v1/ledger/checkpoint');
      return cp.status === 200 && Number(cp.text.split('\n')[1]) >= size;
    }, 20000);
    assert.ok(signed, 'the survivor signs checkpoints now');
    assert.match(sql("SELECT holder FROM cluster_leases WHERE name = 'ledger.checkpoint_signer'"), new RegExp(`:${survivor.child.pid}:`));
    assert.ok((logs(survivor).match(/lease_taken[^\n]*ledger\.checkpoint_signer/g) ?? []).length > takenBefore,
      'the survivor took the lease after the kill');
    assert.ok(await eventually(() => signatures(survivor) > signedBefore, 10000), 'and signed');
  });
});

describe('scheduled checks with two instances', () => {
  it('starts a scheduled check once when it falls due, whichever instance sees it first', async () => {
    const a2 = await startServer({ extraArgs: ['--manual-clock'] });
    const b2 = await startServer({ dir: a2.dir, demo: false, extraArgs: ['--manual-clock'] });
    try {
      const sec = await signedIn(b2.base, 'secretariat.cica');
      const r = await sec.post('/api/v1/checks', { forum: 'CICA', states: ['KAZ'], repeat_every_days: 7 });
      assert.equal(r.status, 201, r.text);
      const runs = async () =>
        (await sec.get('/api/v1/checks?forum=CICA')).json.items.filter((h) => h.schedule_id === r.json.schedule_id).length;
      assert.equal(await runs(), 1);
      // Both clocks pass the next run (each process has its own testing clock).
      await Promise.all([a2, b2].map(async (s) => {
        const admin = await signedIn(s.base, 'admin');
        assert.equal((await admin.post('/api/v1/testing/clock', { advance_seconds: 7 * 86400 + 60 })).status, 200);
      }));
      assert.ok(await eventually(async () => (await runs()) >= 2, 10000), 'the schedule fired');
      await new Promise((res) => setTimeout(res, 1500));   // time for a second (wrong) run
      assert.equal(await runs(), 2, 'one run for one due date');
      const started = harnessSql(a2.db, "SELECT count(*) FROM journal WHERE action = 'check.start'");
      assert.equal(Number(started), 2);
    } finally {
      await a2.stop();
      await b2.stop();
      a2.cleanup();
    }
  });
});
