// The secretariat's week: what needs it in the coming days, from GET /workplan/week —
// meetings, registration deadlines with the states still without a delegation, approval
// stages waiting for its decision, silence procedures ending, states that have not
// reported on every measure. Each line links to where the work is done.
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t } from '../i18n';
import { formatDate, formatDateTime } from '../format';
import { localNames } from '../names';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { loading, problemBox, forumPlaceholder } from '../ui';

interface Week {
  forum: string;
  from: string;
  to: string;
  meetings: { id: number; title: string; body: string; starts_on: string; ends_on: string; status: string; place: string }[];
  registration_deadlines: { meeting: number; title: string; body: string; deadline: string; registered: number; without_delegation: string[] }[];
  approvals_waiting: { id: number; title: string; body: string; silence_broken: boolean }[];
  silences_ending: { kind: 'activity' | 'negotiation'; id: number; title: string; deadline: string }[];
  not_reported: { state: string; name: string; missing: number; measures: number }[];
}

function section(title: string, items: Child[], empty: string): Child {
  return [h('h2', {}, title), items.length ? h('ul', { class: 'week-list' }, items) : h('p', { class: 'empty' }, empty)];
}

export function weekView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) return forumPlaceholder(ctx, t('week.title'), (forum) => ctx.go({ name: 'week', query: { ...query, forum } }));
  const forum = query.forum.toUpperCase();
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [w, names] = await Promise.all([ctx.api.get<Week>(`/workplan/week${queryString({ forum, days: query.days })}`), localNames(ctx.api)]);
      replace(body,
        h('p', { class: 'small muted' }, t('week.range', { forum: names.forum(w.forum), from: formatDate(w.from), to: formatDate(w.to) })),
        section(t('week.meetings'), w.meetings.map((m) => h('li', { 'data-meeting': m.id },
          h('a', { href: href({ name: 'meeting', id: m.id }) }, `${m.body} · ${m.title}`), ` — ${formatDate(m.starts_on)}${m.place ? `, ${m.place}` : ''}`)), t('week.noMeetings')),
        section(t('week.registrations'), w.registration_deadlines.map((r) => h('li', { 'data-meeting': r.meeting },
          h('a', { href: href({ name: 'meeting', id: r.meeting }) }, `${r.body} · ${r.title}`), ` — ${t('week.closes', { date: formatDate(r.deadline) })} `,
          r.without_delegation.length ? t('week.without', { states: r.without_delegation.map((s) => names.state(s)).join(', ') }) : t('week.allRegistered'))), t('week.noRegistrations')),
        section(t('week.waiting'), w.approvals_waiting.map((a) => h('li', { 'data-activity': a.id },
          h('a', { href: href({ name: 'activity', id: a.id }) }, a.title), ` — ${t('week.before', { body: a.body })}`,
          a.silence_broken ? ` (${t('week.silenceBroken')})` : '')), t('week.noWaiting')),
        section(t('week.silences'), w.silences_ending.map((s) => h('li', {},
          h('a', { href: s.kind === 'activity' ? href({ name: 'activity', id: s.id }) : href({ name: 'negotiation', id: s.id }) }, s.title),
          ` — ${formatDateTime(s.deadline)}`)), t('week.noSilences')),
        section(t('week.notReported'), w.not_reported.map((x) => h('li', { 'data-state': x.state },
          h('a', { href: href({ name: 'implementation', alpha3: x.state, query: { forum: w.forum } }) }, names.state(x.state, x.name)),
          ` — ${t('week.missing', { missing: x.missing, measures: x.measures })}`)), t('week.allReported')));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main' }, h('h1', {}, t('week.title')), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}
