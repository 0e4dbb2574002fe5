// Findings 6, 8 and 12: what a stolen session, token or open stream keeps after its
// owner acts. A password change left the user's other sessions and API tokens working;
// signing out, revoking a token, disabling the user and changing the password left the
// event streams they had opened running (and the hotline then counted a signed-out
// person as reached "via stream", so no e-mail went out); and TOTP secrets were stored
// in the database as they are, so a copy of the database was a copy of every second
// factor.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client, DEMO_PASSWORD, cli, eventually, signedIn, startServer, startSmtpSink } from '../lib/harness.mjs';
import { dbPath, openStreamWith, sqlite, totp } from '../lib/attack.mjs';

let server;
let smtp;
before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--smtp', smtp.url] });
});
after(async () => {
  await server.stop();
  server.cleanup();
  smtp.stop();
});

const cookieOf = (c) => ({ Cookie: c.cookie });
const bearer = (token) => ({ Authorization: `Bearer ${token}` });
const tokenClient = (token) => {
  const c = new Client(server.base);
  c.token = token;
  return c;
};

describe('finding 6: a password change ends the other sessions and the tokens at once', () => {
  it("another session, every API token and their streams end; the changing session goes on", async () => {
    const a = await signedIn(server.base, 'poc.lka');
    const b = await signedIn(server.base, 'poc.lka');   // the stolen session
    const t1 = await a.post('/api/v1/me/tokens', { name: 'script' });
    const t2 = await a.post('/api/v1/me/tokens', { name: 'taxii', expires_in_days: 30 });
    assert.equal(t1.status, 201, t1.text);
    const scripts = [tokenClient(t1.json.token), tokenClient(t2.json.token)];
    for (const s of scripts) assert.equal((await s.get('/api/v1/me')).status, 200);
    const sessionStream = await openStreamWith(server.base, cookieOf(b));
    const tokenStream = await openStreamWith(server.base, bearer(t1.json.token));

    const changed = await a.post('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'a-new-password-for-lka' });
    assert.equal(changed.status, 204, changed.text);

    assert.equal((await b.get('/api/v1/me')).status, 401, 'the other session still works');
    for (const s of scripts) assert.equal((await s.get('/api/v1/me')).status, 401, 'an API token still works');
    // TAXII's Basic form of a token too.
    const basic = await fetch(`${server.base}/taxii2/`, {
      headers: { Accept: 'application/taxii+json;version=2.1', Authorization: `Basic ${Buffer.from(`poc.lka:${t2.json.token}`).toString('base64')}` },
    });
    assert.equal(basic.status, 401, 'a token still works as a TAXII password');
    assert.equal((await a.get('/api/v1/me')).status, 200, 'the session that changed the password goes on');
    assert.equal(await sessionStream.closedWithin(5000), true, "the other session's stream is still open");
    assert.equal(await tokenStream.closedWithin(5000), true, "the token's stream is still open");
    assert.equal((await new Client(server.base).signIn('poc.lka', 'a-new-password-for-lka')).status, 201);
  });
});

describe('finding 8: open streams end with the credential that opened them', () => {
  it('sign-out closes the stream of that session (and only that one)', async () => {
    const c = await signedIn(server.base, 'poc.bgd');
    const other = await signedIn(server.base, 'poc.bgd');
    const stream = await openStreamWith(server.base, cookieOf(c));
    const otherStream = await openStreamWith(server.base, cookieOf(other));
    assert.equal((await c.delete('/api/v1/session')).status, 204);
    assert.equal(await stream.closedWithin(5000), true, 'the stream outlived its session');
    assert.equal(await otherStream.closedWithin(1000), false, "another session's stream was closed too");
    otherStream.close();
  });

  it('revoking the API token (from a fresh session) closes the stream it opened', async () => {
    const c = await signedIn(server.base, 'poc.khm');
    const t = await c.post('/api/v1/me/tokens', { name: 'stream' });
    assert.equal(t.status, 201, t.text);
    const stream = await openStreamWith(server.base, bearer(t.json.token));
    const fresh = await signedIn(server.base, 'poc.khm');
    assert.equal((await fresh.delete(`/api/v1/me/tokens/${t.json.id}`)).status, 204);
    assert.equal(await stream.closedWithin(5000), true, 'the stream outlived its token');
  });

  it('`parley user disable` run while the server runs closes the user\'s streams', async () => {
    const c = await signedIn(server.base, 'poc.mng');
    const t = await c.post('/api/v1/me/tokens', { name: 'stream' });
    const byCookie = await openStreamWith(server.base, cookieOf(c));
    const byToken = await openStreamWith(server.base, bearer(t.json.token));
    const r = cli(['user', 'disable', 'poc.mng', '--db', server.db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await byCookie.closedWithin(5000), true, "a disabled user's session stream is still open");
    assert.equal(await byToken.closedWithin(5000), true, "a disabled user's token stream is still open");
    assert.equal((await tokenClient(t.json.token).get('/api/v1/me')).status, 401);
  });

  it('a password change closes the streams of the other sessions', async () => {
    const a = await signedIn(server.base, 'poc.tjk');
    const b = await signedIn(server.base, 'poc.tjk');
    const stream = await openStreamWith(server.base, cookieOf(b));
    assert.equal((await a.post('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'a-new-password-for-tjk' })).status, 204);
    assert.equal(await stream.closedWithin(5000), true);
  });

  it('after sign-out the hotline does not count the person as reached by stream; it e-mails them', async () => {
    const kgz = await signedIn(server.base, 'poc.kgz');
    const stream = await openStreamWith(server.base, cookieOf(kgz));
    assert.equal((await kgz.delete('/api/v1/session')).status, 204);
    await stream.closedWithin(3000);   // the fixed server closes it; today's keeps it open
    const kaz = await signedIn(server.base, 'poc.kaz');
    const sent = await kaz.post('/api/v1/communications', {
      type: 'notification', recipients: ['KGZ'], subject: 'After sign-out', description: 'Who is reached?', severity: 2, tlp: 'TLP:GREEN',
    });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.json.id;
    // The scheduler records deliveries and e-mails within a pass (250 ms); wait for it.
    const person = await eventually(async () => {
      const c = await kaz.get(`/api/v1/communications/${id}`);
      const p = c.json.people.find((x) => x.username === 'poc.kgz');
      return p && (p.delivered_via || p.emailed_at) ? p : null;
    }, 10000);
    assert.ok(person, 'poc.kgz was neither reached nor e-mailed');
    assert.notEqual(person.delivered_via, 'stream', 'a signed-out person was counted as reached by stream');
    const mail = await smtp.waitFor((m) => m.to.includes('poc.kgz@demo.parley.example') && m.data.includes(`/#/hotline/${id}`), 10000);
    assert.ok(mail, 'no e-mail went to the signed-out person');
  });
});

describe('finding 12: TOTP secrets are encrypted at rest', () => {
  it('the database never holds the secret as it is, and codes still work after a restart', async () => {
    const c = await signedIn(server.base, 'poc.mys');
    const begin = await c.post('/api/v1/me/totp', {});
    assert.equal(begin.status, 201, begin.text);
    const secret = begin.json.secret;
    assert.match(secret, /^[A-Z2-7]{16,}=*$/);
    const db = dbPath(server);
    const assertNotInDatabase = (when) => {
      assert.ok(!sqlite(db, 'SELECT * FROM users').includes(secret), `${when}: the users table holds the secret`);
      assert.ok(!sqlite(db, '.dump').includes(secret), `${when}: the dump holds the secret`);
      for (const f of [db, `${db}-wal`])
        if (existsSync(f)) assert.ok(!readFileSync(f).includes(secret), `${when}: ${f} holds the secret`);
    };
    assertNotInDatabase('after enrolment began');
    const now = Date.now();
    assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(secret, now) })).status, 204);
    assertNotInDatabase('after it was confirmed');
    // If there is a key file in the data directory, only its owner reads it.
    const key = join(server.dir, 'parley.key');
    if (existsSync(key)) assert.equal(statSync(key).mode & 0o077, 0, `${key} is readable by others`);

    await server.stop();
    server = await startServer({ dir: server.dir, demo: false, extraArgs: ['--smtp', smtp.url] });
    const again = new Client(server.base);
    const needs = await again.signIn('poc.mys');
    assert.equal(needs.status, 401);
    assert.equal(needs.json.type, 'urn:parley:problem:totp-required');
    const ok = await again.signIn('poc.mys', DEMO_PASSWORD, totp(secret, now + 30000));
    assert.equal(ok.status, 201, ok.text);
    assertNotInDatabase('after the restart');
  });
});
