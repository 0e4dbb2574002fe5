// The Ledger page: the log's origin and verifier key (to copy for `parley verify` and
// witnesses), the latest checkpoint with its signature checked here and the witnesses'
// cosignatures it carries, and the command lines that verify it from outside.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { formatDateTime } from '../format';
import { logKey } from '../ledger/badge';
import { checkCosignatures, parseCheckpoint, parseNote, toBase64, verifyNoteSignature } from '../ledger/verify';
import type { CosignatureCheck } from '../ledger/verify';
import type { Ctx } from '../ui';
import { loading, problemBox } from '../ui';

function copyButton(ctx: Ctx, text: string): HTMLElement {
  const b = h('button', { type: 'button', class: 'small' }, t('ledger.copy'));
  b.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(() => ctx.announce(t('ledger.copied')), () => undefined);
  });
  return b;
}

interface ListedWitness {
  forum: string;
  name: string;
  vkey: string;
}

// The witnesses the user's forums list (GET /forums/{forum}/witnesses): an admin's, every
// forum's. None when the server has no witness list or the user may not read it.
async function listedWitnesses(ctx: Ctx): Promise<ListedWitness[]> {
  let forums: string[] = [];
  try {
    if (ctx.user.forum) forums = [ctx.user.forum];
    else if (ctx.user.state) forums = (await ctx.api.get<{ forums: string[] }>(`/states/${ctx.user.state}`)).forums;
    else if (ctx.user.role === 'admin') forums = (await ctx.api.get<{ items: { code: string }[] }>('/forums')).items.map((f) => f.code);
  } catch {
    return [];
  }
  const lists = await Promise.all(forums.slice(0, 50).map((f) =>
    ctx.api.get<{ witnesses: ListedWitness[] }>(`/forums/${encodeURIComponent(f)}/witnesses`)
      .then((r) => r.witnesses.map((w) => ({ forum: f, name: w.name, vkey: w.vkey })), () => [] as ListedWitness[])));
  return lists.flat();
}

// A cosignature line: the witness's name and time, and whether a key a forum lists under
// that name verifies it (a warning if none does), or that no forum lists it.
function cosignatureItem(c: CosignatureCheck): HTMLElement {
  const verdict = c.status === 'unlisted' ? h('span', { class: 'muted' }, ` — ${t('ledger.unlisted')}`)
    : c.status === 'verified' ? h('span', { class: 'verified' }, ` — ✓ ${t('ledger.cosignatureOk', { forums: c.forums.join(', ') })}`)
    : h('strong', { class: 'warning', role: 'alert' }, ` — ⚠ ${t('ledger.cosignatureBad', { forums: c.forums.join(', ') })}`);
  return h('li', { 'data-witness': c.name, 'data-verified': c.status === 'unlisted' ? null : String(c.status === 'verified') },
    h('code', {}, c.name), c.at ? ` — ${t('ledger.cosignedAt', { when: formatDateTime(c.at.toISOString()) })}` : '', verdict);
}

// Single quotes for a shell: the key holds '+' and '/'.
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function checkpointSection(ctx: Ctx): Promise<HTMLElement> {
  const res = await fetch('/api/v1/ledger/checkpoint', { headers: { Accept: 'text/plain' }, credentials: 'same-origin' });
  if (res.status === 404) return h('p', {}, t('ledger.noCheckpoint'));
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  const { vkey } = await logKey(ctx.api);
  const note = parseNote(text);
  const cp = parseCheckpoint(note.body);
  const signed = cp.origin === vkey.name && (await verifyNoteSignature(note, vkey));
  const cosigs = await checkCosignatures(note, vkey, await listedWitnesses(ctx));
  return h('div', { 'data-ledger-checkpoint': cp.size },
    h('dl', { class: 'facts' },
      h('dt', {}, t('ledger.entries')), h('dd', { 'data-size': cp.size }, t('ledger.size', { count: cp.size })),
      h('dt', {}, t('ledger.root')), h('dd', {}, h('code', { class: 'secret' }, toBase64(cp.root))),
      h('dt', {}, t('ledger.fetchedAt')), h('dd', {}, formatDateTime(new Date().toISOString())),
      h('dt', {}, t('ledger.signature')), h('dd', { class: signed ? 'verified' : 'warning', 'data-verified': signed ? 'true' : 'false',
        role: signed ? null : 'alert' }, signed ? `✓ ${t('ledger.signatureOk')}` : `⚠ ${t('ledger.signatureBad')}`)),
    h('h3', {}, t('ledger.cosignatures')),
    cosigs.length
      ? h('ul', { class: 'cosignatures' }, cosigs.map(cosignatureItem))
      : h('p', { class: 'muted' }, t('ledger.noCosignatures')),
    cosigs.length > 0 && h('p', { class: 'small muted' }, t('ledger.cosignNote')),
    h('details', { class: 'small' }, h('summary', {}, t('ledger.noteText')), h('pre', { class: 'checkpoint-note' }, text)));
}

export function ledgerView(ctx: Ctx): HTMLElement {
  const keyBox = h('section', { class: 'ledger-key' }, loading());
  const cpBox = h('section', { class: 'ledger-checkpoint', 'aria-live': 'polite' }, loading());
  const howBox = h('section', { class: 'ledger-how' });
  void (async () => {
    let key: { origin: string; vkey: string };
    try {
      key = await ctx.api.get<{ origin: string; vkey: string }>('/ledger/key');
    } catch (err) {
      replace(keyBox, problemBox(err));
      replace(cpBox);
      return;
    }
    replace(keyBox, h('h2', {}, t('ledger.keyTitle')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('ledger.origin')), h('dd', {}, h('code', { 'data-origin': '' }, key.origin)),
        h('dt', {}, t('ledger.vkey')), h('dd', {}, h('code', { class: 'secret', 'data-vkey': '' }, key.vkey), ' ', copyButton(ctx, key.vkey))),
      h('p', { class: 'small muted' }, t('ledger.keyHelp')));
    const base = location.origin;
    const all = `parley verify --url ${base} --token TOKEN --log-key ${quote(key.vkey)} --state ~/.parley-verify`;
    const one = `parley verify --receipt parley-ledger-N.tlog-proof --log-key ${quote(key.vkey)}`;
    replace(howBox, h('h2', {}, t('ledger.howTitle')),
      h('p', {}, t('ledger.howAll')), h('pre', {}, h('code', { 'data-command': 'all' }, all)), copyButton(ctx, all),
      h('p', { class: 'small' }, t('ledger.howToken', { token: 'TOKEN' })),
      h('p', {}, t('ledger.howReceipt')), h('pre', {}, h('code', { 'data-command': 'receipt' }, one)), copyButton(ctx, one));
    try {
      replace(cpBox, h('h2', {}, t('ledger.checkpointTitle')), await checkpointSection(ctx));
    } catch (err) {
      replace(cpBox, h('h2', {}, t('ledger.checkpointTitle')), problemBox(err));
    }
  })();
  return h('main', { id: 'main', 'data-view': 'ledger' }, h('h1', {}, t('ledger.title')), h('p', {}, t('ledger.intro')),
    keyBox, cpBox, howBox);
}
