// The glossary in the console: a forum's terms ("critical infrastructure", "ICT incident")
// with their equivalents in other languages, searched with folding of case and accents by
// the server; a term's page with its definitions grouped by source (states, organisations,
// the forum's agreed one), the forms to add a term and a definition; the comparison that
// puts every definition side by side with the words only it has highlighted; export
// (TBX-Basic, CSV) and, for the secretariat, import. The server decides who reads and adds.
import type { User } from '../api';
import { queryString } from '../api';
import { h, replace } from '../dom';
import type { Child } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate, formatDateTime, formatLanguage } from '../format';
import { localNames } from '../names';
import type { Names } from '../names';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { defaultForum, field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { distinctText, isLanguageTag, parseEquivalents, percent } from './library_text';

export const SOURCES = ['state', 'organisation', 'forum'] as const;
export type Source = (typeof SOURCES)[number];
const API = '/glossary';

export interface Equivalent {
  lang: string;
  text: string;
}
export interface TermSummary {
  id: number;
  forum: string;
  term: string;
  lang: string;
  equivalents: Equivalent[];
  definitions: number;
  states: string[];
  agreed?: boolean;
}
interface TermList {
  items: TermSummary[];
  can_add?: boolean;
  can_import?: boolean;
}
export interface Definition {
  id: number;
  source: Source;
  state?: string | null;
  organisation?: string | null;
  contribution?: { id: number; title: string } | null;
  agreed_on?: string | null;
  agreed_in?: string | null;
  lang: string;
  text: string;
  reference?: string | null;
  created_at?: string | number;   // ISO 8601, or milliseconds since the epoch
}
export interface Term {
  id: number;
  forum: string;
  term: string;
  lang: string;
  equivalents: Equivalent[];
  note?: string | null;
  definitions: Definition[];
  agreed?: boolean;
  // What the reader may do, when the server says (else the console applies the roles' rule).
  can_define?: boolean;
  can_edit?: boolean;
}
export interface Compared extends Definition {
  parts: { text: string; distinct: boolean }[];
}
export interface Comparison {
  term: string | { term: string };
  lang: string;
  definitions: Compared[];
}

export function mayAddTerm(user: User): boolean {
  return user.role === 'focal_point' || user.role === 'secretariat';
}

// Which sources this user may add a definition from: a focal point its own state's; the
// secretariat organisations', the forum's and a state's on its behalf.
export function sourcesFor(user: User): Source[] {
  if (user.role === 'secretariat') return ['forum', 'organisation', 'state'];
  if (user.role === 'focal_point' && user.state) return ['state'];
  return [];
}

export function mayDelete(user: User, forum: string, d: Definition): boolean {
  if (user.role === 'secretariat') return user.forum === forum;
  return user.role === 'focal_point' && d.source === 'state' && d.state === user.state;
}

// The definitions grouped by source, in the order the page shows them: the forum's agreed
// one first, then states' (by state), then organisations'.
export function groupBySource<T extends Definition>(defs: readonly T[]): { source: Source; items: T[] }[] {
  const order: Source[] = ['forum', 'state', 'organisation'];
  return order
    .map((source) => ({
      source,
      items: defs.filter((d) => d.source === source).slice()
        .sort((a, b) => String(a.state ?? a.organisation ?? '').localeCompare(String(b.state ?? b.organisation ?? ''))),
    }))
    .filter((g) => g.items.length);
}

// Who a definition is from, in words: a state's name, an organisation, or the forum with
// when and where it agreed it.
export function sourceLabel(d: Definition, forum: string, names: Names): string {
  if (d.source === 'state') return names.state(d.state ?? '', d.state);
  if (d.source === 'organisation') return d.organisation || t('gloss.source.organisation');
  const when = d.agreed_on ? formatDate(d.agreed_on) : '';
  if (when && d.agreed_in) return t('gloss.agreedOnIn', { forum: names.forum(forum), date: when, where: d.agreed_in });
  if (when) return t('gloss.agreedOn', { forum: names.forum(forum), date: when });
  return t('gloss.agreedBy', { forum: names.forum(forum) });
}

function equivalentsLine(eq: Equivalent[] | undefined): Child {
  return (eq ?? []).map((e, i) => [i ? '; ' : '', h('span', { lang: isLanguageTag(e.lang) ? e.lang : null }, e.text), ' ',
    h('span', { class: 'muted small' }, `(${e.lang})`)]);
}

export function glossaryView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  if (!query.forum) {
    const placeholder = h('main', { id: 'main' }, loading());
    void defaultForum(ctx).then((forum) => {
      if (forum) ctx.go({ name: 'glossary', query: { ...query, forum } });
      else replace(placeholder, ...Array.from(glossaryView(ctx, { ...query, forum: '-' }).childNodes));
    });
    return placeholder;
  }
  const forum = query.forum === '-' ? '' : query.forum.toUpperCase();
  const forumField = field(t('gloss.forum'), input('text', forum, { placeholder: 'ARF', maxlength: '16' }), 'forum');
  const qField = field(t('gloss.search'), input('search', query.q ?? '', { placeholder: t('gloss.searchHint') }), 'q');
  const form = h('form', { class: 'filters', role: 'search' }, qField.wrapper, forumField.wrapper, h('button', { type: 'submit' }, t('gloss.searchButton')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next: Record<string, string> = { forum: forumField.control.value.trim().toUpperCase() || '-' };
    if (qField.control.value.trim()) next.q = qField.control.value.trim();
    ctx.go({ name: 'glossary', query: next });
  });
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const forms = h('div', { class: 'glossary-forms' });
  const load = async () => {
    if (!forum) return replace(body, h('p', {}, t('gloss.chooseForum')));
    try {
      const [r, names] = await Promise.all([
        ctx.api.get<TermList>(`${API}/terms${queryString({ forum, q: query.q })}`), localNames(ctx.api)]);
      // The forms, once: by the server's word when it gives it, else by role.
      if (!forms.childNodes.length) {
        const canAdd = r.can_add ?? mayAddTerm(ctx.user);
        const canImport = r.can_import ?? (ctx.user.role === 'secretariat' && ctx.user.forum === forum);
        replace(forms, canAdd ? termForm(ctx, forum, () => void load()) : '', canImport ? importForm(ctx, forum, () => void load()) : '');
      }
      if (!r.items.length) return replace(body, h('p', { class: 'empty' }, query.q ? t('gloss.noMatch') : t('gloss.none')));
      replace(body, h('table', { class: 'contacts glossary' },
        h('thead', {}, h('tr', {}, ...(['gloss.col.term', 'gloss.col.equivalents', 'gloss.col.definitions', 'gloss.col.states'] as const).map((k) => h('th', {}, t(k))))),
        h('tbody', {}, r.items.map((x) => h('tr', { 'data-term': x.id },
          h('th', {}, h('a', { href: href({ name: 'term', id: x.id }), lang: isLanguageTag(x.lang) ? x.lang : null }, x.term), ' ',
            h('span', { class: 'muted small' }, `(${x.lang})`), x.agreed ? [' ', h('span', { class: 'badge badge-active' }, t('gloss.agreedBadge'))] : ''),
          h('td', {}, equivalentsLine(x.equivalents)),
          h('td', {}, String(x.definitions ?? 0)),
          h('td', {}, (x.states ?? []).map((s) => names.state(s)).join(', ') || t('common.none')))))));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const exports = forum
    ? h('p', { class: 'exports' }, t('gloss.export'), ' ',
      h('a', { class: 'button small', href: `/api/v1${API}/export${queryString({ forum, format: 'tbx' })}`, download: `${forum}-glossary.tbx` }, t('gloss.exportTbx')), ' ',
      h('a', { class: 'button small', href: `/api/v1${API}/export${queryString({ forum, format: 'csv' })}`, download: `${forum}-glossary.csv` }, t('gloss.exportCsv')))
    : '';
  const view = h('main', { id: 'main' }, h('h1', {}, t('gloss.title')), h('p', { class: 'small muted' }, t('gloss.intro')), form, exports, body,
    forms) as HTMLElement & { refresh?: () => void };
  view.refresh = () => void load();
  return view;
}

function termForm(ctx: Ctx, forum: string, onAdded: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    term: field(t('gloss.term'), input('text', '', { maxlength: '300' }), 'term'),
    lang: field(t('gloss.lang'), input('text', 'en', { maxlength: '35' }), 'lang'),
    equivalents: field(t('gloss.equivalents'), h('textarea', { rows: 3, placeholder: t('gloss.equivalentsHint') }), 'equivalents'),
    note: field(t('gloss.note'), h('textarea', { rows: 2, maxlength: 2000 }), 'note'),
  };
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('gloss.addTerm'));
  const form = h('form', { class: 'contact-form term-form', novalidate: true }, h('h2', {}, t('gloss.addTermTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const term = fields.term.control.value.trim();
    const lang = fields.lang.control.value.trim();
    const eq = parseEquivalents(fields.equivalents.control.value);
    let bad = false;
    if (!term) (fields.term.setError(t('gloss.needTerm')), (bad = true));
    if (!isLanguageTag(lang)) (fields.lang.setError(t('lib.badLang')), (bad = true));
    if (eq.bad.length) (fields.equivalents.setError(t('gloss.badEquivalents', { lines: eq.bad.join(', ') })), (bad = true));
    if (bad) return;
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = { forum, term, lang, equivalents: eq.equivalents };
      if (fields.note.control.value.trim()) body.note = fields.note.control.value.trim();
      const created = await ctx.api.post<Term>(`${API}/terms`, body);
      ctx.announce(t('gloss.termAdded', { term }));
      onAdded();
      ctx.go({ name: 'term', id: created.id });
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The secretariat imports a TBX-Basic or CSV file into the forum's glossary.
function importForm(ctx: Ctx, forum: string, onDone: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    format: field(t('gloss.importFormat'), select([['tbx', 'TBX-Basic (ISO 30042)'], ['csv', 'CSV']], 'tbx'), 'format'),
    file: field(t('gloss.importFile'), input('file', '', { accept: '.tbx,.xml,.csv,text/csv,application/xml' }), 'file'),
  };
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': t('lib.uploadProgress') });
  const status = h('p', { class: 'upload-status', role: 'status' });
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('gloss.import'));
  const form = h('form', { class: 'contact-form import-form', novalidate: true }, h('h2', {}, t('gloss.importTitle')),
    h('p', { class: 'small muted' }, t('gloss.importHint')), Object.values(fields).map((f) => f.wrapper), submit, progress, status, out);
  (fields.file.control as HTMLInputElement).addEventListener('change', () => {
    const name = (fields.file.control as HTMLInputElement).files?.[0]?.name ?? '';
    if (/\.csv$/i.test(name)) fields.format.control.value = 'csv';
    else if (/\.(tbx|xml)$/i.test(name)) fields.format.control.value = 'tbx';
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    fields.file.setError(undefined);
    const file = (fields.file.control as HTMLInputElement).files?.[0];
    if (!file) return fields.file.setError(t('lib.needFile'));
    submit.disabled = true;
    progress.hidden = false;
    try {
      const r = await ctx.api.upload<{ terms_added: number; terms_updated: number; definitions_added: number }>('POST',
        `${API}/import${queryString({ forum, format: fields.format.control.value })}`, file,
        (loaded, total) => (progress.value = percent(loaded, total)));
      progress.value = 100;
      status.textContent = t('gloss.imported', { added: r.terms_added ?? 0, updated: r.terms_updated ?? 0, definitions: r.definitions_added ?? 0 });
      onDone();
    } catch (err) {
      progress.hidden = true;
      status.textContent = '';
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function definitionCard(ctx: Ctx, term: Term, d: Definition, names: Names, onDeleted: () => void): HTMLElement {
  const del = mayDelete(ctx.user, term.forum, d) ? h('button', { type: 'button', class: 'small link' }, t('common.delete')) : '';
  const out = h('div', { 'aria-live': 'assertive' });
  if (del)
    del.addEventListener('click', async () => {
      if (!confirm(t('gloss.confirmDelete', { source: sourceLabel(d, term.forum, names) }))) return;
      del.disabled = true;
      try {
        await ctx.api.delete(`${API}/definitions/${d.id}`);
        ctx.announce(t('gloss.deleted'));
        onDeleted();
      } catch (err) {
        out.append(problemBox(err));
        del.disabled = false;
      }
    });
  return h('article', { class: 'definition card', 'data-definition': d.id, 'data-source': d.source, 'data-state': d.state ?? null },
    h('h3', {}, sourceLabel(d, term.forum, names), ' ', h('span', { class: 'muted small' }, formatLanguage(d.lang))),
    h('blockquote', { lang: isLanguageTag(d.lang) ? d.lang : null }, d.text),
    h('p', { class: 'small muted' },
      d.contribution ? [t('gloss.from'), ' ', h('a', { href: href({ name: 'contribution', id: d.contribution.id }) }, d.contribution.title), ' '] : '',
      d.reference ? [t('gloss.reference', { reference: d.reference }), ' '] : '',
      d.created_at ? t('gloss.addedAt', { when: formatDateTime(typeof d.created_at === 'number' ? new Date(d.created_at).toISOString() : d.created_at) }) : '', ' ', del),
    out);
}

function definitionForm(ctx: Ctx, term: Term, onAdded: () => void): HTMLElement | '' {
  const sources = term.can_define === false ? [] : sourcesFor(ctx.user);
  if (!sources.length) return '';
  const fields: Record<string, Field> = {
    source: field(t('gloss.sourceLabel'), select(sources.map((s): [string, string] => [s, tKnown('gloss.source', s)]), sources[0]), 'source'),
    state: field(t('gloss.state'), input('text', ctx.user.role === 'focal_point' ? ctx.user.state ?? '' : '', { maxlength: '3', placeholder: 'KAZ' }), 'state'),
    organisation: field(t('gloss.organisation'), input('text', '', { maxlength: '200', placeholder: 'ISO/IEC 27000:2018' }), 'organisation'),
    agreed_on: field(t('gloss.agreedOnField'), input('date', ''), 'agreed_on'),
    agreed_in: field(t('gloss.agreedInField'), input('text', '', { maxlength: '300' }), 'agreed_in'),
    lang: field(t('gloss.defLang'), input('text', term.lang, { maxlength: '35' }), 'lang'),
    text: field(t('gloss.definition'), h('textarea', { rows: 4, maxlength: 5000 }), 'text'),
    contribution: field(t('gloss.contribution'), input('number', '', { min: '1', step: '1' }), 'contribution'),
    reference: field(t('gloss.referenceField'), input('text', '', { maxlength: '300', placeholder: t('gloss.referenceHint') }), 'reference'),
  };
  if (ctx.user.role === 'focal_point') (fields.state.control as HTMLInputElement).readOnly = true;
  const sync = () => {
    const s = fields.source.control.value;
    fields.source.wrapper.hidden = sources.length === 1;
    fields.state.wrapper.hidden = s !== 'state';
    fields.organisation.wrapper.hidden = s !== 'organisation';
    fields.agreed_on.wrapper.hidden = s !== 'forum';
    fields.agreed_in.wrapper.hidden = s !== 'forum';
    fields.contribution.wrapper.hidden = s !== 'state';
  };
  fields.source.control.addEventListener('change', sync);
  sync();
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('gloss.addDefinition'));
  const form = h('form', { class: 'contact-form definition-form', novalidate: true }, h('h2', {}, t('gloss.addDefinitionTitle')),
    Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const v = (k: string) => fields[k].control.value.trim();
    const source = v('source');
    let bad = false;
    if (!v('text')) (fields.text.setError(t('gloss.needText')), (bad = true));
    if (!isLanguageTag(v('lang'))) (fields.lang.setError(t('lib.badLang')), (bad = true));
    if (source === 'state' && !/^[A-Za-z]{3}$/.test(v('state'))) (fields.state.setError(t('gloss.needState')), (bad = true));
    if (source === 'organisation' && !v('organisation')) (fields.organisation.setError(t('gloss.needOrganisation')), (bad = true));
    if (bad) return;
    const body: Record<string, unknown> = { source, lang: v('lang'), text: v('text') };
    if (v('reference')) body.reference = v('reference');
    if (source === 'state') {
      body.state = v('state').toUpperCase();
      if (v('contribution')) body.contribution = Number(v('contribution'));
    }
    if (source === 'organisation') body.organisation = v('organisation');
    if (source === 'forum') {
      if (v('agreed_on')) body.agreed_on = v('agreed_on');
      if (v('agreed_in')) body.agreed_in = v('agreed_in');
    }
    submit.disabled = true;
    try {
      await ctx.api.post<Definition>(`${API}/terms/${term.id}/definitions`, body);
      ctx.announce(t('gloss.definitionAdded'));
      onAdded();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
      submit.disabled = false;
    }
  });
  return form;
}

// The secretariat corrects a term, its equivalents or its note (PATCH), when the server says it may.
function termEditForm(ctx: Ctx, term: Term, onSaved: () => void): HTMLElement {
  const fields: Record<string, Field> = {
    term: field(t('gloss.term'), input('text', term.term, { maxlength: '300' }), 'term'),
    equivalents: field(t('gloss.equivalents'), h('textarea', { rows: 3 }), 'equivalents'),
    note: field(t('gloss.note'), h('textarea', { rows: 2, maxlength: 2000 }), 'note'),
  };
  fields.equivalents.control.value = (term.equivalents ?? []).map((e) => `${e.lang}: ${e.text}`).join('\n');
  fields.note.control.value = term.note ?? '';
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('common.save'));
  const form = h('form', { class: 'contact-form term-edit-form', novalidate: true }, Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const eq = parseEquivalents(fields.equivalents.control.value);
    if (!fields.term.control.value.trim()) return fields.term.setError(t('gloss.needTerm'));
    if (eq.bad.length) return fields.equivalents.setError(t('gloss.badEquivalents', { lines: eq.bad.join(', ') }));
    submit.disabled = true;
    try {
      await ctx.api.patch(`${API}/terms/${term.id}`, { term: fields.term.control.value.trim(), equivalents: eq.equivalents, note: fields.note.control.value.trim() });
      ctx.announce(t('common.saved'));
      onSaved();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
      submit.disabled = false;
    }
  });
  return h('details', { class: 'term-edit' }, h('summary', {}, t('gloss.editTerm')), form);
}

export function termView(ctx: Ctx, id: number): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  const load = async () => {
    try {
      const [term, names] = await Promise.all([ctx.api.get<Term>(`${API}/terms/${id}`), localNames(ctx.api)]);
      document.title = `${term.term} — Parley`;
      const groups = groupBySource(term.definitions ?? []);
      // A comparison in each language with two definitions or more.
      const perLang = new Map<string, number>();
      for (const d of term.definitions ?? []) perLang.set(d.lang, (perLang.get(d.lang) ?? 0) + 1);
      const langs = [...perLang].filter(([, n]) => n > 1).map(([lang]) => lang);
      replace(main,
        h('p', {}, h('a', { href: href({ name: 'glossary', query: { forum: term.forum } }) }, t('gloss.back', { forum: names.forum(term.forum) }))),
        h('h1', { lang: isLanguageTag(term.lang) ? term.lang : null }, term.term),
        h('dl', { class: 'facts' },
          h('dt', {}, t('gloss.lang')), h('dd', {}, formatLanguage(term.lang)),
          h('dt', {}, t('gloss.col.equivalents')), h('dd', {}, (term.equivalents ?? []).length ? equivalentsLine(term.equivalents) : t('common.none')),
          term.note ? [h('dt', {}, t('gloss.note')), h('dd', { class: 'pre' }, term.note)] : ''),
        h('p', {}, langs.length
          ? langs.map((lang) => [h('a', { class: 'button', href: href({ name: 'term-compare', id, lang }) },
            langs.length > 1 ? t('gloss.compareIn', { lang: formatLanguage(lang) }) : t('gloss.compare')), ' '])
          : h('span', { class: 'muted' }, t('gloss.compareNeedsTwo'))),
        groups.length
          ? groups.map((g) => h('section', { class: `definitions source-${g.source}` }, h('h2', {}, tKnown('gloss.group', g.source)),
            g.items.map((d) => definitionCard(ctx, term, d, names, () => void load()))))
          : h('p', { class: 'empty' }, t('gloss.noDefinitions')),
        definitionForm(ctx, term, () => void load()),
        term.can_edit ? termEditForm(ctx, term, () => void load()) : '');
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  return main;
}

// Every definition side by side, each word no other definition has highlighted.
export function termCompareView(ctx: Ctx, id: number, lang?: string): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  void (async () => {
    try {
      const [term, names] = await Promise.all([ctx.api.get<Term>(`${API}/terms/${id}`), localNames(ctx.api)]);
      const langs = [...new Set((term.definitions ?? []).map((d) => d.lang))];
      const chosen = lang ?? (langs.includes(term.lang) ? term.lang : langs[0] ?? term.lang);
      const cmp = await ctx.api.get<Comparison>(`${API}/terms/${id}/comparison${queryString({ lang: chosen })}`);
      const title = typeof cmp.term === 'string' ? cmp.term : cmp.term?.term ?? term.term;
      const langPick = field(t('gloss.compareLang'), select(langs.map((l): [string, string] => [l, formatLanguage(l)]), chosen), 'lang');
      langPick.control.addEventListener('change', () => ctx.go({ name: 'term-compare', id, lang: langPick.control.value }));
      const columns = groupBySource(cmp.definitions ?? []).flatMap((g) => g.items);
      replace(main,
        h('p', {}, h('a', { href: href({ name: 'term', id }) }, t('gloss.backToTerm', { term: term.term }))),
        h('h1', {}, t('gloss.compareTitle', { term: title })),
        langs.length > 1 ? langPick.wrapper : '',
        h('p', { class: 'small' }, t('gloss.compareLegend'), ' ', h('mark', { class: 'distinct' }, t('gloss.distinctSample'))),
        columns.length
          ? h('div', { class: 'comparison' }, columns.map((d) =>
            h('section', { class: 'compared card', 'data-source': d.source, 'data-state': d.state ?? null },
              h('h2', {}, sourceLabel(d, term.forum, names)),
              h('p', { class: 'compared-text', lang: isLanguageTag(d.lang) ? d.lang : null },
                ...(Array.isArray(d.parts) && d.parts.length ? distinctText(d.parts) : [d.text])))))
          : h('p', { class: 'empty' }, t('gloss.noneInLang', { lang: formatLanguage(chosen) })));
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}
