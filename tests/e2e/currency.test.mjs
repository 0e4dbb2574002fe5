// Browser tests of keeping the directory current: the CSV import screen (choose a file,
// map its columns from lists, preview errors per row, import), the reconfirmation
// screens (a secretariat starts and follows one, a focal point confirms its entries),
// and the expired badge and filter.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

const sheet = (email) => Buffer.from('\uFEFF' + [
  'Country;Full name;Type;E-mail;Comment',
  `KAZ;Browser Import-One;technical;${email};"a; note"`,
  'Thailand;Browser Import-Two;policy;two@mfa.example.th;',
].join('\r\n') + '\r\n');

describe('importing a spreadsheet in the browser', () => {
  it('maps columns from lists, previews each row\'s errors, then imports', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'secretariat.cica');
    await page.getByRole('link', { name: 'Import from a spreadsheet (CSV)' }).click();
    await page.getByRole('heading', { name: 'Import points of contact from a spreadsheet' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: sheet('not-an-address') });
    // Each column gets a list of fields, with the likely one chosen from its header.
    const emailColumn = page.getByLabel('Column “E-mail”');
    await emailColumn.waitFor();
    assert.equal(await emailColumn.inputValue(), 'email');
    assert.equal(await page.getByLabel('Column “Country”').inputValue(), 'state');
    assert.equal(await page.getByLabel('Column “Comment”').inputValue(), '');
    await page.getByLabel('Availability').selectOption('24/7');
    await page.getByRole('button', { name: 'Preview (nothing is written)' }).click();
    const bad = page.locator('tr[data-row="2"]');
    await bad.waitFor();
    assert.equal(await bad.getAttribute('data-action'), 'error');
    assert.match(await bad.innerText(), /E-mail: is not an e-mail address/);
    assert.equal(await page.locator('tr[data-row="3"]').getAttribute('data-action'), 'create');
    assert.ok(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'no import while a row has errors');
    await page.screenshot({ path: join(shots, 'import-preview.png'), fullPage: true });

    await page.getByLabel('CSV file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: sheet('one@cert.example.kz') });
    await page.getByLabel('Availability').selectOption('24/7');
    await page.getByRole('button', { name: 'Preview (nothing is written)' }).click();
    await page.locator('tr[data-row="2"][data-action="create"]').waitFor();
    const api = await signedIn(suite.server.base, 'poc.kaz');
    assert.equal((await api.get('/api/v1/contacts?q=Browser%20Import-One')).json.total, 0, 'the preview wrote nothing');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Imported.' }).waitFor();
    const stored = await api.get('/api/v1/contacts?q=Browser%20Import-One');
    assert.equal(stored.json.total, 1);
    assert.equal(stored.json.items[0].channels[0].value, 'one@cert.example.kz');
    await page.close();
  });
});

describe('reconfirmation in the browser', () => {
  it('lets the secretariat start one, a focal point confirm, and the secretariat see who answered', async () => {
    const sec = await suite.browser.newPage();
    await signIn(sec, suite.server.base, 'secretariat.cica');
    await sec.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reconfirmation' }).click();
    await sec.getByRole('heading', { name: 'Start a reconfirmation' }).waitFor();
    const due = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
    await sec.getByLabel('Due date', { exact: true }).fill(due);
    // The console shows dates in the user's language (Intl), as "Dec 19, 2026" in English.
    const shown = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${due}T00:00:00Z`));
    await sec.getByRole('button', { name: 'Ask the member states' }).click();
    await sec.getByRole('heading', { name: /^Reconfirmation \d+ of CICA$/ }).waitFor();
    assert.match(await sec.locator('[data-summary]').innerText(), /28 states: 0 confirmed, 28 not answered/);
    const detailUrl = sec.url();

    const focal = await suite.browser.newPage();
    await signIn(focal, suite.server.base, 'focal.kaz');
    // The request is a task where the focal point lands, leading to its screen.
    await focal.getByRole('link', { name: new RegExp(`CICA asks you to confirm your State's points of contact by ${shown}`) }).click();
    const request = focal.locator('section[data-request]');
    await request.waitFor();
    assert.match(await request.innerText(), new RegExp(`CICA asks you to confirm your entries by ${shown}`));
    assert.ok(await request.locator('table.contacts tbody tr').count() > 0, 'its entries are shown');
    await focal.screenshot({ path: join(shots, 'reconfirmation-focal-point.png'), fullPage: true });
    await focal.getByLabel('Note to the secretariat (optional)').fill('All current.');
    await focal.getByRole('button', { name: 'Confirm our entries' }).click();
    await focal.locator('[data-no-request]').waitFor();
    await focal.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
    await focal.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
    await focal.waitForTimeout(300);
    assert.equal(await focal.locator('[data-task]').count(), 0, 'no task once answered');

    await sec.goto(detailUrl);
    await sec.reload();
    const kaz = sec.locator('tr[data-state="KAZ"]');
    await kaz.waitFor();
    assert.equal(await kaz.getAttribute('data-status'), 'confirmed');
    assert.match(await kaz.innerText(), /All current\./);
    assert.match(await sec.locator('[data-summary]').innerText(), /1 confirmed, 27 not answered/);
    await sec.getByLabel('Show').selectOption('confirmed');
    assert.equal(await sec.locator('table.reconfirmation-states tbody tr').count(), 1);
    await sec.screenshot({ path: join(shots, 'reconfirmation-secretariat.png'), fullPage: true });
    await sec.close();
    await focal.close();
  });
});

describe('contacts past their validity in the browser', () => {
  it('carry a visible badge, and the directory filters them', async () => {
    const admin = await signedIn(suite.server.base, 'admin');
    const r = await admin.post('/api/v1/contacts', {
      state: 'KAZ', name: 'Lapsed Browser Person', type: 'policy', availability: '24/7', valid_until: '2021-06-30' });
    assert.equal(r.status, 201, r.text);
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.kaz');
    await page.getByLabel('Validity').selectOption('true');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/expired=true/);
    const row = page.locator('table.contacts tbody tr', { hasText: 'Lapsed Browser Person' });
    await row.waitFor();
    assert.ok(await row.locator('[data-expired]').isVisible());
    assert.equal(await page.locator('table.contacts tbody tr').count(), 1, 'only the expired contact');
    await page.close();
  });
});
