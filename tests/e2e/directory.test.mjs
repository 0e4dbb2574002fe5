// Browser tests: real Chromium against the real server and its built console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

describe('directory in the browser', () => {
  it('refuses a wrong password with a visible, announced error', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.base}/`);
    await page.getByLabel('Username').fill('focal.kaz');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /username or password is not correct/);
    await page.close();
  });

  it('lets a point of contact search the directory and open a state', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.tha');
    await page.getByLabel('Name, position, agency or address').fill('csirt');
    await page.getByLabel('Type').selectOption('technical');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=csirt/);
    const rows = page.locator('table.contacts tbody tr');
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 10, `found ${count}`);
    const types = await page.locator('table.contacts tbody tr td:nth-child(4)').allInnerTexts();
    assert.ok(types.every((t) => t === 'Technical'), types.join(','));

    await page.getByLabel('State or participant').selectOption('KAZ');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: /^1 point of contact$/ }).waitFor();
    await page.getByRole('link', { name: 'Kazakhstan (KAZ)' }).click();
    await page.getByRole('heading', { name: /Kazakhstan/ }).first().waitFor();
    assert.ok(await page.getByText('Member of: CICA').isVisible());
    assert.equal(await page.getByRole('link', { name: 'Nominate a point of contact' }).count(), 0, 'a PoC cannot nominate');
    await page.screenshot({ path: join(shots, 'state-page.png'), fullPage: true });
    await page.close();
  });

  it('lets a focal point edit its own contact, shows field errors, and alerts others live', async () => {
    const watcher = await suite.browser.newPage();
    await signIn(watcher, suite.server.base, 'secretariat.cica');
    await watcher.locator('.live-state.on').waitFor();

    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'focal.kaz');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KAZ' }).click();
    await page.getByRole('link', { name: 'Nominate a point of contact' }).waitFor();
    const first = page.locator('table.contacts tbody tr').first();
    const name = await first.locator('th a').innerText();
    await first.locator('th a').click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Position').waitFor();

    // A bad e-mail is refused next to its field, and nothing is saved.
    const value = page.getByLabel('Address or number').first();
    await value.fill('not-an-address');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('is not an e-mail address').waitFor();
    assert.equal(await value.getAttribute('aria-invalid'), 'true');

    await value.fill('duty-officer@kaz.demo.parley.example');
    await page.getByLabel('Position').fill('Director, ICT Security Policy');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();   // the read view, not "Edit …"
    await page.getByText('Director, ICT Security Policy', { exact: true }).waitFor();

    // The change reached the suite.server...
    const api = await signedIn(suite.server.base, 'poc.kaz');
    const stored = (await api.get(`/api/v1/contacts?state=KAZ&q=${encodeURIComponent(name)}`)).json.items[0];
    assert.equal(stored.position, 'Director, ICT Security Policy');
    assert.equal(stored.channels[0].value, 'duty-officer@kaz.demo.parley.example');
    // ...and the secretariat's open console was alerted.
    const alert = watcher.getByRole('alert').filter({ hasText: 'Directory change for KAZ' });
    await alert.first().waitFor({ timeout: 10000 });
    await page.screenshot({ path: join(shots, 'contact-edited.png'), fullPage: true });
    await watcher.close();
    await page.close();
  });

  it('carries a nomination from the focal point to the secretariat\'s approval', async () => {
    const focal = await suite.browser.newPage();
    await signIn(focal, suite.server.base, 'focal.kaz');
    await focal.goto(`${suite.server.base}/#/contacts/new?state=KAZ`);
    await focal.getByLabel('Full name').fill('Nurlan Browser-Test');
    await focal.getByLabel('Position').fill('Analyst');
    await focal.getByLabel('Address or number').first().fill('nurlan@kaz.demo.parley.example');
    await focal.getByLabel('Nomination reference (e.g. note verbale)').fill('Note verbale KAZ/ICT/777/2026');
    await focal.getByRole('button', { name: 'Save' }).click();
    await focal.getByRole('heading', { name: /Nurlan Browser-Test/ }).waitFor();
    assert.ok(await focal.getByText('Nomination pending').first().isVisible());

    const sec = await suite.browser.newPage();
    await signIn(sec, suite.server.base, 'secretariat.cica');
    await sec.getByRole('link', { name: 'Nominations' }).click();
    const item = sec.locator('li.card', { hasText: 'Nurlan Browser-Test' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Approve' }).click();
    await item.waitFor({ state: 'detached' });

    const api = await signedIn(suite.server.base, 'poc.kaz');
    const found = (await api.get('/api/v1/contacts?q=Nurlan')).json.items;
    assert.equal(found.length, 1);
    assert.equal(found[0].status, 'active');
    assert.equal(found[0].decided_by, 'secretariat.cica');
    await focal.close();
    await sec.close();
  });

  it('returns to sign-in when the session ends, then back to the same page', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.kaz');
    await page.goto(`${suite.server.base}/#/states/THA`);
    await page.getByRole('heading', { name: /Thailand/ }).first().waitFor();
    await page.context().clearCookies();   // as if the session expired
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    await page.goto(`${suite.server.base}/#/states/THA`);
    await page.getByLabel('Username').fill('poc.kaz');
    await page.getByLabel('Password', { exact: true }).fill('parley-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Thailand/ }).first().waitFor();
    await page.close();
  });

  it('is usable from the keyboard alone', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.base}/`);
    await page.getByLabel('Username').waitFor();
    // The username field has focus on load; type, tab, type, Enter.
    await page.keyboard.type('poc.kaz');
    await page.keyboard.press('Tab');
    await page.keyboard.type('parley-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
    await page.screenshot({ path: join(shots, 'directory.png'), fullPage: false });
    await page.close();
  });
});
