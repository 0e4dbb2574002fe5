// People are invited, not created on the server: from an empty database, the operator's
// `parley invite` link makes the first admin, who invites a forum's secretariat by
// e-mail (read from a real SMTP sink), who invites a member state's focal point, who
// nominates a point of contact whose invitation goes out when the secretariat approves
// the nomination. Admins, secretariats and focal points enrol TOTP before anything else
// (the server refuses every other route until they have). Links are single-use, expire,
// can be revoked and resent; every way of inviting outside one's role or scope is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import {
  Client, cli, expectProblem, openStream, sql, startServer, startSmtpSink, tempDir, testDatabase,
} from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

const PASSWORD = 'a long enough passphrase';
let smtp;
let server;
let dir;

// The reference data a forum needs (two forums, their member states; states come from
// ISO 3166-1), made by the operator's forum commands before anyone has an account.
function seedForum(db) {
  const run = (args) => {
    const r = cli([...args, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
  };
  run(['forum', 'add', 'OSCE', '--name', 'en=Organization for Security and Co-operation in Europe', '--language', 'en']);
  run(['forum', 'add', 'CICA', '--name', 'en=Conference on Interaction and Confidence Building Measures in Asia',
    '--language', 'en', '--language', 'ru']);
  run(['forum', 'member', 'add', 'OSCE', 'AUT', 'DEU']);
  run(['forum', 'member', 'add', 'CICA', 'KAZ']);
}

const secretOf = (text) => text.match(/#\/invitation\/([A-Za-z0-9_-]+)/)?.[1];

async function mailTo(address) {
  const m = await smtp.waitFor((x) => x.to.includes(address));
  assert.ok(m, `a mail reached ${address}`);
  return m;
}

// Accepts the invitation and returns a signed-in client.
async function accept(secret, username, display = username) {
  const c = new Client(server.base);
  const res = await c.post('/api/v1/invitations/accept', { secret, username, display_name: display, password: PASSWORD });
  assert.equal(res.status, 201, res.text);
  c.cookie = res.headers.get('set-cookie').split(';')[0];
  c.csrf = res.json.csrf_token;
  c.user = res.json.user;
  return c;
}

// Enrols TOTP on a session that must: returns the seed.
async function enrol(c) {
  const begin = await c.post('/api/v1/me/totp');
  assert.equal(begin.status, 201, begin.text);
  const confirm = await c.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret) });
  assert.equal(confirm.status, 204, confirm.text);
  return begin.json.secret;
}

function enrolmentRequired(res) {
  assert.equal(res.status, 403, res.text);
  assert.equal(res.json.type, 'urn:parley:problem:second-factor-enrolment-required');
}

const people = {};

before(async () => {
  dir = tempDir();
  const db = testDatabase(dir);
  const m = cli(['migrate', '--db', db]);
  assert.equal(m.code, 0, m.stderr);
  seedForum(db);
  smtp = await startSmtpSink();
  server = await startServer({ dir, demo: false, extraArgs: ['--manual-clock', '--smtp', smtp.url] });
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  smtp?.stop();
});

describe('from an empty database to a point of contact', () => {
  it('serve says how to create the first admin', () => {
    const { stdout } = server.output();
    assert.match(stdout, /No accounts yet/);
    assert.match(stdout, /parley invite --role admin --email/);
  });

  it('the operator invites the first admin; the link is single-use and shows what it is for', async () => {
    const r = cli(['invite', '--db', server.db, '--role', 'admin', '--email', 'admin@example.org', '--public-url', server.base]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`${server.base}/#/invitation/`), r.stdout);
    const secret = secretOf(r.stdout);
    const anon = new Client(server.base);
    const look = await anon.post('/api/v1/invitations/lookup', { secret });
    assert.equal(look.status, 200, look.text);
    assert.equal(look.json.role, 'admin');
    assert.equal(look.json.email, 'admin@example.org');
    assert.equal(look.json.second_factor_required, true);
    assert.equal(look.json.secret, undefined);

    // The existing password rules and the username rule apply, each named.
    const bad = await anon.post('/api/v1/invitations/accept', { secret, username: 'Admin Person', display_name: 'A', password: 'short' });
    const p = expectProblem(assert, bad, 422, 'password');
    assert.ok(p.errors.some((e) => e.field === 'username'));

    const admin = await accept(secret, 'admin', 'Platform Admin');
    assert.equal(admin.user.role, 'admin');
    assert.equal(admin.user.must_enrol_totp, true);
    const again = await anon.post('/api/v1/invitations/accept', { secret, username: 'admin2', display_name: 'B', password: PASSWORD });
    assert.equal(again.status, 410);
    assert.equal(again.json.type, 'urn:parley:problem:invitation-used');
    people.admin = admin;
  });

  it('an admin does nothing before enrolling TOTP; then everything', async () => {
    const { admin } = people;
    enrolmentRequired(await admin.get('/api/v1/accounts'));
    enrolmentRequired(await admin.get('/api/v1/me'));
    enrolmentRequired(await admin.post('/api/v1/invitations', { email: 'x@example.org', role: 'observer' }));
    enrolmentRequired(await admin.get('/api/v1/contacts'));
    await assert.rejects(openStream(server.base, admin), 'no event stream before enrolment');
    await enrol(admin);
    const list = await admin.get('/api/v1/accounts');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.items.map((u) => u.username), ['admin']);
    assert.equal(list.json.items[0].totp_enabled, true);
    assert.equal(list.json.items[0].must_enrol_totp, false);
  });

  it('the admin invites the OSCE secretariat by e-mail; the secretariat must enrol before anything else', async () => {
    const r = await people.admin.post('/api/v1/invitations', { email: 'secretariat@osce.example', role: 'secretariat', forum: 'OSCE' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.mailed, true);
    assert.equal(r.json.link, null, 'a mailed link is not handed to the inviter');
    assert.equal(r.json.invitation.status, 'pending');
    const mail = await mailTo('secretariat@osce.example');
    assert.match(mail.data, /secretariat of Organization for Security and Co-operation in Europe/);
    assert.match(mail.data, /Platform Admin invites you/);
    const secret = secretOf(mail.data);
    assert.ok(secret, mail.data);
    assert.ok(mail.data.includes(`${server.base}/#/invitation/${secret}`));

    const sec = await accept(secret, 'osce.secretariat', 'OSCE Secretariat');
    assert.equal(sec.user.forum, 'OSCE');
    enrolmentRequired(await sec.get('/api/v1/invitations'));
    enrolmentRequired(await sec.post('/api/v1/invitations', { email: 'fp@aut.example', role: 'focal_point', state: 'AUT' }));
    // Signing out is allowed, and signing in again leads to the same place.
    assert.equal((await sec.delete('/api/v1/session')).status, 204);
    const again = await sec.signIn('osce.secretariat', PASSWORD);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.user.must_enrol_totp, true);
    enrolmentRequired(await sec.get('/api/v1/invitations'));
    await enrol(sec);
    assert.equal((await sec.get('/api/v1/invitations')).status, 200);
    people.sec = sec;
  });

  it('the secretariat invites only within its role and forum', async () => {
    const { sec } = people;
    const denied = [
      { email: 'a@x.example', role: 'admin' },
      { email: 'a@x.example', role: 'secretariat', forum: 'CICA' },
      { email: 'a@x.example', role: 'focal_point', state: 'KAZ' },   // not an OSCE member
      { email: 'a@x.example', role: 'observer' },
    ];
    for (const body of denied) expectProblem(assert, await sec.post('/api/v1/invitations', body), 403);
    // Malformed: each mistake named.
    const bad = await sec.post('/api/v1/invitations', { email: 'not-an-address', role: 'boss', extra: 1 });
    const p = expectProblem(assert, bad, 422, 'email');
    assert.ok(p.errors.some((e) => e.field === 'role'));
    assert.ok(p.errors.some((e) => e.field === 'extra'));
    expectProblem(assert, await sec.post('/api/v1/invitations', { email: 'fp@aut.example', role: 'focal_point' }), 422, 'state');
    expectProblem(assert, await sec.post('/api/v1/invitations', { email: 'x'.repeat(300) + '@x.example', role: 'focal_point', state: 'AUT' }), 422, 'email');
  });

  it("the secretariat invites Austria's focal point, who enrols TOTP", async () => {
    const r = await people.sec.post('/api/v1/invitations', { email: 'fp@aut.example', role: 'focal_point', state: 'AUT' });
    assert.equal(r.status, 201, r.text);
    const secret = secretOf((await mailTo('fp@aut.example')).data);
    const fp = await accept(secret, 'focal.aut', 'Austrian focal point');
    assert.equal(fp.user.state, 'AUT');
    enrolmentRequired(await fp.get('/api/v1/states/AUT'));
    await enrol(fp);
    assert.equal((await fp.get('/api/v1/states/AUT')).status, 200);
    people.fp = fp;
  });

  it('the focal point invites only its own state\'s points of contact', async () => {
    const { fp } = people;
    const contact = { name: 'X', type: 'technical', availability: '24/7' };
    for (const body of [
      { email: 'a@x.example', role: 'poc', state: 'DEU', contact },
      { email: 'a@x.example', role: 'focal_point', state: 'AUT' },
      { email: 'a@x.example', role: 'secretariat', forum: 'OSCE' },
      { email: 'a@x.example', role: 'admin' },
    ])
      expectProblem(assert, await fp.post('/api/v1/invitations', body), 403);
    // A point of contact's account is a directory contact's.
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT' }), 422, 'contact_id');
    const bad = await fp.post('/api/v1/invitations', { email: 'nope', role: 'poc', state: 'AUT', contact: { type: 'nope', shoe: 1 } });
    const p = expectProblem(assert, bad, 422, 'contact.name');
    for (const f of ['email', 'contact.type', 'contact.availability', 'contact.shoe'])
      assert.ok(p.errors.some((e) => e.field === f), `${f} named in ${bad.text}`);
  });

  it('a point of contact nominated by the focal point is invited when the secretariat approves; the account is that contact', async () => {
    const { fp, sec } = people;
    const r = await fp.post('/api/v1/invitations', {
      email: 'cert@aut.example', role: 'poc', state: 'AUT',
      contact: { name: 'Eva Technik', type: 'technical', availability: '24/7', position: 'CERT duty officer' },
    });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.invitation, null);
    assert.equal(r.json.nomination.status, 'pending');
    assert.ok(r.json.nomination.channels.some((ch) => ch.kind === 'email' && ch.value === 'cert@aut.example'));
    const nominee = r.json.nomination.id;
    const before = await sec.get('/api/v1/invitations');
    assert.ok(!before.json.items.some((i) => i.email === 'cert@aut.example'), 'no invitation before approval');

    const ok = await sec.post(`/api/v1/contacts/${nominee}/approve`, {});
    assert.equal(ok.status, 200, ok.text);
    const mail = await mailTo('cert@aut.example');
    assert.match(mail.data, /point of contact of Austria/);
    assert.match(mail.data, /Eva Technik/);
    const poc = await accept(secretOf(mail.data), 'eva.technik', 'Eva Technik');
    assert.equal(poc.user.must_enrol_totp, false, 'a point of contact needs no second factor by default');
    assert.equal((await poc.get('/api/v1/contacts?state=AUT')).status, 200);
    const accounts = await fp.get('/api/v1/accounts');
    const eva = accounts.json.items.find((u) => u.username === 'eva.technik');
    assert.equal(eva.contact_id, nominee);
    assert.equal(eva.contact_name, 'Eva Technik');
    assert.equal(eva.role, 'poc');
    expectProblem(assert, await poc.post('/api/v1/invitations', { email: 'b@x.example', role: 'poc', state: 'AUT', contact_id: nominee }), 403);
    expectProblem(assert, await poc.get('/api/v1/accounts'), 403);
    people.poc = poc;
    people.nominee = nominee;
  });

  it('an existing contact can be invited once; its account gets contact_id', async () => {
    const { sec, fp } = people;
    const k = await sec.post('/api/v1/contacts', { state: 'AUT', name: 'Paul Politik', type: 'policy', availability: 'office_hours' });
    assert.equal(k.status, 201, k.text);
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT', contact_id: people.nominee }), 409, 'contact_id');
    // Another state's contact, a nomination not yet approved, a contact that does not exist: refused.
    const deu = await sec.post('/api/v1/contacts', { state: 'DEU', name: 'Dieter Deutsch', type: 'technical', availability: '24/7' });
    assert.equal(deu.status, 201, deu.text);
    people.dieter = deu.json.id;
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT', contact_id: deu.json.id }), 422, 'contact_id');
    const pending = await fp.post('/api/v1/contacts', { state: 'AUT', name: 'Not Yet', type: 'policy', availability: '24/7' });
    assert.equal(pending.json.status, 'pending');
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT', contact_id: pending.json.id }), 422, 'contact_id');
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT', contact_id: 987654 }), 422, 'contact_id');
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'a@x.example', role: 'poc', state: 'AUT', contact_id: deu.json.id, contact: { name: 'X' } }), 422, 'contact');
    const r = await fp.post('/api/v1/invitations', { email: 'paul@aut.example', role: 'poc', state: 'AUT', contact_id: k.json.id });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.invitation.contact_name, 'Paul Politik');
    expectProblem(assert, await fp.post('/api/v1/invitations', { email: 'p2@aut.example', role: 'poc', state: 'AUT', contact_id: k.json.id }), 409, 'contact_id');
    const paul = await accept(secretOf((await mailTo('paul@aut.example')).data), 'paul');
    assert.equal((await fp.get(`/api/v1/accounts/${paul.user.id}`)).json.contact_id, k.json.id);
  });

  // Before the server's testing clock moves: the CLI writes with the system clock.
  it('parley invite ties a point of contact to a directory entry and refuses what the API refuses', async () => {
    const r = cli(['invite', '--db', server.db, '--role', 'poc', '--state', 'DEU', '--contact', String(people.dieter),
      '--email', 'dieter@deu.example', '--public-url', server.base]);
    assert.equal(r.code, 0, r.stderr);
    const look = await new Client(server.base).post('/api/v1/invitations/lookup', { secret: secretOf(r.stdout) });
    assert.equal(look.status, 200, look.text);
    assert.equal(look.json.contact_name, 'Dieter Deutsch');
    assert.equal(look.json.invited_by, null, 'the operator, from the command line');
    // The invitee is not signed in: names come in its browser's language.
    const ru = await new Client(server.base).post('/api/v1/invitations/lookup', { secret: secretOf(r.stdout) },
      { headers: { 'Accept-Language': 'ru' } });
    assert.equal(ru.json.state_name, 'Германия');
    const again = cli(['invite', '--db', server.db, '--role', 'poc', '--state', 'DEU', '--contact', String(people.dieter), '--email', 'd2@deu.example']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /contact_id: already has an open invitation/);
    const bad = cli(['invite', '--db', server.db, '--role', 'focal_point', '--email', 'x@deu.example']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /state: is required/);
  });

  it('an invitation expires after 72 hours; resending gives a new link and kills the old one', async () => {
    const { sec, admin } = people;
    const r = await sec.post('/api/v1/invitations', { email: 'fp@deu.example', role: 'focal_point', state: 'DEU' });
    assert.equal(r.status, 201);
    const first = secretOf((await mailTo('fp@deu.example')).data);
    const anon = new Client(server.base);
    assert.equal((await anon.post('/api/v1/invitations/lookup', { secret: first })).status, 200);
    const clock = await admin.post('/api/v1/testing/clock', { advance_seconds: 72 * 3600 + 60 });
    assert.equal(clock.status, 200, clock.text);
    const gone = await anon.post('/api/v1/invitations/lookup', { secret: first });
    assert.equal(gone.status, 410);
    assert.equal(gone.json.type, 'urn:parley:problem:invitation-expired');
    const late = await anon.post('/api/v1/invitations/accept', { secret: first, username: 'late', display_name: 'L', password: PASSWORD });
    assert.equal(late.json.type, 'urn:parley:problem:invitation-expired');
    const list = await sec.get('/api/v1/invitations');
    assert.equal(list.json.items.find((i) => i.id === r.json.invitation.id).status, 'expired');

    smtp.messages.length = 0;
    const again = await sec.post(`/api/v1/invitations/${r.json.invitation.id}/resend`);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.invitation.status, 'pending');
    assert.equal(again.json.invitation.sent_count, 2);
    const second = secretOf((await mailTo('fp@deu.example')).data);
    assert.notEqual(second, first);
    assert.equal((await anon.post('/api/v1/invitations/lookup', { secret: first })).status, 404);
    assert.equal((await anon.post('/api/v1/invitations/lookup', { secret: second })).json.state_name, 'Germany');
  });

  it('a revoked invitation answers a clear problem; only its inviter\'s scope may revoke it', async () => {
    const { sec, fp, admin } = people;
    const r = await sec.post('/api/v1/invitations', { email: 'other@osce.example', role: 'secretariat', forum: 'OSCE' });
    const secret = secretOf((await mailTo('other@osce.example')).data);
    const id = r.json.invitation.id;
    expectProblem(assert, await fp.delete(`/api/v1/invitations/${id}`), 404);   // outside its scope: not revealed
    assert.ok(!(await fp.get('/api/v1/invitations')).json.items.some((i) => i.id === id));
    assert.equal((await sec.delete(`/api/v1/invitations/${id}`)).status, 204);
    expectProblem(assert, await admin.delete(`/api/v1/invitations/${id}`), 409);
    expectProblem(assert, await sec.post(`/api/v1/invitations/${id}/resend`), 409);
    const look = await new Client(server.base).post('/api/v1/invitations/lookup', { secret });
    assert.equal(look.status, 410);
    assert.equal(look.json.type, 'urn:parley:problem:invitation-revoked');
  });

  it('anonymous callers manage nothing; lookups reveal only the invitation and bad input is refused', async () => {
    const anon = new Client(server.base);
    expectProblem(assert, await anon.post('/api/v1/invitations', { email: 'a@x.example', role: 'admin' }), 401);
    expectProblem(assert, await anon.get('/api/v1/invitations'), 401);
    expectProblem(assert, await anon.get('/api/v1/accounts'), 401);
    expectProblem(assert, await anon.delete('/api/v1/invitations/1'), 401);
    const unknown = await anon.post('/api/v1/invitations/lookup', { secret: 'A'.repeat(43) });
    expectProblem(assert, unknown, 404);
    assert.equal(unknown.json.type, 'urn:parley:problem:invitation-unknown');
    expectProblem(assert, await anon.post('/api/v1/invitations/lookup', { secret: '../../etc' }), 422, 'secret');
    expectProblem(assert, await anon.post('/api/v1/invitations/lookup', { secret: 'A'.repeat(5000) }), 422, 'secret');
    expectProblem(assert, await anon.post('/api/v1/invitations/lookup', {}), 422, 'secret');
    const unknownAccept = await anon.post('/api/v1/invitations/accept', { secret: 'B'.repeat(43), username: 'x', display_name: 'X', password: PASSWORD });
    expectProblem(assert, unknownAccept, 404);
  });

  it('the journal records invitations and acceptances', () => {
    const lines = sql(server.db, "SELECT action || ' ' || actor FROM journal WHERE action LIKE 'invitation.%' ORDER BY seq").split('\n');
    assert.equal(lines[0], 'invitation.create cli');
    assert.ok(lines.includes('invitation.accept user:admin'));
    assert.ok(lines.includes('invitation.create user:osce.secretariat'));
    assert.ok(lines.includes('invitation.revoke user:osce.secretariat'));
    assert.ok(lines.includes('invitation.resend user:osce.secretariat'));
    const v = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  it('guessing links is throttled per address', async () => {
    const anon = new Client(server.base);
    let last;
    for (let i = 0; i < 25; i++) last = await anon.post('/api/v1/invitations/lookup', { secret: `guess${i}` });
    expectProblem(assert, last, 429);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
  });
});
