// The annual review of a forum in the console: one click on the work plan's page brings
// the year's review — its figures, the three charts (the server's SVG), the activities
// held and still planned, the decisions, each state's implementation with its change
// over the year, its response to the communication checks and its library
// contributions — with the HTML to print and the Markdown to edit. The same review is one
// command away on the server: `parley review --forum ARF --year 2026`.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate } from '../format';
import { localNames } from '../names';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, loading, problemBox, select, forumPlaceholder } from '../ui';

interface ReviewActivity {
  id: number;
  kind: string;
  title: string;
  status: string;
  starts_on: string;
  ends_on: string;
  co_leads: string[];
  participants: number;
}

export interface Review {
  forum: string;
  year: number;
  from: string;
  to: string;
  summary: {
    activities_held: number;
    activities_planned: number;
    decisions: number;
    measures: number;
    states: number;
    states_reporting: number;
    status_changes: number;
    checks: number;
    check_response_rate: number | null;
    contributions: number;
  };
  held: ReviewActivity[];
  planned: ReviewActivity[];
  decisions: { date: string; body: string; meeting: string; wording: string; outcome: string }[];
  states: {
    state: string;
    name: string;
    implementation: { start: Record<string, number>; end: Record<string, number>; changes: { measure: string; from: string; to: string }[] };
    // null: another state's figures, which are the secretariat's and that state's to see.
    checks: { addressed: number; acknowledged: number; response_rate: number | null; median_seconds: number | null } | null;
    contributions: number;
  }[];
}

const CHARTS = ['implementation', 'responses', 'contributions'] as const;

function percent(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 100)}%`;
}

function minutes(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 90 ? t('review.seconds', { n: Math.round(seconds) }) : t('review.minutes', { n: Math.round(seconds / 60) });
}

function activityList(items: ReviewActivity[], empty: string): Child {
  if (!items.length) return h('p', { class: 'empty' }, empty);
  return h('ul', {}, items.map((a) => h('li', { 'data-activity': a.id },
    h('a', { href: href({ name: 'activity', id: a.id }) }, a.title), ` — ${tKnown('actKind', a.kind)}`,
    a.starts_on ? `, ${formatDate(a.starts_on)}` : '', ' · ', tKnown('actStatus', a.status),
    a.participants ? ` · ${t('review.participants', { n: a.participants })}` : '')));
}

export function reviewView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('review.title'), (forum) => ctx.go({ name: 'review', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const thisYear = new Date().getUTCFullYear();
  const year = /^\d{4}$/.test(query.year ?? '') ? Number(query.year) : thisYear;
  const years: [string, string][] = [];
  for (let y = thisYear; y >= Math.max(2000, thisYear - 9); --y) years.push([String(y), String(y)]);
  const pick = field(t('review.year'), select(years, String(year)), 'year');
  pick.control.addEventListener('change', () => ctx.go({ name: 'review', query: { forum, year: pick.control.value } }));
  const q = (extra: Record<string, string> = {}) => queryString({ forum, year: String(year), ...extra });
  const file = (format: string) => `/api/v1/workplan/review${q({ format })}`;
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [r, names] = await Promise.all([ctx.api.get<Review>(`/workplan/review${q()}`), localNames(ctx.api)]);
      const s = r.summary;
      replace(body,
        h('p', { class: 'small muted' }, t('review.range', { forum: names.forum(r.forum), from: formatDate(r.from), to: formatDate(r.to) })),
        h('p', { class: 'exports' },
          h('a', { class: 'button', href: file('html'), target: '_blank', rel: 'noopener' }, t('review.print')), ' ',
          h('a', { class: 'button small', href: file('md'), download: '' }, 'Markdown')),
        h('h2', {}, t('review.figures')),
        h('ul', { class: 'review-figures' },
          h('li', { 'data-figure': 'held' }, t('review.fig.activities', { held: s.activities_held, planned: s.activities_planned })),
          h('li', { 'data-figure': 'decisions' }, t('review.fig.decisions', { n: s.decisions })),
          h('li', { 'data-figure': 'reporting' }, t('review.fig.reporting', { reporting: s.states_reporting, states: s.states, changes: s.status_changes })),
          h('li', { 'data-figure': 'checks' }, t('review.fig.checks', { n: s.checks, rate: percent(s.check_response_rate) })),
          h('li', { 'data-figure': 'contributions' }, t('review.fig.contributions', { n: s.contributions }))),
        h('h2', {}, t('review.held')), activityList(r.held, t('review.none')),
        h('h2', {}, t('review.planned')), activityList(r.planned, t('review.none')),
        h('h2', {}, t('review.decisions')),
        r.decisions.length ? h('ul', {}, r.decisions.map((d) => h('li', {}, `${formatDate(d.date)} · ${d.body} · ${d.meeting}: ${d.wording}`,
          d.outcome ? ` (${tKnown('outcome', d.outcome)})` : ''))) : h('p', { class: 'empty' }, t('review.none')),
        h('h2', {}, t('review.charts')),
        CHARTS.map((c) => h('figure', { class: 'review-chart' },
          h('img', { src: `/api/v1/workplan/review${q({ format: 'svg', chart: c })}`, alt: tKnown('review.chart', c), loading: 'lazy' }),
          h('figcaption', { class: 'small muted' }, tKnown('review.chart', c)))),
        h('h2', {}, t('review.states')),
        h('div', { class: 'table-scroll' }, h('table', { class: 'review-states' },
          h('thead', {}, h('tr', {}, [t('wp.state'), t('review.col.implemented'), t('review.col.changes'), t('review.col.checks'),
            t('review.col.median'), t('review.col.contributions')].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, r.states.map((x) => h('tr', { 'data-state': x.state },
            h('th', { scope: 'row' }, names.state(x.state, x.name)),
            h('td', {}, `${x.implementation.start.implemented ?? 0} → ${x.implementation.end.implemented ?? 0} / ${s.measures}`),
            h('td', {}, x.implementation.changes.map((c) => `${c.measure}: ${tKnown('wpStatus', c.from)} → ${tKnown('wpStatus', c.to)}`).join('; ')),
            x.checks
              ? [h('td', {}, x.checks.addressed ? `${x.checks.acknowledged}/${x.checks.addressed} (${percent(x.checks.response_rate)})` : '—'),
                h('td', {}, minutes(x.checks.median_seconds))]
              : h('td', { colspan: 2, class: 'muted' }, t('review.withheld')),
            h('td', {}, String(x.contributions))))))));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('review.heading', { year })),
    h('p', {}, h('a', { href: href({ name: 'workplan', query: { forum } }) }, t('plan.toMatrix')), ' · ',
      h('a', { href: href({ name: 'plans', query: { forum } }) }, t('plan.title'))),
    h('form', { class: 'filters' }, pick.wrapper), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}
