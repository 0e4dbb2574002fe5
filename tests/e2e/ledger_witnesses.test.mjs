// The Ledger page with a witness run by a state (issue 14, items 3 and 4): a real
// `parley witness serve` that the CICA secretariat lists; once it has cosigned a
// checkpoint, a CICA member's point of contact sees its cosignature on the Ledger page,
// verified in the browser with the key the forum lists. A witness nobody lists is shown
// as such. Needs the witness branch (`parley witness`, GET /forums/{forum}/witnesses).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launch, signIn } from '../lib/browser.mjs';
import { BIN, cli, ledgerInit, signedIn, startServer, tempDir } from '../lib/harness.mjs';

async function startWitness(name, logVkey) {
  const dir = tempDir();
  const keyFile = join(dir, 'witness.key');
  const init = cli(['witness', 'init', '--key', keyFile, '--name', name]);
  assert.equal(init.code, 0, init.stderr);
  const child = spawn(BIN, ['witness', 'serve', '--key', keyFile, '--listen', '127.0.0.1:0', '--log', logVkey, '--state', join(dir, 'state')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness did not start: ${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { name, vkey: init.stdout.trim(), url, child };
}

// Waits for a checkpoint that both witnesses cosigned and that is still the latest a
// second and a half later (a checkpoint is signed within a second of the log growing).
const cosignedBy = async (api, names) => {
  let seen = null;
  for (let i = 0; i < 80; i++) {
    const cp = (await api.get('/api/v1/ledger/checkpoint')).text;
    const size = cp.split('\n')[1];
    if (names.every((n) => cp.includes(`\u2014 ${n} `))) {
      if (seen && seen.size === size && Date.now() - seen.at >= 1500) return cp;
      if (!seen || seen.size !== size) seen = { size, at: Date.now() };
    } else {
      seen = null;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no checkpoint cosigned by ${names.join(', ')}`);
};

describe('the Ledger page with witnesses', () => {
  let server;
  let browser;
  const witnesses = [];
  before(async () => {
    const dir = tempDir();
    const logVkey = ledgerInit(dir, 'parley.test/ledger');
    server = await startServer({ dir, ledgerKey: false });
    witnesses.push(await startWitness('cert.kaz.test/witness', logVkey), await startWitness('cert.tha.test/witness', logVkey));
    browser = await launch();
  });
  after(async () => {
    for (const w of witnesses) w.child.kill('SIGTERM');
    await browser?.close();
    await server?.stop();
    server?.cleanup();
  });

  it('verifies a listed witness cosignature in the browser, and marks one no forum of the user lists', async () => {
    const [kaz, tha] = witnesses;
    const sec = await signedIn(server.base, 'secretariat.cica');
    assert.equal((await sec.post('/api/v1/forums/CICA/witnesses', { url: kaz.url, vkey: kaz.vkey })).status, 201);
    // The second is listed by ARF only, of which Kazakhstan is not a member.
    const arf = await signedIn(server.base, 'secretariat.arf');
    assert.equal((await arf.post('/api/v1/forums/ARF/witnesses', { url: tha.url, vkey: tha.vkey })).status, 201);
    // Signing in writes to the log, so the checkpoint after it is the one to wait for:
    // the page shows the latest checkpoint and the cosignatures collected for it so far.
    const page = await browser.newPage();
    await signIn(page, server.base, 'poc.kaz');
    await cosignedBy(sec, [kaz.name, tha.name]);
    await page.goto(`${server.base}/#/ledger`);
    const listed = page.locator(`li[data-witness="${kaz.name}"]`);
    await listed.waitFor({ timeout: 15000 });
    assert.equal(await listed.getAttribute('data-verified'), 'true');
    assert.match(await listed.innerText(), /cosigned .* UTC — ✓ verified with the key CICA lists/);
    const other = page.locator(`li[data-witness="${tha.name}"]`);
    assert.equal(await other.getAttribute('data-verified'), null);
    assert.match(await other.innerText(), /not a witness your forums list/);
    await page.close();
  });
});
