// Browser test: credential changes from the profile need a recent password check; the
// console asks for the password again when the server says so, then makes the change.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { tempDir } from '../lib/harness.mjs';

// A two-second window, so that the test can outlive it.
const config = join(tempDir(), 'parley.toml');
writeFileSync(config, '[auth]\nrecent_sign_in_seconds = 2\n');
const suite = browserSuite({ server: { extraArgs: ['--config', config] } });

describe('profile in the browser', () => {
  it('asks for the password again before creating an API token, then creates it', async () => {
    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.kaz');
    await page.goto(`${suite.server.base}/#/profile`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await new Promise((r) => setTimeout(r, 3000));   // the sign-in is no longer recent
    await page.getByLabel('Token name').fill('ticketing');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    assert.equal(await page.locator('code.secret').count(), 0, 'no token before the password is confirmed');

    await page.getByLabel('Your password').fill('not-the-password');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByText('is not correct').waitFor();   // beside the field; the session goes on
    assert.equal(await page.locator('code.secret').count(), 0);

    await page.getByLabel('Your password').fill('parley-demo');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    const secret = page.locator('code.secret');
    await secret.waitFor();
    assert.match(await secret.innerText(), /^pk_/);
    await page.getByText('ticketing').first().waitFor();
    await page.screenshot({ path: join(suite.shots, 'profile-reauthenticate.png'), fullPage: true });
    await page.close();
  });
});
