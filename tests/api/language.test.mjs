// Each user's console language (users.language): in the session and profile JSON,
// chosen with PUT /api/v1/me/language, kept across sign-ins, validated against the
// console's languages, and only ever the caller's own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, expectProblem, signedIn, sql, startServer } from '../lib/harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
  server.cleanup();
});

describe('the console language of a user', () => {
  it('is null until chosen, then kept across sessions and shown in the session and profile', async () => {
    const kaz = await signedIn(server.base, 'poc.kaz');
    assert.equal((await kaz.get('/api/v1/session')).json.user.language, null);
    assert.equal((await kaz.get('/api/v1/me')).json.language, null);

    const set = await kaz.put('/api/v1/me/language', { language: 'ru' });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.language, 'ru');
    assert.equal(set.json.username, 'poc.kaz');
    assert.equal((await kaz.get('/api/v1/me')).json.language, 'ru');
    assert.equal((await kaz.get('/api/v1/session')).json.user.language, 'ru');

    // A new sign-in (another browser) finds the choice.
    const again = new Client(server.base);
    const signIn = await again.signIn('poc.kaz');
    assert.equal(signIn.json.user.language, 'ru');

    // Back to English, then to "the browser's" (null).
    assert.equal((await again.put('/api/v1/me/language', { language: 'en' })).json.language, 'en');
    assert.equal((await kaz.get('/api/v1/me')).json.language, 'en');
    assert.equal((await kaz.put('/api/v1/me/language', { language: null })).json.language, null);
    assert.equal((await again.get('/api/v1/session')).json.user.language, null);

    // Every change is journaled, with who made it.
    const entries = sql(server.db, "SELECT actor, object, change FROM journal WHERE action = 'user.language' ORDER BY seq")
      .split('\n').filter((l) => l).map((l) => {
        const [actor, object, ...change] = l.split('|');
        return { actor, object, change: change.join('|') };
      });
    assert.deepEqual(entries.map((e) => [e.actor, JSON.parse(e.change).language]),
      [['user:poc.kaz', 'ru'], ['user:poc.kaz', 'en'], ['user:poc.kaz', null]]);
    assert.ok(entries.every((e) => /^user:\d+$/.test(e.object)));
  });

  it("changes only the caller's own account", async () => {
    const uzb = await signedIn(server.base, 'poc.uzb');
    const admin = await signedIn(server.base, 'admin');
    assert.equal((await uzb.put('/api/v1/me/language', { language: 'ru' })).status, 200);
    assert.equal((await admin.get('/api/v1/me')).json.language, null);
    const users = (await admin.get('/api/v1/users')).json.items;
    const byName = Object.fromEntries(users.map((u) => [u.username, u.language]));
    assert.equal(byName['poc.uzb'], 'ru');
    assert.equal(byName.admin, null);
    assert.equal(byName['poc.tha'], null);
    // No user can be named: a body naming someone else is refused as an unknown field.
    expectProblem(assert, await admin.put('/api/v1/me/language', { language: 'en', username: 'poc.uzb' }), 422, 'username');
    assert.equal((await uzb.get('/api/v1/me')).json.language, 'ru');
  });

  it('is one of the console languages, or null', async () => {
    const tha = await signedIn(server.base, 'poc.tha');
    for (const language of ['xx', 'english', 'RU', 'ru-RU-x', 'de', '']) {
      const p = expectProblem(assert, await tha.put('/api/v1/me/language', { language }), 422, 'language');
      assert.ok(p.errors.some((e) => e.field === 'language'), language);
    }
    expectProblem(assert, await tha.put('/api/v1/me/language', { language: 'r'.repeat(100_000) }), 422, 'language');
    expectProblem(assert, await tha.put('/api/v1/me/language', { language: 7 }), 422, 'language');
    expectProblem(assert, await tha.put('/api/v1/me/language', { language: ['ru'] }), 422, 'language');
    expectProblem(assert, await tha.put('/api/v1/me/language', {}), 422, 'language');
    expectProblem(assert, await tha.request('PUT', '/api/v1/me/language', { raw: '{"language":', headers: { 'Content-Type': 'application/json' } }), 400);
    assert.equal((await tha.get('/api/v1/me')).json.language, null, 'nothing refused was stored');
  });

  it('needs a signed-in caller and, with a session, the CSRF token', async () => {
    expectProblem(assert, await new Client(server.base).put('/api/v1/me/language', { language: 'ru' }), 401);
    const kaz = await signedIn(server.base, 'focal.kaz');
    expectProblem(assert, await kaz.put('/api/v1/me/language', { language: 'ru' }, { csrf: false }), 403);
    assert.equal((await kaz.get('/api/v1/me')).json.language, null);
  });
});
