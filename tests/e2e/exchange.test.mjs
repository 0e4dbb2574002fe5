// The threat exchange in the browser: a point of contact reports an incident into a
// bilateral sharing scope; a person of the other state in scope sees it (and records a
// sighting with one click); a person of a state out of scope does not.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;

describe('threat exchange in the browser', () => {
  it('an incident reported in a bilateral scope is seen in scope and not outside it', async () => {
    const focal = await signedIn(suite.server.base, 'focal.kaz');
    const scope = await focal.post('/api/v1/exchange/collections?forum=CICA', { title: 'KAZ-UZB incidents', kind: 'bilateral', states: ['KAZ', 'UZB'] });
    assert.equal(scope.status, 201, scope.text);

    const kaz = await (await suite.browser.newContext()).newPage();
    await signIn(kaz, suite.server.base, 'poc.kaz');
    await kaz.getByRole('link', { name: 'Threats' }).click();
    await kaz.getByRole('heading', { name: 'Threats and remedies' }).waitFor();
    await kaz.getByRole('link', { name: 'Report an incident' }).click();
    await kaz.getByRole('heading', { name: 'Report an incident' }).waitFor();
    await kaz.getByLabel('Sharing scope').locator('option', { hasText: 'KAZ-UZB incidents' }).waitFor({ state: 'attached' });
    await kaz.getByLabel('Sharing scope').selectOption({ label: 'KAZ-UZB incidents' });
    await kaz.getByLabel('Incident', { exact: true }).fill('Wiper at the grid operator');
    await kaz.getByLabel('Description').fill('Destructive malware on dispatch workstations since 03:10 UTC.');
    await kaz.getByLabel('Affected sector').selectOption('energy');
    await kaz.getByLabel('TLP', { exact: true }).selectOption('TLP:AMBER');
    await kaz.getByLabel(/^Observed values/).fill('not-a-value!');
    await kaz.getByRole('button', { name: 'Share' }).click();
    await kaz.getByText('Not an address, domain, URL, e-mail address or hash: not-a-value!').waitFor();
    await kaz.getByLabel(/^Observed values/).fill('198.51.100.23\nwiper-c2.example.net');
    await kaz.getByRole('button', { name: 'Share' }).click();
    const row = kaz.locator('tr', { hasText: 'Wiper at the grid operator' });
    await row.waitFor();
    assert.match(await row.innerText(), /Incident[\s\S]*TLP:AMBER[\s\S]*KAZ/);
    await kaz.screenshot({ path: join(shots, 'exchange-reported.png') });

    // Attached to a hotline communication: the row's "Send on the hotline" opens the
    // template with the incident's STIX id; the message links back to it.
    await row.getByRole('link', { name: 'Send on the hotline' }).click();
    const refField = kaz.getByLabel('Related threat information (STIX ids)');
    await refField.waitFor();
    const incidentId = await refField.inputValue();
    assert.match(incidentId, /^incident--[0-9a-f-]{36}$/);
    await kaz.getByLabel('Type').selectOption('notification');
    await kaz.getByLabel('Uzbekistan', { exact: true }).check();   // recipients are chosen by name
    await kaz.getByLabel('Subject').fill('Wiper at the grid operator: indicators shared');
    await kaz.getByLabel('Description').fill('See the incident and its indicators in the threat exchange (KAZ-UZB scope).');
    await kaz.getByLabel('TLP', { exact: true }).selectOption('TLP:AMBER');
    await kaz.getByRole('button', { name: 'Send' }).click();
    await kaz.getByRole('heading', { name: 'Wiper at the grid operator: indicators shared' }).waitFor();
    const commUrl = kaz.url();

    // In scope: the other state's point of contact finds it and records a sighting.
    const uzb = await (await suite.browser.newContext()).newPage();
    await signIn(uzb, suite.server.base, 'poc.uzb');
    await uzb.goto(commUrl);
    await uzb.getByRole('link', { name: incidentId }).click();   // from the communication to the incident
    const seen = uzb.locator('tr', { hasText: 'Wiper at the grid operator' });
    await seen.waitFor();
    await seen.getByRole('button', { name: 'Seen here too' }).click();
    await seen.getByRole('button', { name: 'Sighting recorded' }).waitFor();
    await uzb.goto(`${suite.server.base}/#/threats?forum=CICA&q=198.51.100.23`);
    await uzb.locator('tr', { hasText: '198.51.100.23' }).first().waitFor();

    // Out of scope: a CICA state that is not in the bilateral scope sees nothing.
    const tha = await (await suite.browser.newContext()).newPage();
    await signIn(tha, suite.server.base, 'poc.tha');
    await tha.goto(`${suite.server.base}/#/threats?forum=CICA&q=${encodeURIComponent('Wiper at the grid operator')}`);
    await tha.getByText('Nothing shared with you matches.').waitFor();
    assert.equal(await tha.locator('tr', { hasText: 'Wiper at the grid operator' }).count(), 0);

    // The sighting is stored as STIX, in the same scope, by the state that saw it.
    const api = await signedIn(suite.server.base, 'poc.kaz');
    const sightings = await api.get('/api/v1/exchange/objects?forum=CICA&type=sighting');
    assert.equal(sightings.json.objects.length, 1);
    assert.equal(sightings.json.objects[0].producer_state, 'UZB');
    assert.equal(sightings.json.objects[0].collection, scope.json.id);
  });
});
