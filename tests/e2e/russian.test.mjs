// The console in Russian: a user switches the language on the sign-in page and in the
// header, the choice is kept for the account, and every screen then shows its chrome
// (headings, menus, labels, buttons, table headers, counts and dates) in Russian.
//
// To cover a new screen, add it to SCREENS: the route, who sees it, and what shows
// that it has loaded. The checks are:
//  - chrome elements (CHROME) hold no Latin word of 3+ letters but codes and names
//    (ALLOWED, alpha-3 codes, symbols) and the demo's data (names of states, forums,
//    people, agencies and documents, read from the API: data is not translated);
//  - the page's whole text holds no phrase of the English catalogue (web/src/i18n/en.ts),
//    wherever it is; attributes people hear (aria-label, placeholder, title) likewise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSuite } from '../lib/browser.mjs';
import { Client, DEMO_PASSWORD, SOURCE, signedIn } from '../lib/harness.mjs';

const suite = browserSuite();

// [route, user, a selector whose presence says the screen has loaded]
const SCREENS = [
  ['#/', 'secretariat.cica', '#results-title'],
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
];

// Elements that are the console's own words.
const CHROME = '.skip-link, header nav a, header .who, button, label, th, dt, legend, h2, .tabs a, .badge, .sev, .countdown, .muted.small, option, .live-state';

// Latin words that are the same in Russian documents: names of standards, formats, the product.
const ALLOWED = new Set(['Parley', 'TLP', 'CLEAR', 'GREEN', 'AMBER', 'STRICT', 'RED', 'STIX', 'TAXII', 'CSV', 'HTML',
  'Markdown', 'Akoma', 'Ntoso', 'OpenPGP', 'BCP', 'CERT', 'CSIRT', 'TOTP', 'API', 'UTC', 'SHA', 'URL',
  'alpha', 'Asia', 'Almaty', 'PDF', 'ICT', 'ad', 'referendum']);

// English phrases of the catalogue: fragments between placeholders, of two words or more.
const enSource = readFileSync(join(SOURCE, 'web/src/i18n/en.ts'), 'utf8');
const PHRASES = [...enSource.matchAll(/^\s*'[^']+':\s*(['"])(.*)\1,\s*$/gm)]
  .map((m) => m[2].replace(/\\n/g, '\n'))
  .flatMap((v) => v.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|#/))
  .map((s) => s.trim().replace(/[.:;,…]+$/, ''))
  .filter((s) => /^[A-Za-z][A-Za-z' -]*[a-z]$/.test(s) && s.split(' ').length >= 2 && s.length >= 8)
  .filter((s) => !s.split(' ').every((w) => ALLOWED.has(w)));

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
        if (/name|title|symbol|label|username|agency|position|state|forum|secretariat|value|email|by|who|from|actor|subject|note|ref|timezone|hours|detail|use/.test(k) ||
            typeof x === 'object') add(x);
  };
  for (const path of ['/api/v1/states', '/api/v1/forums', '/api/v1/contacts?limit=500', '/api/v1/users',
    '/api/v1/negotiation/documents', '/api/v1/negotiation/documents/1'])
    add((await admin.get(path)).json);
  for (const who of ['poc.uzb', 'secretariat.cica']) {
    const c = await signedIn(base, who);
    add((await c.get('/api/v1/communications?box=all&limit=100')).json);
  }
  return { words, strings };
}

async function englishOnScreen(page, { words = new Set(), strings = new Set() } = {}) {
  return page.evaluate(({ chrome, allowed, phrases, words, strings }) => {
    const found = [];
    // Text marked as in another language (a document in English, a language's own name) is not chrome.
    const foreign = 'body [lang]:not([lang|="ru"])';
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) &&
      !el.closest('[hidden], .visually-hidden') && !el.closest(foreign);
    const allowedWords = new Set([...allowed, ...words]);
    const latin = (text) => (text.match(/[A-Za-z]{3,}/g) ?? [])
      .filter((w) => !allowedWords.has(w) && !/^[A-Z]{3,4}$/.test(w));   // alpha-3 and forum codes
    for (const el of document.querySelectorAll(chrome)) {
      if (!visible(el)) continue;
      // The element's words, but for values typed in, codes, addresses and text in another language.
      const parts = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (!n.parentElement.closest(`textarea, code, a[href^="mailto"], a[href^="tel"], ${foreign}`)) parts.push(n.textContent);
      const text = parts.join(' ');
      const bad = latin(text);
      if (bad.length) found.push(`${el.tagName.toLowerCase()}: "${text.trim().slice(0, 80)}" (${bad.join(', ')})`);
    }
    // The data shown is left out: a contact's position may well say "Point of contact".
    const copy = document.body.cloneNode(true);
    for (const el of copy.querySelectorAll(`${foreign}, [hidden], .visually-hidden, script, style`)) el.remove();
    document.documentElement.append(copy);   // innerText needs a rendered element
    copy.style.position = 'absolute';
    let whole = copy.innerText;
    copy.remove();
    for (const d of strings) if (d.length >= 8) whole = whole.split(d).join(' ');
    for (const p of phrases) if (whole.includes(p)) found.push(`English phrase: "${p}"`);
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const attr of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(attr);
        if (v && phrases.some((p) => v.includes(p))) found.push(`${attr}="${v}"`);
      }
    }
    if (document.documentElement.lang !== 'ru') found.push(`<html lang="${document.documentElement.lang}">`);
    return found;
  }, { chrome: CHROME, allowed: [...ALLOWED], phrases: PHRASES, words: [...words], strings: [...strings].sort((a, b) => b.length - a.length) });
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
    const ids = { contact, communication, check: check.json.id };
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
