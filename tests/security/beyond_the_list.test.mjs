// Holes found while writing this suite, beyond the nineteen findings of the attack (each
// test says what it attacks). They follow the same contract: the second factor is
// throttled like the password, X-Forwarded-For is read as a whole, and a header never
// carries an unescaped value.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, DEMO_PASSWORD, signedIn, startServer, tempDir } from '../lib/harness.mjs';
import { raw, totp, writeConfig } from '../lib/attack.mjs';

let server;
before(async () => {
  const dir = tempDir();
  const config = writeConfig(dir, '[server]\ntrusted_proxies = ["127.0.0.1"]\n');
  server = await startServer({ dir, extraArgs: ['--config', config] });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

// A user with a second factor; returns the session that enrolled it and the secret.
async function enrol(username) {
  const c = await signedIn(server.base, username);
  const begin = await c.post('/api/v1/me/totp', {});
  assert.equal(begin.status, 201, begin.text);
  assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret, Date.now()) })).status, 204);
  return { c, secret: begin.json.secret };
}

// Six digits that are none of the codes accepted around now.
function wrongCode(secret) {
  const valid = new Set([-60000, -30000, 0, 30000, 60000].map((d) => totp(secret, Date.now() + d)));
  for (;;) {
    const code = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

const signIn = (username, password, code, from) => new Client(server.base).request('POST', '/api/v1/session', {
  body: code ? { username, password, totp: code } : { username, password },
  headers: from ? { 'X-Forwarded-For': from } : {},
});

describe('beyond the list: the second factor is throttled like the password', () => {
  it('sign-in: wrong codes with the right password lock the account at that address', async () => {
    // A correct password used to clear the (user, address) counter before the code was
    // checked, so each wrong code counted once and was forgotten at the next attempt:
    // 10^6 codes could be tried with the password at the rate of the address limit.
    const { secret } = await enrol('poc.kor');
    const from = '203.0.113.60';
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn('poc.kor', DEMO_PASSWORD, wrongCode(secret), from)).status);
    assert.ok(statuses.every((s) => s === 401 || s === 429), JSON.stringify(statuses));
    const right = await signIn('poc.kor', DEMO_PASSWORD, totp(secret, Date.now() + 30000), from);
    assert.equal(right.status, 429, `8 wrong codes, then the right one was let in (${statuses}): ${right.status}`);
  });

  it('reauthentication: wrong codes are counted too, and lock it', async () => {
    // A stolen session with a phished password: reauthenticate answered every wrong code
    // with a 422 and counted nothing, an unthrottled oracle for the second factor —
    // and a recent sign-in opens every credential change.
    const { c, secret } = await enrol('poc.qat');
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await c.post('/api/v1/session/reauthenticate', { password: DEMO_PASSWORD, totp: wrongCode(secret) })).status);
    assert.ok(statuses.every((s) => s >= 400 && s < 500), JSON.stringify(statuses));
    // The next step's code: valid, and never used before.
    const right = await c.post('/api/v1/session/reauthenticate', { password: DEMO_PASSWORD, totp: totp(secret, Date.now() + 30000) });
    assert.ok(right.status === 429 || right.status === 403, `8 wrong codes (${statuses}), then the right one: ${right.status} ${right.text.slice(0, 200)}`);
  });
});

describe('beyond the list: X-Forwarded-For is read as a whole', () => {
  it('a proxy that adds its own header line (HAProxy) names the client, not the line the client sent', async () => {
    // HAProxy's `option forwardfor` adds a new X-Forwarded-For line after the client's
    // own. Reading only the first line took the client's word for its address: an
    // attacker behind the trusted proxy chose a new address per guess.
    const real = '198.51.100.61';
    const body = JSON.stringify({ username: 'poc.kwt', password: 'wrong-password' });
    for (let i = 0; i < 6; i++) {
      const res = await raw(server.base, ['POST /api/v1/session HTTP/1.1', `Host: ${new URL(server.base).host}`, 'Content-Type: application/json',
        `Content-Length: ${body.length}`, `X-Forwarded-For: 192.0.2.${10 + i}`, `X-Forwarded-For: ${real}`, 'Connection: close'], { body });
      assert.ok(res.status === 401 || res.status === 429, `${res.status}`);
    }
    const right = await signIn('poc.kwt', DEMO_PASSWORD, undefined, real);
    assert.equal(right.status, 429, `six failures from ${real} did not lock poc.kwt there: the spoofed first line was taken as the address`);
  });
});

describe('beyond the list: header values are escaped', () => {
  it('a document symbol with a quote does not break out of Content-Disposition', async () => {
    // The secretariat names documents; whoever downloads the Akoma Ntoso or Markdown
    // export gets the file name the symbol makes.
    const sec = await signedIn(server.base, 'secretariat.cica');
    // A symbol may not contain spaces; it needs none to add a parameter that browsers
    // prefer to filename (RFC 6266): the export is then saved as evil.html.
    const symbol = `CICA/Q";filename*=UTF-8''evil.html;x="/${randomUUID().slice(0, 6)}`;
    const doc = await sec.post('/api/v1/negotiation/documents', {
      forum: 'CICA', symbol, title: 'Quoted', distribution: 'general', text: '# Quoted\n\n1. We agree.\n',
    });
    if (doc.status !== 201) {
      // Refusing such a symbol is as good.
      assert.ok(doc.status >= 400 && doc.status < 500, doc.text);
      return;
    }
    for (const format of ['akn', 'markdown']) {
      const r = await sec.get(`/api/v1/negotiation/documents/${doc.json.id}/revisions/0?format=${format}`);
      assert.equal(r.status, 200);
      const cd = r.headers.get('content-disposition') ?? '';
      // Exactly the parameters Parley writes (RFC 6266): filename, an ASCII fallback
      // holding no quote or separator of the symbol's, and filename*, percent-encoded.
      const m = cd.match(/^(inline|attachment); filename="([^"\\;]*)"; filename\*=UTF-8''([A-Za-z0-9._+%-]*)$/);
      assert.ok(m, `${format}: the symbol added a parameter: ${cd}`);
      assert.equal(decodeURIComponent(m[3]).startsWith(symbol.replaceAll('/', '_')), true, `${format}: filename* is the symbol, encoded: ${cd}`);
    }
  });
});
