// Findings 15, 16 and 18: sign-in under attack. The throttle checked the lock before the
// (slow) password hash and counted the failure after it, so 40 guesses sent at once were
// all evaluated; the log lines were formatted by hand, so a username (or a path) with a
// quote or a newline forged log records; and the locks were per username and per
// address, so an attacker locked any user out from everywhere, and failures for one
// user locked out everybody behind the same address. The fixed server counts per
// (user, address) and per address, takes the address from X-Forwarded-For only from a
// trusted proxy, and builds every log line with the JSON library.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, startServer, tempDir } from '../lib/harness.mjs';
import { flushLogs, logRecords, outputMark, outputSince, rawGet, writeConfig } from '../lib/attack.mjs';

let plain;     // no configuration: X-Forwarded-For means nothing
let proxied;   // behind a trusted proxy at 127.0.0.1
before(async () => {
  plain = await startServer();
  const dir = tempDir();
  const config = writeConfig(dir, '[server]\ntrusted_proxies = ["127.0.0.1"]\n');
  proxied = await startServer({ dir, extraArgs: ['--config', config] });
});
after(async () => {
  for (const s of [plain, proxied]) {
    await s.stop();
    s.cleanup();
  }
});

const signIn = (server, username, password, from) =>
  new Client(server.base).request('POST', '/api/v1/session', {
    body: { username, password },
    headers: from ? { 'X-Forwarded-For': from } : {},
  });

describe('finding 15: concurrent guesses are counted before they are evaluated', () => {
  it('40 wrong passwords at once for one username: at most 5 are evaluated (401), the rest 429', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => signIn(plain, 'poc.aze', 'wrong-password-guess')));
    const counts = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    assert.deepEqual(Object.keys(counts).filter((s) => s !== '401' && s !== '429'), [], `only 401 and 429: ${JSON.stringify(counts)}`);
    assert.ok((counts[401] ?? 0) <= 5, `${counts[401]} guesses were evaluated: ${JSON.stringify(counts)}`);
    assert.equal((await signIn(plain, 'poc.aze', DEMO_PASSWORD)).status, 429, 'and the right password is locked out too');
  });
});

describe('finding 16: log lines are built by the JSON library', () => {
  it('a username or a path with quotes and newlines forges no log record', async () => {
    const mark = outputMark(plain);
    const usernames = [
      'x","event":"x',
      'x"}\n{"event":"x"}',
      '{"event":"x"}',
      'a\\",\\"event\\":\\"x',
      'x\r\n2026-01-01T00:00:00.000Z warning {"event":"x"}',
    ];
    for (const username of usernames) {
      const r = await signIn(plain, username, 'wrong-password');
      assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(username)}: ${r.status}`);
    }
    for (const path of ['/api/v1/x%22,%22event%22:%22x', '/api/v1/x%0A%7B%22event%22:%22x%22%7D', '/x%22%7D%0D%0A%7B%22event%22:%22x%22%7D.js'])
      await rawGet(plain.base, path);
    await flushLogs();
    const out = outputSince(plain, mark);
    const records = logRecords(out.stdout + out.stderr);
    assert.ok(records.length >= usernames.length, `${records.length} log lines`);
    assert.deepEqual(records.filter((r) => r.error).map((r) => r.line), [], 'every log line is a JSON record');
    assert.deepEqual(records.filter((r) => r.json.event === 'x').map((r) => r.line), [], 'a forged "event":"x" record');
    // The failed sign-ins are there, with the username as data.
    const failures = records.filter((r) => r.json.event === 'sign_in_failed');
    assert.ok(failures.some((r) => r.json.username === 'x","event":"x'), `the username is logged as it was sent: ${failures.map((r) => r.line).join('\n')}`);
  });
});

describe('finding 18: lock-outs are per user and address, and addresses come from trusted proxies only', () => {
  it('an attacker failing for user A from address X locks out neither A at Y nor B at X', async () => {
    const X = '203.0.113.10';
    const Y = '198.51.100.20';
    for (let i = 0; i < 30; i++) {
      const r = await signIn(proxied, 'poc.irq', 'wrong-password', X);
      assert.ok(r.status === 401 || r.status === 429, `${r.status}`);
    }
    assert.equal((await signIn(proxied, 'poc.irq', DEMO_PASSWORD, X)).status, 429, 'A stays locked at X');
    const fromY = await signIn(proxied, 'poc.irq', DEMO_PASSWORD, Y);
    assert.equal(fromY.status, 201, `A is locked out at Y too: ${fromY.text}`);
    const bAtX = await signIn(proxied, 'poc.jor', DEMO_PASSWORD, X);
    assert.equal(bAtX.status, 201, `B is locked out at X: ${bAtX.text}`);
  });

  it('without a trusted proxy, X-Forwarded-For is ignored: a new header does not lift a lock', async () => {
    const mark = outputMark(plain);
    for (let i = 0; i < 5; i++) await signIn(plain, 'poc.irn', 'wrong-password', `192.0.2.${i + 1}`);
    const spoofed = await signIn(plain, 'poc.irn', DEMO_PASSWORD, '192.0.2.200');
    assert.equal(spoofed.status, 429, `a spoofed address lifted the lock: ${spoofed.status}`);
    await flushLogs();
    const records = logRecords(outputSince(plain, mark).stdout + outputSince(plain, mark).stderr).filter((r) => r.json);
    const remotes = new Set(records.map((r) => r.json.remote).filter(Boolean));
    assert.ok(![...remotes].some((a) => a.startsWith('192.0.2.')), `a spoofed address was taken as the remote one: ${[...remotes]}`);
  });
});
