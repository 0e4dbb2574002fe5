// Negotiation in the browser, on the demo's CICA statement (Rev.1 of seed 001): a state
// reads the brackets with who stands where, proposes an amendment, another state
// supports it, the secretariat compares revisions, circulates Rev.2 with its note
// verbale and starts a silence procedure whose countdown runs until a state breaks
// silence; a non-member state never sees the document.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';

const suite = browserSuite();
const { shots } = suite;

async function page(username) {
  const p = await (await suite.browser.newContext()).newPage();
  await signIn(p, suite.server.base, username);
  return p;
}

describe('negotiation in the browser', () => {
  it('reading, proposing, supporting, comparing, circulating and the silence procedure', async () => {
    const kaz = await page('poc.kaz');
    await kaz.getByRole('link', { name: 'Negotiation' }).click();
    await kaz.getByRole('heading', { name: 'Negotiated texts' }).waitFor();
    await kaz.getByRole('link', { name: 'SUM/2022/DRAFT/3' }).click();
    const reading = kaz.getByRole('article', { name: 'The text' });
    await reading.waitFor();
    assert.match(await kaz.locator('nav.revisions').innerText(), /SUM\/2022\/DRAFT\/3 · SUM\/2022\/DRAFT\/3\/Rev\.1/);
    // The brackets say who stands where.
    const gids = reading.locator('.bracket.delete', { hasText: 'Global Initiative on Data Security' });
    assert.equal(await gids.getAttribute('title'), 'Proposed by IND (delete); supported by ISR; opposed by CHN, RUS');
    assert.match(await gids.innerText(), /\(-IND\) \(\+CHN\) \(\+RUS\) \(-ISR\)$/);
    await gids.click();
    const card = kaz.locator(`[data-proposal-card="${await gids.getAttribute('data-proposal')}"]`);
    assert.match(await card.innerText(), /IND delete · 4[\s\S]*supported by ISR; opposed by CHN, RUS[\s\S]*The OEWG's agenda should not single out one initiative\./);
    assert.match(await kaz.locator('[data-open-brackets]').innerText(), /^9 open brackets: CHN 1, IND 1, ISR 8, RUS 1, THA 1$/);
    await kaz.screenshot({ path: join(shots, 'negotiation-reading.png'), fullPage: true });

    // KAZ proposes an insertion in operative paragraph 1.
    const form = kaz.locator('form.propose');
    await form.getByLabel('Proposal', { exact: true }).selectOption('insert');
    await form.getByLabel('Paragraph', { exact: true }).selectOption({ label: '1' });
    await form.getByLabel('After the words', { exact: true }).fill('no such words');
    await form.getByLabel('The words', { exact: true }).fill('firmly');
    await form.getByRole('button', { name: 'Propose' }).click();
    await form.getByText(/does not occur in paragraph 1/).waitFor();
    await form.getByLabel('After the words', { exact: true }).fill('We decide to stand');
    await form.getByRole('button', { name: 'Propose' }).click();
    const firmly = reading.locator('.bracket.insert', { hasText: 'firmly' });
    await firmly.waitFor();
    assert.equal(await firmly.innerText(), '[firmly] (+KAZ)');
    assert.match(await kaz.locator('nav.revisions').innerText(), /Rev\.2 \(working text, not circulated\)/);

    // UZB supports it; KAZ sees it live.
    const uzb = await page('poc.uzb');
    await uzb.goto(`${suite.server.base}/#/negotiation/1`);
    const uzbCard = uzb.locator('.proposal', { hasText: 'KAZ insert · 1' });
    await uzbCard.getByRole('button', { name: 'Support' }).click();
    await uzbCard.getByRole('button', { name: 'Withdraw support' }).waitFor();
    await reading.locator('.bracket.insert', { hasText: '(+UZB)' }).waitFor();
    assert.equal(await reading.locator('.bracket.insert', { hasText: 'firmly' }).innerText(), '[firmly] (+KAZ) (+UZB)');

    // The secretariat compares Rev.1 and Rev.2, circulates Rev.2 and starts a silence procedure.
    const sec = await page('secretariat.cica');
    await sec.goto(`${suite.server.base}/#/negotiation/1`);
    await sec.getByRole('link', { name: 'Compare with the previous revision' }).click();
    await sec.getByRole('heading', { name: 'SUM/2022/DRAFT/3/Rev.1 compared with SUM/2022/DRAFT/3/Rev.2' }).waitFor();
    const changed = sec.locator('tr.diff-changed');
    assert.equal(await changed.count(), 1);
    assert.equal(await changed.locator('ins').innerText(), '[firmly] (+KAZ) (+UZB) ');
    await sec.screenshot({ path: join(shots, 'negotiation-compare.png'), fullPage: true });
    await sec.getByRole('link', { name: 'Back to the text' }).click();
    await sec.getByRole('button', { name: 'Circulate SUM/2022/DRAFT/3/Rev.2' }).click();
    await sec.getByText('Note verbale NCT/ICT/1014').waitFor();
    // Adoption is refused while brackets are open, paragraph by paragraph.
    await sec.getByRole('button', { name: 'Adopt' }).click();
    const refusal = sec.getByRole('alert').filter({ hasText: 'SUM/2022/DRAFT/3/Rev.2 still has 10 open brackets.' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /paragraph 1 has 1 open bracket\n[\s\S]*paragraph 4 has 2 open brackets/);
    await sec.getByLabel('Hours').fill('48');
    await sec.getByRole('button', { name: 'Start a silence procedure' }).click();
    const timer = sec.getByRole('timer');
    await timer.waitFor();
    const first = await timer.innerText();
    assert.match(first, /^(1d 23:59:[0-5]\d|2d 00:00:00)$/);
    await sec.waitForFunction((t) => document.querySelector('.countdown')?.textContent !== t, first);

    // KAZ breaks silence, with its reason; the secretariat sees it.
    await kaz.reload();
    await kaz.getByLabel('Why your state breaks silence').fill('Paragraph 4 needs another round.');
    await kaz.getByRole('button', { name: 'Break silence for KAZ' }).click();
    await kaz.locator('[data-silence-status="broken"]').waitFor();
    await sec.getByText(/KAZ broke silence at .* UTC: Paragraph 4 needs another round\./).waitFor();
    await sec.screenshot({ path: join(shots, 'negotiation-silence-broken.png'), fullPage: true });

    // A state outside the CICA never sees the document.
    const jpn = await page('poc.jpn');
    await jpn.getByRole('link', { name: 'Negotiation' }).click();
    await jpn.getByText('No negotiated texts you may read.').waitFor();
    await jpn.goto(`${suite.server.base}/#/negotiation/1`);
    await jpn.getByText('There is no document 1.').waitFor();
  });
});
