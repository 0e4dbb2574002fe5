// The work plan's bodies and meetings in the console: the forum's meetings, upcoming and
// past, by body; the secretariat's forms to plan a meeting; a meeting's page with its
// agenda (what each item cites, when the reader may read it), the delegations and the
// focal point's registration form, the documents, the decisions and the participants;
// for the secretariat, convening (the note verbale goes out on the hotline), recording a
// decision and recording that the meeting was held. The server decides who may do what.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate } from '../format';
import { localNames } from '../names';
import type { Names } from '../names';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors, forumPlaceholder } from '../ui';

const API = '/workplan';

export interface Body {
  id: number;
  forum: string;
  code: string;
  name: string;
  chairs: string[];
}
export interface Cites {
  kind: 'negotiation' | 'measure' | 'contribution';
  id?: number;
  title?: string;
  symbol?: string;
  code?: string;
  withheld?: boolean;
}
export interface MeetingSummary {
  id: number;
  forum: string;
  body: number;
  body_code?: string;
  body_name?: string;
  title: string;
  starts_on: string;
  ends_on: string;
  start_time: string;
  time_zone: string;
  place: string;
  online_url: string;
  registration_deadline: string;
  status: 'planned' | 'convened' | 'held' | 'cancelled';
  note_number: string;
}
interface Delegation {
  state: string;
  name: string;
  members: { id: number; name: string; function: string; head: boolean; attended?: boolean }[];
}
export interface Meeting extends MeetingSummary {
  agenda: { id: number; title: string; cites: Cites | null }[];
  delegations: Delegation[];
  participants: { state: string; name: string; function: string }[];
  documents: (Cites & { label: string })[];
  decisions: { id: number; agenda_item: number | null; wording: string; acts_on: Cites | null; outcome: string }[];
  can_manage?: boolean;
  can_register?: boolean;
}

// "10–11 January 2027" style: the first and last day, once when they are the same.
export function meetingDays(m: Pick<MeetingSummary, 'starts_on' | 'ends_on'>): string {
  if (!m.ends_on || m.ends_on === m.starts_on) return formatDate(m.starts_on);
  return `${formatDate(m.starts_on)} – ${formatDate(m.ends_on)}`;
}

// Meetings split into those still to come (by first day) and those past (latest first),
// as of `today` (YYYY-MM-DD).
export function splitByDate<T extends Pick<MeetingSummary, 'starts_on' | 'ends_on'>>(items: readonly T[], today: string) {
  const upcoming = items.filter((m) => (m.ends_on || m.starts_on) >= today).sort((a, b) => a.starts_on.localeCompare(b.starts_on));
  const past = items.filter((m) => (m.ends_on || m.starts_on) < today).sort((a, b) => b.starts_on.localeCompare(a.starts_on));
  return { upcoming, past };
}

function citesLine(c: Cites | null): Child {
  if (!c) return '';
  if (c.withheld) return h('span', { class: 'muted small' }, t('mtg.withheld'));
  const label = c.kind === 'negotiation' ? `${c.symbol ?? ''} ${c.title ?? ''}` : c.kind === 'measure' ? `${c.code ?? ''} ${c.title ?? ''}` : c.title ?? '';
  const to = c.kind === 'negotiation' && c.id ? href({ name: 'negotiation', id: c.id })
    : c.kind === 'contribution' && c.id ? href({ name: 'contribution', id: c.id }) : null;
  return h('span', { class: 'small' }, tKnown('mtgCites', c.kind), ': ', to ? h('a', { href: to }, label.trim()) : label.trim());
}

export function meetingsView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('mtg.title'), (forum) => ctx.go({ name: 'meetings', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [bodies, list, names] = await Promise.all([
        ctx.api.get<{ items: Body[]; can_manage?: boolean }>(`${API}/bodies${queryString({ forum })}`),
        ctx.api.get<{ items: MeetingSummary[]; can_manage?: boolean }>(`${API}/meetings${queryString({ forum })}`),
        localNames(ctx.api),
      ]);
      const { upcoming, past } = splitByDate(list.items, new Date().toISOString().slice(0, 10));
      const table = (items: MeetingSummary[]) => items.length
        ? h('table', { class: 'contacts meetings' },
          h('thead', {}, h('tr', {}, h('th', {}, t('mtg.col.meeting')), h('th', {}, t('mtg.col.days')), h('th', {}, t('mtg.col.where')), h('th', {}, t('mtg.col.status')))),
          h('tbody', {}, items.map((m) => h('tr', { 'data-meeting': m.id },
            h('th', {}, h('a', { href: href({ name: 'meeting', id: m.id }) }, `${m.body_code ?? ''} · ${m.title}`)),
            h('td', {}, meetingDays(m)), h('td', {}, m.place || t('mtg.online')),
            h('td', {}, tKnown('mtgStatus', m.status))))))
        : h('p', { class: 'empty' }, t('mtg.none'));
      replace(body,
        h('h2', {}, t('mtg.upcoming')), table(upcoming),
        h('h2', {}, t('mtg.past')), table(past),
        h('h2', {}, t('mtg.bodies')),
        bodies.items.length ? h('ul', { class: 'bodies' }, bodies.items.map((b) => h('li', { 'data-body': b.code },
          h('strong', {}, b.code), ' ', b.name, b.chairs.length ? [' — ', t('mtg.chairs', { states: b.chairs.map((s) => names.state(s)).join(', ') })] : '')))
          : h('p', { class: 'empty' }, t('mtg.noBodies')),
        calendarSection(ctx, forum),
        list.can_manage && bodies.items.length ? meetingForm(ctx, bodies.items) : '');
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('mtg.title')),
    h('p', {}, h('a', { href: href({ name: 'workplan', query: { forum } }) }, t('mtg.toMatrix'))), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function meetingForm(ctx: Ctx, bodies: Body[]): HTMLElement {
  const fields: Record<string, Field> = {
    body: field(t('mtg.body'), select(bodies.map((b): [string, string] => [String(b.id), `${b.code} · ${b.name}`]), String(bodies[0].id)), 'body'),
    title: field(t('mtg.meetingTitle'), input('text', '', { maxlength: '300', placeholder: t('mtg.titleHint') }), 'title'),
    starts_on: field(t('mtg.startsOn'), input('date', ''), 'starts_on'),
    ends_on: field(t('mtg.endsOn'), input('date', ''), 'ends_on'),
    time_zone: field(t('mtg.timeZone'), input('text', '', { placeholder: 'Asia/Almaty', maxlength: '64' }), 'time_zone'),
    place: field(t('mtg.place'), input('text', '', { maxlength: '300' }), 'place'),
    online_url: field(t('mtg.onlineUrl'), input('url', '', { maxlength: '500', placeholder: 'https://' }), 'online_url'),
    registration_deadline: field(t('mtg.registrationDeadline'), input('date', ''), 'registration_deadline'),
    agenda: field(t('mtg.agenda'), h('textarea', { rows: 4, placeholder: t('mtg.agendaHint') }), 'agenda'),
  };
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('mtg.plan'));
  const form = h('form', { class: 'contact-form meeting-form', novalidate: true }, h('h2', {}, t('mtg.planTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const value = (k: string) => fields[k].control.value.trim();
    const payload: Record<string, unknown> = { body: Number(value('body')), title: value('title'), starts_on: value('starts_on') };
    for (const k of ['ends_on', 'time_zone', 'place', 'online_url', 'registration_deadline']) if (value(k)) payload[k] = value(k);
    payload.agenda = value('agenda').split('\n').map((s) => s.trim()).filter(Boolean).map((title) => ({ title }));
    submit.disabled = true;
    try {
      const m = await ctx.api.post<Meeting>(`${API}/meetings`, payload);
      ctx.announce(t('mtg.planned', { title: m.title }));
      ctx.go({ name: 'meeting', id: m.id });
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function meetingView(ctx: Ctx, id: number): HTMLElement {
  const title = h('h1', {}, t('mtg.title'));
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const out = h('div', { 'aria-live': 'assertive' });
  const load = async () => {
    try {
      const [m, names] = await Promise.all([ctx.api.get<Meeting>(`${API}/meetings/${id}`), localNames(ctx.api)]);
      replace(title, `${m.body_name ?? m.body_code ?? ''}: ${m.title}`);
      replace(body, meetingPage(ctx, m, names, out, () => void load()));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, title, out, body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function action(ctx: Ctx, label: string, path: string, out: HTMLElement, done: () => void, confirmText?: string): HTMLElement {
  const b = h('button', { type: 'button' }, label);
  b.addEventListener('click', async () => {
    if (confirmText && !window.confirm(confirmText)) return;
    out.replaceChildren();
    b.disabled = true;
    try {
      await ctx.api.post(path, {});
      ctx.announce(t('mtg.done'));
      done();
    } catch (err) {
      out.append(problemBox(err));
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

function meetingPage(ctx: Ctx, m: Meeting, names: Names, out: HTMLElement, reload: () => void): Child {
  const facts = h('dl', { class: 'meeting-facts' },
    h('dt', {}, t('mtg.col.days')), h('dd', {}, meetingDays(m), m.start_time ? `, ${m.start_time}` : '', ` (${m.time_zone})`),
    h('dt', {}, t('mtg.col.where')), h('dd', {}, m.place || t('mtg.online'),
      m.online_url ? [' · ', h('a', { href: m.online_url, rel: 'noopener noreferrer', target: '_blank' }, t('mtg.link'))] : ''),
    m.registration_deadline ? [h('dt', {}, t('mtg.registrationDeadline')), h('dd', {}, formatDate(m.registration_deadline))] : '',
    h('dt', {}, t('mtg.col.status')), h('dd', { 'data-status': m.status }, tKnown('mtgStatus', m.status),
      m.note_number ? [' · ', t('mtg.convenedBy', { number: m.note_number })] : ''));
  const ics = h('p', {}, h('a', { class: 'button small', href: `/api/v1${API}/meetings/${m.id}/invitation.ics`, download: 'invitation.ics' }, t('mtg.addToCalendar')));
  const manage = m.can_manage ? h('p', { class: 'actions' },
    m.status === 'planned' ? action(ctx, t('mtg.convene'), `${API}/meetings/${m.id}/convene`, out, reload, t('mtg.confirmConvene')) : '', ' ',
    m.status === 'planned' || m.status === 'convened' ? action(ctx, t('mtg.markHeld'), `${API}/meetings/${m.id}/held`, out, reload) : '', ' ',
    m.status === 'planned' || m.status === 'convened' ? action(ctx, t('mtg.cancel'), `${API}/meetings/${m.id}/cancel`, out, reload, t('mtg.confirmCancel')) : '') : '';
  const agenda = h('ol', { class: 'agenda' }, m.agenda.map((a) => h('li', { 'data-item': a.id }, a.title, a.cites ? [' ', citesLine(a.cites)] : '')));
  const delegations = m.delegations.length
    ? h('ul', { class: 'delegations' }, m.delegations.map((d) => h('li', { 'data-state': d.state },
      h('strong', {}, names.state(d.state, d.name)), ': ',
      d.members.map((x, i) => [i ? '; ' : '', x.name, x.function ? ` (${x.function})` : '', x.head ? [' ', h('span', { class: 'badge' }, t('mtg.head'))] : '']))))
    : h('p', { class: 'empty' }, t('mtg.noDelegations'));
  const participants = m.status === 'held'
    ? [h('h2', {}, t('mtg.participants')), m.participants.length
      ? h('ul', { class: 'participants' }, m.participants.map((p) => h('li', {}, `${p.name}${p.function ? ` (${p.function})` : ''} — ${names.state(p.state)}`)))
      : h('p', { class: 'empty' }, t('mtg.noParticipants'))]
    : '';
  const decisions = m.decisions.length
    ? h('ol', { class: 'decisions' }, m.decisions.map((d) => h('li', { 'data-decision': d.id }, h('blockquote', {}, d.wording),
      d.acts_on ? citesLine(d.acts_on) : '', d.outcome ? [' · ', h('strong', {}, tKnown('outcome', d.outcome))] : '')))
    : h('p', { class: 'empty' }, t('mtg.noDecisions'));
  const documents = m.documents.length
    ? h('ul', {}, m.documents.map((d) => h('li', {}, d.label ? `${d.label}: ` : '', d.id ? h('a', { href: href({ name: 'contribution', id: d.id }) }, d.title ?? '') : '')))
    : h('p', { class: 'empty' }, t('mtg.noDocuments'));
  return [
    h('p', {}, h('a', { href: href({ name: 'meetings', query: { forum: m.forum } }) }, t('mtg.back', { forum: names.forum(m.forum) }))),
    facts, ics, manage,
    h('h2', {}, t('mtg.agenda')), agenda,
    h('h2', {}, t('mtg.delegations')), delegations,
    m.can_register && ctx.user.state ? delegationForm(ctx, m, ctx.user.state, names.state(ctx.user.state), reload) : '',
    participants,
    h('h2', {}, t('mtg.documents')), documents,
    h('h2', {}, t('mtg.decisions')), decisions,
    m.can_manage && m.status !== 'cancelled' ? decisionForm(ctx, m, reload) : '',
  ];
}

// One line per member: "Name; function; head" — the third part marks the head.
export function parseDelegation(text: string): { name: string; function?: string; head?: boolean }[] {
  return text.split('\n').map((l) => l.split(';').map((s) => s.trim())).filter((p) => p[0])
    .map(([name, fn, head]) => ({ name, ...(fn ? { function: fn } : {}), ...(head ? { head: true } : {}) }));
}

function delegationForm(ctx: Ctx, m: Meeting, state: string, stateName: string, reload: () => void): HTMLElement {
  const current = m.delegations.find((d) => d.state === state)?.members ?? [];
  const text = current.map((x) => [x.name, x.function, x.head ? t('mtg.head') : ''].filter((s, i) => s || i === 0).join('; ')).join('\n');
  const members = field(t('mtg.members'), h('textarea', { rows: 4, placeholder: t('mtg.membersHint') }), 'members');
  members.control.value = text;
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('mtg.register'));
  const form = h('form', { class: 'contact-form delegation-form', novalidate: true }, h('h3', {}, t('mtg.registerTitle', { state: stateName })),
    members.wrapper, submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    members.setError(undefined);
    submit.disabled = true;
    try {
      await ctx.api.put(`${API}/meetings/${m.id}/delegations/${state}`, { members: parseDelegation(members.control.value) });
      ctx.announce(t('mtg.registered'));
      reload();
    } catch (err) {
      if (!showFieldErrors({ members }, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function decisionForm(ctx: Ctx, m: Meeting, reload: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    wording: field(t('mtg.wording'), h('textarea', { rows: 3, maxlength: 5000 }), 'wording'),
    agenda_item: field(t('mtg.agendaItem'), select([['', t('common.none')], ...m.agenda.map((a, i): [string, string] => [String(a.id), `${i + 1}. ${a.title}`])], ''), 'agenda_item'),
    outcome: field(t('mtg.outcome'), select([['', t('common.none')], ...['approved', 'returned', 'not_approved', 'taken_note'].map((o): [string, string] => [o, tKnown('outcome', o)])], ''), 'outcome'),
  };
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('mtg.record'));
  const form = h('form', { class: 'contact-form decision-form', novalidate: true }, h('h3', {}, t('mtg.recordTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const payload: Record<string, unknown> = { wording: fields.wording.control.value.trim() };
    const item = m.agenda.find((a) => String(a.id) === fields.agenda_item.control.value);
    if (item) {
      payload.agenda_item = item.id;
      if (item.cites && item.cites.id) payload.acts_on = { kind: item.cites.kind, id: item.cites.id };
    }
    if (fields.outcome.control.value) payload.outcome = fields.outcome.control.value;
    submit.disabled = true;
    try {
      await ctx.api.post(`${API}/meetings/${m.id}/decisions`, payload);
      ctx.announce(t('mtg.recorded'));
      reload();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

interface Feed {
  id: number;
  forum: string | null;
  created_at: string;
  revoked_at: string | null;
  path?: string;
}

// The reader's calendar feeds: create one (its own, or this forum's), see the secret
// address once, revoke one.
function calendarSection(ctx: Ctx, forum: string): HTMLElement {
  const list = h('ul', { class: 'feeds' });
  const shown = h('div', { 'aria-live': 'polite' });
  const out = h('div', { 'aria-live': 'assertive' });
  const load = async () => {
    try {
      const feeds = (await ctx.api.get<{ items: Feed[] }>(`${API}/calendar-feeds`)).items.filter((f) => !f.revoked_at);
      replace(list, feeds.map((f) => {
        const revoke = h('button', { type: 'button', class: 'link' }, t('cal.revoke'));
        revoke.addEventListener('click', async () => {
          try {
            await ctx.api.delete(`${API}/calendar-feeds/${f.id}`);
            ctx.announce(t('cal.revoked'));
            void load();
          } catch (err) {
            out.append(problemBox(err));
          }
        });
        return h('li', { 'data-feed': f.id }, f.forum ? t('cal.forumFeed', { forum: f.forum }) : t('cal.myFeed'), ' · ',
          t('cal.created', { when: formatDate(f.created_at) }), ' ', revoke);
      }));
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  const create = (which: string) => {
    const b = h('button', { type: 'button' }, which ? t('cal.newForum', { forum: which }) : t('cal.newMine'));
    b.addEventListener('click', async () => {
      out.replaceChildren();
      try {
        const f = await ctx.api.post<Feed>(`${API}/calendar-feeds`, which ? { forum: which } : {});
        const url = `${location.origin}${f.path ?? ''}`;
        replace(shown, h('p', {}, t('cal.once')), h('input', { type: 'text', readonly: true, value: url, class: 'feed-url', 'aria-label': t('cal.address') }));
        void load();
      } catch (err) {
        out.append(problemBox(err));
      }
    });
    return b;
  };
  void load();
  return h('section', { class: 'calendars' }, h('h2', {}, t('cal.title')), h('p', { class: 'small muted' }, t('cal.intro')),
    h('p', {}, create(''), ' ', create(forum)), shown, out, list);
}
