// Communication checks: start one for a forum (secretariat, admin), watch it fill in
// live, read the report per state and person, and see response times over time.
// Charts are plain SVG built from the figures the API reports.
import type { CheckHistory, CheckReport, Forum, StateSummary } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDateTime, formatNumber, formatPercent } from '../format';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, input, loading, problemBox, select } from '../ui';
import { CONTACT_KINDS } from './hotline';
import { checkRecords, ledgerBadge } from '../ledger/badge';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function secs(v: number | null): string {
  if (v === null) return t('common.none');
  return v < 120 ? t('checks.seconds', { n: formatNumber(v, 1) }) : t('checks.minutes', { n: formatNumber(v / 60, 1) });
}

function pct(v: number): string {
  return formatPercent(v);
}

// Horizontal bars: one per label, length proportional to the value; null is "no answer".
export function barChart(title: string, rows: { label: string; value: number | null }[]): SVGElement {
  const width = 640;
  const row = 20;
  const left = 60;
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${rows.length * row + 10}`, role: 'img', 'aria-label': title, class: 'chart' });
  chart.append(svg('title', {}, title));
  rows.forEach((r, i) => {
    const y = i * row + 5;
    chart.append(svg('text', { x: 0, y: y + 14, class: 'chart-label' }, r.label));
    if (r.value === null) {
      chart.append(svg('text', { x: left, y: y + 14, class: 'chart-none' }, t('checks.noAnswer')));
      return;
    }
    const w = Math.max(2, ((width - left - 90) * r.value) / max);
    chart.append(svg('rect', { x: left, y: y + 3, width: w, height: row - 6, class: 'chart-bar' }));
    chart.append(svg('text', { x: left + w + 6, y: y + 14, class: 'chart-value' }, secs(r.value)));
  });
  return chart;
}

// A line of one figure over successive checks (oldest left).
export function trendChart(title: string, points: { label: string; value: number | null }[]): SVGElement {
  const width = 640;
  const height = 160;
  const pad = 30;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' });
  chart.append(svg('title', {}, title));
  const vals = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(1, ...vals);
  const x = (i: number) => pad + (points.length <= 1 ? 0 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v: number) => height - pad - (v * (height - 2 * pad)) / max;
  let d = '';
  points.forEach((p, i) => {
    chart.append(svg('text', { x: x(i), y: height - 8, class: 'chart-label', 'text-anchor': 'middle' }, p.label));
    if (p.value === null) return;
    d += `${d ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
    chart.append(svg('circle', { cx: x(i), cy: y(p.value), r: 4, class: 'chart-dot' }));
    chart.append(svg('text', { x: x(i), y: y(p.value) - 8, class: 'chart-value', 'text-anchor': 'middle' }, secs(p.value)));
  });
  if (d) chart.prepend(svg('path', { d, class: 'chart-line' }));
  return chart;
}

export function checksView(ctx: Ctx): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const forumField = field(t('checks.forum'), select([[ctx.user.forum ?? '', ctx.user.forum ?? '']], ctx.user.forum ?? ''), 'forum');
  // Only some member states, chosen by name (none ticked: every member state).
  const stateBoxes = h('div', { class: 'choices states-choice' });
  const statesField = { wrapper: h('fieldset', { class: 'states-choice' }, h('legend', {}, t('checks.onlyStates')), stateBoxes) };
  const loadStates = async (forum: string) => {
    const all = await ctx.api.get<{ items: StateSummary[] }>('/states');
    replace(stateBoxes, all.items.filter((s) => s.forums.includes(forum)).map((s) =>
      h('label', { class: 'state' }, h('input', { type: 'checkbox', value: s.alpha3 }), ' ', s.name)));
  };
  const repeatField = field(t('checks.repeat'), input('number', '', { min: '1', max: '3660' }), 'repeat_every_days');
  // A check may test one kind of contact (policy, technical, law enforcement) or all.
  const kindField = field(t('hotline.contactKind'), select(CONTACT_KINDS.map((k) => [k, tKnown('kind', k)]), 'all'), 'kind');
  const schedules = h('section', { 'aria-live': 'polite' });
  const start = h('button', { type: 'button', class: 'primary' }, t('checks.start'));
  const out = h('div', { 'aria-live': 'assertive' });
  const loadSchedules = async (forum: string) => {
    const list = await ctx.api.get<{ items: { id: number; every_days: number; next_at: string }[] }>(
      `/check-schedules?forum=${encodeURIComponent(forum)}`);
    replace(schedules, list.items.length > 0 && h('h2', {}, t('checks.schedules')),
      list.items.length > 0 && h('ul', { class: 'plain' }, list.items.map((x) => {
        const stop = h('button', { type: 'button', class: 'link' }, t('checks.stopSchedule'));
        stop.addEventListener('click', async () => {
          await ctx.api.delete(`/check-schedules/${x.id}`);
          void loadSchedules(forum);
        });
        return h('li', {}, t('checks.scheduleLine', { days: x.every_days, next: formatDateTime(x.next_at) }), ' ', stop);
      })));
  };
  const load = async () => {
    const forum = forumField.control.value;
    if (!forum) return replace(body, h('p', {}, t('checks.chooseForum')));
    void loadStates(forum).catch(() => undefined);
    void loadSchedules(forum).catch(() => undefined);
    try {
      const history = await ctx.api.get<CheckHistory>(`/checks?forum=${encodeURIComponent(forum)}`);
      if (!history.items.length) return replace(body, h('p', {}, t('checks.none')));
      const latest = await ctx.api.get<CheckReport>(`/checks/${history.items[0].id}`);
      const oldestFirst = history.items.slice().reverse();
      replace(body,
        h('h2', {}, t('checks.latest', { when: formatDateTime(latest.started_at) })),
        summary(latest),
        barChart(t('checks.byState'), latest.states.map((s) => ({ label: s.state, value: s.median_seconds }))),
        h('p', {}, h('a', { href: href({ name: 'check', id: latest.id }) }, t('checks.details'))),
        h('h2', {}, t('checks.trend')),
        trendChart(t('checks.trend'), oldestFirst.map((c) => ({ label: `#${c.id}`, value: c.summary.median_seconds }))),
        h('table', { class: 'contacts history' },
          h('thead', {}, h('tr', {}, h('th', {}, t('checks.check')), h('th', {}, t('checks.started')), h('th', {}, t('checks.rate')),
            h('th', {}, t('checks.median')), h('th', {}, t('checks.p90')))),
          h('tbody', {}, history.items.map((c) => h('tr', {},
            h('th', {}, h('a', { href: href({ name: 'check', id: c.id }) }, `#${c.id}`)),
            h('td', {}, formatDateTime(c.started_at)),
            h('td', {}, `${pct(c.summary.response_rate)} (${c.summary.acknowledged}/${c.summary.people})`),
            h('td', {}, secs(c.summary.median_seconds)), h('td', {}, secs(c.summary.p90_seconds)))))));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const req: Record<string, unknown> = { forum: forumField.control.value };
      const states = [...stateBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
      if (states.length) req.states = states;
      if (repeatField.control.value) req.repeat_every_days = Number(repeatField.control.value);
      if (kindField.control.value !== 'all') req.kind = kindField.control.value;
      const r = await ctx.api.post<CheckReport>('/checks', req);
      ctx.announce(t('checks.startedNote', { id: r.id }));
      ctx.go({ name: 'check', id: r.id });
    } catch (err) {
      out.replaceChildren(problemBox(err));
    } finally {
      start.disabled = false;
    }
  });
  if (ctx.user.role === 'admin')
    void ctx.api.get<{ items: Forum[] }>('/forums').then((f) => {
      replace(forumField.control, f.items.map((x) => h('option', { value: x.code }, x.code)));
      void load();
    });
  else void load();
  forumField.control.addEventListener('change', () => void load());
  const view = h('main', { id: 'main', 'data-view': 'checks' }, h('h1', {}, t('checks.title')),
    h('div', { class: 'filters' }, forumField.wrapper, statesField.wrapper, kindField.wrapper, repeatField.wrapper, start), out, schedules, body);
  (view as HTMLElement & { refresh?: () => void }).refresh = () => void load();
  return view;
}

function summary(r: CheckReport): HTMLElement {
  const s = r.summary;
  return h('dl', { class: 'details check-summary' },
    h('dt', {}, t('checks.rate')), h('dd', { 'data-figure': 'rate' }, `${pct(s.response_rate)} (${s.acknowledged}/${s.people})`),
    h('dt', {}, t('checks.reached')), h('dd', {}, `${s.reached}/${s.people}`),
    h('dt', {}, t('checks.median')), h('dd', { 'data-figure': 'median' }, secs(s.median_seconds)),
    h('dt', {}, t('checks.p90')), h('dd', {}, secs(s.p90_seconds)),
    h('dt', {}, t('checks.states')), h('dd', {}, `${s.states_acknowledged}/${s.states}`));
}

export function checkView(ctx: Ctx, id: number): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const r = await ctx.api.get<CheckReport>(`/checks/${id}`);
      replace(body,
        h('p', { class: 'muted' }, t('checks.meta', { forum: r.forum, when: formatDateTime(r.started_at), who: r.started_by })),
        ledgerBadge(checkRecords(ctx.api, `check:${id}`), `check:${id}`),
        summary(r),
        // The states' answers are acknowledgements (and replies) on the check's communication.
        h('details', { class: 'ledger-answers' }, h('summary', {}, t('ledger.records')),
          ledgerBadge(checkRecords(ctx.api, `communication:${r.communication_id}`), `communication:${r.communication_id}`,
            { pick: (k) => k.row.action === 'communication.acknowledge' || k.row.action === 'communication.answer', sayNone: true })),
        h('p', {}, h('a', { class: 'button', href: `/api/v1/checks/${id}?format=csv`, download: `parley-check-${id}.csv` }, t('checks.csv'))),
        barChart(t('checks.byState'), r.states.map((s) => ({ label: s.state, value: s.median_seconds }))),
        h('table', { class: 'contacts report' },
          h('thead', {}, h('tr', {}, h('th', {}, t('hotline.state')), h('th', {}, t('checks.contact')), h('th', {}, t('checks.reached')),
            h('th', {}, t('checks.acked')))),
          h('tbody', {}, r.states.flatMap((s) => (s.people.length ? s.people : [null]).map((p) => h('tr', {},
            h('th', {}, `${s.name} (${s.state})`),
            h('td', {}, p ? p.username : t('checks.noContact')),
            h('td', {}, p ? (p.reached ? t('checks.yes') : t('checks.no')) : ''),
            h('td', {}, p ? (p.acknowledged ? secs(p.seconds_to_acknowledge) : t('checks.no')) : '')))))));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main', 'data-view': 'check', 'data-id': id },
    h('p', {}, h('a', { href: href({ name: 'checks' }) }, t('checks.back'))), h('h1', {}, t('checks.reportTitle', { id })), body);
  (view as HTMLElement & { refresh?: () => void }).refresh = () => void load();
  return view;
}
