// The hotline in two browsers at once: one point of contact sends, the other sees it
// arrive without reloading and acknowledges with one click, the first sees the
// acknowledgement live. Then the checks dashboard with its charts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

describe('hotline in the browser', () => {
  it('delivers, alerts and acknowledges live between two states', async () => {
    const kazCtx = await suite.browser.newContext();
    const uzbCtx = await suite.browser.newContext();
    const kaz = await kazCtx.newPage();
    const uzb = await uzbCtx.newPage();
    await signIn(kaz, suite.server.base, 'poc.kaz');
    await signIn(uzb, suite.server.base, 'poc.uzb');
    await uzb.getByRole('link', { name: /^Hotline/ }).click();
    await uzb.getByRole('heading', { name: 'Hotline' }).waitFor();
    await uzb.locator('.live-state.on').waitFor();

    await kaz.getByRole('link', { name: /^Hotline/ }).click();
    await kaz.getByRole('link', { name: 'New communication' }).click();
    await kaz.getByLabel('Type').selectOption('request_for_assistance');
    await kaz.getByLabel('Uzbekistan', { exact: true }).check();   // chosen by name, not typed
    await kaz.getByLabel('Subject').fill('Ransomware at the regional power dispatcher');
    await kaz.getByLabel('Description').fill('Dispatch systems encrypted at 01:40 UTC. We ask for your CERT to share indicators.');
    await kaz.getByLabel('Severity').selectOption('4');
    await kaz.getByLabel('TLP', { exact: true }).selectOption('TLP:AMBER');
    await kaz.getByLabel('Affected sector').selectOption('energy');
    const uzbUrl = uzb.url();
    const uzbApi = await signedIn(suite.server.base, 'poc.uzb');
    const waiting = (await uzbApi.get('/api/v1/communications?box=inbox&limit=1')).json.unacknowledged;
    await kaz.getByRole('button', { name: 'Send' }).click();
    await kaz.getByRole('heading', { name: 'Ransomware at the regional power dispatcher' }).waitFor();
    const id = Number(kaz.url().match(/hotline\/(\d+)/)[1]);

    // The other state sees it arrive without reloading: an alert it cannot miss, and the inbox row.
    const alert = uzb.locator(`[data-alert-communication="${id}"]`);
    await alert.waitFor({ timeout: 10000 });
    assert.match(await alert.innerText(), /Request for assistance from KAZ — severity 4, TLP:AMBER/);
    await uzb.locator(`tr[data-communication-id="${id}"]`).waitFor();
    assert.equal(uzb.url(), uzbUrl, 'no navigation happened');
    await uzb.waitForFunction((n) => document.title === `(${n}) Parley`, waiting + 1);
    await uzb.screenshot({ path: join(shots, 'hotline-alert.png') });

    // The sender sees "delivered" without reloading.
    await kaz.locator('tr[data-state="UZB"] td').first().filter({ hasText: /UTC/ }).waitFor({ timeout: 10000 });

    // One click to acknowledge, from the inbox row.
    await uzb.locator(`button[data-ack="${id}"]`).click();
    await uzb.locator(`tr[data-communication-id="${id}"]`).getByText('acknowledged').first().waitFor();

    // The sender sees the acknowledgement live.
    await kaz.locator('tr[data-state="UZB"] .ack-cell').filter({ hasText: 'poc.uzb' }).waitFor({ timeout: 10000 });
    assert.match(await kaz.locator('.section-head').innerText(), /acknowledged/);
    await kaz.screenshot({ path: join(shots, 'hotline-thread.png'), fullPage: true });

    // The recipient replies from the thread view; the sender's thread shows "answered".
    await uzb.locator(`tr[data-communication-id="${id}"] th a`).click();
    await uzb.getByLabel('Your reply').fill('Our CERT is sending the indicators now.');
    await uzb.getByRole('button', { name: 'Reply' }).click();
    await uzb.getByRole('heading', { name: /^Re: Ransomware/ }).waitFor();
    await kaz.locator('.section-head').filter({ hasText: 'answered' }).waitFor({ timeout: 10000 });
    await kazCtx.close();
    await uzbCtx.close();
  });

  it('shows a third state nothing of it', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.chn');   // China takes part in none of the demo threads
    await page.goto(`${suite.server.base}/#/hotline?box=all`);
    // It has the CICA secretariat's notes verbales (China is a member), nothing else.
    await page.getByText('Note verbale NCT/ICT/1013', { exact: false }).first().waitFor();
    const inbox = await page.locator('main').innerText();
    assert.doesNotMatch(inbox, /Phishing campaign impersonating the customs service|Scanning of port 502/);
    await page.goto(`${suite.server.base}/#/hotline/1`);
    await page.getByRole('alert').filter({ hasText: 'No communication 1' }).waitFor();
    await page.close();
  });

  it('runs a communication check and charts the responses', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'secretariat.cica');
    await page.getByRole('link', { name: 'Communication checks' }).click();
    await page.getByLabel('Kind of contact').selectOption('technical');   // one contact per member state
    await page.getByRole('button', { name: 'Start a check now' }).click();
    await page.getByRole('heading', { name: /^Communication check \d+/ }).waitFor();
    const checkId = Number(page.url().match(/checks\/(\d+)/)[1]);
    const comm = (await (await signedIn(suite.server.base, 'secretariat.cica')).get(`/api/v1/checks/${checkId}`)).json.communication_id;
    for (const who of ['poc.kaz', 'poc.chn', 'poc.ind']) {
      const c = await signedIn(suite.server.base, who);
      assert.equal((await c.post(`/api/v1/communications/${comm}/ack`, {})).status, 200);
    }
    // The report fills in live as acknowledgements arrive.
    await page.locator('[data-figure="rate"]').filter({ hasText: '(3/28)' }).waitFor({ timeout: 10000 });
    assert.equal(await page.locator('svg.chart rect.chart-bar').count(), 3);
    await page.getByRole('link', { name: '← Communication checks' }).click();
    await page.locator('svg.chart circle.chart-dot').first().waitFor();
    await page.screenshot({ path: join(shots, 'checks-dashboard.png'), fullPage: true });
    await page.close();
  });
});
