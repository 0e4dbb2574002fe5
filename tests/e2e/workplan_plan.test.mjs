// The work plan's document and the annual review in the browser. A secretariat signs in to
// its week. The ARF Unit opens the first version of the work plan through the form, sees
// its timeline (the activities linking to their pages) and circulates it by note verbale;
// Singapore's focal point then reads the circulated version, and not before. The
// secretariat opens the year's review with one click from the work plan's page: its
// figures, its charts, and the page to print in a new tab.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;
const YEAR = new Date().getUTCFullYear();

async function newPage(user) {
  const page = await (await suite.browser.newContext({ acceptDownloads: true })).newPage();
  await signIn(page, suite.server.base, user);
  return page;
}

describe('the work plan\'s document and review in the browser', () => {
  it('a secretariat starts on its week; a focal point on the directory', async () => {
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.server.base}/`);
    await page.getByLabel('Username').fill('secretariat.arf');
    await page.getByLabel('Password', { exact: true }).fill('parley-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'What needs the secretariat' }).waitFor();
    await page.locator('li[data-activity]').first().waitFor();   // the demo's workshop waits for the SOM
    assert.match(page.url(), /#\/workplan\/week\?forum=ARF$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
    const focal = await newPage('focal.sgp');   // signIn waits for the directory
    assert.match(focal.url(), /\/(#\/)?$/);
  });

  it('the ARF Unit opens, reads and circulates a version of the work plan', async () => {
    const sgp = await signedIn(suite.server.base, 'focal.sgp');
    const sec = await newPage('secretariat.arf');
    await sec.goto(`${suite.server.base}/#/workplan?forum=ARF`);
    await sec.getByRole('link', { name: 'Work plan: versions' }).click();
    await sec.getByRole('heading', { name: 'Work plan: versions' }).waitFor();
    await sec.getByText('No version of the work plan has been circulated yet.').waitFor();
    // The first version needs a title: the server's refusal is shown by the field.
    await sec.getByRole('button', { name: 'Open the draft' }).click();
    await sec.waitForFunction(() => document.querySelector('[data-field="title"] input')?.getAttribute('aria-invalid') === 'true');
    await sec.getByLabel('Title', { exact: true }).fill('ARF Work Plan on Security of and in the Use of ICTs');
    await sec.getByLabel('Period from').fill('2025-01-01');
    await sec.getByLabel('Period to').fill(`${YEAR + 1}-12-31`);
    await sec.getByRole('button', { name: 'Open the draft' }).click();
    await sec.getByRole('heading', { name: 'ARF Work Plan on Security of and in the Use of ICTs' }).waitFor();
    assert.match(await sec.locator('.plan-meta').innerText(), /ARF\/WP\/1 · Draft/);
    // The timeline is the server's picture, inline: the demo workshop links to its page.
    const workshop = (await (await signedIn(suite.server.base, 'secretariat.arf')).get('/api/v1/workplan/activities?forum=ARF')).json.items
      .find((a) => a.title.startsWith('ARF Workshop on Operationalising'));
    const bar = sec.locator(`figure.plan-timeline svg a[href="#/workplan/activities/${workshop.id}"]`);
    await bar.waitFor();
    assert.equal(await sec.locator(`section.plan-item li[data-activity="${workshop.id}"]`).count(), 1);
    await sec.screenshot({ path: join(shots, 'workplan-plan-draft.png'), fullPage: true });
    // Singapore does not see the draft.
    assert.equal((await sgp.get('/api/v1/workplan/plans?forum=ARF')).json.items.length, 0);

    await sec.getByRole('button', { name: 'Circulate by note verbale' }).click();
    await sec.locator('.plan-meta', { hasText: 'Circulated' }).waitFor();
    assert.match(await sec.locator('.plan-meta').innerText(), /circulated by note verbale ARF\//);
    assert.equal(await sec.getByRole('button', { name: 'Circulate by note verbale' }).count(), 0);
    // Clicking the workshop's bar opens its page.
    await sec.locator(`figure.plan-timeline svg a[href="#/workplan/activities/${workshop.id}"]`).click();
    await sec.getByRole('heading', { name: workshop.title }).waitFor();

    const focal = await newPage('focal.sgp');
    await focal.goto(`${suite.server.base}/#/workplan/plans?forum=ARF`);
    await focal.getByRole('link', { name: 'ARF/WP/1' }).click();
    await focal.getByRole('heading', { name: 'ARF Work Plan on Security of and in the Use of ICTs' }).waitFor();
    assert.equal(await focal.getByRole('button', { name: 'Circulate by note verbale' }).count(), 0, 'not the focal point\'s to circulate');
    const md = await focal.getByRole('link', { name: 'Markdown' }).getAttribute('href');
    const text = await (await focal.request.get(`${suite.server.base}${md}`)).text();
    assert.match(text, /^# ARF Work Plan on Security of and in the Use of ICTs\n/);
  });

  it('the annual review is one click from the work plan, and prints', async () => {
    const sec = await newPage('secretariat.arf');
    await sec.goto(`${suite.server.base}/#/workplan?forum=ARF`);
    await sec.getByRole('link', { name: `Annual review ${YEAR}` }).click();
    await sec.getByRole('heading', { name: `Annual review ${YEAR}` }).waitFor();
    const review = (await (await signedIn(suite.server.base, 'secretariat.arf')).get(`/api/v1/workplan/review?forum=ARF&year=${YEAR}`)).json;
    await sec.locator('li[data-figure="held"]').waitFor();
    assert.equal(await sec.locator('li[data-figure="held"]').innerText(),
      `Activities held: ${review.summary.activities_held}; still planned: ${review.summary.activities_planned}.`);
    assert.equal(await sec.locator('table.review-states tbody tr').count(), review.states.length);
    // The three charts are drawn (the images loaded).
    await sec.waitForFunction(() => [...document.querySelectorAll('figure.review-chart img')].every((i) => i.complete && i.naturalWidth > 0));
    assert.equal(await sec.locator('figure.review-chart img').count(), 3);
    await sec.screenshot({ path: join(shots, 'workplan-review.png'), fullPage: true });
    const [printed] = await Promise.all([sec.context().waitForEvent('page'), sec.getByRole('link', { name: 'Open the review to print (HTML)' }).click()]);
    await printed.getByRole('heading', { name: `ARF: annual review ${YEAR}` }).waitFor();
    assert.equal(await printed.locator('svg').count(), 3);
    await printed.emulateMedia({ media: 'print' });
    await printed.screenshot({ path: join(shots, 'workplan-review-print.png'), fullPage: true });
  });
});
