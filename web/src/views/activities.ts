// The work plan's activities in the console: the forum's activities by status, the form
// to propose one; an activity's page with the forum's rule checked against its co-leads
// (and why it fails), its approval path stage by stage (decided at a meeting, or by a
// silence procedure with its countdown and the button to break it), and the actions the
// server allows the reader (edit, submit, decide, start a silence procedure, schedule,
// record held, report); and capacity building's needs and offers, posted by states and
// matched by the secretariat.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate, formatDateTime } from '../format';
import { localNames } from '../names';
import type { Names } from '../names';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { field, input, loading, problemBox, runForm, select, showFieldErrors, simpleForm, forumPlaceholder } from '../ui';
import { stateList } from './workplan';
import type { MeetingSummary } from './meetings';

const API = '/workplan';
export const KINDS = ['workshop', 'seminar', 'training', 'table_top_exercise', 'study'] as const;
export const OUTCOMES = ['approved', 'returned', 'not_approved', 'taken_note'] as const;

interface BodyRef {
  id: number;
  code?: string;
  name?: string;
}
interface Silence {
  status: 'running' | 'broken' | 'held';
  deadline: string;
  remaining_seconds: number;
  broken?: { state: string; reason: string; at: string };
}
export interface StageView {
  position: number;
  body: BodyRef;
  outcome: string;
  comments: string;
  decided_at: string | null;
  meeting: { id: number; title: string; starts_on: string } | null;
  silence: Silence | null;
}
export interface ActivityView {
  id: number;
  forum: string;
  kind: string;
  title: string;
  objectives: string;
  starts_on: string;
  ends_on: string;
  venue: string;
  online: boolean;
  expected_participants: string;
  budget_note: string;
  concept_paper: { id: number | null; title?: string; withheld?: boolean } | null;
  status: string;
  stage: number;
  co_leads: string[];
  rules: { ok: boolean; problems: string[] };
  path: BodyRef[];
  stages: StageView[];
  report: { summary: string; outcomes: string; participants: { state: string; participants: number }[] } | null;
  can_edit?: boolean;
  can_submit?: boolean;
  can_decide?: boolean;
  can_break_silence?: boolean;
  can_schedule?: boolean;
  can_report?: boolean;
}
interface ActivitySummary {
  id: number;
  title: string;
  kind: string;
  status: string;
  co_leads: string[];
  starts_on: string;
}

// Where each body of the path stands for this activity: decided (with its outcome), now
// deciding, or still to come.
export function pathProgress(a: Pick<ActivityView, 'path' | 'stages' | 'stage' | 'status'>): { body: BodyRef; state: string }[] {
  return a.path.map((body, i) => {
    const last = [...a.stages].reverse().find((s) => s.position === i);
    if (last && last.outcome) return { body, state: last.outcome };
    if (a.status === 'in_approval' && a.stage === i) return { body, state: 'deciding' };
    return { body, state: 'to_come' };
  });
}

// "Name; count" lines → the report's participants by state; what is not one is reported.
export function parseParticipants(text: string): { list: { state: string; participants: number }[]; bad: number[] } {
  const list: { state: string; participants: number }[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^\s*([A-Za-z]{3})\s*[;:,\s]\s*(\d{1,6})\s*$/.exec(line);
    if (m) list.push({ state: m[1].toUpperCase(), participants: Number(m[2]) });
    else bad.push(i + 1);
  });
  return { list, bad };
}

export function activitiesView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('act.title'), (forum) => ctx.go({ name: 'activities', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [list, names] = await Promise.all([
        ctx.api.get<{ items: ActivitySummary[]; can_propose?: boolean }>(`${API}/activities${queryString({ forum })}`), localNames(ctx.api)]);
      replace(body,
        list.items.length ? h('table', { class: 'contacts activities' },
          h('thead', {}, h('tr', {}, h('th', {}, t('act.col.activity')), h('th', {}, t('act.col.coLeads')), h('th', {}, t('act.col.status')))),
          h('tbody', {}, list.items.map((a) => h('tr', { 'data-activity': a.id },
            h('th', {}, h('a', { href: href({ name: 'activity', id: a.id }) }, a.title), ' ', h('span', { class: 'muted small' }, tKnown('actKind', a.kind))),
            h('td', {}, a.co_leads.map((s) => names.state(s)).join(', ')),
            h('td', { 'data-status': a.status }, tKnown('actStatus', a.status))))))
          : h('p', { class: 'empty' }, t('act.none')),
        list.can_propose ? proposeForm(ctx, forum) : '');
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('act.title')),
    h('p', {}, h('a', { href: href({ name: 'capacity', query: { forum } }) }, t('act.toCapacity')), ' · ',
      h('a', { href: href({ name: 'meetings', query: { forum } }) }, t('wp.toMeetings'))), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function activityFields(a?: ActivityView): Record<string, Field> {
  return {
    kind: field(t('act.kind'), select(KINDS.map((k): [string, string] => [k, tKnown('actKind', k)]), a?.kind ?? 'workshop'), 'kind'),
    title: field(t('act.activityTitle'), input('text', a?.title ?? '', { maxlength: '300' }), 'title'),
    objectives: field(t('act.objectives'), h('textarea', { rows: 3, maxlength: 10000 }), 'objectives'),
    co_leads: field(t('act.coLeads'), input('text', a?.co_leads.join(', ') ?? '', { placeholder: 'AUS, SGP' }), 'co_leads'),
    venue: field(t('act.venue'), input('text', a?.venue ?? '', { maxlength: '300' }), 'venue'),
    expected_participants: field(t('act.expected'), input('text', a?.expected_participants ?? '', { maxlength: '2000' }), 'expected_participants'),
    budget_note: field(t('act.budget'), input('text', a?.budget_note ?? '', { maxlength: '2000' }), 'budget_note'),
    concept_paper: field(t('act.conceptPaper'), input('text', a?.concept_paper?.id ? String(a.concept_paper.id) : '', { inputmode: 'numeric', placeholder: '42' }), 'concept_paper'),
  };
}

function activityPayload(fields: Record<string, Field>): Record<string, unknown> {
  const v = (k: string) => fields[k].control.value.trim();
  const body: Record<string, unknown> = { kind: v('kind'), title: v('title'), co_leads: stateList(v('co_leads')).split(',').filter(Boolean) };
  for (const k of ['objectives', 'venue', 'expected_participants', 'budget_note']) body[k] = v(k);
  body.concept_paper = /^\d{1,15}$/.test(v('concept_paper')) ? Number(v('concept_paper')) : null;
  return body;
}

function proposeForm(ctx: Ctx, forum: string): HTMLElement {
  const fields = activityFields();
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('act.propose'));
  const form = h('form', { class: 'contact-form activity-form', novalidate: true }, h('h2', {}, t('act.proposeTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    submit.disabled = true;
    try {
      const a = await ctx.api.post<ActivityView>(`${API}/activities`, { forum, ...activityPayload(fields) });
      ctx.announce(t('act.proposed'));
      ctx.go({ name: 'activity', id: a.id });
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function activityView(ctx: Ctx, id: number): HTMLElement {
  const title = h('h1', {}, t('act.title'));
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const out = h('div', { 'aria-live': 'assertive' });
  const load = async () => {
    try {
      const [a, names] = await Promise.all([ctx.api.get<ActivityView>(`${API}/activities/${id}`), localNames(ctx.api)]);
      replace(title, a.title);
      const meetings = a.can_decide
        ? (await ctx.api.get<{ items: MeetingSummary[] }>(`${API}/meetings${queryString({ forum: a.forum, body: a.stages.at(-1)?.body.id })}`)).items
        : [];
      replace(body, activityPage(ctx, a, names, meetings, out, () => void load()));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, title, out, body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function activityPage(ctx: Ctx, a: ActivityView, names: Names, meetings: MeetingSummary[], out: HTMLElement, reload: () => void): Child {
  const path = h('ol', { class: 'approval-path' }, pathProgress(a).map((p) =>
    h('li', { 'data-body': p.body.code ?? '', 'data-state': p.state }, h('strong', {}, p.body.code ?? ''), ' ', p.body.name ?? '', ': ',
      tKnown('stageState', p.state))));
  const stages = a.stages.length ? h('ul', { class: 'stages' }, a.stages.map((s) => h('li', {},
    h('strong', {}, s.body.code ?? ''), ' — ', s.outcome ? tKnown('outcome', s.outcome) : t('act.undecided'),
    s.meeting ? [' · ', h('a', { href: href({ name: 'meeting', id: s.meeting.id }) }, s.meeting.title), ` (${formatDate(s.meeting.starts_on)})`] : '',
    s.silence ? [' · ', t('act.silence', { status: tKnown('neg.silence', s.silence.status), deadline: formatDateTime(s.silence.deadline) }),
      s.silence.broken ? [' ', t('act.brokenBy', { state: names.state(s.silence.broken.state), reason: s.silence.broken.reason })] : ''] : '',
    s.comments ? h('div', { class: 'small' }, s.comments) : ''))) : '';
  const rules = a.status === 'draft' || a.status === 'returned'
    ? h('div', { class: a.rules.ok ? 'rules-ok' : 'problem', role: a.rules.ok ? null : 'status' },
      a.rules.ok ? t('act.rulesOk') : [h('strong', {}, t('act.rulesFail')), h('ul', {}, a.rules.problems.map((p) => h('li', {}, p)))])
    : '';
  const actions: Child[] = [];
  const post = (path: string, body: unknown = {}) => ctx.api.post(`${API}/activities/${a.id}${path}`, body);
  if (a.can_submit) {
    const b = h('button', { type: 'button', class: 'primary' }, t('act.submit'));
    b.addEventListener('click', () => void runForm(ctx, out, {}, () => post('/submit'), reload));
    actions.push(b);
  }
  if (a.can_break_silence) {
    const reason = field(t('act.breakReason'), input('text', '', { maxlength: '2000' }), 'reason');
    actions.push(simpleForm('break-form', t('act.breakTitle'), { reason }, t('act.break'),
      (o) => void runForm(ctx, o, { reason }, () => post('/silence/break', { reason: reason.control.value.trim() }), reload)));
  }
  if (a.can_decide) {
    const f = {
      meeting: field(t('act.meeting'), select(meetings.map((m): [string, string] => [String(m.id), `${m.title} (${formatDate(m.starts_on)})`]), meetings[0] ? String(meetings[0].id) : ''), 'meeting'),
      outcome: field(t('mtg.outcome'), select(OUTCOMES.map((o): [string, string] => [o, tKnown('outcome', o)]), 'approved'), 'outcome'),
      comments: field(t('act.comments'), h('textarea', { rows: 2, maxlength: 5000 }), 'comments'),
    };
    actions.push(simpleForm('decide-form', t('act.decideTitle'), f, t('act.decide'), (o) => void runForm(ctx, o, f, () => post('/decisions',
      { meeting: Number(f.meeting.control.value), outcome: f.outcome.control.value, comments: f.comments.control.value.trim() }), reload)));
    const deadline = field(t('act.deadline'), input('datetime-local', ''), 'deadline');
    actions.push(simpleForm('silence-form', t('act.silenceTitle'), { deadline }, t('act.startSilence'), (o) => void runForm(ctx, o, { deadline },
      () => post('/silence', { deadline: deadline.control.value ? new Date(deadline.control.value).toISOString() : '' }), reload)));
  }
  if (a.can_schedule) {
    const f = {
      starts_on: field(t('mtg.startsOn'), input('date', a.starts_on), 'starts_on'),
      ends_on: field(t('mtg.endsOn'), input('date', a.ends_on), 'ends_on'),
      venue: field(t('act.venue'), input('text', a.venue, { maxlength: '300' }), 'venue'),
    };
    actions.push(simpleForm('schedule-form', t('act.scheduleTitle'), f, t('act.schedule'), (o) => void runForm(ctx, o, f, () => post('/schedule',
      { starts_on: f.starts_on.control.value, ...(f.ends_on.control.value ? { ends_on: f.ends_on.control.value } : {}), venue: f.venue.control.value.trim() }), reload)));
  }
  if (a.can_report && a.status === 'scheduled') {
    const b = h('button', { type: 'button' }, t('act.markHeld'));
    b.addEventListener('click', () => void runForm(ctx, out, {}, () => post('/held'), reload));
    actions.push(b);
  }
  if (a.can_report && a.status === 'held') {
    const f = {
      summary: field(t('act.summary'), h('textarea', { rows: 3, maxlength: 20000 }), 'summary'),
      outcomes: field(t('act.outcomes'), h('textarea', { rows: 2, maxlength: 20000 }), 'outcomes'),
      participants: field(t('act.participants'), h('textarea', { rows: 3, placeholder: 'AUS; 6\nSGP; 5' }), 'participants'),
    };
    actions.push(simpleForm('report-form', t('act.reportTitle'), f, t('act.report'), (o) => {
      const p = parseParticipants(f.participants.control.value);
      if (p.bad.length) return f.participants.setError(t('act.badParticipants', { lines: p.bad.join(', ') }));
      void runForm(ctx, o, f, () => post('/report', { summary: f.summary.control.value.trim(), outcomes: f.outcomes.control.value.trim(), participants: p.list }), reload);
    }));
  }
  if (a.can_edit) {
    const fields = activityFields(a);
    fields.objectives.control.value = a.objectives;
    actions.push(h('details', { class: 'edit-activity' }, h('summary', {}, t('act.edit')),
      simpleForm('activity-edit', t('act.edit'), fields, t('act.save'), (o) => void runForm(ctx, o, fields,
        () => ctx.api.patch(`${API}/activities/${a.id}`, activityPayload(fields)), reload))));
  }
  return [
    h('p', {}, h('a', { href: href({ name: 'activities', query: { forum: a.forum } }) }, t('act.back'))),
    h('dl', { class: 'activity-facts' },
      h('dt', {}, t('act.col.status')), h('dd', { 'data-status': a.status }, tKnown('actStatus', a.status)),
      h('dt', {}, t('act.kind')), h('dd', {}, tKnown('actKind', a.kind)),
      h('dt', {}, t('act.coLeads')), h('dd', {}, a.co_leads.map((s) => names.state(s)).join(', ')),
      a.objectives ? [h('dt', {}, t('act.objectives')), h('dd', {}, a.objectives)] : '',
      a.starts_on ? [h('dt', {}, t('mtg.col.days')), h('dd', {}, formatDate(a.starts_on), a.ends_on && a.ends_on !== a.starts_on ? ` – ${formatDate(a.ends_on)}` : '')] : '',
      a.venue ? [h('dt', {}, t('act.venue')), h('dd', {}, a.venue)] : '',
      h('dt', {}, t('act.conceptPaper')), h('dd', {}, !a.concept_paper ? t('common.none')
        : a.concept_paper.withheld ? t('mtg.withheld') : h('a', { href: href({ name: 'contribution', id: a.concept_paper.id ?? 0 }) }, a.concept_paper.title ?? ''))),
    rules,
    h('h2', {}, t('act.path')), a.path.length ? path : h('p', { class: 'empty' }, t('act.noPath')), stages,
    a.report ? [h('h2', {}, t('act.reportHeading')), h('p', {}, a.report.summary), a.report.outcomes ? h('p', {}, a.report.outcomes) : '',
      h('ul', { class: 'participants' }, a.report.participants.map((p) => h('li', {}, `${names.state(p.state)}: ${p.participants}`)))] : '',
    actions.length ? h('div', { class: 'activity-actions' }, actions) : '',
  ];
}

interface CapacityView {
  id: number;
  state: string;
  kind: 'need' | 'offer';
  title: string;
  description: string;
  language: string;
  status: string;
  activity: number | null;
}

export function capacityView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  const forum = (query.forum ?? '').toUpperCase();
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    if (!forum) return replace(body, h('p', {}, t('wp.chooseForum')));
    try {
      const [list, names] = await Promise.all([
        ctx.api.get<{ items: CapacityView[]; can_post?: boolean; can_match?: boolean }>(`${API}/capacity${queryString({ forum })}`), localNames(ctx.api)]);
      const column = (kind: 'need' | 'offer') => h('section', { class: `capacity-${kind}` }, h('h2', {}, t(kind === 'need' ? 'cap.needs' : 'cap.offers')),
        h('ul', {}, list.items.filter((e) => e.kind === kind).map((e) => h('li', { 'data-entry': e.id },
          h('input', { type: 'radio', name: kind, value: String(e.id), disabled: e.status !== 'open' || !list.can_match, 'aria-label': e.title }), ' ',
          h('strong', {}, names.state(e.state)), ': ', e.title, e.language ? ` (${e.language})` : '', ' — ', tKnown('capStatus', e.status),
          e.activity ? [' · ', h('a', { href: href({ name: 'activity', id: e.activity }) }, t('cap.activity'))] : ''))));
      const match = list.can_match ? (() => {
        const b = h('button', { type: 'button', class: 'primary' }, t('cap.match'));
        const out = h('div', { 'aria-live': 'assertive' });
        b.addEventListener('click', async () => {
          out.replaceChildren();
          const need = body.querySelector<HTMLInputElement>('input[name="need"]:checked')?.value;
          const offer = body.querySelector<HTMLInputElement>('input[name="offer"]:checked')?.value;
          if (!need || !offer) return out.append(h('p', { class: 'field-error' }, t('cap.choose')));
          try {
            const a = await ctx.api.post<{ id: number }>(`${API}/capacity/match`, { need: Number(need), offer: Number(offer) });
            ctx.go({ name: 'activity', id: a.id });
          } catch (err) {
            out.append(problemBox(err));
          }
        });
        return h('p', {}, b, out);
      })() : '';
      replace(body, h('div', { class: 'capacity' }, column('need'), column('offer')), match, list.can_post ? postForm(ctx, forum, () => void load()) : '');
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('cap.title')), h('p', { class: 'small muted' }, t('cap.intro')), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function postForm(ctx: Ctx, forum: string, done: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    kind: field(t('cap.kind'), select([['need', t('cap.need')], ['offer', t('cap.offer')]], 'need'), 'kind'),
    title: field(t('act.activityTitle'), input('text', '', { maxlength: '300' }), 'title'),
    description: field(t('cap.description'), h('textarea', { rows: 3, maxlength: 10000 }), 'description'),
    language: field(t('cap.language'), input('text', '', { maxlength: '35', placeholder: 'ru' }), 'language'),
  };
  return simpleForm('capacity-form', t('cap.postTitle'), fields, t('cap.post'), (out) => void runForm(ctx, out, fields, () => ctx.api.post(`${API}/capacity`, {
    forum, kind: fields.kind.control.value, title: fields.title.control.value.trim(), description: fields.description.control.value.trim(),
    ...(fields.language.control.value.trim() ? { language: fields.language.control.value.trim() } : {}),
  }), done));
}
