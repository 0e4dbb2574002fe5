// Setting up a forum from nothing, as a secretariat would on its first Monday (issue 13,
// item 8), through the public API only and a real SMTP sink: an empty database (no
// demo); the operator's `parley invite` makes the first admin, who enrols TOTP, creates
// the OSCE with its 57 participating States (by ISO 3166-1 code, named by the standard)
// and a group, and invites the OSCE secretariat by e-mail; the secretariat invites
// Austria's focal point, who enrols TOTP and invites a technical point of contact (a
// nomination the secretariat approves, which sends the invitation) and a policy one; a
// communication to Austria's technical contacts then reaches the technical contact and
// not the policy contact. The README's "Setting up a forum" gives the same steps.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Client, cli, expectProblem, sql, startServer, startSmtpSink } from '../lib/harness.mjs';
import { totp } from '../lib/totp.mjs';

// The OSCE's 57 participating States (osce.org/participating-states), by alpha-3.
const OSCE = ['ALB', 'AND', 'ARM', 'AUT', 'AZE', 'BLR', 'BEL', 'BIH', 'BGR', 'CAN', 'HRV', 'CYP', 'CZE', 'DNK', 'EST',
  'FIN', 'FRA', 'GEO', 'DEU', 'GRC', 'VAT', 'HUN', 'ISL', 'IRL', 'ITA', 'KAZ', 'KGZ', 'LVA', 'LIE', 'LTU', 'LUX', 'MLT',
  'MDA', 'MCO', 'MNG', 'MNE', 'NLD', 'MKD', 'NOR', 'POL', 'PRT', 'ROU', 'RUS', 'SMR', 'SRB', 'SVK', 'SVN', 'ESP', 'SWE',
  'CHE', 'TJK', 'TUR', 'TKM', 'UKR', 'GBR', 'USA', 'UZB'];
const CENTRAL_ASIA = ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB'];
const PASSWORD = 'a long enough passphrase';

let server;
let smtp;
const people = {};

const secretOf = (text) => text.match(/#\/invitation\/([A-Za-z0-9_-]+)/)?.[1];

async function linkMailedTo(address) {
  const m = await smtp.waitFor((x) => x.to.includes(address) && /#\/invitation\//.test(x.data));
  assert.ok(m, `an invitation reached ${address}`);
  return secretOf(m.data);
}

// Accepts an invitation; enrols TOTP when the server requires it first, proving that
// nothing else is allowed before.
async function accept(secret, username, { totpFirst }) {
  const c = new Client(server.base);
  const res = await c.post('/api/v1/invitations/accept', { secret, username, display_name: username, password: PASSWORD });
  assert.equal(res.status, 201, res.text);
  c.cookie = res.headers.get('set-cookie').split(';')[0];
  c.csrf = res.json.csrf_token;
  assert.equal(res.json.user.must_enrol_totp, totpFirst);
  if (totpFirst) {
    const before = await c.get('/api/v1/forums');
    assert.equal(before.status, 403);
    assert.equal(before.json.type, 'urn:parley:problem:second-factor-enrolment-required');
    const begin = await c.post('/api/v1/me/totp');
    assert.equal(begin.status, 201, begin.text);
    assert.equal((await c.post('/api/v1/me/totp/confirm', { code: totp(begin.json.secret) })).status, 204);
  }
  assert.equal((await c.get('/api/v1/forums')).status, 200);
  return c;
}

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ demo: false, extraArgs: ['--smtp', smtp.url] });
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  smtp?.stop();
});

describe('setting up the OSCE from an empty database', () => {
  it('starts with no forum, no account, and says how to make the first admin', async () => {
    assert.match(server.output().stdout, /parley invite --role admin --email/);
    const anon = new Client(server.base);
    assert.equal((await anon.get('/api/v1/forums')).status, 401);
    const r = cli(['invite', '--db', server.db, '--role', 'admin', '--email', 'admin@osce.example', '--public-url', server.base]);
    assert.equal(r.code, 0, r.stderr);
    people.admin = await accept(secretOf(r.stdout), 'admin', { totpFirst: true });
    const forums = (await people.admin.get('/api/v1/forums')).json;
    assert.deepEqual(forums.items ?? forums, []);
  });

  it('the admin creates the OSCE with its 57 participating States and a group', async () => {
    const { admin } = people;
    const f = await admin.post('/api/v1/forums', {
      code: 'OSCE',
      names: {
        en: { name: 'Organization for Security and Co-operation in Europe', abbreviation: 'OSCE' },
        ru: { name: 'Организация по безопасности и сотрудничеству в Европе', abbreviation: 'ОБСЕ' },
      },
      languages: ['en', 'fr', 'de', 'it', 'ru', 'es'],
      timezone: 'Europe/Vienna',
    });
    assert.equal(f.status, 201, f.text);
    assert.equal(OSCE.length, 57);
    assert.equal(new Set(OSCE).size, 57);
    for (const code of OSCE) {
      const r = await admin.put(`/api/v1/forums/OSCE/members/${code}`, { kind: 'member', joined_on: '1975-08-01' });
      assert.ok(r.status === 200 || r.status === 201, `${code}: ${r.text}`);
    }
    const g = await admin.put('/api/v1/forums/OSCE/groups/CENTRAL-ASIA', {
      names: { en: 'Central Asian participating States', ru: 'Государства-участники Центральной Азии' },
      members: CENTRAL_ASIA,
    });
    assert.ok(g.status === 200 || g.status === 201, g.text);

    const members = await admin.get('/api/v1/forums/OSCE/states', { headers: { 'Accept-Language': 'ru' } });
    assert.equal(members.status, 200, members.text);
    const items = members.json.items ?? members.json;
    assert.equal(items.length, 57);
    // Named by the standard, in the language asked for.
    assert.equal(items.find((s) => s.alpha3 === 'AUT').name, 'Австрия');
    const ru = await admin.get('/api/v1/forums/OSCE', { headers: { 'Accept-Language': 'ru' } });
    assert.match(JSON.stringify(ru.json), /ОБСЕ/);
  });

  it('the admin invites the secretariat by e-mail; it enrols TOTP and invites Austria\'s focal point', async () => {
    const inv = await people.admin.post('/api/v1/invitations', { email: 'cbm@osce.example', role: 'secretariat', forum: 'OSCE' });
    assert.equal(inv.status, 201, inv.text);
    people.sec = await accept(await linkMailedTo('cbm@osce.example'), 'osce.secretariat', { totpFirst: true });
    // Only within its forum.
    expectProblem(assert, await people.sec.post('/api/v1/invitations', { email: 'x@x.example', role: 'focal_point', state: 'CHN' }), 403);
    const fp = await people.sec.post('/api/v1/invitations', { email: 'focal@aut.example', role: 'focal_point', state: 'AUT' });
    assert.equal(fp.status, 201, fp.text);
    people.fp = await accept(await linkMailedTo('focal@aut.example'), 'focal.aut', { totpFirst: true });
  });

  it('the focal point invites a technical and a policy point of contact; each account is a directory entry', async () => {
    const { fp, sec } = people;
    const tech = await fp.post('/api/v1/invitations', {
      email: 'cert@aut.example', role: 'poc', state: 'AUT',
      contact: { name: 'Eva Technik', type: 'technical', availability: '24/7', position: 'CERT duty officer' },
    });
    assert.equal(tech.status, 202, tech.text);   // a nomination: invited when approved
    assert.equal((await sec.post(`/api/v1/contacts/${tech.json.nomination.id}/approve`, {})).status, 200);
    people.tech = await accept(await linkMailedTo('cert@aut.example'), 'eva.technik', { totpFirst: false });

    const entry = await sec.post('/api/v1/contacts', {
      state: 'AUT', name: 'Paul Politik', type: 'policy', availability: 'office_hours',
      timezone: 'Europe/Vienna', office_hours: 'Mon-Fri 09:00-17:00',
    });
    assert.equal(entry.status, 201, entry.text);
    const pol = await fp.post('/api/v1/invitations', { email: 'policy@aut.example', role: 'poc', state: 'AUT', contact_id: entry.json.id });
    assert.equal(pol.status, 201, pol.text);
    people.policy = await accept(await linkMailedTo('policy@aut.example'), 'paul.politik', { totpFirst: false });

    const accounts = (await fp.get('/api/v1/accounts')).json.items;
    assert.equal(accounts.find((a) => a.username === 'eva.technik').contact_id, tech.json.nomination.id);
    assert.equal(accounts.find((a) => a.username === 'paul.politik').contact_id, entry.json.id);
  });

  it("a communication to Austria's technical contacts reaches the technical contact and not the policy contact", async () => {
    const { sec, tech, policy } = people;
    const r = await sec.post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['AUT'], contact_kind: 'technical',
      subject: 'Scanning from addresses announced in Austria', description: 'Please look at the attached ranges.',
      severity: 2, tlp: 'TLP:GREEN',
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.people.map((p) => p.username), ['eva.technik']);

    // Not connected to the event stream, the technical contact is e-mailed a link.
    assert.ok(await smtp.waitFor((m) => m.to.includes('cert@aut.example') && m.data.includes(`/#/hotline/${r.json.id}`)),
      'the technical contact was e-mailed a link');
    const inbox = await tech.get('/api/v1/communications?box=inbox');
    assert.ok(inbox.json.items.some((c) => c.id === r.json.id), inbox.text);
    assert.equal((await tech.post(`/api/v1/communications/${r.json.id}/ack`, {})).status, 200);

    expectProblem(assert, await policy.get(`/api/v1/communications/${r.json.id}`), 404);
    assert.ok(!(await policy.get('/api/v1/communications?box=all')).json.items.some((c) => c.id === r.json.id));
    assert.ok(!smtp.messages.some((m) => m.to.includes('policy@aut.example') && m.data.includes(`/#/hotline/${r.json.id}`)),
      'the policy contact was not');
  });

  it('every step was journaled and the journal verifies', async () => {
    const v = cli(['journal', 'verify', '--db', server.db]);
    assert.equal(v.code, 0, v.stderr + v.stdout);
    const actions = sql(server.db, 'SELECT action FROM journal ORDER BY seq').split('\n');
    for (const action of ['forum.create', 'forum.participation.set', 'forum.group.create', 'invitation.create',
      'invitation.accept', 'contact.approve', 'communication.send'])
      assert.ok(actions.includes(action), `${action} in the journal`);
    assert.equal(actions.filter((a) => a === 'forum.participation.set').length, 57);
  });
});
