// Forums: the list (names in the console's language), a forum's page with its
// participants (member, observer, partner, with dates, past ones too) and groups, and
// the admin's forms to create and edit a forum and to add or remove participants,
// chosen by name from a searchable list (never by typing codes). A forum's
// secretariat manages its groups.
import type { Ctx } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import type { Field } from '../ui';
import { h, replace, uid } from '../dom';
import { locale, t, tKnown } from '../i18n';
import { href } from '../routes';

export interface ForumDetail {
  code: string;
  name: string;
  abbreviation: string | null;
  language: string;
  names?: Record<string, { name: string; abbreviation?: string }>;
  languages: string[];
  timezone: string | null;
  website: string | null;
  secretariat: string | null;
  members: number;
}

export interface Participant {
  state: string;
  name: string;
  state_kind: string;
  kind: 'member' | 'observer' | 'partner';
  joined_on: string | null;
  left_on: string | null;
  current: boolean;
}

export interface Group {
  code: string;
  name: string;
  names: Record<string, string>;
  members: { alpha3: string; name: string }[];
}

interface StateItem {
  alpha3: string;
  name: string;
  kind: string;
}

// The languages a forum's names are usually given in: the UN's six first.
export const NAME_LANGUAGES = ['en', 'ru', 'fr', 'es', 'zh', 'ar', 'de', 'it', 'kk', 'tr', 'pt', 'ja', 'ko'];

// A language's name in the console's language ("русский", "Russian").
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

// GETs with the console's language, so that names come back in it.
function getLocalized<T>(ctx: Ctx, path: string): Promise<T> {
  return ctx.api.request<T>('GET', path, undefined, { 'Accept-Language': `${locale()}, en;q=0.5` });
}

export function forumsView(ctx: Ctx): HTMLElement {
  const list = h('section', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const load = async () => {
    try {
      const forums = await getLocalized<{ items: ForumDetail[] }>(ctx, '/forums');
      replace(
        list,
        forums.items.length
          ? h(
              'ul',
              { class: 'forum-list' },
              forums.items.map((f) =>
                h(
                  'li',
                  { 'data-forum': f.code },
                  h('a', { href: href({ name: 'forum', code: f.code }) }, h('strong', {}, f.abbreviation ?? f.code)),
                  ` ${f.name} — ${t('dir.members', { count: f.members })}`,
                ),
              ),
            )
          : h('p', {}, t('forums.none')),
      );
    } catch (err) {
      replace(list, problemBox(err));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  const main = h('main', { id: 'main' }, h('h1', {}, t('forums.title')), list);
  if (ctx.user.role === 'admin') main.append(h('h2', {}, t('forums.create')), forumForm(ctx, null));
  return main;
}

// One row of the names fieldset: a language, the name, the abbreviation.
interface NameRow {
  row: HTMLElement;
  lang: HTMLSelectElement;
  name: HTMLInputElement;
  abbr: HTMLInputElement;
}

function nameRow(lang: string, name = '', abbr = ''): NameRow {
  const langSel = select(NAME_LANGUAGES.map((l) => [l, languageName(l)] as [string, string]), lang);
  if (!NAME_LANGUAGES.includes(lang)) {
    langSel.append(h('option', { value: lang }, languageName(lang)));
    langSel.value = lang;
  }
  const langId = uid('nl');
  const nameId = uid('nn');
  const abbrId = uid('na');
  langSel.id = langId;
  const nameInput = input('text', name, { id: nameId, maxlength: '300' });
  const abbrInput = input('text', abbr, { id: abbrId, maxlength: '32', size: '10' });
  const row = h(
    'div',
    { class: 'name-row' },
    h('label', { for: langId }, t('forums.nameLanguage')),
    langSel,
    h('label', { for: nameId }, t('forums.name')),
    nameInput,
    h('label', { for: abbrId }, t('forums.abbreviation')),
    abbrInput,
  );
  return { row, lang: langSel, name: nameInput, abbr: abbrInput };
}

// Create (forum null) or edit a forum.
function forumForm(ctx: Ctx, forum: ForumDetail | null): HTMLElement {
  const code = field(t('forums.code'), input('text', forum?.code ?? '', { maxlength: '16', size: '10' }), 'code');
  if (forum) (code.control as HTMLInputElement).readOnly = true;
  const rows: NameRow[] = [];
  const namesBox = h('div', { class: 'names' });
  const addRow = (r: NameRow) => {
    rows.push(r);
    namesBox.append(r.row);
  };
  if (forum?.names) for (const [l, n] of Object.entries(forum.names)) addRow(nameRow(l, n.name, n.abbreviation ?? ''));
  else addRow(nameRow('en'));
  const more = h('button', { type: 'button' }, t('forums.addName'));
  more.addEventListener('click', () => {
    const used = new Set(rows.map((r) => r.lang.value));
    const r = nameRow(NAME_LANGUAGES.find((l) => !used.has(l)) ?? 'en');
    addRow(r);
    r.name.focus();
  });
  const namesErr = h('p', { class: 'field-error', hidden: true });
  const langBoxes = NAME_LANGUAGES.map((l) => {
    const id = uid('wl');
    const box = input('checkbox', '', { id, value: l });
    (box as HTMLInputElement).checked = forum ? forum.languages.includes(l) : l === 'en';
    return { l, box: box as HTMLInputElement, label: h('label', { for: id, class: 'check' }, box, ` ${languageName(l)}`) };
  });
  const zones = timeZones();
  const tz = field(t('forums.timezone'), select([['', t('common.none')], ...zones.map((z) => [z, z] as [string, string])], forum?.timezone ?? ''), 'timezone');
  const website = field(t('forums.website'), input('url', forum?.website ?? ''), 'website');
  const secretariat = field(t('forums.secretariat'), input('text', forum?.secretariat ?? '', { maxlength: '300' }), 'secretariat');
  const out = h('div', { 'aria-live': 'assertive' });
  const fields: Record<string, Field> = { code, timezone: tz, website, secretariat };
  const form = h(
    'form',
    { class: 'forum-form', 'aria-label': forum ? t('forums.edit') : t('forums.create') },
    code.wrapper,
    h('fieldset', {}, h('legend', {}, t('forums.names')), namesBox, more, namesErr),
    h('fieldset', {}, h('legend', {}, t('forums.languages')), langBoxes.map((b) => b.label)),
    tz.wrapper,
    website.wrapper,
    secretariat.wrapper,
    h('button', { type: 'submit', class: 'primary' }, forum ? t('forums.save') : t('forums.create')),
    out,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const names: Record<string, { name: string; abbreviation?: string }> = {};
    for (const r of rows) {
      if (!r.name.value.trim()) continue;
      names[r.lang.value] = { name: r.name.value.trim(), ...(r.abbr.value.trim() ? { abbreviation: r.abbr.value.trim() } : {}) };
    }
    const body: Record<string, unknown> = {
      names,
      languages: langBoxes.filter((b) => b.box.checked).map((b) => b.l),
      timezone: tz.control.value || null,
      website: website.control.value.trim() || null,
      secretariat: secretariat.control.value.trim() || null,
    };
    if (!forum) body.code = code.control.value.trim();
    try {
      const saved = forum
        ? await ctx.api.patch<ForumDetail>(`/forums/${forum.code}`, body)
        : await ctx.api.post<ForumDetail>('/forums', body);
      ctx.announce(t(forum ? 'forums.saved' : 'forums.created', { name: saved.name }));
      ctx.go({ name: 'forum', code: saved.code });
    } catch (err) {
      const shown = showFieldErrors(fields, err);
      const namesReason = (err as { fieldError?: (f: string) => string | undefined }).fieldError?.('names');
      namesErr.textContent = namesReason ?? '';
      namesErr.hidden = !namesReason;
      if (!shown && !namesReason) out.replaceChildren(problemBox(err));
      else out.replaceChildren(h('p', { class: 'field-error' }, t('forums.fixErrors')));
    }
  });
  return form;
}

function participantsTable(ctx: Ctx, code: string, items: Participant[], reload: () => void): HTMLElement {
  const admin = ctx.user.role === 'admin';
  return h(
    'table',
    { class: 'participants' },
    h('caption', { class: 'visually-hidden' }, t('forums.participants')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('col.state')),
        h('th', { scope: 'col' }, t('forums.kind')),
        h('th', { scope: 'col' }, t('forums.joined')),
        h('th', { scope: 'col' }, t('forums.left')),
        admin && h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('forums.actions'))),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((p) => {
        let action: HTMLElement | false = false;
        if (admin && p.current) {
          action = h('button', { type: 'button', class: 'danger', 'aria-label': t('forums.leaveNamed', { name: p.name }) }, t('forums.leave'));
          action.addEventListener('click', async () => {
            if (!confirm(t('forums.leaveConfirm', { name: p.name }))) return;
            try {
              await ctx.api.delete(`/forums/${code}/members/${p.state}`);
              ctx.announce(t('forums.leftDone', { name: p.name }));
              reload();
            } catch (err) {
              (action as HTMLElement).after(problemBox(err));
            }
          });
        }
        return h(
          'tr',
          { 'data-state': p.state, class: p.current ? '' : 'past' },
          h('th', { scope: 'row' }, h('a', { href: href({ name: 'state', alpha3: p.state }) }, p.name)),
          h('td', {}, tKnown('participation', p.kind), !p.current && h('span', { class: 'muted small' }, ` (${t('forums.past')})`)),
          h('td', {}, p.joined_on ?? t('forums.notRecorded')),
          h('td', {}, p.left_on ?? ''),
          admin && h('td', {}, action),
        );
      }),
    ),
  );
}

// States to choose by name: a search box filtering a list of checkboxes.
function statePicker(states: StateItem[], label: string): { wrapper: HTMLElement; chosen(): string[] } {
  const searchId = uid('sp');
  const boxes = states.map((s) => {
    const id = uid('st');
    const box = input('checkbox', '', { id, value: s.alpha3 }) as HTMLInputElement;
    const item = h('li', { 'data-name': s.name.toLowerCase() }, h('label', { for: id, class: 'check' }, box, ` ${s.name}`));
    return { s, box, item };
  });
  const listId = uid('sl');
  const search = input('search', '', { id: searchId, autocomplete: 'off', 'aria-controls': listId }) as HTMLInputElement;
  const count = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const ul = h('ul', { class: 'state-picker', id: listId, 'aria-label': t('forums.stateList') }, boxes.map((b) => b.item));
  const update = () => {
    const q = search.value.trim().toLowerCase();
    for (const b of boxes) b.item.hidden = q !== '' && !b.item.dataset.name!.includes(q);
    count.textContent = t('forums.chosen', { n: boxes.filter((b) => b.box.checked).length });
  };
  search.addEventListener('input', update);
  ul.addEventListener('change', update);
  update();
  return {
    wrapper: h('div', { class: 'field' }, h('label', { for: searchId }, label), search, ul, count),
    chosen: () => boxes.filter((b) => b.box.checked).map((b) => b.s.alpha3),
  };
}

function addParticipantsForm(ctx: Ctx, code: string, candidates: StateItem[], reload: () => void): HTMLElement {
  const picker = statePicker(candidates, t('forums.findState'));
  const kind = field(t('forums.kind'), select([['member', t('participation.member')], ['observer', t('participation.observer')], ['partner', t('participation.partner')]], 'member'), 'kind');
  const joined = field(t('forums.joined'), input('date', new Date().toISOString().slice(0, 10)), 'joined_on');
  const out = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'add-participants', 'aria-label': t('forums.addParticipants') }, picker.wrapper, kind.wrapper, joined.wrapper,
    h('button', { type: 'submit', class: 'primary' }, t('forums.add')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = picker.chosen();
    if (!chosen.length) {
      out.replaceChildren(h('p', { class: 'field-error' }, t('forums.chooseFirst')));
      return;
    }
    try {
      for (const a3 of chosen)
        await ctx.api.request('PUT', `/forums/${code}/members/${a3}`, { kind: kind.control.value, joined_on: joined.control.value || undefined });
      ctx.announce(t('forums.added', { n: chosen.length }));
      reload();
    } catch (err) {
      if (!showFieldErrors({ kind, joined_on: joined }, err)) out.replaceChildren(problemBox(err));
    }
  });
  return form;
}

function groupForm(ctx: Ctx, code: string, participants: StateItem[], reload: () => void): HTMLElement {
  const gcode = field(t('forums.groupCode'), input('text', '', { maxlength: '16', size: '10' }), 'group');
  const name = field(t('forums.groupName'), input('text', '', { maxlength: '300' }), 'names');
  const picker = statePicker(participants, t('forums.groupMembers'));
  const out = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'group-form', 'aria-label': t('forums.groupSet') }, gcode.wrapper, name.wrapper, picker.wrapper,
    h('button', { type: 'submit', class: 'primary' }, t('forums.groupSave')), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const g = gcode.control.value.trim().toUpperCase();
    try {
      await ctx.api.request('PUT', `/forums/${code}/groups/${encodeURIComponent(g || '-')}`, {
        names: { [locale()]: name.control.value.trim() },
        members: picker.chosen(),
      });
      ctx.announce(t('forums.groupSaved', { name: name.control.value.trim() }));
      reload();
    } catch (err) {
      if (!showFieldErrors({ group: gcode, names: name }, err)) out.replaceChildren(problemBox(err));
    }
  });
  return form;
}

export function forumView(ctx: Ctx, code: string): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  const load = async () => {
    try {
      const [f, parts, groups, states] = await Promise.all([
        getLocalized<ForumDetail>(ctx, `/forums/${code}`),
        getLocalized<{ items: Participant[] }>(ctx, `/forums/${code}/participants`),
        getLocalized<{ items: Group[] }>(ctx, `/forums/${code}/groups`),
        ctx.user.role === 'admin' ? getLocalized<{ items: StateItem[] }>(ctx, '/states') : Promise.resolve({ items: [] as StateItem[] }),
      ]);
      document.title = `${f.name} — Parley`;
      const admin = ctx.user.role === 'admin';
      const ownSecretariat = ctx.user.role === 'secretariat' && ctx.user.forum === f.code;
      const current = new Set(parts.items.filter((p) => p.current).map((p) => p.state));
      const currentItems = parts.items.filter((p) => p.current).map((p) => ({ alpha3: p.state, name: p.name, kind: p.state_kind }));
      const reload = () => void load();
      const editBox = h('details', { class: 'edit-forum' }, h('summary', {}, t('forums.edit')));
      if (admin) editBox.append(forumForm(ctx, f));
      replace(
        main,
        h('h1', {}, f.name, f.abbreviation && h('span', { class: 'muted' }, ` (${f.abbreviation})`)),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, t('forums.secretariat')), h('dd', {}, f.secretariat ?? t('common.none')),
          h('dt', {}, t('forums.languages')), h('dd', {}, f.languages.map(languageName).join(', ') || t('common.none')),
          h('dt', {}, t('forums.timezone')), h('dd', {}, f.timezone ?? t('common.none')),
          h('dt', {}, t('forums.website')), h('dd', {}, f.website ? h('a', { href: f.website, rel: 'noopener noreferrer' }, f.website) : t('common.none')),
        ),
        admin && editBox,
        h('p', {}, h('a', { href: href({ name: 'witnesses', forum: f.code }) }, t('forums.witnesses'))),
        h('h2', {}, t('forums.participants'), ' ', h('span', { class: 'muted' }, t('dir.members', { count: f.members }))),
        parts.items.length ? participantsTable(ctx, f.code, parts.items, reload) : h('p', {}, t('forums.noParticipants')),
        admin && h('h3', {}, t('forums.addParticipants')),
        admin && addParticipantsForm(ctx, f.code, states.items.filter((s) => !current.has(s.alpha3)), reload),
        h('h2', {}, t('forums.groups')),
        groups.items.length
          ? h('ul', { class: 'groups' }, groups.items.map((g) => {
              const remove = (admin || ownSecretariat) && h('button', { type: 'button', class: 'link' }, t('forums.groupRemove'));
              if (remove)
                remove.addEventListener('click', async () => {
                  try {
                    await ctx.api.delete(`/forums/${f.code}/groups/${g.code}`);
                    reload();
                  } catch (err) {
                    remove.after(problemBox(err));
                  }
                });
              return h('li', { 'data-group': g.code }, h('strong', {}, g.name), ` — ${g.members.map((m) => m.name).join(', ')} `, remove);
            }))
          : h('p', {}, t('forums.noGroups')),
        (admin || ownSecretariat) && h('h3', {}, t('forums.groupSet')),
        (admin || ownSecretariat) && groupForm(ctx, f.code, currentItems, reload),
      );
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  return main;
}
