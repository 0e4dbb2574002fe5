// The work plan's measures in the browser. The CICA's secretariat adds a measure through
// the form (the server's refusal of a coordinator outside the forum shown next to the
// field); Kazakhstan's focal point reports on it from its state's row and sees the matrix
// turn green in its cell; the matrix is filtered by status and exported as a PNG drawn
// from the server's SVG; the United States' point of contact (not a CICA member) is
// refused the CICA's matrix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

async function newPage(user) {
  const page = await (await suite.browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(page, suite.server.base, user);
  return page;
}

// Waits for the matrix, or for the problem shown instead of it (and fails with its text).
async function matrixShown(page) {
  await page.locator('table.wp-table, .wp-matrix [role="alert"]').first().waitFor();
  const problem = page.locator('.wp-matrix [role="alert"]');
  if (await problem.count()) assert.fail(`the matrix is not shown: ${await problem.innerText()}`);
}

describe('work plan in the browser', () => {
  it('the secretariat adds a measure through the form, with the server\'s refusal next to the field', async () => {
    const sec = await newPage('secretariat.cica');
    await sec.getByRole('link', { name: 'Work plan', exact: true }).click();
    await sec.getByRole('heading', { name: 'Work plan: implementation of measures' }).waitFor();
    await matrixShown(sec);
    await sec.getByLabel('Code', { exact: true }).fill('E2E-1');
    await sec.getByLabel('Title', { exact: true }).fill('Exchange of national points of contact lists');
    await sec.getByLabel('Coordinating states', { exact: true }).fill('USA');   // a CICA observer, not a member
    await sec.getByRole('button', { name: 'Add the measure' }).click();
    await sec.waitForFunction(() => document.querySelector('[data-field="coordinators"] input')?.getAttribute('aria-invalid') === 'true');
    assert.match(await sec.locator('[data-field="coordinators"] .field-error').innerText(), /USA is not a member of CICA/);
    await sec.getByLabel('Coordinating states', { exact: true }).fill('KAZ');
    await sec.getByRole('button', { name: 'Add the measure' }).click();
    await sec.locator('.wp-measures li[data-measure="E2E-1"]').waitFor();
    assert.match(await sec.locator('.wp-measures li[data-measure="E2E-1"]').innerText(), /Coordinator: Kazakhstan/);
    await sec.locator('table.wp-table thead th', { hasText: 'E2E-1' }).waitFor();
    await sec.screenshot({ path: join(shots, 'workplan-matrix.png'), fullPage: true });

    // The secretariat's week: the states that have not reported on every measure, each
    // linking to its row; the new measure counts for all of them.
    await sec.getByRole('link', { name: 'This week', exact: true }).click();
    await sec.getByRole('heading', { name: 'What needs the secretariat' }).waitFor();
    const afg = sec.locator('li[data-state="AFG"]');
    await afg.waitFor();
    assert.match(await afg.innerText(), /Afghanistan — 5 of 5 measures not reported/);
    await afg.getByRole('link').click();
    await sec.getByRole('heading', { name: 'Implementation by Afghanistan' }).waitFor();
  });

  it('a focal point reports from its state\'s row, and the matrix shows it', async () => {
    const kaz = await newPage('focal.kaz');
    await kaz.goto(`${suite.server.base}/#/workplan?forum=CICA`);
    const cell = () => kaz.locator('tr[data-state="KAZ"] td');   // Kazakhstan's cells, a measure each
    await matrixShown(kaz);
    const headers = await kaz.locator('table.wp-table thead th').allInnerTexts();
    const col = headers.indexOf('E2E-1') - 1;
    assert.ok(col >= 0, headers.join());
    assert.equal(await cell().nth(col).getAttribute('data-status'), 'not_reported');

    await kaz.locator('tr[data-state="KAZ"] th a').click();
    await kaz.getByRole('heading', { name: 'Implementation by Kazakhstan' }).waitFor();
    const item = kaz.locator('.wp-row > li[data-measure="E2E-1"]');
    await item.locator('summary').click();
    await item.getByLabel('Status').selectOption('implemented');
    await item.getByLabel('As of').fill('2026-01-15');
    await item.getByLabel('Note').fill('List exchanged at the SWG meeting.');
    await item.getByRole('button', { name: 'Report' }).click();
    await item.locator('.wp-history li').first().waitFor();
    assert.match(await item.locator('.wp-history li').first().innerText(), /Implemented[\s\S]*List exchanged at the SWG meeting\./);

    await kaz.getByRole('link', { name: /Back to the matrix/ }).click();
    await matrixShown(kaz);
    await kaz.waitForFunction((c) => document.querySelectorAll('tr[data-state="KAZ"] td')[c]?.getAttribute('data-status') === 'implemented', col);
    assert.equal(await cell().nth(col).innerText().then((s) => s.trim().charAt(0)), 'I');

    // Filtered to what has not been reported: Kazakhstan's cell for the measure is left out.
    await kaz.getByLabel('Status').selectOption('not_reported');
    await kaz.getByRole('button', { name: 'Show' }).click();
    await kaz.waitForFunction(() => location.hash.includes('status=not_reported'));
    await matrixShown(kaz);
    const statuses = await kaz.locator('table.wp-table td[data-status]').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')));
    assert.ok(statuses.length > 0);
    assert.ok(statuses.every((s) => s === 'not_reported'), statuses.join());
  });

  it('exports the matrix as a PNG drawn from the server\'s SVG', async () => {
    const kaz = await newPage('focal.kaz');
    await kaz.goto(`${suite.server.base}/#/workplan?forum=CICA`);
    await matrixShown(kaz);
    const [download] = await Promise.all([kaz.waitForEvent('download'), kaz.getByRole('button', { name: 'PNG' }).click()]);
    assert.equal(download.suggestedFilename(), 'cica-implementation.png');
    const png = readFileSync(await download.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: twice the SVG's size.
    const svg = (await (await signedIn(suite.server.base, 'focal.kaz')).get('/api/v1/workplan/matrix?forum=CICA&format=svg')).text;
    const [, w, hgt] = svg.match(/width="(\d+)" height="(\d+)"/);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2 * Number(w), 2 * Number(hgt)]);
  });

  it('the secretariat plans and convenes a meeting; a focal point registers its delegation', async () => {
    const sec = await newPage('secretariat.cica');
    sec.on('dialog', (d) => void d.accept());
    await sec.goto(`${suite.server.base}/#/workplan?forum=CICA`);
    await sec.getByRole('link', { name: 'Bodies and meetings' }).click();
    await sec.locator('form.meeting-form').waitFor();
    const form = sec.locator('form.meeting-form');
    const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
    await form.getByLabel('Body').selectOption({ label: 'SOC · Senior Officials\' Committee' });
    await form.getByLabel('Meeting', { exact: true }).fill('Regular meeting');
    await form.getByLabel('First day').fill(inDays(50));
    await form.getByLabel('Agenda').fill('Opening\nWork plan review');
    await form.getByRole('button', { name: 'Plan the meeting' }).click();
    // Neither a place nor a link: the server's refusal, next to the field.
    await sec.waitForFunction(() => document.querySelector('[data-field="place"] input')?.getAttribute('aria-invalid') === 'true');
    await form.getByLabel('Place').fill('Baku');
    await form.getByRole('button', { name: 'Plan the meeting' }).click();
    await sec.getByRole('heading', { name: 'Senior Officials\' Committee: Regular meeting' }).waitFor();
    assert.deepEqual(await sec.locator('ol.agenda li').allInnerTexts(), ['Opening', 'Work plan review']);
    const meetingUrl = sec.url();
    await sec.getByRole('button', { name: 'Convene (send the note verbale)' }).click();
    await sec.locator('[data-status="convened"]').waitFor();
    assert.match(await sec.locator('[data-status="convened"]').innerText(), /convened by note verbale NCT\/ICT\/\d+/);

    const kaz = await newPage('focal.kaz');
    await kaz.goto(meetingUrl);
    const reg = kaz.locator('form.delegation-form');
    await reg.waitFor();
    await reg.getByLabel(/Members/).fill('Aigerim Alden; Director; head\nDaniyar Borsa; Expert');
    await reg.getByRole('button', { name: 'Register the delegation' }).click();
    await kaz.locator('ul.delegations li[data-state="KAZ"]').waitFor();
    assert.match(await kaz.locator('ul.delegations li[data-state="KAZ"]').innerText(), /Aigerim Alden \(Director\) head of delegation; Daniyar Borsa \(Expert\)/);
    // Kazakhstan's focal point subscribes: the secret address is shown once and serves the meeting.
    await kaz.getByRole('link', { name: /All meetings of/ }).click();
    await kaz.getByRole('button', { name: 'New feed of all my forums' }).click();
    const address = await kaz.getByLabel('Calendar address').inputValue();
    const ics = await (await fetch(address)).text();
    assert.match(ics, /^BEGIN:VCALENDAR/);
    assert.match(ics, /SUMMARY:CICA · Senior Officials' Committee: Regular meeting/);
    await kaz.locator('ul.feeds li').first().getByRole('button', { name: 'Revoke' }).click();
    await kaz.waitForFunction(() => document.querySelectorAll('ul.feeds li').length === 0);
    assert.equal((await fetch(address)).status, 404);
    // The hotline carries the note to Kazakhstan's points of contact.
    const inbox = (await (await signedIn(suite.server.base, 'poc.kaz')).get('/api/v1/communications?box=inbox&limit=20')).json.items;
    assert.ok(inbox.some((c) => c.type === 'note_verbale' && /Regular meeting/.test(c.subject)), inbox.map((c) => c.subject).join(' | '));
  });

  it('a state outside the forum is refused its matrix', async () => {
    const usa = await newPage('poc.usa');
    await usa.goto(`${suite.server.base}/#/workplan?forum=CICA`);
    await usa.getByRole('alert').waitFor();
    assert.equal(await usa.locator('table.wp-table').count(), 0);
    assert.match(await usa.getByRole('alert').innerText(), /no measures of CICA for you|not found/i);
  });
});
