// Negotiation in the console: the forum's documents; a revision's reading view with its
// brackets highlighted (who proposed, who supports, who opposes each), the proposals
// panel (support, oppose, comment, withdraw; accept or reject for the secretariat), a
// proposal form, the silence procedure with its countdown, circulation and adoption;
// and two revisions compared side by side. The server decides who sees and may do what.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDateTime } from '../format';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { defaultForum, field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { checkRecords, ledgerBadge, ledgerDetails } from '../ledger/badge';

type Attribution = string; // "+ISR" | "-IND"
export type TextNode = string | { id: string; attributions: Attribution[]; content: TextNode[]; by?: string };
interface Paragraph {
  id: string;
  part: 'preamble' | 'operative';
  alternative?: boolean;
  bracketed?: boolean;
  attributions?: Attribution[];
  proposal_id?: string;
  agreed_ad_ref?: boolean;
  content: TextNode[];
}
interface Comment { id: number; state: string | null; author: string; text: string; at: string }
interface Proposal {
  id: string;
  kind: string;
  state: string;
  supporters: string[];
  opposers: string[];
  paragraph: string;
  paragraph_label: string;
  text: string;
  replacement?: string;
  insert_id?: string;
  by: string | null;
  comments: Comment[];
}
interface Revision {
  document: number;
  number: number;
  label: string;
  circulated: boolean;
  circulated_at: string | null;
  note_number: string | null;
  notes: Record<string, string>;
  text: { title: string; chapeau: string; symbol: string; distribution: string; date: string; paragraphs: Paragraph[] };
  paragraphs: { id: string; label: string; part: string; open_brackets: number; agreed_ad_ref: boolean }[];
  proposals: Proposal[];
  brackets: { total: number; per_state: Record<string, number> };
}
interface Silence {
  status: 'running' | 'broken' | 'held';
  revision: number;
  deadline: string;
  remaining_seconds: number;
  broken?: { state: string; by: string; at: string; reason: string };
}
interface DocumentSummary {
  id: number;
  forum: string;
  symbol: string;
  title: string;
  distribution: string;
  status: string;
  languages: string[];
  revisions: { number: number; label: string; circulated: boolean; circulated_at: string | null; note_number: string | null }[];
  working_revision: number | null;
  latest_circulated: number | null;
  silence: Silence | null;
  final_text?: string;
  can: { manage: boolean; propose: boolean; break_silence: boolean };
  state: string | null;
}
interface WordChange { op: '=' | '+' | '-'; text: string }
interface Diff {
  from: { label: string };
  to: { label: string };
  paragraphs: { id: string; status: string; from: string; to: string; from_label: string; to_label: string; words?: WordChange[]; agreed_ad_ref: boolean }[];
  proposals_added: string[];
  proposals_closed: string[];
  brackets: { from: number; to: number };
}

const API = '/negotiation';

// "Proposed by ISR (delete); supported by …; opposed by …" for a bracket's attributions.
export function positionsText(attributions: Attribution[]): string {
  if (!attributions.length) return t('neg.unattributed');
  const [first, ...rest] = attributions;
  const sign = first[0];
  const supporters = rest.filter((a) => a[0] === sign).map((a) => a.slice(1));
  const opposers = rest.filter((a) => a[0] !== sign).map((a) => a.slice(1));
  let s = t(sign === '+' ? 'neg.proposedInsert' : 'neg.proposedDelete', { state: first.slice(1) });
  if (supporters.length) s += '; ' + t('neg.supportedBy', { states: supporters.join(', ') });
  if (opposers.length) s += '; ' + t('neg.opposedBy', { states: opposers.join(', ') });
  return s;
}

function attributionChips(attributions: Attribution[]): Child[] {
  return attributions.map((a) => [' ', h('span', { class: `attribution ${a[0] === '+' ? 'plus' : 'minus'}` }, `(${a})`)]);
}

// The notation, as elements: every bracket a span that says who stands where.
export function renderNodes(nodes: TextNode[], onPick?: (id: string) => void): Child[] {
  return nodes.map((n) => {
    if (typeof n === 'string') return n;
    const kind = !n.attributions.length ? 'bracket' : n.attributions[0][0] === '+' ? 'insert' : 'delete';
    const span = h('span', { class: `bracket ${kind}`, 'data-proposal': n.id, title: positionsText(n.attributions), tabindex: 0 },
      '[', ...renderNodes(n.content, onPick), ']', ...attributionChips(n.attributions));
    if (onPick) {
      span.addEventListener('click', (e) => { e.stopPropagation(); onPick(n.id); });
      span.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.stopPropagation(); onPick(n.id); } });
    }
    return span;
  });
}

export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  const time = `${two(hh)}:${two(mm)}:${two(ss)}`;
  return d ? t('neg.countdownDays', { n: d, time }) : time;
}

export function negotiationsView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const forum = query.forum ?? (ctx.user.role === 'admin' ? '' : await defaultForum(ctx));
      const r = await ctx.api.get<{ items: DocumentSummary[] }>(`${API}/documents${queryString({ forum: forum || undefined })}`);
      if (!r.items.length) {
        replace(body, h('p', { class: 'empty' }, t('neg.none')));
        return;
      }
      replace(body, h('table', { class: 'contacts negotiations' },
        h('thead', {}, h('tr', {}, ...(['neg.col.symbol', 'neg.col.title', 'neg.col.status', 'neg.col.latest', 'neg.col.silence'] as const).map((k) => h('th', {}, t(k))))),
        h('tbody', {}, r.items.map((d) => {
          const latest = d.revisions[d.revisions.length - 1];
          return h('tr', { 'data-document': d.id },
            h('td', {}, h('a', { href: href({ name: 'negotiation', id: d.id }) }, d.symbol)),
            h('td', {}, d.title, h('div', { class: 'small muted' }, d.forum, ' · ', tKnown('neg.distribution', d.distribution))),
            h('td', {}, h('span', { class: `badge badge-${d.status}` }, tKnown('neg.status', d.status))),
            h('td', {}, latest ? latest.label : '', latest && !latest.circulated ? h('div', { class: 'small muted' }, t('neg.working')) : ''),
            h('td', {}, d.silence ? tKnown('neg.silence', d.silence.status) : ''));
        }))));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('neg.title')),
    (ctx.user.role === 'secretariat' || ctx.user.role === 'admin') && openForm(ctx), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

// The secretariat opens a negotiation from a compilation text (checked first).
function openForm(ctx: Ctx): HTMLElement {
  const fields: Record<string, Field> = {
    forum: field(t('threats.forum'), input('text', ctx.user.forum ?? '', { maxlength: '10' }), 'forum'),
    symbol: field(t('neg.symbol'), input('text', '', { placeholder: 'SUM/2022/DRAFT/3', maxlength: '120' }), 'symbol'),
    title: field(t('neg.titleField'), input('text', '', { maxlength: '500' }), 'title'),
    distribution: field(t('neg.distributionField'), select([['member_states', t('neg.distribution.member_states')], ['general', t('neg.distribution.general')]], 'member_states'), 'distribution'),
    text: field(t('neg.textField'), h('textarea', { rows: 10, placeholder: t('neg.textHint') }), 'text'),
  };
  const confirm = input('checkbox', '', {});
  const confirmWrap = h('label', { class: 'confirm', hidden: true }, confirm, ' ', t('neg.confirmAmbiguities'));
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('neg.open'));
  const form = h('form', { class: 'contact-form', novalidate: true }, Object.values(fields).map((f) => f.wrapper), confirmWrap, submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.setError(undefined);
    out.replaceChildren();
    const v = (k: string) => fields[k].control.value.trim();
    submit.disabled = true;
    try {
      const d = await ctx.api.post<{ id: number }>(`${API}/documents`, {
        forum: v('forum').toUpperCase(), symbol: v('symbol'), title: v('title'), distribution: v('distribution'),
        text: fields.text.control.value, confirm_ambiguities: confirm.checked,
      });
      ctx.go({ name: 'negotiation', id: d.id });
    } catch (err) {
      const p = err as { type?: string; errors?: { field: string; reason: string }[] };
      if (p.type === 'urn:parley:problem:ambiguous-text') {
        confirmWrap.hidden = false;
        out.append(h('div', { class: 'card ambiguities' }, h('strong', {}, t('neg.ambiguities')),
          h('ul', {}, (p.errors ?? []).map((x) => h('li', {}, x.reason)))));
      } else if (!showFieldErrors(fields, err)) {
        out.append(problemBox(err));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', { class: 'card' }, h('summary', {}, t('neg.openTitle')), form);
}

export function negotiationView(ctx: Ctx, id: number, rev?: number): HTMLElement {
  const main = h('main', { id: 'main', class: 'negotiation' }, loading()) as HTMLElement & { refresh?: () => void };
  let selected: string | null = null;
  let timer: number | undefined;
  const load = async () => {
    try {
      const doc = await ctx.api.get<DocumentSummary>(`${API}/documents/${id}`);
      const number = rev ?? doc.revisions[doc.revisions.length - 1].number;
      const r = await ctx.api.get<Revision>(`${API}/documents/${id}/revisions/${number}`);
      window.clearInterval(timer);
      replace(main, ...documentPage(ctx, doc, r));
    } catch (err) {
      replace(main, problemBox(err));
    }
  };

  const documentPage = (ctx: Ctx, doc: DocumentSummary, r: Revision): Child[] => {
    const act = async (path: string, body: unknown = {}) => {
      try {
        await ctx.api.post(`${API}/documents/${id}${path}`, body);
        await load();
        return true;
      } catch (err) {
        main.prepend(problemBox(err));
        return false;
      }
    };
    const editable = !r.circulated && doc.status !== 'adopted' && doc.status !== 'withdrawn';
    const latest = doc.revisions[doc.revisions.length - 1].number;
    const pick = (pid: string) => {
      selected = pid;
      for (const el of main.querySelectorAll('[data-proposal].selected')) el.classList.remove('selected');
      for (const el of main.querySelectorAll(`[data-proposal="${pid}"], [data-proposal="${pid}a"]`)) el.classList.add('selected');
      main.querySelector(`[data-proposal-card="${pid}"]`)?.scrollIntoView({ block: 'nearest' });
    };

    // Header: symbol, status, revisions, exports.
    const revLinks = doc.revisions.map((x) => h('a', {
      href: href({ name: 'negotiation', id, rev: x.number }), class: x.number === r.number ? 'current' : '',
      'aria-current': x.number === r.number ? 'page' : false,
    }, x.label, x.circulated ? '' : ` (${t('neg.working')})`));
    const exportLinks = (['akn', 'html', 'markdown', 'text', 'clean'] as const).map((f) =>
      h('a', { class: 'button small', href: `/api/v1${API}/documents/${id}/revisions/${r.number}?format=${f}`, target: '_blank', rel: 'noopener' }, tKnown('neg.format', f)));
    // The text as a state would have it: the user's own, or any member state's for the secretariat.
    const stateView = doc.state
      ? h('a', { class: 'button small', href: `/api/v1${API}/documents/${id}/revisions/${r.number}?state=${doc.state}`, target: '_blank', rel: 'noopener' },
        t('neg.stateView', { state: doc.state }))
      : '';
    const compare = r.number > 0 ? h('a', { class: 'button small', href: href({ name: 'negotiation-compare', id, from: r.number - 1, to: r.number }) }, t('neg.compare')) : '';

    // The silence procedure.
    const silence = doc.silence;
    const silenceBox = h('section', { class: 'card silence', 'aria-labelledby': 'silence-h' }, h('h2', { id: 'silence-h' }, t('neg.silenceTitle')));
    if (silence) {
      const status = h('p', { 'data-silence-status': silence.status }, tKnown('neg.silence', silence.status));
      silenceBox.append(status);
      if (silence.status === 'running') {
        const until = Date.now() + silence.remaining_seconds * 1000;
        const clock = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' }, countdown(silence.remaining_seconds));
        silenceBox.append(h('p', {}, t('neg.silenceUntil', { deadline: formatDateTime(silence.deadline) })), clock);
        timer = window.setInterval(() => {
          if (!clock.isConnected) return window.clearInterval(timer);
          const left = (until - Date.now()) / 1000;
          clock.textContent = countdown(left);
          if (left <= 0) { window.clearInterval(timer); void load(); }
        }, 1000);
      }
      if (silence.broken)
        silenceBox.append(h('p', { class: 'broken' }, t('neg.silenceBroken', { state: silence.broken.state, at: formatDateTime(silence.broken.at), reason: silence.broken.reason })));
    } else {
      silenceBox.append(h('p', { class: 'muted' }, t('neg.silenceNone')));
    }
    if (doc.can.break_silence) {
      const reason = field(t('neg.breakReason'), h('textarea', { rows: 2, maxlength: 2000 }), 'reason');
      const go = h('button', { type: 'submit', class: 'danger' }, t('neg.breakSilence', { state: doc.state ?? '' }));
      const f = h('form', {}, reason.wrapper, go);
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        reason.setError(undefined);
        if (!reason.control.value.trim()) return reason.setError(t('neg.needReason'));
        go.disabled = true;
        await act('/silence/break', { reason: reason.control.value.trim() });
        go.disabled = false;
      });
      silenceBox.append(f);
    }
    if (doc.can.manage && doc.status !== 'adopted' && doc.status !== 'withdrawn' && doc.latest_circulated !== null && silence?.status !== 'running') {
      const hours = input('number', '72', { min: '1', max: '2160' });
      const start = h('button', { type: 'button' }, t('neg.startSilence'));
      start.addEventListener('click', () => void act('/silence', { deadline: new Date(Date.now() + Number(hours.value) * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }));
      silenceBox.append(h('p', {}, h('label', {}, t('neg.silenceHours'), ' ', hours), ' ', start));
    }

    // Secretariat actions.
    const actions: Child[] = [];
    if (doc.can.manage && editable) {
      const circulate = h('button', { type: 'button', class: 'primary' }, t('neg.circulate', { label: r.label }));
      circulate.addEventListener('click', () => void act('/circulate'));
      actions.push(circulate);
    }
    if (doc.can.manage && doc.status !== 'adopted' && doc.status !== 'withdrawn' && doc.latest_circulated !== null) {
      const adopt = h('button', { type: 'button' }, t('neg.adopt'));
      adopt.addEventListener('click', () => void act('/adopt'));
      actions.push(' ', adopt);
    }

    // The reading view.
    const labels = new Map(r.paragraphs.map((p) => [p.id, p]));
    let chapeauShown = false;
    const reading = h('article', { class: 'reading', lang: doc.languages[0] ?? 'en', 'aria-label': t('neg.reading') },
      h('p', { class: 'meta' }, r.label, h('br', {}), r.text.date, r.text.date ? h('br', {}) : '', r.text.distribution ? `Distr: ${r.text.distribution}` : ''),
      h('h2', { class: 'doc-title' }, r.text.title),
      r.text.paragraphs.map((p) => {
        const info = labels.get(p.id);
        const label = info?.label ? `${info.label}. ` : '';
        const chapeau = p.part === 'operative' && !chapeauShown && r.text.chapeau ? (chapeauShown = true, h('h3', { class: 'chapeau' }, r.text.chapeau)) : '';
        let content: Child[] = [label, ...renderNodes(p.content, pick)];
        if (p.bracketed) {
          const kind = p.alternative ? 'alternative' : (p.attributions ?? [])[0]?.[0] === '+' ? 'insert' : 'delete';
          const span = h('span', { class: `bracket ${kind}`, 'data-proposal': p.proposal_id ?? '', title: positionsText(p.attributions ?? []), tabindex: 0 },
            '[', ...content, ']', ...attributionChips(p.attributions ?? []));
          span.addEventListener('click', () => pick(p.proposal_id ?? ''));
          content = [span];
        }
        const adRef: Child = p.agreed_ad_ref ? h('span', { class: 'adref' }, ` (${t('neg.agreedAdRef')})`) : '';
        let agree: Child = '';
        if (doc.can.manage && editable && info && !info.open_brackets) {
          const b = h('button', { type: 'button', class: 'link small' }, p.agreed_ad_ref ? t('neg.reopen') : t('neg.agree'));
          b.addEventListener('click', () => void act(`/paragraphs/${p.id}/ad-ref`, { agreed: !p.agreed_ad_ref }));
          agree = [' ', b];
        }
        return [chapeau, h('p', { class: `para ${p.part}`, 'data-paragraph': p.id }, ...content, adRef, agree)];
      }));

    // Open brackets per state.
    const perState = Object.entries(r.brackets.per_state);
    const counts = h('p', { class: 'small', 'data-open-brackets': r.brackets.total },
      t('neg.openBrackets', { n: r.brackets.total }), perState.length ? ': ' : '', perState.map(([s, n]) => `${s} ${n}`).join(', '));

    // The proposals panel.
    const panel = h('aside', { class: 'proposals', 'aria-label': t('neg.proposals') }, h('h2', {}, t('neg.proposals')), counts,
      r.proposals.length ? '' : h('p', { class: 'muted' }, t('neg.noProposals')),
      r.proposals.map((p) => proposalCard(doc, p, act, pick, ledgerDetails(ctx.api, `proposal:${doc.id}:${p.id}`))));
    if (doc.can.propose && r.number === latest) panel.append(proposeForm(ctx, doc, r, load));

    const note = r.note_number
      ? h('details', { class: 'card note' }, h('summary', {}, t('neg.note', { number: r.note_number })),
        Object.entries(r.notes).map(([lang, text]) => h('pre', { lang, class: 'note-text' }, text)))
      : '';
    const final = doc.final_text ? h('section', { class: 'card' }, h('h2', {}, t('neg.finalText')), h('pre', { class: 'note-text final-text' }, doc.final_text)) : '';
    queueMicrotask(() => { if (selected) pick(selected); });
    const docLedger = () => checkRecords(ctx.api, `negotiation:document:${doc.id}`);
    return [
      h('h1', {}, doc.title),
      h('p', {}, h('span', { class: `badge badge-${doc.status}` }, tKnown('neg.status', doc.status)), ' ',
        doc.forum, ' · ', tKnown('neg.distribution', doc.distribution)),
      h('nav', { class: 'revisions', 'aria-label': t('neg.revisions') }, t('neg.revisions'), ': ', revLinks.flatMap((a, i) => (i ? [' · ', a] : [a]))),
      h('p', { class: 'exports' }, ...exportLinks.flatMap((a) => [a, ' ']), stateView, ' ', compare),
      // The circulated revision in the ledger; the adoption; the rest of the document's record on demand.
      r.circulated ? ledgerBadge(checkRecords(ctx.api, `revision:${doc.id}:${r.number}`), `revision:${doc.id}:${r.number}`) : '',
      doc.status === 'adopted' ? ledgerBadge(docLedger(), `negotiation:document:${doc.id}`,
        { pick: (k) => k.row.action === 'negotiation.document.adopted' }) : '',
      ledgerDetails(ctx.api, `negotiation:document:${doc.id}`),
      actions.length ? h('p', { class: 'actions' }, ...actions) : '',
      final, note, silenceBox,
      h('div', { class: 'negotiation-body' }, reading, panel),
    ];
  };
  void load();
  main.refresh = () => void load();
  return main;
}

function proposalCard(doc: DocumentSummary, p: Proposal, act: (path: string, body?: unknown) => Promise<boolean>,
  pick: (id: string) => void, ledger: Child = ''): HTMLElement {
  const mine = doc.state !== null && doc.state === p.state;
  const open = doc.status !== 'adopted' && doc.status !== 'withdrawn';
  const buttons: Child[] = [];
  const button = (label: string, path: string, body: unknown, cls = 'small') => {
    const b = h('button', { type: 'button', class: cls }, label);
    b.addEventListener('click', () => void act(path, body));
    return b;
  };
  if (open && doc.state && !mine) {
    const stance = p.supporters.includes(doc.state) ? 'support' : p.opposers.includes(doc.state) ? 'oppose' : 'none';
    buttons.push(stance === 'support' ? button(t('neg.unsupport'), `/proposals/${p.id}/position`, { stance: 'none' })
      : button(t('neg.support'), `/proposals/${p.id}/position`, { stance: 'support' }));
    buttons.push(stance === 'oppose' ? button(t('neg.unoppose'), `/proposals/${p.id}/position`, { stance: 'none' })
      : button(t('neg.oppose'), `/proposals/${p.id}/position`, { stance: 'oppose' }));
  }
  if (open && mine) buttons.push(button(t('neg.withdraw'), `/proposals/${p.id}/resolve`, { outcome: 'withdrawn' }));
  if (open && doc.can.manage) {
    buttons.push(button(t('neg.accept'), `/proposals/${p.id}/resolve`, { outcome: 'accepted' }));
    buttons.push(button(t('neg.reject'), `/proposals/${p.id}/resolve`, { outcome: 'rejected' }));
  }
  const comments = h('ul', { class: 'comments' }, p.comments.map((c) => h('li', {}, h('strong', {}, c.state ?? t('neg.secretariat')), ': ', c.text)));
  let commentForm: Child = '';
  if (open && (doc.can.propose || doc.can.manage)) {
    const text = input('text', '', { maxlength: '4000', 'aria-label': t('neg.comment') });
    const send = h('button', { type: 'submit', class: 'small' }, t('neg.comment'));
    const f = h('form', { class: 'comment' }, text, ' ', send);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      if (text.value.trim()) void act(`/proposals/${p.id}/comments`, { text: text.value.trim() });
    });
    commentForm = f;
  }
  const card = h('div', { class: 'proposal', 'data-proposal-card': p.id },
    h('p', {}, h('button', { type: 'button', class: 'link' }, `${p.id}`), ' ', h('strong', {}, p.state || t('neg.unattributed')), ' ',
      tKnown('neg.kind', p.kind), ' · ', p.paragraph_label),
    h('p', { class: 'excerpt' }, p.kind === 'replace' ? [h('del', {}, p.text), ' → ', h('ins', {}, p.replacement ?? '')]
      : p.kind.startsWith('delete') ? h('del', {}, p.text) : h('ins', {}, p.text)),
    h('p', { class: 'small', 'data-positions': '' },
      p.supporters.length ? t('neg.supportedBy', { states: p.supporters.join(', ') }) : '',
      p.supporters.length && p.opposers.length ? '; ' : '',
      p.opposers.length ? t('neg.opposedBy', { states: p.opposers.join(', ') }) : ''),
    comments, buttons.length ? h('p', { class: 'buttons' }, ...buttons.flatMap((b) => [b, ' '])) : '', commentForm,
    ledger);   // made, positions taken, outcome
  card.querySelector('button.link')?.addEventListener('click', () => pick(p.id));
  return card;
}

function proposeForm(ctx: Ctx, doc: DocumentSummary, r: Revision, reload: () => Promise<void>): HTMLElement {
  const kinds = ['insert', 'delete', 'replace', 'add_paragraph', 'delete_paragraph', 'alternative'];
  const paragraphOptions: [string, string][] = r.paragraphs.map((p, i) => [p.id, p.label || `PP${i + 1}`]);
  const fields: Record<string, Field> = {
    kind: field(t('neg.kindField'), select(kinds.map((k) => [k, tKnown('neg.kind', k)]), 'insert'), 'kind'),
    paragraph: field(t('neg.paragraph'), select(paragraphOptions, paragraphOptions[0]?.[0]), 'paragraph'),
    after: field(t('neg.after'), input('text', '', {}), 'after'),
    text: field(t('neg.words'), h('textarea', { rows: 3 }), 'text'),
    replacement: field(t('neg.replacement'), h('textarea', { rows: 2 }), 'replacement'),
    occurrence: field(t('neg.occurrence'), input('number', '', { min: '1' }), 'occurrence'),
  };
  const state = doc.can.manage && !doc.state ? field(t('neg.onBehalfOf'), input('text', '', { maxlength: '3', placeholder: 'KAZ' }), 'state') : null;
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('neg.propose'));
  const shown = () => {
    const k = fields.kind.control.value;
    fields.after.wrapper.hidden = k !== 'insert' && k !== 'add_paragraph';
    fields.after.wrapper.querySelector('label')!.textContent = k === 'add_paragraph' ? t('neg.afterParagraph') : t('neg.after');
    fields.replacement.wrapper.hidden = k !== 'replace';
    fields.text.wrapper.hidden = k === 'delete_paragraph';
    fields.occurrence.wrapper.hidden = !['insert', 'delete', 'replace'].includes(k);
    fields.paragraph.wrapper.hidden = k === 'add_paragraph';
  };
  fields.kind.control.addEventListener('change', shown);
  shown();
  const form = h('form', { class: 'contact-form propose', novalidate: true }, h('h3', {}, t('neg.proposeTitle', { state: doc.state ?? '' })),
    Object.values(fields).map((f) => f.wrapper), state?.wrapper, submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.setError(undefined);
    out.replaceChildren();
    const k = fields.kind.control.value;
    const body: Record<string, unknown> = { kind: k, revision: r.circulated ? undefined : r.number };
    if (k === 'add_paragraph') body.after_paragraph = fields.paragraph.control.value;
    else body.paragraph = fields.paragraph.control.value;
    if (k === 'insert') body.after = fields.after.control.value;
    if (k !== 'delete_paragraph') body.text = fields.text.control.value;
    if (k === 'replace') body.replacement = fields.replacement.control.value;
    if (fields.occurrence.control.value) body.occurrence = Number(fields.occurrence.control.value);
    if (state?.control.value) body.state = state.control.value.toUpperCase();
    submit.disabled = true;
    try {
      await ctx.api.post(`${API}/documents/${doc.id}/proposals`, body);
      ctx.announce(t('neg.proposed'));
      await reload();
    } catch (err) {
      if (!showFieldErrors(state ? { ...fields, state } : fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function compareView(ctx: Ctx, id: number, from: number, to: number): HTMLElement {
  const main = h('main', { id: 'main', class: 'negotiation' }, loading());
  void (async () => {
    try {
      const d = await ctx.api.get<Diff>(`${API}/documents/${id}/diff${queryString({ from, to })}`);
      const words = (ws: WordChange[] | undefined, side: '-' | '+', whole: string): Child[] =>
        ws ? ws.filter((w) => w.op === '=' || w.op === side).map((w) => (w.op === '=' ? w.text : h(side === '+' ? 'ins' : 'del', {}, w.text))) : [whole];
      replace(main,
        h('h1', {}, t('neg.compareTitle', { from: d.from.label, to: d.to.label })),
        h('p', {}, h('a', { href: href({ name: 'negotiation', id, rev: to }) }, t('neg.back'))),
        h('p', { class: 'small' }, t('neg.compareSummary', { added: d.proposals_added.length, closed: d.proposals_closed.length, from: d.brackets.from, to: d.brackets.to })),
        h('table', { class: 'contacts compare' },
          h('thead', {}, h('tr', {}, h('th', {}, d.from.label), h('th', {}, d.to.label))),
          h('tbody', {}, d.paragraphs.map((p) => h('tr', { class: `diff-${p.status}`, 'data-paragraph': p.id },
            h('td', {}, p.status === 'added' ? '' : words(p.words, '-', p.from)),
            h('td', {}, p.status === 'removed' ? h('span', { class: 'muted' }, t('neg.removed')) : words(p.words, '+', p.to),
              p.agreed_ad_ref ? h('span', { class: 'badge badge-active' }, ` ${t('neg.agreedAdRef')}`) : ''))))));
    } catch (err) {
      replace(main, problemBox(err));
    }
  })();
  return main;
}
