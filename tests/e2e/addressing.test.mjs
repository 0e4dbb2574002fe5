// Composing in the browser from the directory: the sender chooses a state by its name,
// a kind of contact, and named people shown with their agency and availability —
// nothing typed as a code or a username — and the communication reaches exactly the
// contacts chosen.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

describe('addressing through the directory in the browser', () => {
  it("sends to a state's technical contacts by choosing names", async () => {
    const api = await signedIn(suite.server.base, 'poc.uzb');
    const book = (await api.get('/api/v1/hotline/addressees?forum=CICA')).json;
    const kaz = book.states.find((s) => s.state === 'KAZ').contacts;
    const technical = kaz.find((c) => c.kind === 'technical');
    const policy = kaz.find((c) => c.kind === 'policy');
    assert.ok(technical && policy, 'Kazakhstan has a technical and a policy contact with accounts');

    const page = await suite.browser.newPage();
    await signIn(page, suite.server.base, 'poc.uzb');
    await page.goto(`${suite.server.base}/#/hotline/new`);
    await page.getByRole('heading', { name: 'New communication' }).waitFor();
    await page.getByLabel('Kazakhstan', { exact: true }).check();
    await page.getByLabel('Kind of contact').selectOption('technical');
    // The people of the chosen state, by name, with agency and availability.
    const person = page.locator(`label.person[data-contact-id="${technical.contact_id}"]`);
    await person.waitFor();
    const line = await person.innerText();
    assert.match(line, new RegExp(technical.name));
    assert.match(line, new RegExp(technical.agency.replace(/[()]/g, '\\$&')));
    assert.match(line, /24\/7/);
    assert.match(await page.locator(`label.person[data-contact-id="${policy.contact_id}"]`).innerText(), /Mon-Fri 09:00-18:00 \(Asia\/Almaty\)/);
    await page.getByLabel('Subject').fill('Botnet command servers hosted in your address space');
    await page.getByLabel('Description').fill('Please take down the hosts listed in our CERT report.');
    await page.getByLabel('Severity').selectOption('3');
    await page.getByLabel('TLP', { exact: true }).selectOption('TLP:GREEN');
    await page.screenshot({ path: join(shots, 'hotline-compose-directory.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Botnet command servers hosted in your address space' }).waitFor();
    const id = Number(page.url().match(/hotline\/(\d+)/)[1]);
    const c = (await api.get(`/api/v1/communications/${id}`)).json;
    assert.equal(c.contact_kind, 'technical');
    assert.deepEqual(c.recipients.map((r) => r.state), ['KAZ']);
    assert.deepEqual(c.people.map((p) => p.username), ['poc.kaz']);
    assert.equal((await (await signedIn(suite.server.base, 'poc.kaz')).get(`/api/v1/communications/${id}`)).status, 200);
    assert.equal((await (await signedIn(suite.server.base, 'policy.kaz')).get(`/api/v1/communications/${id}`)).status, 404);

    // A note verbale to one named person, chosen by ticking the name: no severity asked.
    await page.goto(`${suite.server.base}/#/hotline/new`);
    await page.getByLabel('Type').selectOption('note_verbale');
    assert.equal(await page.getByLabel('Severity').isVisible(), false);
    await page.getByLabel('Kazakhstan', { exact: true }).check();
    await page.locator(`label.person[data-contact-id="${policy.contact_id}"] input`).check();
    await page.getByLabel('Subject').fill('Invitation to the CICA expert meeting on ICT security');
    await page.getByLabel('Description').fill('The Ministry presents its compliments and has the honour to invite...');
    await page.getByLabel('TLP', { exact: true }).selectOption('TLP:GREEN');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Invitation to the CICA expert meeting on ICT security' }).waitFor();
    assert.match(await page.locator('.section-head').innerText(), /no severity/);
    const nv = (await api.get(`/api/v1/communications/${Number(page.url().match(/hotline\/(\d+)/)[1])}`)).json;
    assert.equal(nv.type, 'note_verbale');
    assert.equal(nv.severity, null);
    assert.deepEqual(nv.recipient_contacts, ['policy.kaz']);
    await page.close();
  });
});
