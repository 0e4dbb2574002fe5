// Account management on the demo data: who sees which accounts, who may change a role,
// disable an account (which ends its live session and its event stream at once) or
// reset a second factor, and a forum's account policy that makes everyone enrol TOTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, eventually, expectProblem, signedIn, startServer } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

let server;
let ids = {};

before(async () => {
  server = await startServer();
  const admin = await signedIn(server.base, 'admin');
  const list = await admin.get('/api/v1/accounts');
  assert.equal(list.status, 200, list.text);
  ids = Object.fromEntries(list.json.items.map((u) => [u.username, u.id]));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

// A raw WebSocket on the client's session, resolving once the server says it is ready;
// `closed` resolves when the server closes it.
async function stream(c) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + '/api/v1/stream', { headers: { Cookie: c.cookie } });
  const closed = new Promise((r) => ws.addEventListener('close', () => r(true)));
  await new Promise((resolve, reject) => {
    ws.onmessage = (m) => JSON.parse(m.data).type === 'stream.ready' && resolve();
    ws.onerror = () => reject(new Error('stream refused'));
  });
  return { ws, closed };
}

describe('accounts in scope', () => {
  it('the admin sees all; a secretariat its forum and member states; a focal point its state', async () => {
    const names = async (who) => (await (await signedIn(server.base, who)).get('/api/v1/accounts')).json.items.map((u) => u.username);
    const all = await names('admin');
    assert.ok(all.includes('secretariat.arf') && all.includes('focal.usa') && all.includes('poc.kaz'));
    const cica = await names('secretariat.cica');
    assert.ok(cica.includes('secretariat.cica') && cica.includes('focal.kaz') && cica.includes('poc.uzb'));
    assert.ok(!cica.includes('secretariat.arf') && !cica.includes('focal.usa') && !cica.includes('admin'));
    assert.deepEqual((await names('focal.kaz')).sort(), ['focal.kaz', 'poc.kaz', 'policy.kaz']);
    const one = (await (await signedIn(server.base, 'focal.kaz')).get('/api/v1/accounts')).json.items[0];
    for (const key of ['role', 'state', 'state_name', 'totp_enabled', 'disabled', 'last_sign_in_at', 'second_factor_required', 'contact_id'])
      assert.ok(key in one, `accounts show ${key}`);
    assert.ok(one.last_sign_in_at, 'the sign-in just made is shown');
    assert.equal(one.password_hash, undefined);
  });

  it('refuses points of contact, anonymous callers and accounts outside the scope', async () => {
    const poc = await signedIn(server.base, 'poc.kaz');
    expectProblem(assert, await poc.get('/api/v1/accounts'), 403);
    expectProblem(assert, await poc.patch(`/api/v1/accounts/${ids['poc.kaz']}`, { disabled: true }), 403);
    expectProblem(assert, await new Client(server.base).get('/api/v1/accounts'), 401);
    const cica = await signedIn(server.base, 'secretariat.cica');
    expectProblem(assert, await cica.get(`/api/v1/accounts/${ids['focal.usa']}`), 404);
    expectProblem(assert, await cica.patch(`/api/v1/accounts/${ids['focal.usa']}`, { disabled: true }), 404);
    const fkaz = await signedIn(server.base, 'focal.kaz');
    expectProblem(assert, await fkaz.patch(`/api/v1/accounts/${ids['poc.uzb']}`, { disabled: true }), 404);
    expectProblem(assert, await fkaz.patch(`/api/v1/accounts/${ids['focal.kaz']}`, { disabled: true }), 403);
    expectProblem(assert, await fkaz.get('/api/v1/accounts/999999'), 404);
  });
});

describe('disabling', () => {
  it('ends the live session and the event stream at once; enabling lets the person back', async () => {
    const poc = await signedIn(server.base, 'poc.kaz');
    const s = await stream(poc);
    const tok = await poc.post('/api/v1/me/tokens', { name: 'script' });
    assert.equal(tok.status, 201, tok.text);
    const script = new Client(server.base);
    script.token = tok.json.token;
    assert.equal((await script.get('/api/v1/me')).status, 200);
    const fkaz = await signedIn(server.base, 'focal.kaz');
    const r = await fkaz.patch(`/api/v1/accounts/${ids['poc.kaz']}`, { disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.disabled, true);
    expectProblem(assert, await poc.get('/api/v1/me'), 401);
    assert.equal(await Promise.race([s.closed, new Promise((res) => setTimeout(() => res(false), 3000))]), true,
      'the stream was closed');
    assert.equal((await new Client(server.base).signIn('poc.kaz')).status, 401);
    const back = await fkaz.patch(`/api/v1/accounts/${ids['poc.kaz']}`, { disabled: false });
    assert.equal(back.json.disabled, false);
    assert.equal((await new Client(server.base).signIn('poc.kaz')).status, 201);
    expectProblem(assert, await script.get('/api/v1/me'), 401);   // its tokens were revoked, not suspended
  });

  it('nobody manages their own account here, not even the admin', async () => {
    const admin = await signedIn(server.base, 'admin');
    expectProblem(assert, await admin.patch(`/api/v1/accounts/${ids.admin}`, { disabled: true }), 403);
    expectProblem(assert, await admin.patch(`/api/v1/accounts/${ids.admin}`, { role: 'observer' }), 403);
    expectProblem(assert, await admin.delete(`/api/v1/accounts/${ids.admin}/totp`), 403);
    assert.equal((await admin.get('/api/v1/me')).status, 200);
  });
});

describe('changing a role', () => {
  it('within what the caller may grant; the account signs in again and, promoted, must enrol TOTP', async () => {
    const cica = await signedIn(server.base, 'secretariat.cica');
    const fkaz = await signedIn(server.base, 'focal.kaz');
    expectProblem(assert, await fkaz.patch(`/api/v1/accounts/${ids['poc.kaz']}`, { role: 'focal_point' }), 403);
    expectProblem(assert, await cica.patch(`/api/v1/accounts/${ids['poc.irn']}`, { role: 'admin' }), 403);
    expectProblem(assert, await cica.patch(`/api/v1/accounts/${ids['poc.irn']}`, { state: 'USA' }), 403);
    expectProblem(assert, await cica.patch(`/api/v1/accounts/${ids['poc.irn']}`, { role: 'secretariat', forum: 'ARF' }), 403);
    const bad = await cica.patch(`/api/v1/accounts/${ids['poc.irn']}`, { role: 'boss', disabled: 'yes', shoe: 1 });
    const p = expectProblem(assert, bad, 422, 'role');
    assert.ok(p.errors.some((e) => e.field === 'disabled') && p.errors.some((e) => e.field === 'shoe'));

    const irn = await signedIn(server.base, 'poc.irn');
    const r = await cica.patch(`/api/v1/accounts/${ids['poc.irn']}`, { role: 'focal_point' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.role, 'focal_point');
    assert.equal(r.json.state, 'IRN');
    expectProblem(assert, await irn.get('/api/v1/me'), 401);   // its sessions ended
    const again = await new Client(server.base).signIn('poc.irn');
    assert.equal(again.json.user.role, 'focal_point');
    assert.equal(again.json.user.must_enrol_totp, true);
  });
});

describe('resetting a second factor', () => {
  it('ends the sessions; the person signs in without the code and must enrol again', async () => {
    const fp = await signedIn(server.base, 'focal.tur');
    const begin = await fp.post('/api/v1/me/totp');
    assert.equal((await fp.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret) })).status, 204);
    expectProblem(assert, await new Client(server.base).signIn('focal.tur'), 401);   // a code is now required

    expectProblem(assert, await (await signedIn(server.base, 'poc.tur')).delete(`/api/v1/accounts/${ids['focal.tur']}/totp`), 403);
    expectProblem(assert, await (await signedIn(server.base, 'focal.usa')).delete(`/api/v1/accounts/${ids['focal.tur']}/totp`), 404);
    expectProblem(assert, await (await signedIn(server.base, 'secretariat.arf')).delete(`/api/v1/accounts/${ids['focal.tur']}/totp`), 404);
    const cica = await signedIn(server.base, 'secretariat.cica');
    assert.equal((await cica.delete(`/api/v1/accounts/${ids['focal.tur']}/totp`)).status, 204);
    expectProblem(assert, await fp.get('/api/v1/states/TUR'), 401);
    const again = await new Client(server.base).signIn('focal.tur');
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.user.totp_enabled, false);
    assert.equal(again.json.user.must_enrol_totp, true);
  });
});

describe('a forum account policy', () => {
  it('admin or the forum secretariat sets it; everyone of the forum must then enrol TOTP', async () => {
    const admin = await signedIn(server.base, 'admin');
    const poc = await signedIn(server.base, 'poc.kaz');
    const usa = await signedIn(server.base, 'poc.usa');
    expectProblem(assert, await (await signedIn(server.base, 'secretariat.arf')).put('/api/v1/forums/CICA/account-policy', { totp_for_everyone: true }), 403);
    expectProblem(assert, await (await signedIn(server.base, 'focal.kaz')).get('/api/v1/forums/CICA/account-policy'), 403);
    expectProblem(assert, await admin.put('/api/v1/forums/NOPE/account-policy', { totp_for_everyone: true }), 404);
    expectProblem(assert, await admin.put('/api/v1/forums/CICA/account-policy', { totp_for_everyone: 'yes' }), 422, 'totp_for_everyone');
    assert.equal((await admin.get('/api/v1/forums/CICA/account-policy')).json.totp_for_everyone, false);

    const on = await admin.put('/api/v1/forums/CICA/account-policy', { totp_for_everyone: true });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.json.totp_for_everyone, true);
    const refused = await poc.get('/api/v1/contacts');
    expectProblem(assert, refused, 403);
    assert.equal(refused.json.type, 'urn:parley:problem:second-factor-enrolment-required');
    assert.equal((await usa.get('/api/v1/contacts')).status, 200, 'another forum is not concerned');

    assert.equal((await admin.put('/api/v1/forums/CICA/account-policy', { totp_for_everyone: false })).status, 200);
    assert.ok(await eventually(async () => (await poc.get('/api/v1/contacts')).status === 200));
  });
});
