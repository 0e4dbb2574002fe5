// The console in Russian: a user switches the language on the sign-in page and in the
// header, the choice is kept for the account, and every screen then shows its chrome
// (headings, menus, labels, buttons, table headers, counts and dates) in Russian.
//
// To cover a new screen, add it to SCREENS: the route, who sees it, and what shows
// that it has loaded. The checks are tests/lib/no_english.mjs's: chrome elements hold no
// Latin word but codes, names and the demo's data (read from the API: data is not
// translated); no phrase of the English catalogue anywhere; attributes people hear likewise.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite } from '../lib/browser.mjs';
import { Client, DEMO_PASSWORD, signedIn } from '../lib/harness.mjs';
import { englishOnScreen } from '../lib/no_english.mjs';

const suite = browserSuite();

// [route, user, a selector whose presence says the screen has loaded]
const SCREENS = [
  ['#/directory', 'secretariat.cica', '#results-title'],
  ['#/states/KAZ', 'secretariat.cica', 'main h2'],
  ['#/contacts/{contact}', 'secretariat.cica', 'main dl'],
  ['#/contacts/{contact}/edit', 'secretariat.cica', 'main form'],
  ['#/contacts/new?state=KAZ', 'focal.kaz', 'main form'],
  ['#/nominations', 'secretariat.cica', 'main h1'],
  ['#/profile', 'secretariat.cica', 'main h2'],
  ['#/hotline', 'poc.uzb', 'main table, main p'],
  ['#/hotline/{communication}', 'poc.uzb', 'main .lifecycle'],
  ['#/hotline/new', 'poc.uzb', 'main form'],
  ['#/checks', 'secretariat.cica', 'main h1'],
  ['#/checks/{check}', 'secretariat.cica', 'main .check-summary'],
  ['#/threats?forum=CICA', 'poc.kaz', 'main table, main p'],
  ['#/threats/report', 'poc.kaz', 'main form'],
  ['#/negotiation', 'secretariat.cica', 'main table'],
  ['#/negotiation/1', 'secretariat.cica', 'article'],
  ['#/negotiation/1/compare?from=0&to=1', 'secretariat.cica', 'main table'],
  ['#/workplan?forum=CICA', 'secretariat.cica', 'main table.wp-table'],
  ['#/workplan/states/KAZ?forum=CICA', 'focal.kaz', 'main .wp-row details'],
  ['#/workplan/meetings?forum=CICA', 'secretariat.cica', 'main section.calendars'],
  ['#/workplan/meetings/{meeting}', 'focal.kaz', 'main form.delegation-form'],
  ['#/workplan/activities?forum=ARF', 'secretariat.arf', 'main table.activities'],
  ['#/workplan/activities/{activity}', 'secretariat.arf', 'main form.decide-form'],
  ['#/workplan/capacity?forum=CICA', 'secretariat.cica', 'main form.capacity-form'],
  ['#/workplan/week?forum=CICA&days=31', 'secretariat.cica', 'main h2'],
  ['#/workplan/plans?forum=ARF', 'secretariat.arf', 'main form.plan-new'],
  ['#/workplan/review?forum=ARF', 'secretariat.arf', 'main table.review-states'],
];

// The demo's data as the API gives it: its words are not the console's to translate.
async function demoData(base) {
  const admin = await signedIn(base, 'admin');
  const words = new Set();
  const strings = new Set();
  const add = (v) => {
    if (typeof v === 'string') {
      strings.add(v);
      for (const w of v.match(/[A-Za-z]{3,}/g) ?? []) words.add(w);
    }
    else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v))
        if (/name|title|symbol|label|username|agency|position|state|forum|secretariat|value|email|by|who|from|actor|subject|note|ref|timezone|hours|detail|use|code/.test(k) ||
            typeof x === 'object') add(x);
  };
  for (const path of ['/api/v1/states', '/api/v1/forums', '/api/v1/contacts?limit=500', '/api/v1/users',
    '/api/v1/negotiation/documents', '/api/v1/negotiation/documents/1'])
    add((await admin.get(path)).json);
  for (const who of ['poc.uzb', 'secretariat.cica']) {
    const c = await signedIn(base, who);
    add((await c.get('/api/v1/communications?box=all&limit=100')).json);
  }
  const arf = await signedIn(base, 'secretariat.arf');
  for (const path of ['/api/v1/workplan/activities?forum=ARF', '/api/v1/workplan/activities/1', '/api/v1/workplan/bodies?forum=ARF',
    '/api/v1/workplan/meetings?forum=ARF'])
    add((await arf.get(path)).json);
  const cica = await signedIn(base, 'secretariat.cica');
  for (const path of ['/api/v1/workplan/measures?forum=CICA', '/api/v1/workplan/implementation?forum=CICA&state=KAZ',
    '/api/v1/workplan/bodies?forum=CICA', '/api/v1/workplan/meetings?forum=CICA', '/api/v1/workplan/meetings/1', '/api/v1/workplan/capacity?forum=CICA',
    '/api/v1/workplan/week?forum=CICA&days=31'])
    add((await cica.get(path)).json);
  return { words, strings };
}

describe('the console in Russian', () => {
  it('switches on the sign-in page and in the header, and keeps the choice for the account', async () => {
    const { base } = suite.server;
    const page = await (await suite.browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    const sw = page.locator('select[data-language-switch]');
    assert.equal(await page.getByLabel('Language').getAttribute('data-language-switch'), '', 'the switch is named Language');
    await sw.selectOption('ru');
    await page.getByRole('heading', { name: 'Вход в Parley' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
    assert.deepEqual(await englishOnScreen(page), []);
    // A wrong password is refused in Russian.
    await page.getByLabel('Имя пользователя').fill('poc.kaz');
    await page.getByLabel('Пароль', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    const refusal = page.getByRole('alert');
    await refusal.getByText('Неверное имя пользователя или пароль.').waitFor();
    assert.match(await refusal.innerText(), /^Требуется вход в систему/);
    await page.getByLabel('Пароль', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Справочник контактных лиц' }).waitFor();
    // The choice made before signing in is now the account's.
    const kaz = await signedIn(base, 'poc.kaz');
    await assertEventually(async () => (await kaz.get('/api/v1/me')).json.language === 'ru');

    // The header's switch takes effect at once and is saved.
    await sw.selectOption('en');
    await page.getByRole('heading', { name: 'Directory of points of contact' }).waitFor();
    await assertEventually(async () => (await kaz.get('/api/v1/me')).json.language === 'en');
    await sw.selectOption('ru');
    await page.getByRole('heading', { name: 'Справочник контактных лиц' }).waitFor();
    await assertEventually(async () => (await kaz.get('/api/v1/me')).json.language === 'ru');

    // Another browser whose language is English: the account's choice wins after sign-in.
    const other = await (await suite.browser.newContext({ locale: 'en-US' })).newPage();
    await other.goto(`${base}/`);
    await other.getByLabel('Username').fill('poc.kaz');
    await other.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Справочник контактных лиц' }).waitFor();
    // Counts use Russian plural forms.
    assert.match(await other.locator('#results-title').innerText(), /^\d[\d\s]* контактн(ое лицо|ых лица|ых лиц)$/u);
  });

  it('a browser whose language is Russian starts in Russian', async () => {
    const page = await (await suite.browser.newContext({ locale: 'ru-RU' })).newPage();
    await page.goto(`${suite.server.base}/`);
    await page.getByRole('heading', { name: 'Вход в Parley' }).waitFor();
  });

  it('shows no English on any screen', async () => {
    const { base } = suite.server;
    // Ids for the screens that show one entry.
    const sec = await signedIn(base, 'secretariat.cica');
    const contact = (await sec.get('/api/v1/contacts?state=KAZ')).json.items[0].id;
    const check = await sec.post('/api/v1/checks', { forum: 'CICA' });
    assert.equal(check.status, 201, check.text);
    const uzb = await signedIn(base, 'poc.uzb');
    const communication = (await uzb.get('/api/v1/communications?box=inbox')).json.items.find((c) => c.type !== 'check').id;
    const meeting = (await sec.get('/api/v1/workplan/meetings?forum=CICA')).json.items.find((m) => m.status === 'planned').id;
    const activity = (await (await signedIn(base, 'secretariat.arf')).get('/api/v1/workplan/activities?forum=ARF')).json.items[0].id;
    const ids = { contact, communication, check: check.json.id, meeting, activity };
    const data = await demoData(base);
    const problems = [];
    const pages = {};
    for (const [route, user, ready] of SCREENS) {
      if (!pages[user]) {
        const client = new Client(base);
        await client.signIn(user);
        await client.put('/api/v1/me/language', { language: 'ru' });
        const context = await suite.browser.newContext({ locale: 'en-US' });
        const eq = client.cookie.indexOf('=');
        const [name, value] = [client.cookie.slice(0, eq), client.cookie.slice(eq + 1)];
        await context.addCookies([{ name, value, url: base }]);
        pages[user] = await context.newPage();
      }
      const page = pages[user];
      const path = route.replace(/\{(\w+)\}/g, (_, k) => ids[k]);
      const url = `${base}/${path}`;
      await page.goto(url);
      await page.locator(ready).first().waitFor({ timeout: 10000 });
      await page.waitForFunction(() => !document.querySelector('.loading'), null, { timeout: 10000 }).catch(() => {});
      await page.waitForTimeout(300);
      for (const p of await englishOnScreen(page, data)) problems.push(`${route} (${user}): ${p}`);
      await page.screenshot({ path: join(suite.shots, `russian-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'directory'}.png`), fullPage: true });
    }
    assert.deepEqual(problems, []);
  });
});

async function assertEventually(fn, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > until) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
