// Importing points of contact from spreadsheets over the real server: a semicolon file
// with a byte-order mark and quoted line breaks, the column mapping, a dry run listing
// every row's errors, an all-or-nothing real run, an idempotent re-run (nothing changed,
// nothing journaled), scopes (another forum's states, another state, a point of contact,
// anonymous), huge and malformed input; and the expired flag in the API and the export.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, cli, expectProblem, rawRequest, signedIn, startServer } from '../lib/harness.mjs';

let server;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of ['admin', 'secretariat.cica', 'secretariat.arf', 'focal.kaz', 'focal.tha', 'poc.kaz'])
    u[name] = await signedIn(server.base, name);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

function journalLength() {
  const r = cli(['journal', 'verify', '--db', server.db]);
  return Number(r.stdout.match(/(\d+) entries/)[1]);
}

const BOM = '\uFEFF';
// As Excel saves "CSV UTF-8" in a locale whose list separator is ';'.
const SHEET = BOM + [
  'Country;Full name;Type;E-mail;Phone;Comment',
  'KAZ;Zhanar Import-One;Technical;z1@cert.example.kz;+7 717 000 00 01;"Met in Astana; ""very"" helpful\r\nsecond line"',
  'Thailand;Somchai Import-Two;policy;s2@mfa.example.th;;',
  'КАЗАХСТАН;Askar Import-Three;Law enforcement;a3@police.example.kz;+7 717 000 00 03;',
].join('\r\n') + '\r\n';
const MAPPING = { Country: 'state', 'Full name': 'name', Type: 'type', 'E-mail': 'email', Phone: 'phone' };
const DEFAULTS = { availability: '24/7' };

async function count(client, q) {
  const all = await client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}&limit=100`);
  const pending = await client.get(`/api/v1/contacts?q=${encodeURIComponent(q)}&status=pending&limit=100`);
  return all.json.total + (pending.status === 200 ? pending.json.total : 0);
}

describe('describing a file', () => {
  it('detects the separator, drops the BOM and suggests a field for each column', async () => {
    const r = await u['secretariat.cica'].post('/api/v1/directory/import?dry_run=true', { csv: SHEET });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.separator, ';');
    assert.equal(r.json.rows, 3, 'a line break inside a quoted cell is not a row');
    assert.deepEqual(r.json.columns.map((c) => [c.header, c.suggested]), [
      ['Country', 'state'], ['Full name', 'name'], ['Type', 'type'], ['E-mail', 'email'], ['Phone', 'phone'], ['Comment', null],
    ]);
  });
});

describe('a dry run', () => {
  it('says what each row would do and lists every error by row and column, writing nothing', async () => {
    const sheet = SHEET + [
      'KAZ;;technical;not-an-address;;',
      'Atlantis;Nobody Import;technical;n@example.org;;',
      'UZB;Bad Type Import;wizard;b@example.uz;12ab;',
    ].join('\r\n') + '\r\n';
    const before = journalLength();
    const r = await u.admin.post('/api/v1/directory/import?dry_run=true', { csv: sheet, mapping: MAPPING, defaults: DEFAULTS });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dry_run, true);
    assert.equal(r.json.applied, false);
    assert.deepEqual(r.json.rows.map((x) => [x.row, x.action]), [
      [2, 'create'], [3, 'create'], [4, 'create'], [5, 'error'], [6, 'error'], [7, 'error'],
    ]);
    assert.equal(r.json.rows[1].state, 'THA', 'state resolved from its name');
    assert.equal(r.json.rows[2].state, 'KAZ', 'and from its Russian name, in any case');
    const errs = (row) => r.json.rows.find((x) => x.row === row).errors.map((e) => [e.column, e.field]);
    assert.deepEqual(errs(5).sort(), [['E-mail', 'email'], ['Full name', 'name']].sort());
    assert.deepEqual(errs(6), [['Country', 'state']]);
    assert.deepEqual(errs(7).sort(), [['Phone', 'phone'], ['Type', 'type']].sort());
    assert.ok(r.json.rows.find((x) => x.row === 7).errors.every((e) => e.reason));
    assert.deepEqual(r.json.summary, { rows: 6, create: 3, update: 0, unchanged: 0, error: 3 });
    assert.equal(journalLength(), before, 'a dry run journals nothing');
    assert.equal(await count(u.admin, 'Import-One'), 0, 'and writes nothing');
  });

  it('refuses a mapping to columns the file does not have, or to unknown fields', async () => {
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?dry_run=true',
      { csv: SHEET, mapping: { ...MAPPING, Nope: 'position' } }), 422, 'mapping.Nope');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?dry_run=true',
      { csv: SHEET, mapping: { ...MAPPING, Comment: 'favourite_colour' } }), 422, 'mapping.Comment');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?dry_run=true',
      { csv: SHEET, mapping: { Country: 'state' } }), 422, 'mapping');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?dry_run=true',
      { csv: SHEET, mapping: MAPPING, defaults: { name: 'x' } }), 422, 'defaults.name');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?dry_run=maybe', { csv: SHEET }), 400, 'dry_run');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import?force=1', { csv: SHEET }), 400, 'force');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import', { csv: SHEET, extra: true }), 422, 'extra');
  });
});

describe('the real run', () => {
  it('is all or nothing: one bad row and no row is written', async () => {
    const before = journalLength();
    const r = await u.admin.post('/api/v1/directory/import?dry_run=false', {
      csv: SHEET + 'KAZ;Broken Import;technical;broken;;\r\n', mapping: MAPPING, defaults: DEFAULTS });
    const p = expectProblem(assert, r, 422, 'rows.5.E-mail');
    assert.ok(p.errors.length >= 1);
    assert.equal(journalLength(), before);
    assert.equal(await count(u.admin, 'Import-One'), 0);
  });

  it('creates, then a re-run of the same file changes and journals nothing, then one edit updates one row', async () => {
    const first = await u['secretariat.cica'].post('/api/v1/directory/import', { csv: SHEET, mapping: MAPPING, defaults: DEFAULTS });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.applied, true);
    assert.deepEqual(first.json.summary, { rows: 3, create: 3, update: 0, unchanged: 0, error: 0 });
    const id = first.json.rows[0].contact_id;
    const k = await u['poc.kaz'].get(`/api/v1/contacts/${id}`);
    assert.equal(k.json.name, 'Zhanar Import-One');
    assert.equal(k.json.type, 'technical');
    assert.equal(k.json.status, 'active');
    assert.deepEqual(k.json.channels.map((c) => [c.kind, c.value]), [['email', 'z1@cert.example.kz'], ['phone', '+7 717 000 00 01']]);
    assert.equal((await u['poc.kaz'].get(`/api/v1/contacts/${first.json.rows[2].contact_id}`)).json.type, 'law_enforcement');

    const head = journalLength();
    const again = await u['secretariat.cica'].post('/api/v1/directory/import', { csv: SHEET, mapping: MAPPING, defaults: DEFAULTS });
    assert.deepEqual(again.json.summary, { rows: 3, create: 0, update: 0, unchanged: 3, error: 0 });
    assert.equal(journalLength(), head, 'nothing journaled');
    assert.equal((await u['poc.kaz'].get(`/api/v1/contacts/${id}`)).json.version, k.json.version, 'nothing written');

    // The same sheet saved with commas, one phone number changed.
    const edited = SHEET.replace('+7 717 000 00 01', '+7 717 000 00 99').replaceAll(';', ',');
    const third = await u['secretariat.cica'].post('/api/v1/directory/import', { csv: edited, mapping: MAPPING, defaults: DEFAULTS, separator: 'comma' });
    assert.equal(third.status, 200, third.text);
    assert.deepEqual(third.json.summary, { rows: 3, create: 0, update: 1, unchanged: 2, error: 0 });
    assert.deepEqual(third.json.rows[0].changes, ['channels']);
    assert.equal(journalLength(), head + 2, 'the update and the import, journaled');
    const after = await u['poc.kaz'].get(`/api/v1/contacts/${id}`);
    assert.equal(after.json.channels[1].value, '+7 717 000 00 99');
  });

  it('matches by an id column when one is mapped', async () => {
    const list = await u.admin.get(`/api/v1/contacts?q=${encodeURIComponent('Import-Two')}`);
    const id = list.json.items[0].id;
    const csv = `id,Name,Position\n${id},Somchai Import-Two Renamed,Director\n`;
    const r = await u.admin.post('/api/v1/directory/import', { csv, mapping: { id: 'id', Name: 'name', Position: 'position' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rows[0].action, 'update');
    assert.deepEqual(r.json.rows[0].changes.sort(), ['name', 'position']);
    assert.equal((await u.admin.get(`/api/v1/contacts/${id}`)).json.name, 'Somchai Import-Two Renamed');
    const missing = await u.admin.post('/api/v1/directory/import?dry_run=true', { csv: 'id,Name\n99999999,X\n', mapping: { id: 'id', Name: 'name' } });
    assert.equal(missing.json.rows[0].errors[0].field, 'id');
  });
});

describe('scopes', () => {
  it('gives another forum\'s secretariat an error on the rows of states it does not manage', async () => {
    const r = await u['secretariat.arf'].post('/api/v1/directory/import?dry_run=true', { csv: SHEET, mapping: MAPPING, defaults: DEFAULTS });
    // Thailand's row: its contact was renamed above, so the sheet's name is a new one.
    assert.deepEqual(r.json.rows.map((x) => x.action), ['error', 'create', 'error']);
    assert.match(r.json.rows[0].errors[0].reason, /may not manage the entries of KAZ/);
    expectProblem(assert, await u['secretariat.arf'].post('/api/v1/directory/import', { csv: SHEET, mapping: MAPPING, defaults: DEFAULTS }), 422);
  });

  it('makes a focal point\'s new contacts nominations of its own state, and refuses other states', async () => {
    const csv = 'Name,Type,E-mail\r\nNominee Import-Four,technical,n4@example.kz\r\n';
    const r = await u['focal.kaz'].post('/api/v1/directory/import', { csv, mapping: { Name: 'name', Type: 'type', 'E-mail': 'email' }, defaults: { availability: 'office hours' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rows[0].nomination, true);
    const k = await u['focal.kaz'].get(`/api/v1/contacts/${r.json.rows[0].contact_id}`);
    assert.equal(k.json.status, 'pending');
    assert.equal(k.json.state, 'KAZ');
    expectProblem(assert, await u['poc.kaz'].get(`/api/v1/contacts/${r.json.rows[0].contact_id}`), 404);
    const other = await u['focal.kaz'].post('/api/v1/directory/import?dry_run=true', { csv: SHEET, mapping: MAPPING, defaults: DEFAULTS });
    assert.equal(other.json.rows[1].action, 'error', 'Thailand is not Kazakhstan\'s');
  });

  it('does not let an id column reach another state\'s contacts, nor reveal its nominations', async () => {
    const tha = (await u['poc.kaz'].get('/api/v1/contacts?state=THA&limit=1')).json.items[0];
    const r = await u['focal.kaz'].post('/api/v1/directory/import?dry_run=true',
      { csv: `id,Name\n${tha.id},Renamed By Kazakhstan\n`, mapping: { id: 'id', Name: 'name' } });
    assert.equal(r.json.rows[0].action, 'error');
    assert.match(r.json.rows[0].errors.map((e) => e.reason).join(' '), /may not manage the entries of THA/);
    expectProblem(assert, await u['focal.kaz'].post('/api/v1/directory/import',
      { csv: `id,Name\n${tha.id},Renamed By Kazakhstan\n`, mapping: { id: 'id', Name: 'name' } }), 422);
    assert.equal((await u['poc.kaz'].get(`/api/v1/contacts/${tha.id}`)).json.name, tha.name, 'unchanged');
    const pending = (await u.admin.get('/api/v1/contacts?state=KAZ&status=pending&limit=1')).json.items[0];
    const hidden = await u['focal.tha'].post('/api/v1/directory/import?dry_run=true',
      { csv: `id,Name\n${pending.id},X\n`, mapping: { id: 'id', Name: 'name' } });
    assert.deepEqual(hidden.json.rows[0].errors.map((e) => e.reason), [`no point of contact ${pending.id}`],
      'another state\'s nomination is as absent as one that does not exist');
  });

  it('refuses points of contact and anonymous callers', async () => {
    expectProblem(assert, await u['poc.kaz'].post('/api/v1/directory/import?dry_run=true', { csv: SHEET, mapping: MAPPING }), 403);
    expectProblem(assert, await new Client(server.base).post('/api/v1/directory/import?dry_run=true', { csv: SHEET }), 401);
  });
});

describe('huge and malformed input', () => {
  it('refuses oversized files, too many columns or rows, long cells, broken quotes and binary', async () => {
    const post = (csv) => u.admin.post('/api/v1/directory/import?dry_run=true', { csv, mapping: MAPPING });
    expectProblem(assert, await post('a,b\n' + 'x'.repeat(4.5 * 1024 * 1024)), 422, 'csv');
    expectProblem(assert, await post(Array.from({ length: 70 }, (_, i) => `c${i}`).join(',') + '\n'), 422, 'csv');
    expectProblem(assert, await post('Country\n' + 'KAZ\n'.repeat(10001)), 422, 'csv');
    expectProblem(assert, await post('Country,Full name\nKAZ,' + 'y'.repeat(5000) + '\n'), 422, 'csv');
    const broken = expectProblem(assert, await post('Country,Full name\nKAZ,"never closed\n'), 422, 'csv');
    assert.match(broken.errors[0].reason, /row 2/);
    expectProblem(assert, await post('Country,Full name\nKAZ,"x"junk\n'), 422, 'csv');
    expectProblem(assert, await post(''), 422, 'csv');
    expectProblem(assert, await u.admin.post('/api/v1/directory/import', { csv: 42 }), 422, 'csv');
    expectProblem(assert, await u.admin.request('POST', '/api/v1/directory/import', { raw: 'not json', headers: { 'Content-Type': 'application/json' } }), 400);
    // A body over the server's limit is refused from its Content-Length, unread.
    const huge = await rawRequest(server.base, [
      'POST /api/v1/directory/import?dry_run=true HTTP/1.1', `Host: ${new URL(server.base).host}`, `Cookie: ${u.admin.cookie}`,
      `X-CSRF-Token: ${u.admin.csrf}`, 'Content-Type: application/json', `Content-Length: ${9 * 1024 * 1024}`, 'Connection: close',
    ].join('\r\n'), '{"csv":"');
    expectProblem(assert, huge, 413, 'body');
  });
});

describe('the command line', () => {
  it('imports a file with a mapping, dry run first, and a re-run changes nothing', () => {
    const file = join(server.dir, 'sheet.csv');
    writeFileSync(file, BOM + 'Country;Name;Type\r\nUZB;Cli Import-Five;technical\r\n');
    const args = ['directory', 'import', file, '--map', 'Country=state', '--map', 'Name=name', '--map', 'Type=type',
      '--default', 'availability=24/7', '--db', server.db];
    const dry = cli([...args, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /row 2\tcreate\tUZB\tCli Import-Five/);
    assert.match(dry.stdout, /dry run: nothing written/);
    const real = cli(args);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /imported/);
    const again = cli(args);
    assert.match(again.stdout, /1 unchanged/);
    writeFileSync(file, 'Country;Name;Type\nUZB;;technical\n');
    const bad = cli(args);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /row 2\terror/);
    assert.match(bad.stdout, /Name \(name\)|\(name\)/);
  });
});

describe('contacts past their validity', () => {
  it('are flagged in the API, filtered, and marked in the export', async () => {
    const old = await u.admin.post('/api/v1/contacts', {
      state: 'KAZ', name: 'Expired Person', type: 'technical', availability: '24/7', valid_from: '2019-01-01', valid_until: '2020-01-31',
    });
    assert.equal(old.status, 201, old.text);
    assert.equal(old.json.expired, true);
    const current = await u.admin.post('/api/v1/contacts', {
      state: 'KAZ', name: 'Current Person', type: 'technical', availability: '24/7', valid_until: '2099-12-31',
    });
    assert.equal(current.json.expired, false);
    const expired = await u['poc.kaz'].get('/api/v1/contacts?state=KAZ&expired=true');
    assert.deepEqual(expired.json.items.map((c) => c.name), ['Expired Person']);
    const valid = await u['poc.kaz'].get('/api/v1/contacts?state=KAZ&expired=false&limit=500');
    assert.ok(valid.json.items.some((c) => c.name === 'Current Person'));
    assert.ok(!valid.json.items.some((c) => c.name === 'Expired Person'));
    expectProblem(assert, await u['poc.kaz'].get('/api/v1/contacts?expired=maybe'), 400, 'expired');
    const csv = await u['poc.kaz'].get('/api/v1/contacts/export?format=csv&state=KAZ');
    const lines = csv.text.split('\r\n');
    const header = lines[0].split(',');
    const col = header.indexOf('expired');
    assert.ok(col > 0, `an expired column: ${lines[0]}`);
    const row = (name) => lines.find((l) => l.includes(name)).split(',');
    assert.equal(row('Expired Person')[col], 'yes');
    assert.equal(row('Current Person')[col], 'no');
    const vcf = await u['poc.kaz'].get('/api/v1/contacts/export?format=vcard&state=KAZ&expired=true');
    assert.match(vcf.text, /EXPIRED/);
  });
});
