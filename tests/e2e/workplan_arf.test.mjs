// The ARF's approval path in the browser. Australia's focal point proposes a workshop
// co-chaired with the United States: the page says why the ARF's rule refuses it (no
// ASEAN co-chair) and submitting it is refused; with Singapore as co-chair and a concept
// paper it is submitted. The ARF Unit records the Inter-Sessional Meeting's approval at
// its meeting; the Senior Officials approve it by a silence procedure that runs out
// unbroken; the Unit records the Ministers' approval. Australia schedules it, records it
// held and reports it with participants by state.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite, signIn } from '../lib/browser.mjs';
import { signedIn } from '../lib/harness.mjs';

const suite = browserSuite();
const { shots } = suite;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function newPage(user) {
  const page = await (await suite.browser.newContext()).newPage();
  await signIn(page, suite.server.base, user);
  return page;
}

describe('the ARF approval path in the browser', () => {
  let activityUrl, paper;

  it('a proposal without an ASEAN co-chair shows why it fails the rule, then passes with Singapore', async () => {
    const api = await signedIn(suite.server.base, 'focal.aus');
    paper = (await api.post('/api/v1/library/contributions',
      { forum: 'ARF', kind: 'policy', title: 'Concept paper: incident response workshop', visibility: 'forum', tlp: 'TLP:GREEN' })).json;
    const aus = await newPage('focal.aus');
    await aus.getByRole('link', { name: 'Work plan', exact: true }).click();
    await aus.getByRole('link', { name: 'Activities', exact: true }).click();
    const form = aus.locator('form.activity-form');
    await form.waitFor();
    await form.getByLabel('Kind').selectOption('workshop');
    await form.getByLabel('Title').fill('ARF Workshop on Incident Response Cooperation');
    await form.getByLabel('Co-leading states').fill('AUS, USA');
    await form.getByLabel('Venue').fill('Canberra');
    await form.getByRole('button', { name: 'Propose the activity' }).click();
    await aus.locator('dd[data-status="draft"]').waitFor();
    activityUrl = aus.url();
    const rules = aus.locator('.problem', { hasText: 'do not meet the forum' });
    await rules.waitFor();
    assert.match(await rules.innerText(), /at least one co-lead must be of the ASEAN member states \(ASEAN\); AUS, USA are not/);
    await aus.getByRole('button', { name: 'Submit for approval' }).click();
    await aus.getByRole('alert').filter({ hasText: 'concept_paper' }).or(aus.getByRole('alert').filter({ hasText: 'ASEAN' })).first().waitFor();
    await aus.screenshot({ path: join(shots, 'workplan-arf-rule.png'), fullPage: true });

    await aus.locator('details.edit-activity summary').click();
    const edit = aus.locator('form.activity-edit');
    await edit.getByLabel('Co-leading states').fill('AUS, SGP');
    await edit.getByLabel('Concept paper (number in the library)').fill(String(paper.id));
    await edit.getByRole('button', { name: 'Save' }).click();
    await aus.getByText('The co-leads meet the forum\'s rules.').waitFor();
    await aus.getByRole('button', { name: 'Submit for approval' }).click();
    await aus.locator('dd[data-status="in_approval"]').waitFor();
    assert.equal(await aus.locator('ol.approval-path li[data-body="ISM-ICT"]').getAttribute('data-state'), 'deciding');
  });

  it('the ISM and the Ministers decide at their meetings, the SOM by silence; then it is held and reported', async () => {
    const unit = await signedIn(suite.server.base, 'secretariat.arf');
    const bodies = Object.fromEntries((await unit.get('/api/v1/workplan/bodies?forum=ARF')).json.items.map((b) => [b.code, b.id]));
    const meeting = {};
    for (const [code, title] of [['ISM-ICT', 'ISM 8'], ['MM', 'AMM 59']])
      meeting[code] = (await unit.post('/api/v1/workplan/meetings', { body: bodies[code], title, starts_on: day(-1), place: 'Vientiane' })).json.id;
    const id = Number(activityUrl.split('/').pop());

    const sec = await newPage('secretariat.arf');
    await sec.goto(activityUrl);
    const decide = sec.locator('form.decide-form');
    await decide.waitFor();
    await decide.getByLabel('Meeting').selectOption(String(meeting['ISM-ICT']));
    await decide.getByLabel('Outcome').selectOption('approved');
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    await sec.locator('ol.approval-path li[data-body="SOM"][data-state="deciding"]').waitFor();
    assert.equal(await sec.locator('ol.approval-path li[data-body="ISM-ICT"]').getAttribute('data-state'), 'approved');

    // The SOM: a silence procedure of a moment, which no state breaks.
    const started = await unit.post(`/api/v1/workplan/activities/${id}/silence`, { deadline: new Date(Date.now() + 1500).toISOString() });
    assert.equal(started.status, 201, started.text);
    await sleep(2000);
    await sec.reload();
    await sec.locator('ol.approval-path li[data-body="MM"][data-state="deciding"]').waitFor();
    assert.equal(await sec.locator('ol.approval-path li[data-body="SOM"]').getAttribute('data-state'), 'approved');
    await sec.locator('form.decide-form').getByLabel('Meeting').selectOption(String(meeting.MM));
    await sec.locator('form.decide-form').getByRole('button', { name: 'Record the decision' }).click();
    await sec.locator('dd[data-status="approved"]').waitFor();

    const aus = await newPage('focal.aus');
    await aus.goto(activityUrl);
    const schedule = aus.locator('form.schedule-form');
    await schedule.waitFor();
    await schedule.getByLabel('First day').fill(day(-1));
    await schedule.getByRole('button', { name: 'Schedule' }).click();
    await aus.locator('dd[data-status="scheduled"]').waitFor();
    await aus.getByRole('button', { name: 'Record that it was held' }).click();
    const report = aus.locator('form.report-form');
    await report.waitFor();
    await report.getByLabel('Summary').fill('Experts of twelve participants exercised cooperation.');
    await report.getByLabel(/Participants by state/).fill('AUS; 6\nSGP 5\nnot a line');
    await report.getByRole('button', { name: 'Send the report' }).click();
    await report.getByText('Lines 3 are not "code; number".').waitFor();
    await report.getByLabel(/Participants by state/).fill('AUS; 6\nSGP 5');
    await report.getByRole('button', { name: 'Send the report' }).click();
    await aus.locator('dd[data-status="reported"]').waitFor();
    assert.deepEqual(await aus.locator('ul.participants li').allInnerTexts(), ['Australia: 6', 'Singapore: 5']);
    await aus.screenshot({ path: join(shots, 'workplan-arf-reported.png'), fullPage: true });
  });
});
