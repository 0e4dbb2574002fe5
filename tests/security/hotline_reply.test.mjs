// Finding 3: a reply that left out its subject and sector took the parent's ("Re: " +
// subject, the same sector) — even when the reply was labelled less restrictively than
// the parent. A TLP:GREEN reply to a TLP:RED communication thus showed the RED subject
// to the whole state, the secretariat, and in an e-mail; an AMBER+STRICT parent's
// subject reached the secretariat the same way. The fixed server never copies content
// of a more restricted communication into a reply.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signedIn, startServer, startSmtpSink } from '../lib/harness.mjs';
import { openStreamWith, sleep } from '../lib/attack.mjs';

const VIEWERS = ['poc.kaz', 'poc.uzb', 'focal.kaz', 'focal.uzb', 'secretariat.cica'];

let server;
let smtp;
const u = {};
const streams = {};

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({ extraArgs: ['--smtp', smtp.url] });
  for (const name of VIEWERS) {
    u[name] = await signedIn(server.base, name);
    streams[name] = await openStreamWith(server.base, { Cookie: u[name].cookie });
  }
});

after(async () => {
  for (const s of Object.values(streams)) s.close();
  await server.stop();
  server.cleanup();
  smtp.stop();
});

// Everything each viewer can get to about the reply: the reply itself, the reply's
// entry in every list, the thread, and (below) the stream frames and e-mails.
async function whatViewersSeeOfTheReply(replyId, threadId) {
  const seen = [];
  for (const name of VIEWERS) {
    const one = await u[name].get(`/api/v1/communications/${replyId}`);
    if (one.status === 200) seen.push({ name, where: 'GET reply', text: one.text, json: one.json });
    else assert.equal(one.status, 404, `${name}: ${one.text}`);
    for (const box of ['inbox', 'sent', 'all']) {
      const list = await u[name].get(`/api/v1/communications?box=${box}&limit=200`);
      assert.equal(list.status, 200, list.text);
      for (const item of list.json.items.filter((c) => c.id === replyId))
        seen.push({ name, where: `list ${box}`, text: JSON.stringify(item), json: item });
    }
    const thread = await u[name].get(`/api/v1/communications?thread_id=${threadId}&limit=200`);
    if (thread.status === 200)
      for (const item of thread.json.items.filter((c) => c.id === replyId))
        seen.push({ name, where: 'thread', text: JSON.stringify(item), json: item });
  }
  return seen;
}

async function attack({ parentTlp, replyTlp, parentExtra = {} }) {
  const subject = `Parent subject ${randomUUID()}`;
  const sector = 'elections';
  const parent = await u['poc.kaz'].post('/api/v1/communications', {
    type: 'notification', recipients: ['UZB'], subject, description: `Parent body ${randomUUID()}`,
    severity: 4, tlp: parentTlp, sector, ...parentExtra,
  });
  assert.equal(parent.status, 201, parent.text);
  assert.equal(parent.json.sector, sector, 'the parent has the sector (else the test proves nothing)');
  const reply = await u['poc.uzb'].post(`/api/v1/communications/${parent.json.id}/reply`, {
    description: 'We see it too; details follow.', tlp: replyTlp,
  });
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.json.tlp, replyTlp);
  assert.ok(!reply.json.subject.includes(subject), `the reply's own subject is ${JSON.stringify(reply.json.subject)}`);
  assert.notEqual(reply.json.sector, sector, "the reply does not inherit the parent's sector");

  const seen = await whatViewersSeeOfTheReply(reply.json.id, parent.json.thread_id ?? parent.json.id);
  assert.ok(seen.some((s) => s.name === 'secretariat.cica' || s.name === 'focal.kaz'), 'people outside the parent do see the reply');
  for (const s of seen) {
    assert.ok(!s.text.includes(subject), `${s.name} sees the parent's subject in the reply (${s.where}): ${s.text.slice(0, 300)}`);
    assert.notEqual(s.json.sector, sector, `${s.name} sees the parent's sector in the reply (${s.where})`);
  }

  // The stream carries references only, and e-mails about the reply no content of the parent.
  await sleep(1500);
  for (const name of VIEWERS) assert.ok(!streams[name].frames().includes(subject), `${name}'s stream carried the parent's subject`);
  const mails = smtp.messages.filter((m) => m.data.includes(subject));
  assert.deepEqual(mails.map((m) => m.to), [], "an e-mail carried the parent's subject");
  return { parent: parent.json, reply: reply.json, subject };
}

describe("finding 3: a reply never carries a more restricted parent's content", () => {
  it('TLP:GREEN reply to a TLP:RED communication: nobody sees the RED subject or sector', async () => {
    const { reply } = await attack({ parentTlp: 'TLP:RED', replyTlp: 'TLP:GREEN', parentExtra: { recipient_contacts: ['poc.uzb'] } });
    // The point of the attack: the reply reaches people the parent never did.
    assert.equal((await u['focal.kaz'].get(`/api/v1/communications/${reply.id}`)).status, 200);
    assert.equal((await u['secretariat.cica'].get(`/api/v1/communications/${reply.id}`)).status, 200);
  });

  it('TLP:CLEAR reply to a TLP:AMBER+STRICT communication: the secretariat does not see its subject', async () => {
    const { parent, reply } = await attack({ parentTlp: 'TLP:AMBER+STRICT', replyTlp: 'TLP:CLEAR' });
    assert.equal((await u['secretariat.cica'].get(`/api/v1/communications/${parent.id}`)).status, 404, 'the parent is not the secretariat\'s to read');
    assert.equal((await u['secretariat.cica'].get(`/api/v1/communications/${reply.id}`)).status, 200);
  });

  it('a reply that names its own subject and sector keeps them', async () => {
    const parent = await u['poc.kaz'].post('/api/v1/communications', {
      type: 'request_for_information', recipients: ['UZB'], subject: 'Scanning of port 502', description: 'Seen?', severity: 2, tlp: 'TLP:AMBER', sector: 'energy',
    });
    const reply = await u['poc.uzb'].post(`/api/v1/communications/${parent.json.id}/reply`, {
      subject: 'Our own subject', sector: 'banking', description: 'Yes.', tlp: 'TLP:GREEN',
    });
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.json.subject, 'Our own subject');
    assert.equal(reply.json.sector, 'banking');
  });
});
