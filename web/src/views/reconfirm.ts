// The annual reconfirmation of the directory. A forum's secretariat (or the admin)
// starts one and follows which member states have answered; a focal point sees its
// state's open requests with its entries, and confirms them.
import type { Contact, Forum, StateDetail } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { contactTable } from './directory';
import { formatDate, formatDateTime } from '../format';

export interface StateAnswer {
  state: string;
  name: string;
  status: 'pending' | 'confirmed' | 'overdue';
  confirmed_at: string | null;
  confirmed_by: string | null;
  note: string | null;
  contacts: number;
  expired_contacts: number;
  focal_points: { username: string; name: string; has_email: boolean }[];
  mails: { kind: string; sent_at: string; recipients: number }[];
}

export interface Reconfirmation {
  id: number;
  forum: string;
  message: string;
  due_date: string;
  started_by: string;
  started_at: string;
  past_due: boolean;
  summary: { states: number; confirmed: number; unanswered: number; overdue: number };
  states: StateAnswer[];
}

interface ListItem {
  id: number;
  forum: string;
  due_date: string;
  started_at: string;
  started_by: string;
  past_due: boolean;
  states?: number;
  confirmed?: number;
  overdue?: number;
}

interface PendingItem {
  id: number;
  forum: string;
  message: string;
  due_date: string;
  state: string;
  status: 'pending' | 'overdue';
}

// An RFC 3339 time in the console's language (format.ts).
export function when(ts: string | null | undefined): string {
  return formatDateTime(ts);
}

export function answerBadge(status: string): HTMLElement {
  return h('span', { class: `badge badge-${status}`, 'data-answer': status }, tKnown('reconf.status', status));
}

// The secretariat's (or admin's) part: start a reconfirmation, list the forum's.
function secretariatPart(ctx: Ctx, box: HTMLElement) {
  const forumSelect = select([], ctx.user.forum ?? '');
  const forum = field(t('reconf.forum'), forumSelect, 'forum');
  const tomorrowPlus = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  const due = field(t('reconf.due'), input('date', tomorrowPlus, { required: true }), 'due_date');
  const message = field(t('reconf.message'), h('textarea', { rows: 4, required: true }), 'message');
  message.control.value = t('reconf.defaultMessage');
  const remind = field(t('reconf.remindDays'), input('number', '7', { min: '1', max: '90' }), 'remind_days_before');
  const out = h('div', { 'aria-live': 'assertive' });
  const list = h('section', { 'aria-live': 'polite' }, loading());
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'reconf-start' },
    h('h2', { id: 'reconf-start' }, t('reconf.start')),
    forum.wrapper,
    due.wrapper,
    message.wrapper,
    remind.wrapper,
    h('button', { type: 'submit', class: 'primary' }, t('reconf.startButton')),
    out,
  );
  const loadList = async () => {
    const code = forumSelect.value;
    if (!code) return replace(list, h('p', {}, t('reconf.noForum')));
    try {
      const r = await ctx.api.get<{ items: ListItem[] }>(`/forums/${encodeURIComponent(code)}/reconfirmations`);
      replace(
        list,
        h('h2', {}, t('reconf.listTitle', { forum: code })),
        r.items.length
          ? h(
              'table',
              { class: 'reconfirmations' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('reconf.number')),
                h('th', { scope: 'col' }, t('reconf.due')),
                h('th', { scope: 'col' }, t('reconf.answered')),
                h('th', { scope: 'col' }, t('reconf.overdueCol')),
                h('th', { scope: 'col' }, t('reconf.startedBy')))),
              h('tbody', {}, r.items.map((i) =>
                h('tr', { 'data-reconfirmation': i.id },
                  h('th', { scope: 'row' }, h('a', { href: href({ name: 'reconfirmation', forum: i.forum, id: i.id }) }, `#${i.id}`)),
                  h('td', {}, formatDate(i.due_date)),
                  h('td', {}, t('reconf.answeredCount', { confirmed: i.confirmed ?? 0, states: i.states ?? 0 })),
                  h('td', {}, String(i.overdue ?? 0)),
                  h('td', {}, `${i.started_by}, ${when(i.started_at)}`)))),
            )
          : h('p', {}, t('reconf.none')),
      );
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    const fields = { due_date: due, message, remind_days_before: remind };
    try {
      const r = await ctx.api.post<Reconfirmation>(`/forums/${encodeURIComponent(forumSelect.value)}/reconfirmations`, {
        due_date: due.control.value,
        message: message.control.value,
        remind_days_before: Number(remind.control.value || '7'),
      });
      ctx.announce(t('reconf.started', { forum: r.forum, states: r.summary.states }));
      ctx.go({ name: 'reconfirmation', forum: r.forum, id: r.id });
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.replaceChildren(problemBox(err));
    }
  });
  forumSelect.addEventListener('change', () => void loadList());
  void (async () => {
    try {
      const forums = await ctx.api.get<{ items: Forum[] }>('/forums');
      const mine = ctx.user.role === 'admin' ? forums.items : forums.items.filter((f) => f.code === ctx.user.forum);
      forumSelect.replaceChildren(...mine.map((f) => h('option', { value: f.code }, `${f.code} — ${f.name}`)));
      forumSelect.value = ctx.user.forum ?? mine[0]?.code ?? '';
      if (ctx.user.role !== 'admin') forumSelect.disabled = true;
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
    await loadList();
  })();
  replace(box, form, list);
}

// The focal point's part: its state's open requests, its entries, and Confirm.
function focalPointPart(ctx: Ctx, box: HTMLElement) {
  const load = async () => {
    try {
      const [pending, state] = await Promise.all([
        ctx.api.get<{ items: PendingItem[] }>('/directory/reconfirmations/pending'),
        ctx.api.get<StateDetail>(`/states/${ctx.user.state}`),
      ]);
      if (!pending.items.length) return replace(box, h('p', { 'data-no-request': 'true' }, t('reconf.nothingPending')));
      const entries = state.contacts.filter((c: Contact) => c.status === 'active');
      replace(
        box,
        pending.items.map((p) => {
          const note = field(t('reconf.note'), input('text', ''), 'note');
          const confirmButton = h('button', { type: 'button', class: 'primary' }, t('reconf.confirm'));
          const out = h('div', { 'aria-live': 'assertive' });
          confirmButton.addEventListener('click', async () => {
            try {
              await ctx.api.post(`/forums/${encodeURIComponent(p.forum)}/reconfirmations/${p.id}/states/${p.state}/confirm`,
                note.control.value ? { note: note.control.value } : {});
              ctx.announce(t('reconf.confirmed', { forum: p.forum }));
              void load();
            } catch (err) {
              out.replaceChildren(problemBox(err));
            }
          });
          return h(
            'section',
            { class: 'card', 'data-request': p.id },
            h('h2', {}, t('reconf.requestTitle', { forum: p.forum, date: formatDate(p.due_date) }), ' ', answerBadge(p.status)),
            h('p', { class: 'message' }, p.message),
            h('p', {}, t('reconf.reviewEntries', { state: state.name })),
            entries.length ? contactTable(entries, t('state.contacts'), false) : h('p', {}, t('state.noContacts')),
            h('p', {}, h('a', { href: href({ name: 'contact-new', state: p.state }) }, t('state.addContact'))),
            note.wrapper,
            confirmButton,
            out,
          );
        }),
      );
    } catch (err) {
      replace(box, problemBox(err));
    }
  };
  box.replaceChildren(loading());
  void load();
}

export function reconfirmationsView(ctx: Ctx): HTMLElement {
  const box = h('div', {});
  if (ctx.user.role === 'admin' || ctx.user.role === 'secretariat') secretariatPart(ctx, box);
  else if (ctx.user.role === 'focal_point' && ctx.user.state) focalPointPart(ctx, box);
  else box.append(h('p', {}, t('reconf.notForYou')));
  return h('main', { id: 'main' }, h('h1', {}, t('reconf.title')), h('p', { class: 'muted' }, t('reconf.intro')), box);
}

export function reconfirmationView(ctx: Ctx, forum: string, id: number): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  const show = h('select', {},
    h('option', { value: '' }, t('reconf.showAll')),
    h('option', { value: 'pending' }, t('reconf.status.pending')),
    h('option', { value: 'overdue' }, t('reconf.status.overdue')),
    h('option', { value: 'confirmed' }, t('reconf.status.confirmed')));
  const filter = field(t('reconf.show'), show, 'show');
  void (async () => {
    try {
      const r = await ctx.api.get<Reconfirmation>(`/forums/${encodeURIComponent(forum)}/reconfirmations/${id}`);
      const tbody = h('tbody', {});
      const fill = () =>
        replace(tbody, r.states.filter((s) => !show.value || s.status === show.value).map((s) =>
          h('tr', { 'data-state': s.state, 'data-status': s.status },
            h('th', { scope: 'row' }, h('a', { href: href({ name: 'state', alpha3: s.state }) }, `${s.name} (${s.state})`)),
            h('td', {}, answerBadge(s.status)),
            h('td', {}, s.confirmed_at ? t('reconf.confirmedBy', { who: s.confirmed_by ?? '', when: when(s.confirmed_at) }) : t('common.none'),
              s.note && h('div', { class: 'muted small' }, s.note)),
            h('td', {}, String(s.contacts), s.expired_contacts > 0 &&
              [' ', h('span', { class: 'badge badge-expired' }, t('reconf.expiredCount', { n: s.expired_contacts }))]),
            h('td', {}, s.focal_points.length ? s.focal_points.map((f) => f.name).join(', ') : t('reconf.noFocalPoint')),
            h('td', {}, s.mails.map((m) => t('reconf.mailSent', { kind: tKnown('reconf.mail', m.kind), when: when(m.sent_at) })).join('; ')))));
      show.addEventListener('change', fill);
      fill();
      replace(
        main,
        h('p', {}, h('a', { href: href({ name: 'reconfirmations' }) }, `← ${t('reconf.title')}`)),
        h('h1', {}, t('reconf.detailTitle', { forum: r.forum, id: r.id })),
        h('p', {}, t('reconf.dueLine', { date: formatDate(r.due_date), who: r.started_by, when: when(r.started_at) })),
        h('p', { class: 'message' }, r.message),
        h('p', { 'data-summary': 'true' }, t('reconf.summary', {
          states: r.summary.states, confirmed: r.summary.confirmed, unanswered: r.summary.unanswered, overdue: r.summary.overdue })),
        filter.wrapper,
        h('table', { class: 'reconfirmation-states' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('col.state')),
            h('th', { scope: 'col' }, t('reconf.answer')),
            h('th', { scope: 'col' }, t('reconf.confirmedCol')),
            h('th', { scope: 'col' }, t('reconf.contacts')),
            h('th', { scope: 'col' }, t('reconf.focalPoints')),
            h('th', { scope: 'col' }, t('reconf.mails')))),
          tbody),
      );
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}
