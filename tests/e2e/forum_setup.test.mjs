// A forum set up from an empty database, in the browser, in Russian (issue 13, item 8):
// the operator's `parley invite` makes the first admin, who accepts the link in Chromium,
// enrols TOTP, creates the OSCE (names in English and Russian) in the forum screens, adds
// participating States by choosing their names, defines a group, and invites the OSCE
// secretariat on the Invitations screen; the e-mails come from a real SMTP sink. The
// secretariat invites Austria's focal point, who enrols TOTP and nominates a technical
// point of contact; the secretariat approves the nomination, which sends the invitation,
// and the technical contact accepts. The secretariat then writes to Austria's technical
// contacts, choosing them by name: the technical contact receives the communication, the
// policy contact does not. Every browser runs in Russian (ru-RU), and every screen on the
// way is checked for English (tests/lib/no_english.mjs, on all the page's text): only
// codes and the data this test typed (people's names, usernames, addresses) may be Latin.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, after, describe, it } from 'node:test';
import { launch } from '../lib/browser.mjs';
import { Client, SOURCE, cli, startServer, startSmtpSink } from '../lib/harness.mjs';
import { addData, emptyData, englishOnScreen } from '../lib/no_english.mjs';
import { totp } from '../lib/totp.mjs';

// The OSCE's 57 participating States, by ISO 3166-1 alpha-3 (as in tests/api/forums.test.mjs).
const OSCE = ['ALB', 'AND', 'ARM', 'AUT', 'AZE', 'BLR', 'BEL', 'BIH', 'BGR', 'CAN', 'HRV', 'CYP', 'CZE', 'DNK', 'EST',
  'FIN', 'FRA', 'GEO', 'DEU', 'GRC', 'VAT', 'HUN', 'ISL', 'IRL', 'ITA', 'KAZ', 'KGZ', 'LVA', 'LIE', 'LTU', 'LUX',
  'MLT', 'MDA', 'MCO', 'MNG', 'MNE', 'NLD', 'MKD', 'NOR', 'POL', 'PRT', 'ROU', 'RUS', 'SMR', 'SRB', 'SVK', 'SVN',
  'ESP', 'SWE', 'CHE', 'TJK', 'TUR', 'TKM', 'UKR', 'GBR', 'USA', 'UZB'];
const OSCE_EN = 'Organization for Security and Co-operation in Europe';
const OSCE_RU = 'Организация по безопасности и сотрудничеству в Европе';
const PASSWORD = 'a long enough passphrase';

// The SMTP sink, then Parley on an empty database that mails through it, then Chromium.
let smtp;
const suite = { server: null, browser: null, shots: join(SOURCE, 'build-e2e-screenshots') };
before(async () => {
  mkdirSync(suite.shots, { recursive: true });
  smtp = await startSmtpSink();
  suite.server = await startServer({ demo: false, extraArgs: ['--smtp', smtp.url] });
  suite.browser = await launch();
});
after(async () => {
  await suite.browser?.close();
  await suite.server?.stop();
  suite.server?.cleanup();
  smtp?.stop();
});

// What this test types is data, not the console's words.
const data = emptyData();
const problems = [];
const people = {};

// A browser in Russian.
async function russianPage() {
  const context = await suite.browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  return page;
}

// Waits until the screen has loaded, then records any English on it and takes a picture.
async function check(page, screen) {
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'));
  for (const p of await englishOnScreen(page, data, { everywhere: true })) problems.push(`${screen}: ${p}`);
  await page.screenshot({ path: join(suite.shots, `forum-setup-${screen}.png`), fullPage: true });
}

// An API client with the session of a browser page (cookie, then the CSRF token).
async function clientOf(page) {
  const c = new Client(suite.server.base);
  const cookie = (await page.context().cookies()).find((k) => k.name && k.value);
  c.cookie = `${cookie.name}=${cookie.value}`;
  const s = await c.get('/api/v1/session');
  assert.equal(s.status, 200, s.text);
  c.csrf = s.json.csrf_token;
  return c;
}

async function mailTo(address) {
  const m = await smtp.waitFor((x) => x.to.includes(address));
  assert.ok(m, `a mail reached ${address}`);
  const link = m.data.replace(/=\r?\n/g, '').match(/https?:\/\/\S+#\/invitation\/[A-Za-z0-9_-]+/)?.[0];
  assert.ok(link?.startsWith(`${suite.server.base}/#/invitation/`), m.data);
  return link;
}

// Opens an invitation link in a fresh Russian browser and makes the account; enrols a
// second factor when the page asks for one. Returns the page, signed in.
async function accept(link, { username, display, screen, enrol }) {
  addData(data, username, display);
  const page = await russianPage();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Ваше приглашение в Parley' }).waitFor();
  await check(page, `${screen}-invitation`);
  await page.getByLabel('Выберите имя пользователя').fill(username);
  await page.getByLabel('Ваше имя, как его увидят другие').fill(display);
  await page.getByLabel('Выберите пароль').fill(PASSWORD);
  await page.getByRole('button', { name: 'Создать учётную запись' }).click();
  if (enrol) {
    await page.getByRole('heading', { name: 'Настройте второй фактор' }).waitFor();
    const secret = await page.locator('code[data-totp-secret]').getAttribute('data-totp-secret');
    assert.match(secret, /^[A-Z2-7]+$/);
    await check(page, `${screen}-enrol`);
    await page.getByLabel('Код', { exact: true }).fill(totp(secret));
    await page.getByRole('button', { name: 'Подтвердить' }).click();
  }
  await page.getByRole('heading', { name: 'Справочник контактных лиц' }).waitFor();
  return page;
}

// A link of the header's menu (the hotline's carries the count of unacknowledged messages).
const nav = (page, name) => page.locator('header nav').getByRole('link', { name: new RegExp(`^${name}`) }).click();

describe('setting up the OSCE from an empty database, in Russian', () => {
  it('the operator invites the first admin, who accepts in the browser and enrols TOTP', async () => {
    const { base, db } = suite.server;
    assert.match(suite.server.output().stdout, /parley invite --role admin --email/);
    const r = cli(['invite', '--db', db, '--role', 'admin', '--email', 'admin@parley.example', '--public-url', base]);
    assert.equal(r.code, 0, r.stderr);
    const link = r.stdout.match(/https?:\/\/\S+#\/invitation\/[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link?.startsWith(`${base}/#/invitation/`), r.stdout);
    addData(data, 'admin@parley.example');
    people.admin = await accept(link, { username: 'ops.admin', display: 'Helga Ops', screen: 'admin', enrol: true });
    await check(people.admin, 'admin-directory');
    const me = await (await clientOf(people.admin)).get('/api/v1/me');
    assert.equal(me.json.role, 'admin');
    assert.equal(me.json.totp_enabled, true);
  });

  it('the admin creates the OSCE, adds participating States by name and defines a group', async () => {
    const page = people.admin;
    await nav(page, 'Форумы');
    await page.getByRole('heading', { name: 'Форумы', exact: true }).waitFor();
    await page.getByText('Ни один форум ещё не создан.').waitFor();
    await check(page, 'forums-empty');

    const form = page.getByRole('form', { name: 'Создать форум' });
    await form.getByLabel('Код (например, OSCE)').fill('OSCE');
    const first = form.locator('.name-row').nth(0);
    assert.equal(await first.locator('select').inputValue(), 'en');
    await first.getByLabel('Название', { exact: true }).fill(OSCE_EN);
    await first.getByLabel('Сокращение').fill('OSCE');
    await form.getByRole('button', { name: 'Добавить название на другом языке' }).click();
    const second = form.locator('.name-row').nth(1);
    await second.locator('select').selectOption('ru');
    await second.getByLabel('Название', { exact: true }).fill(OSCE_RU);
    await second.getByLabel('Сокращение').fill('ОБСЕ');
    await form.getByLabel('русский', { exact: true }).check();   // a working language, named in Russian
    await form.getByLabel('Часовой пояс').selectOption('Europe/Vienna');
    await form.getByLabel('Секретариат').fill('Секретариат ОБСЕ, Вена');
    await check(page, 'forum-create-form');
    await form.getByRole('button', { name: 'Создать форум' }).click();

    await page.waitForURL(/#\/forums\/OSCE$/);
    await page.getByRole('heading', { name: `${OSCE_RU} (ОБСЕ)` }).waitFor();
    await page.getByText('Участники ещё не внесены.').waitFor();
    await check(page, 'forum-new');

    // Participating States chosen by their Russian names.
    const add = page.getByRole('form', { name: 'Добавить участников' });
    const search = add.getByLabel('Найти государства и участников по названию');
    await search.fill('австр');
    await add.getByLabel('Австрия', { exact: true }).check();
    assert.equal(await add.getByLabel('Австралия', { exact: true }).isVisible(), true, 'both match the search');
    await search.fill('герман');
    await add.getByLabel('Германия', { exact: true }).check();
    await search.fill('казах');
    await add.getByLabel('Казахстан', { exact: true }).check();
    await add.getByText('Выбрано: 3').waitFor();
    await check(page, 'forum-add-participants');
    await add.getByRole('button', { name: 'Добавить выбранных участников' }).click();
    await page.locator('tr[data-state="KAZ"]').waitFor();
    assert.match(await page.locator('tr[data-state="AUT"]').innerText(), /^Австрия\s+Член/);
    assert.match(await page.locator('tr[data-state="DEU"]').innerText(), /^Германия\s+Член/);

    // The other 54 through the API, to keep the test short.
    const admin = await clientOf(page);
    for (const a3 of OSCE.filter((x) => !['AUT', 'DEU', 'KAZ'].includes(x))) {
      const r = await admin.put(`/api/v1/forums/OSCE/members/${a3}`, { kind: 'member', joined_on: '1975-08-01' });
      assert.ok([200, 201].includes(r.status), `${a3}: ${r.status} ${r.text}`);
    }
    await page.reload();
    await page.locator('tr[data-state="UZB"]').waitFor();
    assert.equal(await page.locator('table.participants tbody tr').count(), 57);
    assert.match(await page.locator('tr[data-state="GBR"]').innerText(), /^Соединённое Королевство|^Великобритания/);

    // A group of members, chosen by name among the participants.
    const group = page.getByRole('form', { name: 'Определить группу' });
    await group.getByLabel('Код группы (например, ASEAN)').fill('CA');
    await group.getByLabel('Название группы').fill('Центральная Азия');
    const groupSearch = group.getByLabel('Члены группы');
    for (const [q, name] of [['казах', 'Казахстан'], ['кирг', 'Киргизия'], ['тадж', 'Таджикистан'], ['туркм', 'Туркменистан'], ['узбек', 'Узбекистан']]) {
      await groupSearch.fill(q);
      await group.getByLabel(name, { exact: true }).check();
    }
    await check(page, 'forum-participants');
    await group.getByRole('button', { name: 'Сохранить группу' }).click();
    const ca = page.locator('[data-group="CA"]');
    await ca.waitFor();
    assert.match(await ca.innerText(), /^Центральная Азия — .*Узбекистан/);
    await check(page, 'forum-with-group');
    const f = await admin.get('/api/v1/forums/OSCE', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(f.json.name, OSCE_RU);
    assert.equal(f.json.abbreviation, 'ОБСЕ');
    assert.equal(f.json.members, 57);
    const groups = (await admin.get('/api/v1/forums/OSCE/groups')).json.items;
    assert.deepEqual(groups.find((g) => g.code === 'CA').members.map((m) => m.alpha3).sort(), ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']);
  });

  it('the admin invites the OSCE secretariat, who accepts the e-mailed link and enrols TOTP', async () => {
    const page = people.admin;
    addData(data, 'secretariat@osce.example');
    await nav(page, 'Приглашения');
    await page.getByRole('heading', { name: 'Приглашения', exact: true }).waitFor();
    await check(page, 'admin-invitations-empty');
    await page.getByLabel('Адрес электронной почты').fill('secretariat@osce.example');
    await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'секретариат' });
    const forum = page.getByLabel('Форум', { exact: true });
    await forum.locator('option[value="OSCE"]').waitFor({ state: 'attached' });
    await forum.selectOption({ label: OSCE_RU });
    await page.getByRole('button', { name: 'Отправить приглашение' }).click();
    await page.getByText('Приглашение отправлено на secretariat@osce.example.').waitFor();
    await page.locator('tr', { hasText: 'secretariat@osce.example' }).waitFor();
    await check(page, 'admin-invitations-sent');

    const link = await mailTo('secretariat@osce.example');
    people.sec = await accept(link, { username: 'osce.secretariat', display: 'Markus Sekretar', screen: 'secretariat', enrol: true });
    const me = (await (await clientOf(people.sec)).get('/api/v1/me')).json;
    assert.equal(me.role, 'secretariat');
    assert.equal(me.forum, 'OSCE');
  });

  it("the secretariat invites Austria's focal point, who enrols TOTP and nominates a technical contact", async () => {
    const sec = people.sec;
    addData(data, 'focal@aut.example', 'cert@aut.example', 'Eva Technik');
    await nav(sec, 'Приглашения');
    await sec.getByRole('heading', { name: 'Приглашения', exact: true }).waitFor();
    await sec.getByLabel('Адрес электронной почты').fill('focal@aut.example');
    await sec.getByLabel('Роль', { exact: true }).selectOption({ label: 'национальный координатор' });
    const state = sec.getByLabel('Государство', { exact: true });
    await state.locator('option[value="AUT"]').waitFor({ state: 'attached' });
    assert.equal(await state.locator('option').count(), 57, "the forum's participating States");
    await state.selectOption({ label: 'Австрия' });
    await check(sec, 'secretariat-invitations-form');
    await sec.getByRole('button', { name: 'Отправить приглашение' }).click();
    await sec.getByText('Приглашение отправлено на focal@aut.example.').waitFor();
    await sec.locator('tr', { hasText: 'focal@aut.example' }).waitFor();
    await check(sec, 'secretariat-invitations-sent');

    const fp = await accept(await mailTo('focal@aut.example'), { username: 'focal.aut', display: 'Anna Fokus', screen: 'focal-point', enrol: true });
    people.fp = fp;
    // The focal point's state, in Russian, in the header.
    await nav(fp, 'Приглашения');
    await fp.getByRole('heading', { name: 'Приглашения', exact: true }).waitFor();
    const state2 = fp.getByLabel('Государство', { exact: true });
    await state2.locator('option[value="AUT"]').waitFor({ state: 'attached' });
    assert.equal(await state2.locator('option:checked').innerText(), 'Австрия');
    await fp.getByLabel('Адрес электронной почты').fill('cert@aut.example');
    assert.equal(await fp.getByLabel('Запись справочника для учётной записи').inputValue(), '', 'a new contact');
    await fp.getByLabel('Полное имя').fill('Eva Technik');
    await fp.getByLabel('Вид контактного лица').selectOption({ label: 'Техническое' });
    await fp.getByLabel('Доступность').selectOption({ label: 'Круглосуточно' });
    await check(fp, 'focal-point-invitations-form');
    await fp.getByRole('button', { name: 'Отправить приглашение' }).click();
    await fp.getByText('Eva Technik: кандидатура выдвинута', { exact: false }).waitFor();
    await check(fp, 'focal-point-nominated');
    assert.ok(!smtp.messages.some((m) => m.to.includes('cert@aut.example')), 'no invitation before approval');
  });

  it('the secretariat approves the nomination, which sends the invitation; the technical contact accepts', async () => {
    const sec = people.sec;
    await nav(sec, 'Кандидатуры');
    await sec.getByRole('heading', { name: 'Кандидатуры, ожидающие решения' }).waitFor();
    const item = sec.locator('li[data-contact-id]', { hasText: 'Eva Technik' });
    await item.waitFor();
    assert.match(await item.innerText(), /Австрия/);
    await check(sec, 'secretariat-nominations');
    await item.getByRole('button', { name: 'Утвердить' }).click();
    await sec.getByText('Нет кандидатур, ожидающих решения.').waitFor();
    await check(sec, 'secretariat-nominations-done');

    people.tech = await accept(await mailTo('cert@aut.example'), { username: 'eva.technik', display: 'Eva Technik', screen: 'technical', enrol: false });
    await check(people.tech, 'technical-directory');
    const me = (await (await clientOf(people.tech)).get('/api/v1/me')).json;
    assert.equal(me.role, 'poc');
    assert.equal(me.state, 'AUT');
  });

  it("Austria's policy contact gets an account too (through the API)", async () => {
    addData(data, 'Paul Politik', 'paul.politik', 'policy@aut.example');
    const sec = await clientOf(people.sec);
    const k = await sec.post('/api/v1/contacts', {
      state: 'AUT', name: 'Paul Politik', type: 'policy', availability: 'office_hours',
      office_hours: 'Mon-Fri 09:00-17:00', timezone: 'Europe/Vienna',
    });
    assert.equal(k.status, 201, k.text);
    const fp = await clientOf(people.fp);
    const inv = await fp.post('/api/v1/invitations', { email: 'policy@aut.example', role: 'poc', state: 'AUT', contact_id: k.json.id });
    assert.equal(inv.status, 201, inv.text);
    const secret = (await mailTo('policy@aut.example')).split('#/invitation/')[1];
    const policy = new Client(suite.server.base);
    const res = await policy.post('/api/v1/invitations/accept', { secret, username: 'paul.politik', display_name: 'Paul Politik', password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    policy.cookie = res.headers.get('set-cookie').split(';')[0];
    policy.csrf = res.json.csrf_token;
    assert.equal(res.json.user.must_enrol_totp, false);
    people.policy = policy;
  });

  it("the secretariat writes to Austria's technical contacts by name: the technical contact has it, the policy contact not", async () => {
    const sec = people.sec;
    const subject = 'Вредоносный сервер управления в вашем адресном пространстве';
    addData(data, subject);
    await nav(sec, 'Горячая линия');
    await sec.getByRole('heading', { name: 'Горячая линия', exact: true }).waitFor();
    await check(sec, 'secretariat-hotline');
    await sec.getByRole('link', { name: 'Новое сообщение' }).click();
    await sec.getByRole('heading', { name: 'Новое сообщение' }).waitFor();
    const recipients = sec.locator('.states-choice');
    await recipients.getByLabel('Австрия', { exact: true }).check();
    await sec.getByLabel('Вид контактов').selectOption({ label: 'Технические контакты' });
    // The people of the chosen state, by name, with availability in Russian.
    const eva = sec.locator('label.person', { hasText: 'Eva Technik' });
    await eva.waitFor();
    assert.match(await eva.innerText(), /Австрия · .*Круглосуточно/);
    // Office hours with the days in Russian, in the contact's time zone.
    assert.match(await sec.locator('label.person', { hasText: 'Paul Politik' }).innerText(), /пн-пт 09:00-17:00 \(Europe\/Vienna\)/);
    await sec.getByLabel('Тема').fill(subject);
    await sec.getByLabel('Описание').fill('Просим отключить узлы, перечисленные в отчёте CERT.');
    await sec.getByLabel('TLP', { exact: true }).selectOption('TLP:GREEN');
    // The message's language, by name among the forum's working languages: Russian by default.
    const language = sec.locator('form select[name="language"]');
    assert.equal(await language.inputValue(), 'ru');
    assert.deepEqual((await language.locator('option').allInnerTexts()).sort(), ['английский', 'русский']);
    await check(sec, 'secretariat-compose');
    await sec.getByRole('button', { name: 'Отправить', exact: true }).click();
    await sec.getByRole('heading', { name: subject }).waitFor();
    const id = Number(sec.url().match(/hotline\/(\d+)/)[1]);
    await check(sec, 'secretariat-communication');

    const api = await clientOf(sec);
    const c = (await api.get(`/api/v1/communications/${id}`)).json;
    assert.equal(c.contact_kind, 'technical');
    assert.equal(c.language, 'ru');
    assert.deepEqual(c.recipients.map((r) => r.state), ['AUT']);
    assert.deepEqual(c.people.map((p) => p.username), ['eva.technik']);

    // The technical contact finds it in its inbox, in Russian.
    const tech = people.tech;
    await nav(tech, 'Горячая линия');
    const row = tech.locator(`tr[data-communication-id="${id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(subject));
    await check(tech, 'technical-inbox');
    await row.getByRole('link', { name: subject }).click();
    await tech.getByRole('heading', { name: subject }).waitFor();
    await check(tech, 'technical-communication');

    // The policy contact has nothing: its inbox is empty and the communication is not found.
    const policy = people.policy;
    const inbox = (await policy.get('/api/v1/communications?box=inbox')).json;
    assert.deepEqual(inbox.items.map((x) => x.id), []);
    assert.equal((await policy.get(`/api/v1/communications/${id}`)).status, 404);
    const context = await suite.browser.newContext({ locale: 'ru-RU' });
    const [name, value] = [policy.cookie.slice(0, policy.cookie.indexOf('=')), policy.cookie.slice(policy.cookie.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url: suite.server.base }]);
    const pp = await context.newPage();
    await pp.goto(`${suite.server.base}/#/hotline`);
    await pp.getByText('Сообщений нет.').waitFor();
    await check(pp, 'policy-inbox');
  });

  it('showed no English on any screen of the way', () => {
    assert.deepEqual(problems, []);
  });
});
