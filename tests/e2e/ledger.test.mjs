// The ledger in the browser (issue 14, item 3): a point of contact sends a communication,
// the other side acknowledges, and each sees "recorded in the ledger at N, verified" at
// the index the API's Parley-Ledger-Index header gave for that action, the receipt
// verified in the page with WebCrypto; the downloaded receipt is a tlog-proof of that
// entry that this test checks on its own (node:crypto) against the log key; a receipt
// altered in transit shows a warning, never "verified"; the Ledger page shows the key
// the API serves; and the screens speak Russian.
// The first three tests need the read rules and record keys the records branch adds (points
// of contact and secretariats reading their own communications and checks, stix:, proposal:
// and revision: keys); the others run as an administrator, who reads every entry, on a
// negotiated document.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';
import { addData, emptyData, englishOnScreen } from '../lib/no_english.mjs';

const suite = browserSuite();
const SUBJECT = 'Scanning of the grid operator from a shared hosting range';
// What the first test did: the communication, and the indices the API gave.
const sent = { id: 0, sendIndex: -1, ackIndex: -1 };

const line = (page, index) => page.locator(`li.ledger-line[data-ledger-index="${index}"]:visible`).first();

async function expectVerified(page, index, words) {
  const l = line(page, index);
  await l.waitFor({ timeout: 20000 });
  assert.equal(await l.getAttribute('data-verified'), 'true', await l.innerText());
  const text = await l.innerText();
  assert.match(text, new RegExp(`${words} — recorded in the ledger at ${index}, verified`));
  return l;
}

// A receipt checked here without the console's code: the log's Ed25519 signature on the
// checkpoint (C2SP signed note), and the entry it carries.
function checkReceiptOffline(text, vkey, index) {
  const lines = text.split('\n');
  assert.equal(lines[0], 'c2sp.org/tlog-proof@v1');
  assert.match(lines[1], /^extra /);
  assert.equal(lines[2], `index ${index}`);
  const entry = JSON.parse(Buffer.from(lines[1].slice(6), 'base64').toString('utf8'));
  const [name, id, key] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1], vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)];
  const note = text.slice(text.indexOf('\n\n') + 2);
  const body = note.slice(0, note.indexOf('\n\n') + 1);
  assert.equal(body.split('\n')[0], name, 'the checkpoint is the log\'s');
  assert.ok(Number(body.split('\n')[1]) > index, 'the checkpoint covers the entry');
  const sig = note.split('\n').find((l) => l.startsWith(`\u2014 ${name} `));
  const raw = Buffer.from(sig.split(' ')[2], 'base64');
  assert.equal(raw.subarray(0, 4).toString('hex'), id);
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key, 'base64').subarray(1).toString('base64url') }, format: 'jwk' });
  assert.ok(verify(null, Buffer.from(body), pub, raw.subarray(4)), 'the checkpoint signature verifies with the log key');
  // RFC 9162 §2.1.3.2 from the leaf hash SHA-256(0x00 || entry) to the signed root.
  const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
  const proof = lines.slice(3, lines.indexOf('', 3)).map((l) => Buffer.from(l, 'base64'));
  let [fn, sn, r] = [index, Number(body.split('\n')[1]) - 1, sha(Buffer.from([0]), Buffer.from(lines[1].slice(6), 'base64'))];
  for (const p of proof) {
    if (fn % 2 === 1 || fn === sn) {
      r = sha(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else r = sha(Buffer.from([1]), r, p);
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  assert.equal(sn, 0);
  assert.equal(r.toString('base64'), body.split('\n')[2], 'the inclusion proof leads to the signed root');
  assert.equal(entry.seq, index + 1);
  return entry;
}

async function download(page, l, index) {
  const [dl] = await Promise.all([page.waitForEvent('download'), l.locator('a.ledger-receipt').click()]);
  assert.equal(dl.suggestedFilename(), `parley-ledger-${index}.tlog-proof`);
  return readFileSync(await dl.path(), 'utf8');
}

describe('the ledger in the browser', () => {
  it('shows the sender and the recipient their entries verified, at the indices the API gave', async () => {
    const kazCtx = await suite.browser.newContext();
    const uzbCtx = await suite.browser.newContext();
    const kaz = await kazCtx.newPage();
    const uzb = await uzbCtx.newPage();
    await signIn(kaz, suite.server.base, 'poc.kaz');
    await signIn(uzb, suite.server.base, 'poc.uzb');

    await kaz.goto(`${suite.server.base}/#/hotline/new`);
    await kaz.getByLabel('Type').selectOption('request_for_assistance');
    await kaz.getByLabel('Uzbekistan', { exact: true }).check();
    await kaz.getByLabel('Subject').fill(SUBJECT);
    await kaz.getByLabel('Description').fill('Port scans on the dispatch network from 203.0.113.0/24 since 02:00 UTC.');
    await kaz.getByLabel('Severity').selectOption('3');
    const sendResponse = kaz.waitForResponse((r) => r.url().endsWith('/api/v1/communications') && r.request().method() === 'POST');
    await kaz.getByRole('button', { name: 'Send' }).click();
    const sendRes = await sendResponse;
    assert.equal(sendRes.status(), 201);
    sent.sendIndex = Number(sendRes.headers()['parley-ledger-index']);
    sent.id = (await sendRes.json()).id;
    assert.ok(sent.sendIndex >= 0);
    await kaz.getByRole('heading', { name: SUBJECT }).waitFor();

    await uzb.goto(`${suite.server.base}/#/hotline/${sent.id}`);
    const ackResponse = uzb.waitForResponse((r) => r.url().endsWith(`/api/v1/communications/${sent.id}/ack`));
    await uzb.locator('#acknowledge').click();
    const ackRes = await ackResponse;
    assert.equal(ackRes.status(), 200);
    sent.ackIndex = Number(ackRes.headers()['parley-ledger-index']);
    assert.ok(sent.ackIndex > sent.sendIndex);

    // The sender: "Sent" under the message, UZB's acknowledgement in its row.
    await kaz.reload();
    await expectVerified(kaz, sent.sendIndex, 'Sent');
    const kazAck = await expectVerified(kaz, sent.ackIndex, 'Acknowledged by UZB');
    assert.equal(await kaz.locator('tr[data-state="UZB"] .ack-cell li.ledger-line').getAttribute('data-ledger-index'), String(sent.ackIndex));
    assert.ok(await kazAck.isVisible());
    // The recipient sees both too.
    await expectVerified(uzb, sent.sendIndex, 'Sent');
    await expectVerified(uzb, sent.ackIndex, 'Acknowledged by UZB');
    await kaz.screenshot({ path: join(suite.shots, 'ledger-communication.png'), fullPage: true });

    // The receipt the sender downloads is a tlog-proof of that entry, signed by the log key.
    const { vkey } = (await (await signedIn(suite.server.base, 'poc.kaz')).get('/api/v1/ledger/key')).json;
    const entry = checkReceiptOffline(await download(kaz, line(kaz, sent.sendIndex), sent.sendIndex), vkey, sent.sendIndex);
    assert.equal(entry.action, 'communication.send');
    assert.equal(entry.object, `communication:${sent.id}`);
    const ack = checkReceiptOffline(await download(uzb, line(uzb, sent.ackIndex), sent.ackIndex), vkey, sent.ackIndex);
    assert.deepEqual([ack.action, ack.change.state], ['communication.acknowledge', 'UZB']);

    // The recipient replies: the reply is recorded as sent, the thread as answered.
    await uzb.getByLabel('Your reply').fill('Our CERT sees the same range and is blocking it.');
    const replied = uzb.waitForResponse((r) => r.url().endsWith(`/api/v1/communications/${sent.id}/reply`));
    await uzb.getByRole('button', { name: 'Reply' }).click();
    const replyRes = await replied;
    assert.equal(replyRes.status(), 201);
    const replyIndex = Number(replyRes.headers()['parley-ledger-index']);
    const replyId = (await replyRes.json()).id;
    await uzb.getByRole('heading', { name: /^Re: Scanning/ }).waitFor();
    const replySent = uzb.locator('li.ledger-line[data-ledger-action="communication.send"]:visible').first();
    await replySent.waitFor({ timeout: 20000 });
    assert.equal(await replySent.getAttribute('data-verified'), 'true');
    assert.equal(await uzb.locator('[data-ledger-object]').first().getAttribute('data-ledger-object'), `communication:${replyId}`);
    const replySentIndex = Number(await replySent.getAttribute('data-ledger-index'));
    await kaz.reload();
    await kaz.locator('details.ledger-more > summary').click();
    const answered = kaz.locator('li.ledger-line[data-ledger-action="communication.answer"]:visible').first();
    await answered.waitFor({ timeout: 20000 });
    assert.equal(await answered.getAttribute('data-verified'), 'true');
    const answerIndex = Number(await answered.getAttribute('data-ledger-index'));
    // The reply's request appended both; the header names the last of them.
    assert.ok(replySentIndex > sent.ackIndex && answerIndex > sent.ackIndex);
    assert.equal(Math.max(replySentIndex, answerIndex), replyIndex);
    await kazCtx.close();
    await uzbCtx.close();
  });

  it('shows under a STIX object, a proposal and a circulated revision their verified entries', async () => {
    // The entries the records API lists for a key, as that user: what the page must show.
    const listed = async (api, key) => (await api.get(`/api/v1/ledger/records?object=${encodeURIComponent(key)}`)).json.records;
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'poc.kaz');
    await page.goto(`${suite.server.base}/#/threats?forum=CICA`);
    const stix = page.locator('details[data-ledger-details^="stix:"]').first();
    await stix.waitFor();
    const stixKey = await stix.getAttribute('data-ledger-details');
    const stixRecords = await listed(await signedIn(suite.server.base, 'poc.kaz'), stixKey);
    assert.ok(stixRecords.length > 0, `${stixKey} has entries`);
    await stix.locator('summary').click();
    await expectVerified(page, stixRecords[0].index, 'Shared');

    await ctx.close();
    const ctx2 = await suite.browser.newContext();
    const page2 = await ctx2.newPage();
    const secretariat = await signedIn(suite.server.base, 'secretariat.cica');
    await signIn(page2, suite.server.base, 'secretariat.cica');
    await page2.goto(`${suite.server.base}/#/negotiation/1`);
    const proposal = page2.locator('details[data-ledger-details^="proposal:"]').first();
    await proposal.waitFor();
    const proposalRecords = await listed(secretariat, await proposal.getAttribute('data-ledger-details'));
    assert.ok(proposalRecords.length > 0);
    await proposal.locator('summary').click();
    await expectVerified(page2, proposalRecords[0].index, 'Proposal made');
    // A circulated revision shows its circulation under it.
    const doc = (await secretariat.get('/api/v1/negotiation/documents/1')).json;
    const circulated = [...doc.revisions].reverse().find((r) => r.circulated);
    await page2.goto(`${suite.server.base}/#/negotiation/1/${circulated.number}`);
    const revisionRecords = await listed(secretariat, `revision:1:${circulated.number}`);
    assert.equal(revisionRecords.length, 1);
    await expectVerified(page2, revisionRecords[0].index, 'Revision circulated');
    await ctx2.close();
  });

  it('shows a check started and each answer verified on the check report', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'secretariat.cica');
    await page.getByRole('link', { name: 'Communication checks' }).click();
    await page.getByLabel('Kind of contact').selectOption('technical');
    const started = page.waitForResponse((r) => /\/api\/v1\/checks(\?|$)/.test(r.url()) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Start a check now' }).click();
    const startRes = await started;
    const lastIndex = Number(startRes.headers()['parley-ledger-index']);
    await page.getByRole('heading', { name: /^Communication check \d+/ }).waitFor();
    const checkId = Number(page.url().match(/checks\/(\d+)/)[1]);
    const secretariat = await signedIn(suite.server.base, 'secretariat.cica');
    const startRecords = (await secretariat.get(`/api/v1/ledger/records?object=check:${checkId}`)).json.records;
    assert.equal(startRecords.length, 1);
    assert.ok(startRecords[0].index <= lastIndex, `${startRecords[0].index} within the request's entries (up to ${lastIndex})`);
    await expectVerified(page, startRecords[0].index, 'Check started');

    const comm = (await secretariat.get(`/api/v1/checks/${checkId}`)).json.communication_id;
    const kaz = await signedIn(suite.server.base, 'poc.kaz');
    const ack = await kaz.post(`/api/v1/communications/${comm}/ack`, {});
    assert.equal(ack.status, 200);
    const ackIndex = Number(ack.headers.get('parley-ledger-index'));
    await page.reload();
    await page.locator('details.ledger-answers > summary').click();
    await expectVerified(page, ackIndex, 'Acknowledged by KAZ');
    await ctx.close();
  });

  // An administrator reads every entry today; the other roles' read rules come with the
  // records branch. A negotiated document's record, opened on demand under it.
  const DOC = 'negotiation:document:1';
  const openDocumentRecords = async (page) => {
    await page.goto(`${suite.server.base}/#/negotiation/1`);
    await page.locator('article').first().waitFor();
    await page.locator(`details[data-ledger-details="${DOC}"] > summary`).click();
  };

  it('verifies a negotiation entry made in the page, at the index the API gave, and offers its receipt', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'admin');
    await page.goto(`${suite.server.base}/#/negotiation/1`);
    const card = page.locator('[data-proposal-card]').first();
    await card.waitFor();
    const commented = page.waitForResponse((r) => /\/proposals\/[^/]+\/comments$/.test(r.url()) && r.request().method() === 'POST');
    await card.getByLabel('Comment').fill('The secretariat notes the proposal.');
    await card.getByRole('button', { name: 'Comment' }).click();
    const res = await commented;
    assert.ok(res.status() < 300, String(res.status()));
    const index = Number(res.headers()['parley-ledger-index']);
    assert.ok(index > 0);
    await page.getByText('The secretariat notes the proposal.').first().waitFor();
    await openDocumentRecords(page);
    const l = await expectVerified(page, index, 'Comment added');
    // Every other entry of the document verifies too, none is left unchecked.
    const all = page.locator(`details[data-ledger-details="${DOC}"] li.ledger-line`);
    assert.ok((await all.count()) >= 3);
    assert.equal(await page.locator(`details[data-ledger-details="${DOC}"] li.ledger-line[data-verified="false"]`).count(), 0);
    const { vkey } = (await (await signedIn(suite.server.base, 'admin')).get('/api/v1/ledger/key')).json;
    const entry = checkReceiptOffline(await download(page, l, index), vkey, index);
    assert.deepEqual([entry.action, entry.object], ['negotiation.comment.added', DOC]);
    await page.screenshot({ path: join(suite.shots, 'ledger-negotiation.png'), fullPage: true });
    await ctx.close();
  });

  it('warns, and never says verified, when a receipt is altered in transit', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'admin');
    let altered = 0;
    // One character of the first hash of each inclusion proof changed (still base64).
    await page.route('**/api/v1/ledger/receipts/*', async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace(/^(index \d+\n)(.)/m, (_, head, c) => head + (c === 'A' ? 'B' : 'A'));
      altered += 1;
      await route.fulfill({ response: res, body });
    });
    await openDocumentRecords(page);
    const lines = page.locator(`details[data-ledger-details="${DOC}"] li.ledger-line`);
    await lines.first().waitFor({ timeout: 20000 });
    const first = lines.first();
    assert.equal(await first.getAttribute('data-verified'), 'false');
    const index = await first.getAttribute('data-ledger-index');
    const text = await first.innerText();
    assert.match(text, new RegExp(`recorded in the ledger at ${index}, but its receipt does NOT verify`));
    assert.match(text, /inclusion proof does not lead to the signed checkpoint/);
    assert.doesNotMatch(text, /, verified/);
    assert.ok(altered > 0);
    assert.equal(await page.locator('li.ledger-line[data-verified="true"]').count(), 0);
    await page.screenshot({ path: join(suite.shots, 'ledger-tampered.png'), fullPage: true });
    await ctx.close();
  });

  it('warns when the records list misnames an entry, or the log key is another', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'admin');
    // A server that says its document's first entry records something else.
    await page.route('**/api/v1/ledger/records?*', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      if (body.object === DOC) body.records[0].action = 'negotiation.document.adopted';
      await route.fulfill({ response: res, json: body });
    });
    await openDocumentRecords(page);
    const lines = page.locator(`details[data-ledger-details="${DOC}"] li.ledger-line`);
    await lines.first().waitFor({ timeout: 20000 });
    assert.equal(await lines.first().getAttribute('data-verified'), 'false');
    assert.match(await lines.first().innerText(), /Adopted — recorded in the ledger at \d+, but its receipt does NOT verify: the receipt is for another entry/);
    assert.equal(await lines.nth(1).getAttribute('data-verified'), 'true', 'the others are as they were');
    await page.unroute('**/api/v1/ledger/records?*');

    // A key the log did not sign with: nothing verifies.
    const { publicKey } = generateKeyPairSync('ed25519');
    const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
    const id = createHash('sha256').update(Buffer.concat([Buffer.from('parley.test/ledger\n\x01', 'latin1'), pub])).digest().subarray(0, 4);
    const other = `parley.test/ledger+${id.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`;
    await page.route('**/api/v1/ledger/key', (route) => route.fulfill({ json: { origin: 'parley.test/ledger', vkey: other } }));
    await page.reload();
    await openDocumentRecords(page);
    await lines.first().waitFor({ timeout: 20000 });
    assert.equal(await page.locator('li.ledger-line[data-verified="true"]').count(), 0);
    const text = await lines.first().innerText();
    assert.match(text, /does NOT verify: the checkpoint is not signed by the log key/);
    await ctx.close();
  });

  it('shows on the Ledger page the key the API serves, and the latest checkpoint verified', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'poc.kaz');
    await page.getByRole('link', { name: 'Ledger' }).click();
    await page.getByRole('heading', { name: 'Ledger', exact: true }).waitFor();
    const api = await signedIn(suite.server.base, 'poc.kaz');
    const key = (await api.get('/api/v1/ledger/key')).json;
    assert.equal(await page.locator('code[data-vkey]').innerText(), key.vkey);
    assert.equal(await page.locator('code[data-origin]').innerText(), key.origin);
    await page.locator('dd[data-verified="true"]').waitFor();
    const size = Number(await page.locator('dd[data-size]').getAttribute('data-size'));
    const checkpoint = (await api.get('/api/v1/ledger/checkpoint')).text;
    assert.ok(size > 0 && size <= Number(checkpoint.split('\n')[1]), `${size} against ${checkpoint.split('\n')[1]}`);
    const command = await page.locator('code[data-command="all"]').innerText();
    assert.ok(command.includes(`--url ${suite.server.base}`) && command.includes(`--log-key '${key.vkey}'`), command);
    await page.screenshot({ path: join(suite.shots, 'ledger-page.png'), fullPage: true });
    await ctx.close();
  });

  it('speaks Russian on the Ledger page and in the ledger lines', async () => {
    const ctx = await suite.browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, suite.server.base, 'admin');
    const api = await signedIn(suite.server.base, 'admin');
    assert.equal((await api.put('/api/v1/me/language', { language: 'ru' })).status, 200);
    try {
      const data = emptyData();
      const strings = (v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings)
        : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
      for (const path of ['/api/v1/negotiation/documents/1', '/api/v1/negotiation/documents/1/revisions/1', '/api/v1/states', '/api/v1/forums', '/api/v1/users'])
        addData(data, strings((await api.get(path)).json));
      await page.reload();
      await openDocumentRecords(page);
      const l = page.locator(`details[data-ledger-details="${DOC}"] li.ledger-line`).first();
      await l.waitFor({ timeout: 20000 });
      assert.match(await l.innerText(), /записано в реестр под номером \d+, проверено/);
      assert.deepEqual(await englishOnScreen(page, data), []);
      await page.goto(`${suite.server.base}/#/ledger`);
      await page.locator('dd[data-verified="true"]').waitFor();
      assert.deepEqual(await englishOnScreen(page, data), []);
      await page.screenshot({ path: join(suite.shots, 'ledger-page-ru.png'), fullPage: true });
    } finally {
      await api.put('/api/v1/me/language', { language: 'en' });
      await ctx.close();
    }
  });
});
