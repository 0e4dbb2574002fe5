// Browser test: an invitation link opens the acceptance page without signing in; the
// invitee chooses a username and password, must set up an authenticator before
// anything else, and lands in the console; then invites a point of contact from the
// Invitations screen, choosing the state and the directory entry by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

const suite = browserSuite();

describe('invitation in the browser', () => {
  it('accepts an invitation, enrols TOTP and lands in the console', async () => {
    const base = suite.server.base;
    const admin = await signedIn(base, 'admin');
    // A directory entry of Kazakhstan without an account yet (the demo's have theirs).
    const dana = await admin.post('/api/v1/contacts', { state: 'KAZ', name: 'Dana Seitkali', type: 'law_enforcement', availability: '24/7' });
    assert.equal(dana.status, 201, dana.text);
    const inv = await admin.post('/api/v1/invitations', { email: 'new.focal@kaz.example', role: 'focal_point', state: 'KAZ' });
    assert.equal(inv.status, 201, inv.text);
    assert.ok(inv.json.link, 'without mail the link is handed to the inviter');
    assert.ok(inv.json.link.startsWith(`${base}/#/invitation/`));

    const page = await suite.browser.newPage();
    await page.goto(inv.json.link);
    await page.getByRole('heading', { name: 'Your invitation to Parley' }).waitFor();
    await page.getByText('Platform Administrator invites you as national focal point.').waitFor();
    await page.getByText('For: Kazakhstan.').waitFor();
    await page.getByText('a second factor is required', { exact: false }).waitFor();

    await page.getByLabel('Choose a username').fill('Bad Name');
    await page.getByLabel('Your name as others will see it').fill('Aliya Nurlanova');
    await page.getByLabel('Choose a password').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('must be at least 10 characters').waitFor();   // beside the field
    await page.getByLabel('Choose a username').fill('aliya.n');
    await page.getByLabel('Choose a password').fill('a good long passphrase');
    await page.getByRole('button', { name: 'Create my account' }).click();

    await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0, 'nothing else is offered before enrolment');
    const secret = await page.locator('code[data-totp-secret]').getAttribute('data-totp-secret');
    assert.match(secret, /^[A-Z2-7]+$/);
    await page.getByLabel('Code').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
    await page.getByText('Signed in as Aliya Nurlanova').waitFor();
    await page.screenshot({ path: join(suite.shots, 'invitation-accepted.png'), fullPage: true });

    const accounts = await admin.get('/api/v1/accounts');
    const aliya = accounts.json.items.find((u) => u.username === 'aliya.n');
    assert.equal(aliya.totp_enabled, true);
    assert.equal(aliya.role, 'focal_point');
    assert.equal(aliya.state, 'KAZ');

    // The link was used: opening it again says so.
    const again = await suite.browser.newPage();
    await again.goto(inv.json.link);
    await again.getByText('Invitation already used').waitFor();
    await again.close();

    // Inviting a point of contact: state and directory entry chosen by name.
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.getByRole('heading', { name: 'Invite someone' }).waitFor();
    await page.getByLabel('E-mail address').fill('duty@cert.kz.example');
    const state = page.getByLabel('State', { exact: true });
    assert.equal(await state.locator('option:checked').innerText(), 'Kazakhstan');
    const entry = page.getByLabel('Directory entry of the account');
    await entry.locator('option').nth(1).waitFor({ state: 'attached' });
    const chosen = await entry.locator('option').nth(1).innerText();
    await entry.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await page.getByText('give this single-use link to the person yourself').waitFor();
    const row = page.locator('tr', { hasText: 'duty@cert.kz.example' });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(chosen.split(' — ')[0]), 'the invitation names the chosen contact');
    assert.equal(await page.getByLabel('Forum', { exact: true }).isVisible(), false, 'no forum for a point of contact');
    await page.waitForFunction((name) => ![...document.querySelectorAll('select[name="contact_id"] option')]
      .some((o) => o.textContent === name), chosen);   // an entry with an open invitation is not offered again
    await page.screenshot({ path: join(suite.shots, 'invitations.png'), fullPage: true });

    // Accounts of the state, with their second factor.
    await page.getByRole('link', { name: 'Accounts' }).click();
    const mine = page.locator('tr[data-account="aliya.n"]');
    await mine.waitFor();
    assert.ok((await mine.innerText()).includes('enrolled'));
    assert.ok(await page.locator('tr[data-account="poc.kaz"]').count(), "the state's point of contact is listed");
    await page.close();
  });

  it("a forum's secretariat makes a second factor everyone's duty, its own first", async () => {
    const base = suite.server.base;
    const page = await suite.browser.newPage();
    await signIn(page, base, 'secretariat.cica');
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Account policy of the forum' }).waitFor();
    const box = page.getByLabel('Everyone of the forum', { exact: false });
    // The box can be used once the forum's policy has arrived (before, a tick would be lost).
    await page.waitForFunction(() => !document.getElementById('policy-totp').disabled);
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.getByRole('button', { name: 'Save' }).click();
    // The secretariat is one of the forum's accounts: nothing else until it has enrolled.
    await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
    const poc = await signedIn(base, 'poc.uzb');
    assert.equal((await poc.get('/api/v1/contacts')).json.type, 'urn:parley:problem:second-factor-enrolment-required');
    const admin = await signedIn(base, 'admin');
    assert.equal((await admin.put('/api/v1/forums/CICA/account-policy', { totp_for_everyone: false })).status, 200);
    assert.equal((await poc.get('/api/v1/contacts')).status, 200);
    await page.close();
  });
});
