// The work plan in the console, part one: a forum's measures and its states'
// implementation of them. The matrix (states × measures, a coloured cell with a letter
// per state and measure, as of a day, filtered by status, member group or state) with
// its exports (CSV and SVG from the server, PNG drawn here from the SVG); the catalogue
// of measures with their coordinators, and the secretariat's form to add one; a state's
// row over time with the focal point's (or the secretariat's) report form. The server
// decides who reads and writes; the forms follow its can_* answers.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate, formatDateTime } from '../format';
import { localNames } from '../names';
import type { Names } from '../names';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors, forumPlaceholder } from '../ui';

const API = '/workplan';

export const STATUSES = ['not_started', 'in_progress', 'implemented', 'not_applicable'] as const;
export const MATRIX_STATUSES = [...STATUSES, 'not_reported'] as const;
export type Status = (typeof MATRIX_STATUSES)[number];

export interface Measure {
  id: number;
  forum: string;
  code: string;
  title: string;
  description?: string;
  period_from?: string;
  period_to?: string;
  coordinators: string[];
  co_coordinators: string[];
}
interface MeasureList {
  forum: string;
  items: Measure[];
  can_manage?: boolean;
  can_report?: boolean;
}
export interface Cell {
  status: Status;
  as_of?: string;
  report_id?: number;
}
export interface MatrixData {
  forum: string;
  forum_name: string;
  as_of: string;
  measures: { id: number; code: string; title: string; totals: Record<Status, number> }[];
  states: { state: string; name: string; cells: (Cell | null)[] }[];
}
export interface Report {
  id: number;
  state: string;
  status: Status;
  note: string;
  as_of: string;
  evidence: { kind: string; id: number; title: string }[];
  evidence_withheld: number;
  reported_by: string;
  reported_at: string;
}
interface StateRow {
  forum: string;
  state: string;
  name: string;
  measures: (Measure & { status: Status; reports: Report[] })[];
  can_report?: boolean;
}

// The letter a cell shows beside its colour, for readers who do not tell colours apart
// (the same letters as the server's SVG).
export function statusLetter(s: string): string {
  return ({ implemented: 'I', in_progress: 'P', not_started: 'N', not_applicable: '–' } as Record<string, string>)[s] ?? '?';
}

// The matrix's API query from the view's query: only the filters the API knows.
export function matrixQuery(q: Record<string, string>, format?: 'csv' | 'svg'): string {
  return queryString({ forum: q.forum, as_of: q.as_of || undefined, status: q.status || undefined, group: q.group || undefined,
    state: q.state || undefined, measure: q.measure || undefined, format });
}

// "KAZ, UZB" → "KAZ,UZB"; what is not a code is dropped.
export function stateList(text: string): string {
  return text.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter((s) => /^[A-Z]{3}$/.test(s)).join(',');
}

function statusCell(cell: Cell | null, label: string): HTMLElement {
  if (!cell) return h('td', { class: 'wp-cell wp-filtered' });
  const text = tKnown('wpStatus', cell.status);
  const tip = cell.as_of ? t('wp.cellTip', { what: label, status: text, date: formatDate(cell.as_of) }) : `${label}: ${text}`;
  return h('td', { class: `wp-cell wp-${cell.status}`, title: tip, 'data-status': cell.status },
    h('span', { 'aria-hidden': 'true' }, statusLetter(cell.status)), h('span', { class: 'visually-hidden' }, text));
}

function legend(): HTMLElement {
  return h('ul', { class: 'wp-legend' }, MATRIX_STATUSES.map((s) =>
    h('li', {}, h('span', { class: `wp-cell wp-${s}`, 'aria-hidden': 'true' }, statusLetter(s)), ' ', tKnown('wpStatus', s))));
}

// Draws the server's SVG picture onto a canvas, twice its size, and offers it as a PNG.
async function downloadPng(svgUrl: string, filename: string): Promise<void> {
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error(t('wp.pngFailed')));
    img.src = svgUrl;
  });
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth * scale;
  canvas.height = img.naturalHeight * scale;
  const g = canvas.getContext('2d');
  if (!g) throw new Error(t('wp.pngFailed'));
  g.scale(scale, scale);
  g.drawImage(img, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error(t('wp.pngFailed'));
  const a = h('a', { href: URL.createObjectURL(blob), download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

export function workplanView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('wp.title'), (forum) => ctx.go({ name: 'workplan', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const q = { ...query, forum };
  const fields = {
    forum: field(t('wp.forum'), input('text', forum, { maxlength: '16' }), 'forum'),
    as_of: field(t('wp.asOf'), input('date', query.as_of ?? ''), 'as_of'),
    status: field(t('wp.status'), select([['', t('wp.anyStatus')], ...MATRIX_STATUSES.map((s): [string, string] => [s, tKnown('wpStatus', s)])], query.status ?? ''), 'status'),
    group: field(t('wp.group'), select([['', t('wp.allStates')]], query.group ?? ''), 'group'),
    state: field(t('wp.states'), input('text', query.state ?? '', { placeholder: 'KAZ, UZB', maxlength: '400' }), 'state'),
  };
  const filters = h('form', { class: 'filters', role: 'search' }, Object.values(fields).map((f) => f.wrapper),
    h('button', { type: 'submit' }, t('wp.show')));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const next: Record<string, string> = { forum: fields.forum.control.value.trim().toUpperCase() };
    for (const k of ['as_of', 'status', 'group'] as const) if (fields[k].control.value) next[k] = fields[k].control.value;
    const states = stateList(fields.state.control.value);
    if (states) next.state = states;
    ctx.go({ name: 'workplan', query: next });
  });
  const matrix = h('div', { class: 'wp-matrix', 'aria-live': 'polite' }, loading());
  const catalogue = h('section', { class: 'wp-catalogue' });
  const out = h('div', { 'aria-live': 'assertive' });
  const png = h('button', { type: 'button', class: 'small' }, t('wp.exportPng'));
  png.addEventListener('click', async () => {
    out.replaceChildren();
    png.disabled = true;
    try {
      await downloadPng(`/api/v1${API}/matrix${matrixQuery(q, 'svg')}`, `${forum.toLowerCase()}-implementation.png`);
    } catch (err) {
      out.append(problemBox(err));
    } finally {
      png.disabled = false;
    }
  });
  const exports = h('p', { class: 'exports' }, t('wp.export'), ' ',
    h('a', { class: 'button small', href: `/api/v1${API}/matrix${matrixQuery(q, 'csv')}`, download: '' }, 'CSV'), ' ',
    h('a', { class: 'button small', href: `/api/v1${API}/matrix${matrixQuery(q, 'svg')}`, download: '' }, 'SVG'), ' ', png);

  const load = async () => {
    try {
      const [m, list, names] = await Promise.all([
        ctx.api.get<MatrixData>(`${API}/matrix${matrixQuery(q)}`),
        ctx.api.get<MeasureList>(`${API}/measures${queryString({ forum })}`),
        localNames(ctx.api),
      ]);
      replace(matrix, matrixTable(m, names), legend());
      replace(catalogue, catalogueSection(ctx, forum, list, names, () => void load()));
    } catch (err) {
      replace(matrix, problemBox(err));
      catalogue.replaceChildren();
    }
  };
  void ctx.api.get<{ items: { code: string; names?: Record<string, string> }[] }>(`/forums/${encodeURIComponent(forum)}/groups`)
    .then((g) => {
      const control = fields.group.control as HTMLSelectElement;
      for (const x of g.items) control.append(h('option', { value: x.code, selected: x.code === query.group }, x.code));
    })
    .catch(() => undefined);
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('wp.title')), h('p', { class: 'small muted' }, t('wp.intro')),
    h('p', {}, h('a', { href: href({ name: 'plans', query: { forum } }) }, t('plan.title')), ' · ',
      h('a', { href: href({ name: 'meetings', query: { forum } }) }, t('wp.toMeetings')), ' · ',
      h('a', { href: href({ name: 'activities', query: { forum } }) }, t('wp.toActivities')), ' · ',
      h('a', { href: href({ name: 'capacity', query: { forum } }) }, t('act.toCapacity')), ' · ',
      h('a', { href: href({ name: 'review', query: { forum } }) }, t('review.link', { year: new Date().getUTCFullYear() }))),
    filters, exports, out, matrix, catalogue) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function matrixTable(m: MatrixData, names: Names): Child {
  if (!m.measures.length) return h('p', { class: 'empty' }, t('wp.noMeasures'));
  if (!m.states.length) return h('p', { class: 'empty' }, t('wp.noStates'));
  return [
    h('p', { class: 'small' }, t('wp.asOfLine', { forum: names.forum(m.forum), date: formatDate(m.as_of) })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'wp-table' },
      h('caption', { class: 'visually-hidden' }, t('wp.caption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('wp.state')),
        m.measures.map((x) => h('th', { scope: 'col', title: x.title }, x.code)))),
      h('tbody', {}, m.states.map((s) => h('tr', { 'data-state': s.state },
        h('th', { scope: 'row' }, h('a', { href: href({ name: 'implementation', alpha3: s.state, query: { forum: m.forum } }) },
          names.state(s.state, s.name))),
        s.cells.map((c, j) => statusCell(c, `${s.state} · ${m.measures[j].code}`))))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('wp.implementedCount')),
        m.measures.map((x) => h('td', {}, String(x.totals.implemented ?? 0))))))),
  ];
}

function coordinatorsLine(m: Measure, names: Names): string {
  const parts: string[] = [];
  if (m.coordinators.length) parts.push(t('wp.coordinatedBy', { states: m.coordinators.map((s) => names.state(s)).join(', ') }));
  if (m.co_coordinators.length) parts.push(t('wp.coCoordinatedBy', { states: m.co_coordinators.map((s) => names.state(s)).join(', ') }));
  return parts.join('; ');
}

function period(m: Measure): string {
  if (!m.period_from && !m.period_to) return '';
  return `${m.period_from ? formatDate(m.period_from) : '…'} – ${m.period_to ? formatDate(m.period_to) : '…'}`;
}

function catalogueSection(ctx: Ctx, forum: string, list: MeasureList, names: Names, onAdded: () => void): Child {
  return [
    h('h2', {}, t('wp.catalogue')),
    list.items.length
      ? h('ol', { class: 'wp-measures' }, list.items.map((m) => h('li', { 'data-measure': m.code },
        h('strong', {}, m.code), ' ', m.title,
        period(m) && [' ', h('span', { class: 'muted small' }, period(m))],
        coordinatorsLine(m, names) && h('div', { class: 'small' }, coordinatorsLine(m, names)))))
      : h('p', { class: 'empty' }, t('wp.noMeasures')),
    list.can_manage ? measureForm(ctx, forum, onAdded) : '',
  ];
}

function measureForm(ctx: Ctx, forum: string, onAdded: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    code: field(t('wp.code'), input('text', '', { maxlength: '32', placeholder: 'ICT-1' }), 'code'),
    title: field(t('wp.measureTitle'), input('text', '', { maxlength: '300' }), 'title'),
    period_from: field(t('wp.periodFrom'), input('date', ''), 'period_from'),
    period_to: field(t('wp.periodTo'), input('date', ''), 'period_to'),
    coordinators: field(t('wp.coordinators'), input('text', '', { placeholder: 'RUS' }), 'coordinators'),
    co_coordinators: field(t('wp.coCoordinators'), input('text', '', { placeholder: 'CHN' }), 'co_coordinators'),
  };
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('wp.addMeasure'));
  const form = h('form', { class: 'contact-form measure-form', novalidate: true }, h('h3', {}, t('wp.addMeasureTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const body: Record<string, unknown> = { forum, code: fields.code.control.value.trim(), title: fields.title.control.value.trim() };
    for (const k of ['period_from', 'period_to'] as const) if (fields[k].control.value) body[k] = fields[k].control.value;
    for (const k of ['coordinators', 'co_coordinators'] as const) {
      const list = stateList(fields[k].control.value);
      if (list) body[k] = list.split(',');
    }
    submit.disabled = true;
    try {
      await ctx.api.post<Measure>(`${API}/measures`, body);
      ctx.announce(t('wp.measureAdded', { code: String(body.code) }));
      form.reset();
      onAdded();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function reportLine(r: Report): HTMLElement {
  return h('li', { 'data-report': r.id },
    h('span', { class: `wp-cell wp-${r.status}`, 'aria-hidden': 'true' }, statusLetter(r.status)), ' ',
    h('strong', {}, tKnown('wpStatus', r.status)), ' ', t('wp.asOfDate', { date: formatDate(r.as_of) }),
    r.note && h('div', {}, r.note),
    r.evidence.length ? h('div', { class: 'small' }, t('wp.evidence'), ' ',
      r.evidence.map((e, i) => [i ? ', ' : '', h('a', { href: href({ name: 'contribution', id: e.id }) }, e.title)])) : '',
    r.evidence_withheld ? h('div', { class: 'small muted' }, t('wp.evidenceWithheld', { count: r.evidence_withheld })) : '',
    h('div', { class: 'small muted' }, t('wp.reportedBy', { who: r.reported_by || '—', when: formatDateTime(r.reported_at) })));
}

export function implementationView(ctx: Ctx, alpha3: string, query: Record<string, string>): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const title = h('h1', {}, t('wp.rowTitle', { state: alpha3 }));
  const load = async () => {
    try {
      const [row, names] = await Promise.all([
        ctx.api.get<StateRow>(`${API}/implementation${queryString({ forum: query.forum, state: alpha3 })}`), localNames(ctx.api)]);
      replace(title, t('wp.rowTitle', { state: names.state(row.state, row.name) }));
      replace(body,
        h('p', {}, h('a', { href: href({ name: 'workplan', query: { forum: row.forum } }) }, t('wp.backToMatrix', { forum: names.forum(row.forum) }))),
        row.measures.length ? h('ol', { class: 'wp-row' }, row.measures.map((m) => h('li', { 'data-measure': m.code },
          h('h2', {}, h('span', { class: `wp-cell wp-${m.status}`, 'aria-hidden': 'true' }, statusLetter(m.status)), ' ', m.code, ' ', m.title),
          h('p', { class: 'small' }, tKnown('wpStatus', m.status)),
          m.reports.length ? h('ul', { class: 'wp-history' }, m.reports.map(reportLine)) : '',
          row.can_report ? reportForm(ctx, row.state, m, () => void load()) : ''))) : h('p', { class: 'empty' }, t('wp.noMeasures')));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, title, body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function reportForm(ctx: Ctx, state: string, m: Measure, onDone: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    status: field(t('wp.status'), select(STATUSES.map((s): [string, string] => [s, tKnown('wpStatus', s)]), 'in_progress'), 'status'),
    as_of: field(t('wp.asOf'), input('date', new Date().toISOString().slice(0, 10)), 'as_of'),
    note: field(t('wp.note'), h('textarea', { rows: 2, maxlength: 5000 }), 'note'),
    evidence: field(t('wp.evidenceIds'), input('text', '', { placeholder: '12, 31' }), 'evidence'),
  };
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('wp.report'));
  const form = h('details', { class: 'report-form' }, h('summary', {}, t('wp.reportOn', { code: m.code })),
    h('form', { class: 'contact-form', novalidate: true }, Object.values(fields).map((f) => f.wrapper), submit, out));
  form.querySelector('form')?.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const ids = fields.evidence.control.value.split(/[\s,;]+/).filter(Boolean);
    if (ids.some((x) => !/^\d{1,15}$/.test(x))) return fields.evidence.setError(t('wp.badEvidence'));
    const body: Record<string, unknown> = { state, status: fields.status.control.value, as_of: fields.as_of.control.value || undefined,
      note: fields.note.control.value.trim(), evidence: ids.map((id) => ({ kind: 'contribution', id: Number(id) })) };
    submit.disabled = true;
    try {
      await ctx.api.post<Report>(`${API}/measures/${m.id}/reports`, body);
      ctx.announce(t('wp.reported', { code: m.code }));
      onDone();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
