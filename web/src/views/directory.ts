// The directory: search and filter points of contact across forums; export results.
import type { Contact, Forum, Page, StateSummary } from '../api';
import { queryString } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx } from '../ui';
import { badge, field, input, loading, problemBox, select } from '../ui';
import { formatDate } from '../format';

export function primaryChannel(c: Contact): string {
  const ch = c.channels.find((x) => x.kind === 'email') ?? c.channels[0];
  return ch ? ch.value : '';
}

export function contactTable(contacts: Contact[], caption: string, showState = true): HTMLElement {
  return h(
    'table',
    { class: 'contacts' },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('col.name')),
        showState && h('th', { scope: 'col' }, t('col.state')),
        h('th', { scope: 'col' }, t('col.agency')),
        h('th', { scope: 'col' }, t('col.type')),
        h('th', { scope: 'col' }, t('col.languages')),
        h('th', { scope: 'col' }, t('col.availability')),
        h('th', { scope: 'col' }, t('col.channel')),
      ),
    ),
    h(
      'tbody',
      {},
      contacts.map((c) =>
        h(
          'tr',
          { 'data-contact-id': c.id },
          h(
            'th',
            { scope: 'row' },
            h('a', { href: href({ name: 'contact', id: c.id }) }, c.name),
            c.status !== 'active' && [' ', badge(c.status)],
            c.expired && [' ', h('span', { class: 'badge badge-expired', 'data-expired': 'true', title: t('contact.expiredSince', { date: c.valid_until ?? '' }) }, t('contact.expired'))],
            c.position && h('div', { class: 'muted small' }, c.position),
          ),
          showState &&
            h('td', {}, h('a', { href: href({ name: 'state', alpha3: c.state }) }, `${c.state_name} (${c.state})`)),
          h('td', {}, c.agency ?? t('common.none')),
          h('td', {}, tKnown('type', c.type)),
          h('td', {}, c.languages.join(', ')),
          h('td', {}, tKnown('availability', c.availability), c.timezone && h('div', { class: 'muted small' }, c.timezone)),
          h('td', { class: 'mono' }, primaryChannel(c)),
        ),
      ),
    ),
  );
}

export function directoryView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  const results = h('section', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const forumsBox = h('section', { class: 'forums', 'aria-labelledby': 'forums-title' });
  const q = field(t('dir.searchLabel'), input('search', query.q ?? ''), 'q');
  const forum = field(t('dir.forum'), select([['', t('dir.any')]], query.forum), 'forum');
  const state = field(t('dir.state'), select([['', t('dir.any')]], query.state), 'state');
  const type = field(
    t('dir.type'),
    select(
      [
        ['', t('dir.any')],
        ['policy', t('type.policy')],
        ['technical', t('type.technical')],
        ['law_enforcement', t('type.law_enforcement')],
      ],
      query.type,
    ),
    'type',
  );
  const language = field(t('dir.language'), input('text', query.language ?? '', { size: '6' }), 'language');
  const expired = field(
    t('dir.validity'),
    select(
      [
        ['', t('dir.any')],
        ['true', t('dir.expiredOnly')],
        ['false', t('dir.currentOnly')],
      ],
      query.expired,
    ),
    'expired',
  );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('dir.search') },
    q.wrapper,
    forum.wrapper,
    state.wrapper,
    type.wrapper,
    language.wrapper,
    expired.wrapper,
    h('button', { type: 'submit', class: 'primary' }, t('dir.search')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next: Record<string, string> = {};
    for (const [k, f] of Object.entries({ q, forum, state, type, language, expired }))
      if (f.control.value.trim()) next[k] = f.control.value.trim();
    ctx.go({ name: 'directory', query: next });
  });

  const load = async () => {
    try {
      const [forums, states] = await Promise.all([
        ctx.api.get<{ items: Forum[] }>('/forums'),
        ctx.api.get<{ items: StateSummary[] }>('/states'),
      ]);
      for (const f of forums.items) forum.control.append(h('option', { value: f.code }, `${f.code} — ${f.name}`));
      for (const s of states.items) state.control.append(h('option', { value: s.alpha3 }, `${s.name} (${s.alpha3})`));
      forum.control.value = query.forum ?? '';
      state.control.value = query.state ?? '';
      replace(
        forumsBox,
        h('h2', { id: 'forums-title' }, t('dir.forums')),
        h(
          'ul',
          { class: 'forum-list' },
          forums.items.map((f) =>
            h(
              'li',
              {},
              h('a', { href: href({ name: 'directory', query: { forum: f.code } }) }, h('strong', {}, f.code)),
              ` ${f.name} — ${t('dir.members', { count: f.members })}`,
            ),
          ),
        ),
      );
      const params = { ...query, limit: query.limit ?? '50', offset: query.offset ?? '0' };
      const page = await ctx.api.get<Page<Contact>>(`/contacts${queryString(params)}`);
      const exportQs = (format: string) => `/api/v1/contacts/export${queryString({ ...query, format, offset: undefined, limit: undefined })}`;
      const offset = Number(params.offset);
      const limit = Number(params.limit);
      replace(
        results,
        h('h2', { id: 'results-title' }, t('dir.results', { count: page.total })),
        page.items.length ? contactTable(page.items, t('dir.results', { count: page.total })) : h('p', {}, t('dir.noResults')),
        h(
          'nav',
          { class: 'pager', 'aria-label': 'pages' },
          offset > 0 &&
            h('a', { href: href({ name: 'directory', query: { ...query, offset: String(Math.max(0, offset - limit)) } }) }, t('dir.previous')),
          offset + limit < page.total &&
            h('a', { href: href({ name: 'directory', query: { ...query, offset: String(offset + limit) } }) }, t('dir.next')),
        ),
        h(
          'p',
          { class: 'export' },
          t('dir.export'),
          ' ',
          h('a', { href: exportQs('csv'), download: 'parley-contacts.csv' }, 'CSV'),
          ' · ',
          h('a', { href: exportQs('vcard'), download: 'parley-contacts.vcf' }, 'vCard'),
          ' · ',
          h('a', { href: exportQs('json'), download: 'parley-contacts.json' }, 'JSON'),
        ),
      );
    } catch (err) {
      replace(results, problemBox(err));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  const canImport = ctx.user.role === 'admin' || ctx.user.role === 'secretariat' || ctx.user.role === 'focal_point';
  // A focal point's open reconfirmation requests: a task, shown where it lands.
  const tasks = h('div', { class: 'tasks' });
  if (ctx.user.role === 'focal_point')
    void ctx.api.get<{ items: { id: number; forum: string; due_date: string; status: string }[] }>('/directory/reconfirmations/pending')
      .then((p) => replace(tasks, p.items.map((i) =>
        h('p', { class: `alert ${i.status === 'overdue' ? 'alert-hotline' : ''}`, 'data-task': 'reconfirmation' },
          h('a', { href: href({ name: 'reconfirmations' }) }, t('reconf.task', { forum: i.forum, date: formatDate(i.due_date) }))))))
      .catch(() => undefined);
  return h(
    'main',
    { id: 'main' },
    h('h1', {}, t('dir.title')),
    tasks,
    canImport && h('p', {}, h('a', { class: 'button', href: href({ name: 'directory-import' }) }, t('import.link'))),
    form,
    results,
    forumsBox,
  );
}
