// "Recorded in the ledger at N, verified": the console's proof that an item (a
// communication, an acknowledgement, a STIX object, a proposal…) is in the transparency
// log. For a record key (communication:17, proposal:4:2…) it lists the readable entries
// (GET /ledger/records), fetches each one's receipt (GET /ledger/receipts/{index}) and
// verifies it here, with WebCrypto, against the log key (GET /ledger/key, fetched once per
// page); a receipt that does not verify is shown as a warning, never as verified. Each
// line offers the receipt that was verified as a .tlog-proof file.
// Browser-only; module state: the log key and the verified receipts, per page load.
import type { Api } from '../api';
import { h, replace } from '../dom';
import { locale, t, tKnown } from '../i18n';
import { formatDateTime } from '../format';
import { LedgerError, parseVerifierKey, toBase64, verifyReceipt } from './verify';
import type { Failure, VerifierKey } from './verify';

export interface RecordRow {
  index: number;
  at: string;
  action: string;
}

export interface Checked {
  row: RecordRow;
  ok: boolean;
  // The entry the receipt carries: verified when ok, else read as it came (to place the
  // warning next to the right item), or null.
  leaf: Record<string, unknown> | null;
  receipt: string | null;
  failure?: Failure | 'unavailable';
  detail?: string;
}

export interface LogKey {
  origin: string;
  vkey: VerifierKey;
}

let logKeyPromise: Promise<LogKey> | null = null;
const verifiedReceipts = new Map<number, Checked>();

// The log's verifier key, fetched once per page load (again after a failure).
export function logKey(api: Api): Promise<LogKey> {
  if (!logKeyPromise) {
    logKeyPromise = api.get<{ origin: string; vkey: string }>('/ledger/key')
      .then(async (k) => ({ origin: k.origin, vkey: await parseVerifierKey(k.vkey) }));
    logKeyPromise.catch(() => (logKeyPromise = null));
  }
  return logKeyPromise;
}

export async function fetchReceipt(index: number): Promise<string> {
  const res = await fetch(`/api/v1/ledger/receipts/${index}`, {
    headers: { Accept: 'text/plain', 'Accept-Language': locale() },
    credentials: 'same-origin',
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

// The entry a receipt's extra line carries, unverified: for placing a warning only.
function leafOf(receipt: string): Record<string, unknown> | null {
  const m = /^c2sp\.org\/tlog-proof@v1\nextra ([A-Za-z0-9+/=]+)\n/.exec(receipt);
  if (!m) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0))));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function checkRecord(api: Api, row: RecordRow): Promise<Checked> {
  const known = verifiedReceipts.get(row.index);
  if (known) {
    // The entry verified before must be what this list now says it is.
    if (known.leaf?.action === row.action) return { ...known, row };
    return { row, ok: false, leaf: known.leaf, receipt: known.receipt, failure: 'wrong-entry' };
  }
  let receipt: string;
  let vkey: VerifierKey;
  try {
    [receipt, { vkey }] = await Promise.all([fetchReceipt(row.index), logKey(api)]);
  } catch (err) {
    return { row, ok: false, leaf: null, receipt: null, failure: 'unavailable', detail: String(err) };
  }
  try {
    // The entry must be the one listed (index and action). Its object is not checked
    // against the key: a key also finds entries through references (a reply's key finds
    // the thread's "answered" entry, a proposal's key its document's entries).
    const v = await verifyReceipt(receipt, vkey, { index: row.index, action: row.action });
    const checked: Checked = { row, ok: true, leaf: v.leaf, receipt };
    if (verifiedReceipts.size >= 5000) verifiedReceipts.clear();
    verifiedReceipts.set(row.index, checked);
    return checked;
  } catch (err) {
    const failure = err instanceof LedgerError ? err.code : 'malformed-receipt';
    return { row, ok: false, leaf: leafOf(receipt), receipt, failure, detail: err instanceof Error ? err.message : String(err) };
  }
}

// Every readable entry recording the key, each with its receipt checked. A key the user
// may not read (or that nothing records yet) gives an empty list.
export async function checkRecords(api: Api, key: string): Promise<Checked[]> {
  let rows: RecordRow[];
  try {
    rows = (await api.get<{ records: RecordRow[] }>(`/ledger/records?object=${encodeURIComponent(key)}`)).records;
  } catch {
    return [];
  }
  // At most 200 lines, at most 6 receipts fetched at a time.
  rows = rows.slice(0, 200);
  const out: Checked[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) out[i] = await checkRecord(api, rows[i]);
  };
  await Promise.all(Array.from({ length: Math.min(6, rows.length) }, worker));
  return out;
}

// What an entry did, in words: the action, and the state it concerns when it names one.
export function actionText(c: Checked): string {
  const what = tKnown('ledger.action', c.row.action);
  const change = c.leaf?.change as Record<string, unknown> | undefined;
  const state = typeof change?.state === 'string' ? change.state : null;
  if (state && c.row.action === 'negotiation.position.taken' && typeof change?.stance === 'string')
    return t('ledger.byStateStance', { what, state, stance: tKnown('ledger.stance', change.stance) });
  return state && (c.row.action === 'communication.acknowledge' || c.row.action === 'negotiation.position.taken')
    ? t('ledger.byState', { what, state }) : what;
}

function download(c: Checked): HTMLElement | string {
  if (!c.receipt) return '';
  const file = `parley-ledger-${c.row.index}.tlog-proof`;
  // The receipt exactly as it was checked, not a new one fetched on click; a data: URL
  // goes with its element (object URLs would pile up as a live view refreshes).
  const url = `data:text/plain;charset=utf-8;base64,${toBase64(new TextEncoder().encode(c.receipt))}`;
  return h('a', { class: 'ledger-receipt', download: file, href: url, title: t('ledger.receiptTitle', { index: c.row.index }) },
    t('ledger.receipt'));
}

export function failureText(code: Failure | 'unavailable'): string {
  return tKnown('ledger.fail', code);
}

// One line: "✓ Sent — recorded in the ledger at 41, verified · time · Receipt".
export function recordLine(c: Checked): HTMLElement {
  const attrs = { class: `ledger-line ${c.ok ? 'verified' : 'unverified'}`, 'data-ledger-index': c.row.index,
    'data-ledger-action': c.row.action, 'data-verified': c.ok ? 'true' : 'false' };
  if (c.ok)
    return h('li', attrs, h('span', { class: 'ledger-mark', 'aria-hidden': 'true' }, '✓'), ' ',
      h('span', {}, t('ledger.recordedVerified', { what: actionText(c), index: c.row.index })), ' ',
      h('span', { class: 'muted' }, `· ${formatDateTime(c.row.at)} · `), download(c));
  return h('li', { ...attrs, role: 'alert' }, h('span', { class: 'ledger-mark', 'aria-hidden': 'true' }, '⚠'), ' ',
    h('strong', {}, c.failure === 'unavailable'
      ? t('ledger.unavailable', { what: actionText(c), index: c.row.index })
      : t('ledger.notVerified', { what: actionText(c), index: c.row.index })), ' ',
    h('span', {}, failureText(c.failure ?? 'malformed-receipt')),
    c.failure !== 'unavailable' ? [' ', download(c)] : '');
}

export interface LedgerOptions {
  // The entries shown on the line; the others of the key go under "details" when `more`.
  pick?: (c: Checked) => boolean;
  more?: boolean;
  // Say so when there is nothing to show (behind "Ledger records", which the user opened).
  sayNone?: boolean;
}

// The compact ledger line(s) under an item. `records` may be shared by several items of
// one view (e.g. a communication and each state's acknowledgement).
export function ledgerBadge(records: Promise<Checked[]>, key: string, opts: LedgerOptions = {}): HTMLElement {
  // A placeholder of one line while the receipts are checked, so that the page does not
  // jump when the line comes (it goes if nothing readable records the item).
  const box = h('div', { class: 'ledger small', 'data-ledger-object': key, 'aria-busy': 'true' },
    h('span', { class: 'muted ledger-checking' }, t('ledger.checking')));
  void records.then((all) => {
    box.setAttribute('aria-busy', 'false');
    const shown = opts.pick ? all.filter(opts.pick) : all;
    const rest = opts.pick && opts.more ? all.filter((c) => !shown.includes(c)) : [];
    const bad = rest.filter((c) => !c.ok).length;
    replace(box,
      opts.sayNone && shown.length === 0 && rest.length === 0 && h('p', { class: 'muted' }, t('ledger.none')),
      shown.length > 0 && h('ul', { class: 'plain ledger-lines' }, shown.map(recordLine)),
      rest.length > 0 && h('details', { class: 'ledger-more' },
        h('summary', {}, bad ? t('ledger.moreWarning', { count: rest.length, bad }) : t('ledger.more', { count: rest.length })),
        h('ul', { class: 'plain ledger-lines' }, rest.map(recordLine))));
  });
  return box;
}

// The same, behind "Ledger records" that loads when opened: for lists of many items.
export function ledgerDetails(api: Api, key: string, opts: LedgerOptions = {}): HTMLElement {
  const details = h('details', { class: 'ledger-details small', 'data-ledger-details': key }, h('summary', {}, t('ledger.records')));
  details.addEventListener('toggle', () => {
    if (details.open && !details.querySelector('.ledger')) details.append(ledgerBadge(checkRecords(api, key), key, { sayNone: true, ...opts }));
  });
  return details;
}
