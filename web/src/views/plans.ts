// The work plan as a document of its forum, in the console: its versions (circulated ones
// for everyone of the forum, the draft for the secretariat); a version's page with its
// timeline (the server's SVG, each activity linking to its page), its items with their
// activities, leads and status, what changed since the version before, and its exports
// (Markdown, HTML to print, SVG). The secretariat opens a draft, edits its title, period
// and introduction, circulates it (the note verbale goes out on the hotline) or discards
// it. The server decides who may do what; the forms follow its can_manage answer.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate, formatDateTime } from '../format';
import { localNames } from '../names';
import type { Names } from '../names';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, input, loading, problemBox, runForm, simpleForm, forumPlaceholder } from '../ui';

const API = '/workplan';

interface Version {
  id: number;
  forum: string;
  version: number;
  symbol: string;
  title: string;
  period_from: string;
  period_to: string;
  status: 'draft' | 'circulated';
  note_number: string;
  content_sha256: string;
  communication_id: number | null;
  circulated_at: string | null;
}

export interface PlanActivity {
  id: number;
  kind: string;
  title: string;
  status: string;
  starts_on: string;
  ends_on: string;
  venue: string;
  online: boolean;
  co_leads: string[];
}

export interface PlanItem {
  measure_id: number;
  code: string;
  title: string;
  period_from: string;
  period_to: string;
  coordinators: string[];
  co_coordinators: string[];
  status: 'open' | 'proposed' | 'under_way' | 'completed';
  activities: PlanActivity[];
}

interface PlanPage extends Version {
  introduction: string;   // the page's own: the list of versions leaves it out
  content: { as_of: string; items: PlanItem[] };
  changes: string[];
  can_manage: boolean;
  note?: string;
}

function period(from: string, to: string): string {
  if (!from && !to) return '';
  return `${from ? formatDate(from) : '…'} – ${to ? formatDate(to) : '…'}`;
}

export function plansView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('plan.title'), (forum) => ctx.go({ name: 'plans', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [list, names] = await Promise.all([
        ctx.api.get<{ items: Version[]; can_manage: boolean }>(`${API}/plans${queryString({ forum })}`), localNames(ctx.api)]);
      const rows = list.items.map((v) => h('tr', { 'data-version': v.version },
        h('td', {}, h('a', { href: href({ name: 'plan', id: v.id }) }, v.symbol)),
        h('td', {}, v.title),
        h('td', {}, period(v.period_from, v.period_to)),
        h('td', { 'data-status': v.status }, tKnown('planStatus', v.status)),
        h('td', {}, v.circulated_at ? `${v.note_number}, ${formatDate(v.circulated_at)}` : '')));
      const table = rows.length
        ? h('div', { class: 'table-scroll' }, h('table', {}, h('caption', { class: 'visually-hidden' }, t('plan.versions')),
          h('thead', {}, h('tr', {}, [t('plan.col.symbol'), t('plan.col.title'), t('plan.col.period'), t('plan.col.status'), t('plan.col.note')]
            .map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows)))
        : h('p', { class: 'empty' }, t('plan.none'));
      const hasDraft = list.items.some((v) => v.status === 'draft');
      replace(body, h('p', { class: 'small muted' }, names.forum(forum)), table,
        list.can_manage && !hasDraft ? newVersionForm(ctx, forum, list.items.length === 0) : '');
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('plan.title')), h('p', { class: 'small muted' }, t('plan.intro')),
    h('p', {}, h('a', { href: href({ name: 'workplan', query: { forum } }) }, t('plan.toMatrix')), ' · ',
      h('a', { href: href({ name: 'review', query: { forum } }) }, t('review.title'))),
    body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function newVersionForm(ctx: Ctx, forum: string, first: boolean): HTMLElement {
  const f = {
    title: field(t('plan.field.title'), input('text', '', { maxlength: '300', required: first }), 'title'),
    period_from: field(t('plan.field.from'), input('date', ''), 'period_from'),
    period_to: field(t('plan.field.to'), input('date', ''), 'period_to'),
    introduction: field(t('plan.field.introduction'), h('textarea', { rows: 3, maxlength: 20000 }), 'introduction'),
  };
  return simpleForm('plan-new', first ? t('plan.newFirst') : t('plan.new'), f, t('plan.open'), (out) => void runForm(ctx, out, f, async () => {
    const input: Record<string, string> = {};
    for (const [k, x] of Object.entries(f)) if (x.control.value.trim()) input[k] = x.control.value.trim();
    const made = await ctx.api.post<Version>(`${API}/forums/${encodeURIComponent(forum)}/plans`, input);
    ctx.go({ name: 'plan', id: made.id });
  }, () => undefined));
}

// The server's timeline, parsed as SVG (no script runs from it) and shown inline so that
// its activities link to their pages.
async function timeline(ctx: Ctx, id: number): Promise<Child> {
  const text = await ctx.api.text(`${API}/plans/${id}${queryString({ format: 'svg', links: 'console' })}`);
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg') return '';
  svg.querySelectorAll('script, foreignObject').forEach((x) => x.remove());
  return h('figure', { class: 'plan-timeline table-scroll' }, document.importNode(svg, true),
    h('figcaption', { class: 'small muted' }, t('plan.timelineCaption')));
}

function itemsSection(items: PlanItem[], names: Names): Child {
  return items.map((i) => h('section', { class: 'plan-item', 'data-item': i.code || 'other' },
    h('h3', {}, i.measure_id ? `${i.code}: ${i.title}` : t('plan.other')),
    h('p', { class: 'small' },
      i.coordinators.length ? [t('plan.coordinators', { states: i.coordinators.map((s) => names.state(s)).join(', ') }), ' '] : '',
      i.co_coordinators.length ? [t('plan.coCoordinators', { states: i.co_coordinators.map((s) => names.state(s)).join(', ') }), ' '] : '',
      h('span', { class: 'badge', 'data-status': i.status }, tKnown('itemStatus', i.status))),
    i.activities.length
      ? h('ul', {}, i.activities.map((a) => h('li', { 'data-activity': a.id },
        h('a', { href: href({ name: 'activity', id: a.id }) }, a.title), ` — ${tKnown('actKind', a.kind)}`,
        a.starts_on ? `, ${period(a.starts_on, a.ends_on || a.starts_on)}` : '',
        a.co_leads.length ? ` · ${t('plan.coLeads', { states: a.co_leads.join(', ') })}` : '',
        ' · ', h('span', { 'data-status': a.status }, tKnown('actStatus', a.status)))))
      : h('p', { class: 'empty' }, t('plan.noActivity'))));
}

export function planView(ctx: Ctx, id: number): HTMLElement {
  const main = h('main', { id: 'main' }, loading()) as HTMLElement & { refresh?: () => void };
  const load = async () => {
    try {
      const [p, names] = await Promise.all([ctx.api.get<PlanPage>(`${API}/plans/${id}`), localNames(ctx.api)]);
      const file = (format: string) => `/api/v1${API}/plans/${id}${queryString({ format })}`;
      const out = h('div', { 'aria-live': 'assertive' });
      const actions: Child[] = [];
      if (p.can_manage && p.status === 'draft') {
        const f = {
          title: field(t('plan.field.title'), input('text', p.title, { maxlength: '300' }), 'title'),
          period_from: field(t('plan.field.from'), input('date', p.period_from), 'period_from'),
          period_to: field(t('plan.field.to'), input('date', p.period_to), 'period_to'),
          introduction: field(t('plan.field.introduction'), h('textarea', { rows: 4, maxlength: 20000 }, p.introduction), 'introduction'),
        };
        actions.push(simpleForm('plan-edit', t('plan.edit'), f, t('plan.save'), (o) => void runForm(ctx, o, f, () =>
          ctx.api.patch(`${API}/plans/${id}`, Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.control.value.trim()]))), load)));
        const circulate = h('button', { type: 'button' }, t('plan.circulate'));
        circulate.addEventListener('click', () => void runForm(ctx, out, {}, async () => {
          const done = await ctx.api.post<PlanPage>(`${API}/plans/${id}/circulate`, {});
          ctx.announce(t('plan.circulated', { number: done.note_number }));
        }, load));
        const discard = h('button', { type: 'button', class: 'secondary' }, t('plan.discard'));
        discard.addEventListener('click', () => void runForm(ctx, out, {}, () => ctx.api.delete(`${API}/plans/${id}`),
          () => ctx.go({ name: 'plans', query: { forum: p.forum } })));
        actions.push(h('p', { class: 'actions' }, circulate, ' ', discard));
      }
      const intro = p.introduction.split('\n').filter((x) => x.trim()).map((x) => h('p', {}, x));
      replace(main,
        h('p', {}, h('a', { href: href({ name: 'plans', query: { forum: p.forum } }) }, t('plan.back', { forum: names.forum(p.forum) }))),
        h('h1', {}, p.title),
        h('p', { class: 'small muted plan-meta' }, [
          p.symbol, tKnown('planStatus', p.status), period(p.period_from, p.period_to),
          p.circulated_at ? t('plan.circulatedBy', { number: p.note_number, date: formatDateTime(p.circulated_at) }) : t('plan.asOf', { date: formatDate(p.content.as_of) }),
        ].filter(Boolean).join(' · ')),
        intro,
        h('p', { class: 'exports' }, t('plan.export'), ' ',
          h('a', { class: 'button small', href: file('md'), download: '' }, 'Markdown'), ' ',
          h('a', { class: 'button small', href: file('html'), target: '_blank', rel: 'noopener' }, t('plan.print')), ' ',
          h('a', { class: 'button small', href: file('svg'), download: '' }, 'SVG')),
        actions, out,
        p.changes.length ? [h('h2', {}, t('plan.changes', { version: p.version - 1 })), h('ul', { class: 'plan-changes' }, p.changes.map((c) => h('li', {}, c)))] : '',
        h('h2', {}, t('plan.timeline')), h('div', { class: 'plan-timeline-slot' }, loading()),
        h('h2', {}, t('plan.items')), itemsSection(p.content.items, names));
      const slot = main.querySelector('.plan-timeline-slot') as HTMLElement;
      timeline(ctx, id).then((x) => replace(slot, x)).catch((err) => replace(slot, problemBox(err)));
    } catch (err) {
      replace(main, problemBox(err));
    }
  };
  main.refresh = () => void load();
  void load();
  return main;
}
