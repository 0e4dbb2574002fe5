// Receipts for everything a state may need to prove (issue 14, item 3), over the real
// server with the demo: for a communication, its acknowledgement, a reply, a check
// answer, a STIX object, a proposal, a position, a circulated revision and an adoption,
// the reader finds the record by its key, fetches the entry and a receipt, and the
// receipt verifies here with node:crypto and the log's key alone (tests/lib/tlog_verify.mjs);
// the index is the one the write's Parley-Ledger-Index header named. Then the denials:
// another state, a TLP:RED object's outsiders, a state that left the forum, another
// forum's secretariat, anonymous callers and malformed input.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { Client, expectProblem, signedIn, startServer } from '../lib/harness.mjs';
import { leafHash, verifyReceipt } from '../lib/tlog.mjs';

const API = '/api/v1/ledger';
const NEG = '/api/v1/negotiation';
const TLP = {
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const USERS = ['admin', 'secretariat.cica', 'secretariat.arf', 'poc.kaz', 'focal.kaz', 'poc.uzb', 'focal.uzb', 'poc.tha',
  'poc.tjk', 'poc.jpn'];

let server;
let vkey;
const u = {};

before(async () => {
  server = await startServer();
  for (const name of USERS) u[name] = await signedIn(server.base, name);
  const k = await u['poc.kaz'].get(`${API}/key`);
  assert.equal(k.status, 200, k.text);
  vkey = k.json.vkey;
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const indexOf = (res) => {
  const h = res.headers.get('parley-ledger-index');
  assert.match(h ?? '', /^\d+$/, `the write names its ledger index: ${res.status} ${res.text}`);
  return Number(h);
};

const records = async (who, key) => {
  const r = await u[who].get(`${API}/records?object=${encodeURIComponent(key)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.object, key);
  assert.equal(r.json.next, null, 'one page');
  return r.json.records;
};

// The reader finds the entry at `index` under `key` with `action`, reads it, downloads its
// receipt and verifies it offline; returns the entry's body (the leaf data, parsed).
async function proves(who, key, index, action) {
  const found = (await records(who, key)).find((r) => r.index === index);
  assert.ok(found, `${who} finds entry ${index} under ${key}`);
  assert.equal(found.action, action);
  const entry = await u[who].get(`${API}/entries/${index}`);
  assert.equal(entry.status, 200, entry.text);
  const receipt = await u[who].get(`${API}/receipts/${index}`);
  assert.equal(receipt.status, 200, receipt.text);
  assert.match(receipt.headers.get('content-disposition') ?? '', /attachment; filename="parley-ledger-\d+\.tlog-proof"/);
  const v = verifyReceipt(receipt.text, vkey);
  assert.equal(v.index, index);
  assert.equal(v.extra.toString('utf8'), entry.text, 'the receipt carries the entry as its extra data');
  assert.ok(leafHash(entry.text).equals(v.leafHash));
  // The inclusion proof route agrees on the leaf hash of the entry's body.
  const proof = await u[who].get(`${API}/proof/inclusion?index=${index}&size=${v.size}`);
  assert.equal(proof.status, 200, proof.text);
  assert.equal(proof.json.leaf_hash, leafHash(entry.text).toString('base64'));
  const body = JSON.parse(entry.text);
  assert.equal(body.seq, index + 1);
  assert.equal(body.action, action);
  assert.match(body.nonce, /^[0-9a-f]{32}$/);
  return body;
}

// `who` learns nothing of entry `index`: 404 on the entry and its receipt, nothing under
// `key`, nothing in the listing.
async function hidden(who, key, index) {
  expectProblem(assert, await u[who].get(`${API}/entries/${index}`), 404);
  expectProblem(assert, await u[who].get(`${API}/receipts/${index}`), 404);
  assert.ok(!(await records(who, key)).some((r) => r.index === index), `${who} finds nothing of ${index} under ${key}`);
  let after = -1;
  for (;;) {
    const page = await u[who].get(`${API}/entries?limit=1000${after >= 0 ? `&after=${after}` : ''}`);
    assert.equal(page.status, 200, page.text);
    assert.ok(!page.json.entries.some((e) => e.index === index), `${who} does not see entry ${index} listed`);
    if (page.json.next === null) break;
    after = page.json.next;
  }
}

describe('hotline: communication, acknowledgement, reply, check answer', () => {
  let id;
  let sent;
  let acked;
  let reply;
  let answered;

  before(async () => {
    const s = await u['poc.kaz'].post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['UZB'], subject: 'Scanning of SCADA', description: 'Do you see it too?',
      severity: 3, tlp: 'TLP:AMBER', sector: 'energy',
    });
    assert.equal(s.status, 201, s.text);
    id = s.json.id;
    sent = indexOf(s);
    const a = await u['poc.uzb'].post(`/api/v1/communications/${id}/ack`, {});
    assert.equal(a.status, 200, a.text);
    acked = indexOf(a);
    const r = await u['poc.uzb'].post(`/api/v1/communications/${id}/reply`, { description: 'Yes, from the same ranges.' });
    assert.equal(r.status, 201, r.text);
    reply = r.json.id;
    answered = indexOf(r);
  });

  it('the sender proves it sent the communication, with a digest of its text', async () => {
    const e = await proves('poc.kaz', `communication:${id}`, sent, 'communication.send');
    assert.equal(e.object, `communication:${id}`);
    assert.deepEqual(e.change.recipients, ['UZB']);
    assert.equal(e.change.content_sha256,
      createHash('sha256').update('Scanning of SCADA\nDo you see it too?').digest('hex'));
  });

  it('both sides prove the acknowledgement', async () => {
    for (const who of ['poc.kaz', 'poc.uzb']) {
      const e = await proves(who, `communication:${id}`, acked, 'communication.acknowledge');
      assert.equal(e.change.state, 'UZB');
    }
  });

  it('the reply is a record of its own, and its answer to the original is found under both', async () => {
    const list = await records('poc.kaz', `communication:${reply}`);
    const send = list.find((r) => r.action === 'communication.send');
    assert.ok(send, JSON.stringify(list));
    const e = await proves('poc.kaz', `communication:${reply}`, send.index, 'communication.send');
    assert.equal(e.change.in_reply_to, id);
    const answer = await proves('poc.kaz', `communication:${reply}`, answered, 'communication.answer');
    assert.deepEqual([answer.object, answer.change.reply], [`communication:${id}`, reply]);
    await proves('poc.uzb', `communication:${id}`, answered, 'communication.answer');
    // In journal order.
    const all = (await records('poc.kaz', `communication:${id}`)).map((r) => r.index);
    assert.deepEqual(all, [...all].sort((a, b) => a - b));
    assert.ok(all.includes(sent) && all.includes(acked) && all.includes(answered));
  });

  it('a third state, another forum and the admin (no reading right in the hotline) learn nothing', async () => {
    for (const who of ['poc.tha', 'secretariat.arf', 'admin'])
      for (const index of [sent, acked, answered]) await hidden(who, `communication:${id}`, index);
  });

  it('a check answer: the person who acknowledged proves it; the check itself is the secretariat\'s', async () => {
    const start = await u['secretariat.cica'].post('/api/v1/checks', { forum: 'CICA', states: ['KAZ', 'UZB'] });
    assert.equal(start.status, 201, start.text);
    const { id: check, communication_id: comm } = start.json;
    const started = indexOf(start);
    const ack = await u['poc.kaz'].post(`/api/v1/communications/${comm}/ack`, {});
    assert.equal(ack.status, 200, ack.text);
    const answer = indexOf(ack);
    const e = await proves('poc.kaz', `communication:${comm}`, answer, 'communication.acknowledge');
    assert.equal(e.change.state, 'KAZ');
    await proves('secretariat.cica', `communication:${comm}`, answer, 'communication.acknowledge');
    await proves('secretariat.cica', `check:${check}`, started, 'check.start');
    await hidden('poc.kaz', `check:${check}`, started);
    await hidden('secretariat.arf', `check:${check}`, started);
    await hidden('poc.tha', `communication:${comm}`, answer);
  });
});

describe('exchange: a STIX object', () => {
  const green = { type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-02T00:00:00.000Z', name: 'scanner', pattern: "[ipv4-addr:value = '198.51.100.9']", pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z', object_marking_refs: [TLP.GREEN] };
  const red = { ...green, id: `indicator--${randomUUID()}`, name: 'source', pattern: "[ipv4-addr:value = '203.0.113.66']",
    object_marking_refs: [TLP.RED] };
  let index;
  let entries;

  before(async () => {
    const col = await u['focal.kaz'].post('/api/v1/exchange/collections?forum=CICA', {
      title: 'KAZ-UZB ledger', kind: 'bilateral', states: ['KAZ', 'UZB'], people: ['poc.uzb'],
    });
    assert.equal(col.status, 201, col.text);
    const r = await u['poc.kaz'].post(`/api/v1/exchange/objects?forum=CICA&collection=${col.json.id}`,
      { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [green, red] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.stored, 2, r.text);
    index = indexOf(r);
    entries = {};
    for (const o of [green, red]) {
      const list = await records('poc.kaz', `stix:${o.id}`);
      assert.equal(list.length, 1, JSON.stringify(list));
      entries[o.id] = list[0].index;
    }
    assert.equal(Math.max(...Object.values(entries)), index, 'the header names the last entry the upload made');
    assert.notEqual(entries[green.id], entries[red.id], 'labels are recorded apart');
  });

  it('commits to each object: id, modified, label and the SHA-256 of the JSON as sent', async () => {
    for (const [who, o, label] of [['poc.kaz', green, 'TLP:GREEN'], ['poc.uzb', red, 'TLP:RED'], ['focal.uzb', green, 'TLP:GREEN']]) {
      const e = await proves(who, `stix:${o.id}`, entries[o.id], 'exchange.objects.add');
      // [id, modified, SHA-256], one label per entry.
      const item = e.change.stix.find((x) => x[0] === o.id);
      assert.deepEqual(item, [o.id, o.modified, createHash('sha256').update(JSON.stringify(o)).digest('hex')]);
      assert.equal(e.change.tlp, label);
    }
  });

  it('a TLP:RED object\'s entry stays with the people the collection names and its producer', async () => {
    await hidden('focal.uzb', `stix:${red.id}`, entries[red.id]);   // in scope, not named
    await hidden('secretariat.cica', `stix:${red.id}`, entries[red.id]);
    for (const who of ['poc.tha', 'admin', 'secretariat.arf']) {
      await hidden(who, `stix:${red.id}`, entries[red.id]);
      await hidden(who, `stix:${green.id}`, entries[green.id]);
    }
  });
});

describe('negotiation: proposal, position, circulated revision, adoption', () => {
  let doc;
  let pid;
  let made;
  let position;
  let circulated;
  let revision;
  let adopted;
  let clean;

  before(async () => {
    const text = '# Statement\n\nRecalling the earlier decisions,\n\n## DECLARE:\n\n1. We decide to exchange points of contact.\n';
    const d = await u['secretariat.cica'].post(`${NEG}/documents`, {
      forum: 'CICA', symbol: 'CICA/LEDGER/1', title: 'Statement', distribution: 'member_states', text,
    });
    assert.equal(d.status, 201, d.text);
    doc = d.json.id;
    const p = await u['poc.kaz'].post(`${NEG}/documents/${doc}/proposals`, { kind: 'delete', paragraph: 'p2', text: 'exchange' });
    assert.equal(p.status, 201, p.text);
    pid = p.json.proposal;
    made = indexOf(p);
    const s = await u['poc.uzb'].post(`${NEG}/documents/${doc}/proposals/${pid}/position`, { stance: 'support' });
    assert.equal(s.status, 200, s.text);
    position = indexOf(s);
    const c = await u['secretariat.cica'].post(`${NEG}/documents/${doc}/circulate`, {});
    assert.equal(c.status, 200, c.text);
    // Circulating also sends the note verbale (a communication of its own, journaled
    // after): the header names the last entry the request made.
    const last = indexOf(c);
    const circ = (await records('secretariat.cica', `negotiation:document:${doc}`)).filter((r) => r.action === 'negotiation.revision.circulated');
    assert.equal(circ.length, 1, JSON.stringify(circ));
    circulated = circ[0].index;
    assert.ok(circulated > position && circulated <= last, `${position} < ${circulated} <= ${last}`);
    revision = JSON.parse((await u['secretariat.cica'].get(`${API}/entries/${circulated}`)).text).change.revision;
    assert.equal(typeof revision, 'number');

    const d2 = await u['secretariat.cica'].post(`${NEG}/documents`, {
      forum: 'CICA', symbol: 'CICA/LEDGER/2', title: 'Statement', distribution: 'member_states', text,
    });
    assert.equal(d2.status, 201, d2.text);
    clean = d2.json.id;
    assert.equal((await u['secretariat.cica'].post(`${NEG}/documents/${clean}/circulate`, {})).status, 200);
    const a = await u['secretariat.cica'].post(`${NEG}/documents/${clean}/adopt`, {});
    assert.equal(a.status, 200, a.text);
    adopted = indexOf(a);
  });

  it('a member state proves its proposal and another state its position, under the proposal\'s key', async () => {
    const e = await proves('poc.kaz', `proposal:${doc}:${pid}`, made, 'negotiation.proposal.made');
    assert.deepEqual([e.change.proposal, e.change.state], [pid, 'KAZ']);
    const f = await proves('poc.uzb', `proposal:${doc}:${pid}`, position, 'negotiation.position.taken');
    assert.deepEqual([f.change.proposal, f.change.state, f.change.stance], [pid, 'UZB', 'support']);
    // Also under the document.
    await proves('poc.tha', `negotiation:document:${doc}`, made, 'negotiation.proposal.made');
  });

  it('what was circulated and what was adopted', async () => {
    const e = await proves('poc.uzb', `revision:${doc}:${revision}`, circulated, 'negotiation.revision.circulated');
    assert.equal(e.object, `negotiation:document:${doc}`);
    const a = await proves('poc.kaz', `negotiation:document:${clean}`, adopted, 'negotiation.document.adopted');
    const final = await u['poc.kaz'].get(`${NEG}/documents/${clean}`);
    assert.equal(a.change.final_text_sha256, createHash('sha256').update(final.json.final_text).digest('hex'));
  });

  it('a restricted document\'s entries stay with its forum\'s member states and secretariat', async () => {
    // JPN observes CICA: no member state's access; the ARF's secretariat is another forum's.
    for (const who of ['poc.jpn', 'secretariat.arf'])
      for (const [key, index] of [[`proposal:${doc}:${pid}`, made], [`proposal:${doc}:${pid}`, position],
        [`revision:${doc}:${revision}`, circulated], [`negotiation:document:${clean}`, adopted]])
        await hidden(who, key, index);
  });
});

describe('a state that left the forum', () => {
  it('loses its receipts with its access to the forum', async () => {
    const s = await u['poc.kaz'].post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['TJK'], subject: 'Phishing wave', description: 'Seen it?',
      severity: 2, tlp: 'TLP:GREEN', sector: 'energy',
    });
    assert.equal(s.status, 201, s.text);
    const a = await u['poc.tjk'].post(`/api/v1/communications/${s.json.id}/ack`, {});
    assert.equal(a.status, 200, a.text);
    const acked = indexOf(a);
    await proves('poc.tjk', `communication:${s.json.id}`, acked, 'communication.acknowledge');
    const left = await u.admin.delete('/api/v1/forums/CICA/members/TJK');
    assert.equal(left.status, 200, left.text);
    await hidden('poc.tjk', `communication:${s.json.id}`, acked);
    await hidden('poc.tjk', `communication:${s.json.id}`, indexOf(s));
    await proves('poc.kaz', `communication:${s.json.id}`, acked, 'communication.acknowledge');
  });
});

describe('accounts and the admin', () => {
  it('a user reads its own sign-ins, not another\'s; the admin reads both', async () => {
    const me = await u['poc.tha'].get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    const list = await records('poc.tha', `user:${me.json.id}`);
    const signIn = list.find((r) => r.action === 'session.create');
    assert.ok(signIn, JSON.stringify(list));
    await proves('poc.tha', `user:${me.json.id}`, signIn.index, 'session.create');
    await proves('admin', `user:${me.json.id}`, signIn.index, 'session.create');
    await hidden('poc.kaz', `user:${me.json.id}`, signIn.index);
    await hidden('secretariat.cica', `user:${me.json.id}`, signIn.index);
  });
});

describe('callers and input the ledger refuses', () => {
  it('asks anonymous callers to sign in on every route', async () => {
    const anon = new Client(server.base);
    for (const path of [`${API}/key`, `${API}/checkpoint`, `${API}/entries`, `${API}/entries/0`, `${API}/receipts/0`,
      `${API}/records?object=communication:1`, `${API}/proof/inclusion?index=0&size=1`, `${API}/proof/consistency?from=0&to=1`,
      '/ledger/checkpoint', '/ledger/tile/0/000.p/1'])
      expectProblem(assert, await anon.get(path), 401);
  });

  it('answers malformed indexes, keys and sizes with a problem naming the parameter', async () => {
    const c = u['poc.kaz'];
    for (const bad of ['abc', '-1', '01', '1e3', '99999999999999999999', '1.5', '0x10'])
      for (const route of ['entries', 'receipts']) expectProblem(assert, await c.get(`${API}/${route}/${encodeURIComponent(bad)}`), 404);
    expectProblem(assert, await c.get(`${API}/entries/999999999999`), 404);
    expectProblem(assert, await c.get(`${API}/receipts/999999999999`), 404);
    for (const key of ['', 'communication', ':17', 'communication:', 'Communication:1', 'communication:1 2',
      'communication:\u0001', `communication:${'9'.repeat(300)}`, 'stix:indicator--\u00e9'])
      expectProblem(assert, await c.get(`${API}/records?object=${encodeURIComponent(key)}`), 400, 'object');
    expectProblem(assert, await c.get(`${API}/records`), 400, 'object');
    expectProblem(assert, await c.get(`${API}/records?object=communication:1&extra=1`), 400);
    expectProblem(assert, await c.get(`${API}/records?object=communication:1&after=x`), 400, 'after');
    expectProblem(assert, await c.get(`${API}/records?object=communication:1&after=-2`), 400, 'after');
    expectProblem(assert, await c.get(`${API}/proof/inclusion?index=0`), 400, 'size');
    expectProblem(assert, await c.get(`${API}/proof/inclusion?index=x&size=1`), 400, 'index');
    expectProblem(assert, await c.get(`${API}/proof/inclusion?index=5&size=5`), 400, 'index');
    expectProblem(assert, await c.get(`${API}/proof/inclusion?index=0&size=999999999999`), 400, 'size');
    expectProblem(assert, await c.get(`${API}/proof/consistency?from=5&to=4`), 400, 'from');
    expectProblem(assert, await c.get(`${API}/proof/consistency?from=1&to=999999999999`), 400, 'to');
    expectProblem(assert, await c.get(`${API}/entries?limit=0`), 400, 'limit');
    expectProblem(assert, await c.get(`${API}/entries?limit=1001`), 400, 'limit');
    expectProblem(assert, await c.get(`${API}/entries?after=-5`), 400, 'after');
    // Tiles beyond the tree, at any level, are absent (never an overflow or a 500).
    for (const path of ['5/x001/x000/x000/x000/000.p/1', '5/x001/x099/x511/x627/775', '4/x999/x999/x999/999',
      '0/x999/999', '6/000', '0/000.p/0', '0/000.p/256', 'entries/000', '0/00', '../key'])
      assert.ok([400, 404].includes((await c.get(`/ledger/tile/${path}`)).status), path);
  });
});
