// The badge's checks without a browser: records listed by a fake API, receipts served by a
// stubbed fetch, each verified against the log key; a receipt altered, missing, or for an
// entry the list misnames is never "ok"; at most 6 receipts are fetched at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../api';
import { entry, makeKey, receipt } from './vectors.testlib';

const leaves = Array.from({ length: 9 }, (_, i) => entry(i, 'communication:7'));
const log = makeKey('parley.test/ledger');
const rows = leaves.map((_, i) => ({ index: i, at: '2026-11-29T10:00:00Z', action: 'communication.send' }));

function fakeApi(list: unknown, key = log.vkey): Api {
  return {
    get: async (path: string) => {
      if (path === '/ledger/key') return { origin: 'parley.test/ledger', vkey: key };
      if (path.startsWith('/ledger/records?object=')) {
        if (list instanceof Error) throw list;
        return list;
      }
      throw new Error(`unexpected ${path}`);
    },
  } as unknown as Api;
}

// Serves receipts by index, through `alter`, counting requests in flight.
function serveReceipts(alter: (text: string, index: number) => string | null = (t) => t) {
  const stats = { inFlight: 0, most: 0, requests: 0 };
  vi.stubGlobal('fetch', async (url: string) => {
    stats.requests++;
    stats.inFlight++;
    stats.most = Math.max(stats.most, stats.inFlight);
    await new Promise((r) => setTimeout(r, 2));
    stats.inFlight--;
    const index = Number(/receipts\/(\d+)$/.exec(url)?.[1]);
    const text = alter(receipt(leaves, index, log), index);
    return text === null ? new Response('', { status: 404 }) : new Response(text, { status: 200 });
  });
  return stats;
}

afterEach(() => vi.unstubAllGlobals());

// The badge module afresh: its log key and verified receipts last a page load.
async function fresh() {
  vi.resetModules();
  return import('./badge');
}

describe('ledger badge checks', () => {
  it('verifies every listed entry, at most 6 receipts at a time', async () => {
    const { checkRecords } = await fresh();
    const stats = serveReceipts();
    const checked = await checkRecords(fakeApi({ records: rows }), 'communication:7');
    expect(checked.map((c) => [c.row.index, c.ok])).toEqual(rows.map((r) => [r.index, true]));
    expect(checked[3].leaf?.seq).toBe(4);
    expect(stats.most).toBeLessThanOrEqual(6);
    expect(stats.most).toBeGreaterThan(1);
  });

  it('never passes an altered receipt, a missing one, or an entry the list misnames', async () => {
    const { checkRecords } = await fresh();
    serveReceipts((text, index) => {
      if (index === 1) return text.replace(/^(index 1\n)(.)/m, (_, head, c) => head + (c === 'A' ? 'B' : 'A'));
      if (index === 2) return null;
      return text;
    });
    const list = rows.slice(0, 4).map((r) => (r.index === 3 ? { ...r, action: 'communication.close' } : r));
    const checked = await checkRecords(fakeApi({ records: list }), 'communication:7');
    expect(checked.map((c) => [c.row.index, c.ok, c.failure])).toEqual([
      [0, true, undefined], [1, false, 'bad-proof'], [2, false, 'unavailable'], [3, false, 'wrong-entry']]);
    // A log key that is not the log's: nothing verifies.
    const { checkRecords: again } = await fresh();
    serveReceipts();
    const other = await again(fakeApi({ records: rows.slice(0, 2) }, makeKey('parley.test/ledger').vkey), 'communication:7');
    expect(other.map((c) => [c.ok, c.failure])).toEqual([[false, 'bad-signature'], [false, 'bad-signature']]);
  });

  it('re-checks a receipt verified before against what the list now says', async () => {
    const { checkRecords } = await fresh();
    serveReceipts();
    expect((await checkRecords(fakeApi({ records: [rows[8]] }), 'communication:7'))[0].ok).toBe(true);
    const again = await checkRecords(fakeApi({ records: [{ ...rows[8], action: 'communication.acknowledge' }] }), 'communication:7');
    expect([again[0].ok, again[0].failure]).toEqual([false, 'wrong-entry']);
  });

  it('shows nothing for a key the user may not read', async () => {
    const { checkRecords } = await fresh();
    const stats = serveReceipts();
    expect(await checkRecords(fakeApi(new Error('404')), 'communication:7')).toEqual([]);
    expect(stats.requests).toBe(0);
  });
});

describe('ledger lines in words', () => {
  it('names the action, and the state of an acknowledgement or a position', async () => {
    const { actionText } = await fresh();
    const at = '2026-11-29T10:00:00Z';
    const line = (action: string, change: Record<string, unknown>) =>
      actionText({ row: { index: 3, at, action }, ok: true, receipt: null, leaf: { action, change } });
    expect(line('communication.acknowledge', { state: 'UZB' })).toBe('Acknowledged by UZB');
    expect(line('negotiation.position.taken', { state: 'RUS', stance: 'oppose' })).toBe('Position taken by RUS: opposes');
    expect(line('negotiation.proposal.accepted', { state: 'ISR' })).toBe('Proposal accepted');
    expect(line('some.future.action', {})).toBe('some.future.action');
  });
});
