// Finding 7: whoever held a session or an API token could create more tokens, enrol
// their own second factor, or change the password (after finding 6: sign the owner out)
// — a stolen credential became a permanent one. The fixed server changes credentials
// only from a recent interactive sign-in: never with an API token, and with a session
// only within `auth.recent_sign_in_seconds` of signing in or of
// POST /api/v1/session/reauthenticate. The window is 2 s here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, signedIn, startServer, tempDir } from '../lib/harness.mjs';
import { sleep, totp, writeConfig } from '../lib/attack.mjs';

let server;
before(async () => {
  const dir = tempDir();
  const config = writeConfig(dir, '[auth]\nrecent_sign_in_seconds = 2\n');
  server = await startServer({ dir, extraArgs: ['--config', config] });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const RECENT = 'urn:parley:problem:recent-sign-in-required';

// The four credential changes, as an attacker holding `client` would try them.
const attempts = (client) => ({
  'POST /me/tokens': () => client.post('/api/v1/me/tokens', { name: 'persistence' }),
  'POST /me/totp': () => client.post('/api/v1/me/totp', {}),
  'POST /me/password': () => client.post('/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'attacker-chosen-password' }),
  'DELETE /me/totp': () => client.request('DELETE', '/api/v1/me/totp', { body: { password: DEMO_PASSWORD } }),
});

const reauthenticate = (client, body) => client.post('/api/v1/session/reauthenticate', body);

describe('finding 7: credentials change only from a recent interactive sign-in', () => {
  it('never with an API token', async () => {
    const owner = await signedIn(server.base, 'poc.kaz');
    const created = await owner.post('/api/v1/me/tokens', { name: 'script' });   // a fresh session may
    assert.equal(created.status, 201, created.text);
    const script = new Client(server.base);
    script.token = created.json.token;
    for (const [what, attempt] of Object.entries(attempts(script))) {
      const res = await attempt();
      assert.equal(res.status, 403, `${what} with an API token: ${res.status} ${res.text.slice(0, 200)}`);
    }
    // Nor can a token "reauthenticate" itself into a session's rights.
    const reauth = await reauthenticate(script, { password: DEMO_PASSWORD });
    assert.ok(reauth.status >= 400 && reauth.status < 500, `reauthenticate with a token: ${reauth.status}`);
    assert.equal((await attempts(script)['POST /me/tokens']()).status, 403);
  });

  it('with a session older than the window: 403 recent-sign-in-required, until reauthenticated', async () => {
    const c = await signedIn(server.base, 'poc.uzb');
    await sleep(3000);
    for (const [what, attempt] of Object.entries(attempts(c))) {
      const res = await attempt();
      assert.equal(res.status, 403, `${what} with an old session: ${res.status} ${res.text.slice(0, 200)}`);
      assert.equal(res.json?.type, RECENT, `${what}: ${res.text.slice(0, 200)}`);
    }
    const wrong = await reauthenticate(c, { password: 'not-the-password' });
    assert.ok(wrong.status === 401 || wrong.status === 403 || wrong.status === 422, `a wrong password: ${wrong.status}`);
    assert.equal((await attempts(c)['POST /me/tokens']()).status, 403, 'a failed reauthentication opens nothing');

    const ok = await reauthenticate(c, { password: DEMO_PASSWORD });
    assert.ok(ok.status === 200 || ok.status === 204, `reauthenticate: ${ok.status} ${ok.text}`);
    const token = await attempts(c)['POST /me/tokens']();
    assert.equal(token.status, 201, token.text);
    const enrol = await attempts(c)['POST /me/totp']();
    assert.equal(enrol.status, 201, enrol.text);
  });

  it('reauthentication asks for the second factor of a user who has one', async () => {
    const c = await signedIn(server.base, 'poc.sgp');
    const begin = await c.post('/api/v1/me/totp', {});
    assert.equal(begin.status, 201, begin.text);
    const now = Date.now();
    assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret, now) })).status, 204);
    await sleep(3000);
    assert.equal((await attempts(c)['POST /me/tokens']()).status, 403);
    const noCode = await reauthenticate(c, { password: DEMO_PASSWORD });
    assert.ok(noCode.status >= 400 && noCode.status < 500, `reauthenticate without the code: ${noCode.status}`);
    assert.equal((await attempts(c)['POST /me/tokens']()).status, 403);
    const ok = await reauthenticate(c, { password: DEMO_PASSWORD, totp: totp(begin.json.secret, now + 30000) });
    assert.ok(ok.status === 200 || ok.status === 204, `reauthenticate with the code: ${ok.status} ${ok.text}`);
    assert.equal((await attempts(c)['POST /me/tokens']()).status, 201);
  });
});
