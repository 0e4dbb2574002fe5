// The library and the glossary in the browser. Kazakhstan's focal point submits a
// contribution through the form (the form's own checks, then the server's refusal of a
// forum Kazakhstan is not in, shown next to the field), uploads its text as a file and
// watches the progress bar to the end; the CICA's secretariat publishes it; a point of
// contact of Uzbekistan (a CICA member) finds it by a word of the file, with the word
// highlighted in a snippet, and narrows the search with the quick filters; the United
// States' point of contact (not a CICA member) finds nothing and cannot open it. In the
// glossary, two states' focal points define a term and the comparison highlights the
// words that only one definition has.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TITLE = 'Law on the security of critical information infrastructure';
const WORD = 'ксенотелеметрия';   // a word only the file has: found only once its text is read
// A text file of some 300 KB (the progress bar has something to show), the word near its start.
const TEXT = `Статья 1. Операторы критической информационной инфраструктуры обеспечивают ${WORD} и кибербезопасность.\n` +
  'Статья 2. Настоящий закон применяется к объектам критической информационной инфраструктуры.\n'.repeat(2000);

async function newPage(user) {
  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.base, user);
  return page;
}

// Polls the API (a signed-in client) until fn's answer is truthy, at a gentle pace.
async function waitFor(fn, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > deadline) return v;
    await sleep(250);
  }
}

describe('library in the browser', () => {
  let contributionUrl;
  let contributionId;

  it('a focal point submits a contribution through the form, uploads its text with progress, and edits it', async () => {
    const kaz = await newPage('focal.kaz');
    await kaz.getByRole('link', { name: 'Library', exact: true }).click();
    await kaz.getByRole('heading', { name: 'Library of national documents' }).waitFor();
    await kaz.getByRole('link', { name: 'Submit a contribution' }).click();
    await kaz.getByRole('heading', { name: 'Submit a contribution to the library' }).waitFor();

    // The form's own checks: nothing is sent without a kind and a title.
    await kaz.getByRole('button', { name: 'Submit', exact: true }).click();
    await kaz.getByText('Give the title.').waitFor();
    await kaz.getByText('Choose a kind.').waitFor();

    // The server's refusal, next to the field it names: Kazakhstan is not in the ARF.
    await kaz.getByLabel('Forum', { exact: true }).fill('ARF');
    await kaz.getByLabel('Kind', { exact: true }).selectOption('law');
    await kaz.getByLabel('Title', { exact: true }).fill(TITLE);
    await kaz.getByRole('button', { name: 'Submit', exact: true }).click();
    const forumField = kaz.getByLabel('Forum', { exact: true });
    await kaz.waitForFunction(() => document.querySelector('[data-field="forum"] input')?.getAttribute('aria-invalid') === 'true');
    assert.ok((await kaz.locator('[data-field="forum"] .field-error').innerText()).length > 0);

    await forumField.fill('CICA');
    await kaz.getByLabel('Summary').fill('Obligations of operators of critical information infrastructure.');
    await kaz.getByLabel('Issuing body').fill('Parliament of the Republic of Kazakhstan');
    await kaz.getByLabel('Adopted on').fill('2017-11-28');
    await kaz.getByLabel('Status', { exact: true }).selectOption('in_force');
    await kaz.getByLabel('Who may read it').selectOption('forum');
    await kaz.getByLabel('TLP', { exact: true }).selectOption('TLP:GREEN');
    await kaz.getByLabel(/^Tags/).fill('norm-13 cbm-3');
    await kaz.getByRole('button', { name: 'Submit', exact: true }).click();
    await kaz.getByRole('heading', { name: TITLE }).waitFor();
    contributionUrl = kaz.url();
    contributionId = Number(/#\/library\/(\d+)$/.exec(contributionUrl)?.[1]);
    assert.ok(contributionId > 0, contributionUrl);
    assert.match(await kaz.locator('.meta').first().innerText(), /Awaiting publication/);
    assert.match(await kaz.locator('dl.facts').innerText(), /cbm-3[\s\S]*norm-13/);

    // The upload, throttled so that the bar moves: every value it shows is recorded.
    const cdp = await kaz.context().newCDPSession(kaz);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
    await kaz.evaluate(() => {
      const bar = document.querySelector('form.version-form progress');
      window.seenProgress = [];
      new MutationObserver(() => window.seenProgress.push(Number(bar.value))).observe(bar, { attributes: true, attributeFilter: ['value'] });
    });
    await kaz.getByLabel('Language (e.g. en, ru, zh-Hans)').fill('ru');
    await kaz.getByLabel('This version is').selectOption('original');
    await kaz.getByLabel('File', { exact: true }).setInputFiles({ name: 'zakon.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXT) });
    await kaz.getByRole('button', { name: 'Upload' }).click();
    await kaz.locator('form.version-form[data-upload="done"]').waitFor({ timeout: 30000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.match(await kaz.locator('.upload-status').innerText(), /^Uploaded zakon\.txt \(\d+(\.\d)? KB\)/);
    assert.equal(await kaz.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value'), '100');
    const seen = await kaz.evaluate(() => window.seenProgress);
    assert.equal(seen.at(-1), 100);
    assert.ok(seen.some((p) => p > 0 && p < 100), `the bar moved through intermediate values: ${seen}`);

    // The version, side by side with any other, and its text read in the background.
    const card = kaz.locator('.version[data-version="ru"]');
    await card.waitFor();
    assert.match(await card.innerText(), /Russian[\s\S]*Original[\s\S]*zakon\.txt/);
    await card.getByText(/read: \d+ pages?, searchable/).waitFor({ timeout: 30000 });
    // Its text, as read, to read beside the other versions.
    await card.locator('.version-text').getByText(WORD, { exact: false }).first().waitFor();
    assert.match(await card.locator('.version-reader .pager').innerText(), /Page 1 of \d+/);
    assert.equal(await card.getByRole('link', { name: 'Download' }).getAttribute('href'), `/api/v1/library/contributions/${contributionId}/versions/ru/file`);
    // No publish button for the state itself.
    assert.equal(await kaz.getByRole('button', { name: 'Publish' }).count(), 0);
    await kaz.screenshot({ path: join(shots, 'library-uploaded.png'), fullPage: true });

    // An edit (NEW in the contract: can_edit, PATCH, revisions) keeps the revision it replaces.
    const edit = kaz.getByRole('link', { name: 'Edit', exact: true });
    await edit.click();
    await kaz.getByRole('heading', { name: `Edit “${TITLE}”` }).waitFor();
    await kaz.getByLabel('In force since').fill('2018-01-01');
    await kaz.getByRole('button', { name: 'Save the changes' }).click();
    await kaz.getByRole('heading', { name: TITLE }).waitFor();
    const revisions = kaz.locator('section.revisions tbody tr');
    await revisions.first().waitFor();
    assert.equal(await revisions.count(), 2);
    assert.match(await revisions.first().innerText(), /^2[\s\S]*current[\s\S]*date in force/);
    assert.match(await revisions.last().innerText(), /ru: zakon\.txt/);   // the file the first revision had
  });

  it("the forum's secretariat publishes it", async () => {
    const sec = await newPage('secretariat.cica');
    await sec.goto(contributionUrl);
    await sec.getByRole('heading', { name: TITLE }).waitFor();
    // Returning needs a note: the form says so before anything is sent.
    await sec.getByRole('button', { name: 'Return to the state' }).click();
    await sec.getByText('Say why it is returned.').waitFor();
    await sec.getByRole('button', { name: 'Publish' }).click();
    await sec.locator('.meta [data-workflow="published"]').waitFor();
    assert.equal(await sec.getByRole('button', { name: 'Publish' }).count(), 0);
  });

  it('a member state finds it by a word of its text, highlighted, and narrows with the quick filters', async () => {
    const api = await signedIn(suite.server.base, 'poc.uzb');
    const found = await waitFor(async () => {
      const r = await api.get(`/api/v1/library/contributions?q=${encodeURIComponent(WORD)}`);
      return r.json?.items?.length ? r.json.items : null;
    });
    assert.deepEqual(found?.map((c) => c.id), [contributionId]);

    const uzb = await newPage('poc.uzb');
    await uzb.getByRole('link', { name: 'Library', exact: true }).click();
    // The weekly digest is on; turned off here, the server knows it.
    const digest = uzb.getByLabel('E-mail me a weekly digest of new contributions');
    await waitFor(async () => (await digest.isEnabled()) || null);
    assert.equal(await digest.isChecked(), true);
    await digest.uncheck();
    await uzb.getByText('You will no longer receive the weekly digest.').waitFor();
    assert.equal((await api.get('/api/v1/library/digest')).json.weekly, false);
    await uzb.getByLabel('Search', { exact: true }).fill(WORD);
    await uzb.getByRole('button', { name: 'Search', exact: true }).click();
    const result = uzb.locator(`li[data-contribution="${contributionId}"]`);
    await result.waitFor();
    assert.match(await result.innerText(), new RegExp(`${TITLE}[\\s\\S]*Kazakhstan[\\s\\S]*Law[\\s\\S]*TLP:GREEN[\\s\\S]*Published`));

    // Quick filters write into the query: a state's filter keeps it, another state's does not.
    await uzb.getByLabel('State', { exact: true }).selectOption({ label: 'Kazakhstan' });
    await uzb.waitForURL(/state%3AKAZ/);
    assert.equal(await uzb.getByLabel('Search', { exact: true }).inputValue(), `${WORD} state:KAZ`);
    await result.waitFor();
    await uzb.getByLabel('Kind', { exact: true }).selectOption('strategy');
    await uzb.getByText('No contribution matches.').waitFor();
    assert.equal(await uzb.getByLabel('Search', { exact: true }).inputValue(), `${WORD} state:KAZ kind:strategy`);
    await uzb.getByLabel('Kind', { exact: true }).selectOption('law');
    await result.waitFor();

    assert.ok(Array.isArray(found[0].snippets), 'search results carry snippets');
    // The snippet: the word in a <mark>, the text around it as text.
    const mark = result.locator('ul.snippets mark.hit').first();
    await mark.waitFor();
    assert.equal((await mark.innerText()).toLowerCase(), WORD);
    assert.match(await result.locator('ul.snippets li').first().innerText(), /информационной инфраструктуры обеспечивают ксенотелеметрия/);
    await uzb.screenshot({ path: join(shots, 'library-snippet.png'), fullPage: true });
  });

  it('a state outside the forum neither finds it nor opens it', async () => {
    const usa = await newPage('poc.usa');
    await usa.goto(`${suite.server.base}/#/library?q=${encodeURIComponent(WORD)}`);
    await usa.getByText('No contribution matches.').waitFor();
    assert.equal(await usa.locator(`li[data-contribution="${contributionId}"]`).count(), 0);
    await usa.goto(contributionUrl);
    await usa.locator('.problem').waitFor();
    assert.match(await usa.locator('.problem').innerText(), /Not found/);
    assert.equal(await usa.getByRole('heading', { name: TITLE }).count(), 0);
  });
});

describe('glossary in the browser', () => {
  const TERM = 'critical information infrastructure (e2e)';
  const KAZ_TEXT = 'A set of information and communication infrastructure objects whose failure affects the security of the state.';
  const UZB_TEXT = 'A set of automated control systems and telecommunication networks whose failure affects the security of the state.';

  it('two states define a term and the comparison highlights where they differ', async () => {
    const probe = await (await signedIn(suite.server.base, 'focal.kaz')).get('/api/v1/glossary/terms?forum=CICA');
    assert.equal(probe.status, 200, probe.text);

    const kaz = await newPage('focal.kaz');
    await kaz.getByRole('link', { name: 'Glossary' }).click();
    await kaz.getByRole('heading', { name: 'Glossary' }).waitFor();
    await kaz.waitForURL(/forum=CICA/);
    await kaz.getByLabel('Term', { exact: true }).fill(TERM);
    await kaz.getByLabel('Language of the term').fill('en');
    await kaz.getByLabel(/^Equivalents, one per line/).fill('nonsense line');
    await kaz.getByRole('button', { name: 'Add the term' }).click();
    await kaz.getByText('Write each line as “language: term” (lines 1).').waitFor();
    await kaz.getByLabel(/^Equivalents, one per line/).fill('ru: критическая информационная инфраструктура');
    await kaz.getByRole('button', { name: 'Add the term' }).click();
    await kaz.getByRole('heading', { name: TERM }).waitFor();
    const termUrl = kaz.url();
    assert.match(await kaz.locator('dl.facts').innerText(), /критическая информационная инфраструктура/);
    await kaz.getByLabel('Definition', { exact: true }).fill(KAZ_TEXT);
    await kaz.getByRole('button', { name: 'Add the definition' }).click();
    await kaz.locator('article.definition[data-state="KAZ"]').waitFor();

    const uzb = await newPage('focal.uzb');
    await uzb.goto(termUrl);
    await uzb.getByRole('heading', { name: TERM }).waitFor();
    assert.equal(await uzb.getByLabel('State (alpha-3)').inputValue(), 'UZB');
    await uzb.getByLabel('Definition', { exact: true }).fill(UZB_TEXT);
    await uzb.getByRole('button', { name: 'Add the definition' }).click();
    await uzb.locator('article.definition[data-state="UZB"]').waitFor();
    // A focal point deletes only its own state's definition.
    assert.equal(await uzb.locator('article.definition[data-state="KAZ"]').getByRole('button', { name: 'Delete' }).count(), 0);

    await uzb.getByRole('link', { name: /^Compare the definitions/ }).first().click();
    await uzb.getByRole('heading', { name: `Definitions of “${TERM}” side by side` }).waitFor();
    const columns = uzb.locator('.comparison .compared');
    assert.equal(await columns.count(), 2);
    const kazMarks = await uzb.locator('.compared[data-state="KAZ"] mark.distinct').allInnerTexts();
    const uzbMarks = await uzb.locator('.compared[data-state="UZB"] mark.distinct').allInnerTexts();
    assert.ok(kazMarks.join(' ').includes('information'), `KAZ's distinct words: ${kazMarks}`);
    assert.ok(uzbMarks.join(' ').includes('automated'), `UZB's distinct words: ${uzbMarks}`);
    // The words both have are not highlighted.
    assert.ok(!kazMarks.join(' ').includes('security of the state') && !uzbMarks.join(' ').includes('security of the state'));
    assert.equal(await uzb.locator('.compared[data-state="KAZ"] .compared-text').innerText(), KAZ_TEXT);
    await uzb.screenshot({ path: join(shots, 'glossary-comparison.png'), fullPage: true });

    // The exports are links to the API, as attachments.
    const glossary = await newPage('secretariat.cica');
    await glossary.goto(`${suite.server.base}/#/glossary?forum=CICA&q=${encodeURIComponent('critical information')}`);
    await glossary.locator('tr', { hasText: TERM }).waitFor();
    assert.equal(await glossary.getByRole('link', { name: 'TBX-Basic' }).getAttribute('href'), '/api/v1/glossary/export?forum=CICA&format=tbx');
    await glossary.getByRole('heading', { name: 'Import terms' }).waitFor();
  });
});
