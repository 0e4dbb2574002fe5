// Browser tests of the forum screens: the admin creates a forum with names in two
// languages, adds participants by choosing them by name from a searchable list (no
// code typed), one leaves; the demo's CICA shows its participants (observers too) and
// the ARF its ASEAN group; a forum's secretariat sees no administration forms.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

describe('forums in the browser', () => {
  it('lets the admin create a forum and add participants by name', async () => {
    const page = await suite.browser.newPage();
    page.on('dialog', (d) => d.accept());
    await signIn(page, suite.server.base, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Forums' }).click();
    await page.getByRole('heading', { name: 'Forums', exact: true }).waitFor();
    await page.locator('[data-forum="CICA"]').waitFor();   // the list loads after the heading

    const form = page.getByRole('form', { name: 'Create a forum' });
    await form.getByLabel('Code (e.g. OSCE)').fill('OSCE');
    await form.getByLabel('Name', { exact: true }).fill('Organization for Security and Co-operation in Europe');
    await form.getByLabel('Abbreviation').fill('OSCE');
    await form.getByRole('button', { name: 'Add a name in another language' }).click();
    const second = form.locator('.name-row').nth(1);
    await second.locator('select').selectOption('ru');
    await second.getByLabel('Name', { exact: true }).fill('Организация по безопасности и сотрудничеству в Европе');
    await second.getByLabel('Abbreviation').fill('ОБСЕ');
    await form.getByLabel('Time zone').selectOption('Europe/Vienna');
    await form.getByLabel('Secretariat').fill('OSCE Secretariat, Vienna');
    await form.getByRole('button', { name: 'Create a forum' }).click();

    await page.waitForURL(/#\/forums\/OSCE$/);
    await page.getByRole('heading', { name: /Organization for Security and Co-operation in Europe/ }).waitFor();
    assert.ok(await page.locator('dl.facts dd', { hasText: 'Europe/Vienna' }).isVisible());
    assert.ok(await page.getByText('No participant is recorded yet.').isVisible());

    // Participants are chosen by name: search, tick, add.
    const add = page.getByRole('form', { name: 'Add participants' });
    const search = add.getByLabel('Find states and participants by name');
    await search.fill('austr');
    await add.getByLabel('Austria', { exact: true }).check();
    await search.fill('switz');
    await add.getByLabel('Switzerland', { exact: true }).check();
    assert.equal(await add.getByLabel('Australia', { exact: true }).isVisible(), false, 'the search hides other names');
    assert.ok(await add.getByText('2 chosen').isVisible());
    await add.getByRole('button', { name: 'Add the chosen participants' }).click();
    const rows = page.locator('table.participants tbody tr');
    await page.locator('tr[data-state="AUT"]').waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await page.locator('tr[data-state="CHE"]').innerText(), /Switzerland\s+Member/);

    // One leaves today: the row stays, as past.
    await page.getByRole('button', { name: 'Switzerland leaves the forum today' }).click();
    await page.locator('tr[data-state="CHE"].past').waitFor();
    assert.match(await page.locator('tr[data-state="CHE"]').innerText(), /past/);
    await page.screenshot({ path: join(shots, 'forum-page.png'), fullPage: true });

    // What the browser did is what the API holds.
    const admin = await signedIn(suite.server.base, 'admin');
    const f = await admin.get('/api/v1/forums/OSCE', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(f.json.name, 'Организация по безопасности и сотрудничеству в Европе');
    assert.equal(f.json.abbreviation, 'ОБСЕ');
    assert.equal(f.json.timezone, 'Europe/Vienna');
    assert.equal(f.json.members, 1);
    await page.close();
  });

  it('shows a forum\'s participants with their kind and its groups, without forms for its secretariat', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'secretariat.arf');
    await page.goto(`${suite.server.base}/#/forums/CICA`);
    await page.getByRole('heading', { name: /Conference on Interaction and Confidence Building Measures in Asia/ }).waitFor();
    assert.match(await page.locator('tr[data-state="JPN"]').innerText(), /Observer/);
    assert.match(await page.locator('tr[data-state="KAZ"]').innerText(), /Kazakhstan\s+Member/);
    assert.equal(await page.getByRole('form', { name: 'Add participants' }).count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Define a group' }).count(), 0, 'not its forum');
    await page.goto(`${suite.server.base}/#/forums/ARF`);
    await page.locator('[data-group="ASEAN"]').waitFor();
    assert.match(await page.locator('[data-group="ASEAN"]').innerText(), /ASEAN Member States — .*Singapore/);
    assert.equal(await page.getByRole('form', { name: 'Define a group' }).count(), 1, 'its own forum\'s groups');
    assert.equal(await page.getByRole('form', { name: 'Add participants' }).count(), 0);
    await page.close();
  });
});
