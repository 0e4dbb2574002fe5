// The library's weekly digest over the real server, a real SMTP sink and the testing
// clock: each user hears once a week of the contributions published since the last
// digest that the user may read, and not at all once the digest is turned off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, expectProblem, signedIn, startServer, startSmtpSink } from '../lib/harness.mjs';

const API = '/api/v1/library';
let server, smtp;
const u = {};

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--manual-clock', '--smtp', smtp.url] });
  for (const name of ['admin', 'secretariat.cica', 'focal.kaz', 'poc.uzb', 'poc.kgz', 'poc.usa'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
  smtp.stop();
});

const advance = async (days) => {
  const r = await u.admin.post('/api/v1/testing/clock', { advance_seconds: days * 86400 });
  assert.equal(r.status, 200, r.text);
};
const digestsTo = (user) => smtp.messages.filter((m) => m.to.includes(`${user}@demo.parley.example`) && m.data.includes('Parley library:'));

describe('the weekly digest', () => {
  it('is on by default and each user turns it off or on for themselves', async () => {
    const setting = (await u['poc.uzb'].get(`${API}/digest`)).json;
    assert.equal(setting.weekly, true);
    assert.ok(setting.since === null || !Number.isNaN(Date.parse(setting.since)), JSON.stringify(setting));
    expectProblem(assert, await u['poc.kgz'].put(`${API}/digest`, { weekly: 'no' }), 422, 'weekly');
    expectProblem(assert, await new Client(server.base).put(`${API}/digest`, { weekly: false }), 401);
    assert.equal((await u['poc.kgz'].put(`${API}/digest`, { weekly: false })).json.weekly, false);
    assert.equal((await u['poc.uzb'].get(`${API}/digest`)).json.weekly, true, 'one user\'s setting is not another\'s');
  });

  it('tells each reader, a week later, of what was published that it may read', async () => {
    await advance(0);   // every user's week starts now
    const title = `Law on critical infrastructure ${Date.now()}`;
    const c = await u['focal.kaz'].post(`${API}/contributions`, { forum: 'CICA', kind: 'law', title, visibility: 'forum', tlp: 'TLP:GREEN' });
    assert.equal(c.status, 201, c.text);
    assert.equal((await u['secretariat.cica'].post(`${API}/contributions/${c.json.id}/publish`)).status, 200);
    const unpublished = `Draft awaiting review ${Date.now()}`;
    assert.equal((await u['focal.kaz'].post(`${API}/contributions`, { forum: 'CICA', kind: 'law', title: unpublished, visibility: 'public', tlp: 'TLP:CLEAR' })).status, 201);

    await advance(3);
    assert.equal(digestsTo('poc.uzb').length, 0, 'not before a week');
    await advance(5);
    const mail = await smtp.waitFor((m) => m.to.includes('poc.uzb@demo.parley.example') && m.data.includes(title), 10000);
    assert.ok(mail, 'UZB, a CICA member, hears of it');
    assert.ok(mail.data.includes(`/#/library/${c.json.id}`));
    assert.ok(!mail.data.includes(unpublished), 'what is not published is not in it');
    assert.ok(mail.data.includes('To stop it'));
    // The secretariat hears of it too; the USA (not in the CICA) and KGZ (turned off) do not.
    assert.ok(await smtp.waitFor((m) => m.to.includes('secretariat.cica@demo.parley.example') && m.data.includes(title), 10000));
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!smtp.messages.some((m) => m.to.includes('poc.usa@demo.parley.example') && m.data.includes(title)));
    assert.equal(digestsTo('poc.kgz').length, 0);
    const since = Date.parse((await u['poc.uzb'].get(`${API}/digest`)).json.since);
    assert.ok(since > Date.now() + 7 * 86400 * 1000, 'the next digest counts from this one (on the testing clock)');
    // Nothing new: a week later, no mail.
    const before = digestsTo('poc.uzb').length;
    await advance(8);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(digestsTo('poc.uzb').length, before);
  });
});
