// Sign-in, sessions, CSRF, API tokens, TOTP and throttling against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, cli, expectProblem, signedIn, startServer } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.stop();
  server.cleanup();
});

describe('health and API description', () => {
  it('answers health without authentication', async () => {
    const res = await new Client(server.base).get('/api/v1/health');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ok');
    assert.match(res.json.version, /^\d+\.\d+\.\d+$/);
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const res = await new Client(server.base).get('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.json.openapi, '3.1.0');
    assert.ok(res.json.paths['/api/v1/contacts'].get);
  });

  it('refuses every protected route without credentials, as problem+json', async () => {
    const doc = (await new Client(server.base).get('/api/v1/openapi.json')).json;
    const anon = new Client(server.base);
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (Array.isArray(op.security) && op.security.length === 0) continue; // public
        if (path === '/api/v1/stream') continue; // covered by the stream test
        const concrete = path.replace('{forum}', 'CICA').replace('{alpha3}', 'KAZ').replace('{id}', '1');
        const taxii = path.startsWith('/taxii2');
        const res = await anon.request(method.toUpperCase(), concrete.replace('{root}', 'CICA').replace('{object_id}', 'x'), {
          body: method === 'get' ? undefined : {},
          headers: taxii && method !== 'get' && method !== 'delete' ? { 'Content-Type': 'application/taxii+json;version=2.1' } : {},
        });
        if (taxii) {
          // TAXII 2.1 mandates its own media type for errors; Parley's carry RFC 9457's members too.
          assert.equal(res.status, 401, `${method} ${path}: ${res.text}`);
          assert.equal(res.headers.get('content-type'), 'application/taxii+json;version=2.1');
          assert.equal(res.json.status, 401);
          assert.equal(res.json.http_status, '401');
          assert.ok(res.json.title && res.json.type);
        } else {
          expectProblem(assert, res, 401);
        }
        checked += 1;
      }
    }
    assert.ok(checked >= 25, `checked ${checked} routes`);
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly SameSite=Strict cookie and returns a CSRF token, never the session', async () => {
    const c = new Client(server.base);
    const res = await c.signIn('focal.kaz');
    assert.equal(res.status, 201);
    const cookie = res.headers.get('set-cookie');
    assert.match(cookie, /^parley_session=[A-Za-z0-9_-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(res.json.csrf_token, /^[0-9a-f]{64}$/);
    assert.equal(res.json.user.username, 'focal.kaz');
    assert.equal(res.json.user.role, 'focal_point');
    assert.ok(!res.text.includes(cookie.split(';')[0].split('=')[1]), 'the session token is not in the body');
    assert.equal(res.json.user.password_hash, undefined);
    const session = await c.get('/api/v1/session');
    assert.equal(session.json.csrf_token, res.json.csrf_token);
  });

  it('refuses wrong passwords and unknown users alike', async () => {
    const a = await new Client(server.base).signIn('poc.tha', 'wrong-password');
    const b = await new Client(server.base).signIn('no.such.user', 'wrong-password');
    expectProblem(assert, a, 401);
    expectProblem(assert, b, 401);
    assert.equal(a.json.detail, b.json.detail);
  });

  it('throttles repeated failures with 429 and Retry-After, even for the right password', async () => {
    const c = new Client(server.base);
    for (let i = 0; i < 5; i++) await c.signIn('poc.mng', 'wrong-password');
    const res = await c.signIn('poc.mng');
    expectProblem(assert, res, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('ends the session on sign-out', async () => {
    const c = await signedIn(server.base, 'poc.kaz');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    assert.equal((await c.delete('/api/v1/session')).status, 204);
    expectProblem(assert, await c.get('/api/v1/me'), 401);
  });
});

describe('CSRF', () => {
  it('requires the token on state-changing requests made with the cookie', async () => {
    const c = await signedIn(server.base, 'focal.kaz');
    const body = { display_name: 'Focal point, Kazakhstan (CSRF test)' };
    const missing = await c.request('PATCH', '/api/v1/me', { body, csrf: false });
    expectProblem(assert, missing, 403, 'X-CSRF-Token');
    const wrong = await c.request('PATCH', '/api/v1/me', { body, csrf: false, headers: { 'X-CSRF-Token': '0'.repeat(64) } });
    expectProblem(assert, wrong, 403, 'X-CSRF-Token');
    assert.notEqual((await c.get('/api/v1/me')).json.display_name, body.display_name, 'nothing was written');
    const ok = await c.patch('/api/v1/me', body);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.display_name, body.display_name);
  });
});

describe('API tokens', () => {
  it('are created by the CLI, work as Bearer, and need no CSRF', async () => {
    const r = cli(['token', 'create', 'secretariat.cica', '--name', 'it', '--db', server.db]);
    assert.equal(r.code, 0, r.stderr);
    const c = new Client(server.base);
    c.token = r.stdout.trim();
    assert.match(c.token, /^pk_/);
    const me = await c.get('/api/v1/me');
    assert.equal(me.json.username, 'secretariat.cica');
    const forums = await c.get('/api/v1/forums');
    assert.equal(forums.status, 200);
  });

  it('are created and revoked by their owner through the API; revoked ones stop working', async () => {
    const c = await signedIn(server.base, 'poc.usa');
    const created = await c.post('/api/v1/me/tokens', { name: 'script', expires_in_days: 30 });
    assert.equal(created.status, 201);
    const script = new Client(server.base);
    script.token = created.json.token;
    assert.equal((await script.get('/api/v1/me')).json.username, 'poc.usa');
    const list = await c.get('/api/v1/me/tokens');
    assert.ok(list.json.items.every((t) => t.token === undefined), 'secrets are never listed');
    assert.equal((await c.delete(`/api/v1/me/tokens/${created.json.id}`)).status, 204);
    expectProblem(assert, await script.get('/api/v1/me'), 401);
  });

  it('cannot revoke somebody else\'s token', async () => {
    const owner = await signedIn(server.base, 'poc.jpn');
    const created = await owner.post('/api/v1/me/tokens', { name: 'mine' });
    const other = await signedIn(server.base, 'poc.nzl');
    expectProblem(assert, await other.delete(`/api/v1/me/tokens/${created.json.id}`), 404);
  });
});

describe('TOTP second factor', () => {
  it('is enrolled, then required at sign-in', async () => {
    const c = await signedIn(server.base, 'poc.sgp');
    const begin = await c.post('/api/v1/me/totp', {});
    assert.equal(begin.status, 201);
    assert.match(begin.json.otpauth_uri, /^otpauth:\/\/totp\/Parley:poc\.sgp\?secret=/);
    expectProblem(assert, await c.post('/api/v1/me/totp/confirm', { code: '12345' }), 422, 'code');
    const now = Date.now();
    assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret, now) })).status, 204);

    const again = new Client(server.base);
    const needs = await again.signIn('poc.sgp');
    const p = expectProblem(assert, needs, 401, 'totp');
    assert.equal(p.type, 'urn:parley:problem:totp-required');
    const ok = await again.signIn('poc.sgp', 'parley-demo', totp(begin.json.secret, now + 30000));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.user.totp_enabled, true);
  });
});
