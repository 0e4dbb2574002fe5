// The library in the console: contributions (states' laws, strategies, policies, views…)
// to browse and search with the query language (quick filters for state and kind add or
// replace `state:`/`kind:` in the query), with highlighted snippets of the matching text;
// a contribution's page with its facts, status links, language versions side by side (each
// a file to download and what became of its text), publication or return by the forum's
// secretariat, its revisions, and the form that adds a language version with the upload's
// progress. The server decides who reads and may do what; fields a server does not send yet
// (snippets, can_edit, revisions…) are left out, not guessed.
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
import { field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { ledgerDetails } from '../ledger/badge';
import type { SnippetPart } from './library_text';
import { fileSize, filterValues, isLanguageTag, markedText, percent, withFilter } from './library_text';

export const KINDS = ['law', 'regulation', 'strategy', 'policy', 'views', 'best_practice', 'national_report', 'survey_answer'] as const;
export const STATUSES = ['draft', 'in_force', 'superseded'] as const;
export const VISIBILITIES = ['public', 'forum', 'states'] as const;
export const LIBRARY_TLP = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT'] as const;
export const TRANSLATIONS = ['original', 'official', 'unofficial'] as const;
// The server's limit (library.max_file_bytes); checked here only to spare a long upload.
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
const PAGE = 20;
const API = '/library/contributions';

// A snippet of a file's text (its language, its page from 1), or of the title or summary
// (no language, page 0).
export interface Snippet {
  lang: string | null;
  page: number;
  parts: SnippetPart[];
}

export interface Version {
  lang: string;
  translation: string;
  filename: string;
  sha256: string;
  size: number;
  format: string;
  text: { status: string; flag: string; detail: string; pages: number };
  file: string;
}

export interface Contribution {
  id: number;
  state: string;
  forum: string;
  kind: string;
  title: string;
  summary: string;
  issuing_body: string;
  adopted_on: string | null;
  in_force_on: string | null;
  submitted_on: string;
  status: string;
  visibility: string;
  states: string[];
  tlp: string;
  tags: string[];
  workflow: string;
  return_note?: string;
  versions: Version[];
  can_review: boolean;
  // Not on every server yet (contract: NEW).
  can_edit?: boolean;
  revision?: number;
  superseded_by?: number | null;
  supersedes?: number[];
  snippets?: Snippet[];
}

// A revision replaced by an edit: the contribution as it was (the contract's `at` and `by`
// are not sent by every server; `replaced_at` says until when it was the current one).
export interface Revision {
  revision: number;
  at?: string;
  by?: unknown;
  replaced_at?: string;
  workflow?: string;
  title?: string;
  versions?: Version[];
  [field: string]: unknown;
}

// Whether the user may edit and add versions: the server's word when it gives it, else the
// rule as the server applies it today (the state's focal point, the forum's secretariat).
export function mayEdit(c: Contribution, user: User): boolean {
  if (typeof c.can_edit === 'boolean') return c.can_edit;
  return (user.role === 'focal_point' && user.state === c.state) || (user.role === 'secretariat' && user.forum === c.forum);
}

export function maySubmit(user: User): boolean {
  return user.role === 'focal_point' || user.role === 'secretariat';
}

export function tlpBadge(label: string): HTMLElement {
  return h('span', { class: `tlp tlp-${label.replace(/^TLP:/, '').toLowerCase().replace('+', '-')}` }, label);
}

function workflowBadge(workflow: string): HTMLElement {
  return h('span', { class: `badge badge-wf-${workflow}`, 'data-workflow': workflow }, tKnown('lib.workflow', workflow));
}

function dateLine(c: Contribution): string {
  return c.adopted_on ? t('lib.adoptedOnShort', { date: formatDate(c.adopted_on) }) : t('lib.submittedOnShort', { date: formatDate(c.submitted_on) });
}

// The snippets of a search result: where each comes from and its text, matches marked.
export function snippetList(snippets: Snippet[] | undefined): HTMLElement | '' {
  if (!Array.isArray(snippets) || !snippets.length) return '';
  return h('ul', { class: 'snippets' }, snippets.slice(0, 3).map((s) =>
    h('li', { class: 'snippet', lang: s.lang && isLanguageTag(s.lang) ? s.lang : null },
      h('span', { class: 'snippet-where small muted' },
        !s.lang ? t('lib.snippetMeta') : s.page > 0 ? t('lib.snippetPage', { lang: s.lang, page: s.page }) : s.lang), ' ',
      h('q', {}, ...markedText(s.parts)))));
}

function resultItem(c: Contribution, names: Names): HTMLElement {
  return h('li', { class: 'contribution', 'data-contribution': c.id },
    h('h2', { class: 'result-title' }, h('a', { href: href({ name: 'contribution', id: c.id }) }, c.title)),
    h('p', { class: 'meta small' }, names.state(c.state), ' · ', tKnown('lib.kind', c.kind), ' · ', dateLine(c), ' · ', c.forum, ' ',
      tlpBadge(c.tlp), ' ', workflowBadge(c.workflow)),
    c.summary ? h('p', { class: 'summary' }, c.summary.length > 300 ? `${c.summary.slice(0, 300)}…` : c.summary) : '',
    snippetList(c.snippets));
}

export function libraryView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  const q = query.q ?? '';
  const qField = field(t('lib.search'), input('search', q, { placeholder: t('lib.searchHint'), maxlength: '500' }), 'q');
  const stateField = field(t('lib.state'), select([['', t('lib.anyState')]], ''), 'state');
  const kindField = field(t('lib.kindLabel'), select([['', t('lib.anyKind')], ...KINDS.map((k): [string, string] => [k, tKnown('lib.kind', k)])],
    (filterValues(q, 'kind')[0] ?? '').toLowerCase()), 'kind');
  const chosenState = (filterValues(q, 'state')[0] ?? '').toUpperCase();
  const go = (text: string) => ctx.go({ name: 'library', query: text.trim() ? { q: text.trim() } : {} });
  // A quick filter puts its term in the query the user sees, and searches.
  stateField.control.addEventListener('change', () => go(withFilter(qField.control.value, 'state', stateField.control.value)));
  kindField.control.addEventListener('change', () => go(withFilter(qField.control.value, 'kind', kindField.control.value)));
  const form = h('form', { class: 'filters', role: 'search' }, qField.wrapper, stateField.wrapper, kindField.wrapper,
    h('button', { type: 'submit' }, t('lib.searchButton')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go(qField.control.value);
  });
  const help = h('details', { class: 'query-help small' }, h('summary', {}, t('lib.queryHelp')),
    h('ul', {}, (['lib.help.words', 'lib.help.phrase', 'lib.help.prefix', 'lib.help.exclude', 'lib.help.filters'] as const).map((k) => h('li', {}, t(k)))));

  const list = h('ol', { class: 'library-results' });
  const count = h('p', { class: 'small muted', role: 'status' });
  const more = h('button', { type: 'button', hidden: true }, t('lib.more'));
  const body = h('div', { 'aria-live': 'polite' }, loading());
  let names: Names = { state: (a) => a, forum: (f) => f };
  let shown = 0;

  const loadPage = async (offset: number) => {
    more.disabled = true;
    try {
      const page = await ctx.api.get<{ items: Contribution[]; more: boolean }>(`${API}${queryString({ q: q || undefined, limit: PAGE, offset })}`);
      if (offset === 0) {
        list.replaceChildren();
        replace(body, count, list, more);
      }
      shown += page.items.length;
      list.append(...page.items.map((c) => resultItem(c, names)));
      count.textContent = shown ? t('lib.shown', { count: shown }) : '';
      if (!shown) replace(body, h('p', { class: 'empty' }, q ? t('lib.noMatch') : t('lib.none')));
      more.hidden = !page.more;
    } catch (err) {
      // A query the server cannot read names q: shown under the search box.
      if (!showFieldErrors({ q: qField }, err)) replace(body, problemBox(err));
      else replace(body);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void loadPage(shown));

  void (async () => {
    names = await localNames(ctx.api);
    // The state filter lists the states by name in the console's language.
    try {
      const states = (await ctx.api.get<{ items: { alpha3: string; name: string }[] }>('/states')).items;
      const options = states.slice().sort((a, b) => a.name.localeCompare(b.name)).map((s) => h('option', { value: s.alpha3 }, s.name));
      stateField.control.append(...options);
      if (chosenState && !states.some((s) => s.alpha3 === chosenState)) stateField.control.append(h('option', { value: chosenState }, chosenState));
      stateField.control.value = chosenState;
    } catch {
      /* the filter keeps "any state"; the query box still takes state: */
    }
    await loadPage(0);
  })();

  const view = h('main', { id: 'main' },
    h('div', { class: 'section-head' }, h('h1', {}, t('lib.title')),
      maySubmit(ctx.user) && h('a', { class: 'button primary', href: href({ name: 'contribution-new' }) }, t('lib.submit'))),
    form, help, digestToggle(ctx), body) as HTMLElement & { refresh?: () => void };
  view.refresh = () => {
    shown = 0;
    void loadPage(0);
  };
  return view;
}

// The user's weekly e-mail of new contributions: on by default, turned off or on here.
function digestToggle(ctx: Ctx): HTMLElement {
  const box = h('input', { type: 'checkbox', id: 'library-digest', disabled: true }) as HTMLInputElement;
  const status = h('span', { class: 'small muted', role: 'status' });
  const wrapper = h('p', { class: 'digest-setting' }, box, ' ', h('label', { for: 'library-digest' }, t('lib.digest')), ' ', status);
  void (async () => {
    try {
      box.checked = (await ctx.api.get<{ weekly: boolean }>('/library/digest')).weekly;
      box.disabled = false;
    } catch {
      wrapper.hidden = true;
    }
  })();
  box.addEventListener('change', async () => {
    box.disabled = true;
    try {
      box.checked = (await ctx.api.put<{ weekly: boolean }>('/library/digest', { weekly: box.checked })).weekly;
      status.textContent = box.checked ? t('lib.digestOn') : t('lib.digestOff');
    } catch (err) {
      box.checked = !box.checked;
      replace(status, problemBox(err));
    } finally {
      box.disabled = false;
    }
  });
  return wrapper;
}

// What became of a version's text: being read, read (pages), or kept unread and why.
export function textStatus(v: Version): string {
  if (v.text?.status !== 'done') return t('lib.text.pending');
  if (v.text.flag) return t('lib.text.flagged', { flag: tKnown('lib.flag', v.text.flag), detail: v.text.detail || t('common.none') });
  return t('lib.text.done', { pages: v.text.pages ?? 0 });
}

// A version's extracted text, a page at a time, so that the versions read side by side.
function textPane(ctx: Ctx, c: Contribution, v: Version): HTMLElement | '' {
  if (v.text?.status !== 'done' || !v.text.pages) return '';
  const text = h('div', { class: 'version-text', lang: v.lang, tabindex: '0' });
  const where = h('span', { class: 'small muted' });
  const prev = h('button', { type: 'button', class: 'small' }, t('lib.prevPage')) as HTMLButtonElement;
  const next = h('button', { type: 'button', class: 'small' }, t('lib.nextPage')) as HTMLButtonElement;
  let page = 1;
  const show = async (n: number) => {
    try {
      const p = await ctx.api.get<{ page: number; pages: number; text: string }>(
        `${API}/${c.id}/versions/${encodeURIComponent(v.lang)}/text${queryString({ page: n })}`);
      page = p.page;
      text.textContent = p.text;   // the document's own text: never markup
      where.textContent = t('lib.pageOf', { page: p.page, pages: p.pages });
      prev.disabled = p.page <= 1;
      next.disabled = p.page >= p.pages;
    } catch (err) {
      replace(text, problemBox(err));
    }
  };
  prev.addEventListener('click', () => void show(page - 1));
  next.addEventListener('click', () => void show(page + 1));
  void show(1);
  return h('details', { class: 'version-reader', open: true }, h('summary', {}, t('lib.readText')),
    h('div', { class: 'pager' }, prev, ' ', where, ' ', next), text);
}

function versionCard(ctx: Ctx, c: Contribution, v: Version): HTMLElement {
  const flagged = v.text?.status === 'done' && !!v.text.flag;
  return h('section', { class: 'version card', 'data-version': v.lang, 'aria-label': formatLanguage(v.lang) },
    h('h3', {}, formatLanguage(v.lang), ' ', h('span', { class: 'muted small' }, `(${v.lang})`)),
    h('p', {}, h('span', { class: `badge badge-tr-${v.translation}` }, tKnown('lib.translation', v.translation))),
    h('dl', { class: 'facts small' },
      h('dt', {}, t('lib.file')), h('dd', {}, v.filename),
      h('dt', {}, t('lib.format')), h('dd', {}, v.format || t('common.none')),
      h('dt', {}, t('lib.size')), h('dd', {}, fileSize(v.size)),
      h('dt', {}, 'SHA-256'), h('dd', { class: 'hash' }, h('code', {}, v.sha256)),
      h('dt', {}, t('lib.textLabel')), h('dd', { class: flagged ? 'text-flagged' : v.text?.status === 'done' ? 'text-done' : 'text-pending' }, textStatus(v))),
    // The file is served as an attachment under its clean name (the session cookie goes with it).
    h('p', {}, h('a', { class: 'button small', href: v.file, download: v.filename }, t('lib.download'))),
    textPane(ctx, c, v));
}

function factsList(c: Contribution, names: Names): HTMLElement {
  const rows: [string, Child][] = [
    [t('lib.kindLabel'), tKnown('lib.kind', c.kind)],
    [t('lib.state'), h('a', { href: href({ name: 'state', alpha3: c.state }) }, names.state(c.state))],
    [t('lib.forum'), names.forum(c.forum)],
    [t('lib.issuingBody'), c.issuing_body || t('common.none')],
    [t('lib.adoptedOn'), formatDate(c.adopted_on) || t('common.none')],
    [t('lib.inForceOn'), formatDate(c.in_force_on) || t('common.none')],
    [t('lib.submittedOn'), formatDate(c.submitted_on)],
    [t('lib.statusLabel'), [tKnown('lib.status', c.status),
      c.superseded_by ? [' — ', h('a', { href: href({ name: 'contribution', id: c.superseded_by }), 'data-superseded-by': c.superseded_by },
        t('lib.supersededBy', { id: c.superseded_by }))] : '']],
    [t('lib.visibilityLabel'), [tKnown('lib.visibility', c.visibility),
      c.visibility === 'states' && c.states.length ? `: ${c.states.map((s) => names.state(s)).join(', ')}` : '']],
    [t('lib.tlp'), tlpBadge(c.tlp)],
    [t('lib.tags'), c.tags.length ? h('span', { class: 'tags' }, c.tags.map((tag) =>
      [h('a', { class: 'tag', href: href({ name: 'library', query: { q: `tag:${tag}` } }) }, tag), ' '])) : t('common.none')],
  ];
  if (c.supersedes?.length)
    rows.push([t('lib.supersedes'), c.supersedes.map((id, i) => [i ? ', ' : '', h('a', { href: href({ name: 'contribution', id }) }, `#${id}`)])]);
  if (typeof c.revision === 'number') rows.push([t('lib.revision'), String(c.revision)]);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// The fields two successive snapshots differ in (their bookkeeping aside).
const NOT_CONTENT = new Set(['revision', 'at', 'by', 'replaced_at', 'workflow', 'can_edit', 'can_review', 'snippets', 'return_note', 'supersedes', 'submitted_on']);
export function changedFields(before: Record<string, unknown> | undefined, after: Record<string, unknown>): string[] {
  if (!before) return [];
  return Object.keys(after).filter((k) => !NOT_CONTENT.has(k) && k in before && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

// Who made a revision: a username, or a person given as an object.
function who(by: unknown): string {
  if (by && typeof by === 'object') {
    const p = by as Record<string, unknown>;
    return String(p.name ?? p.display_name ?? p.username ?? '');
  }
  return typeof by === 'string' ? by : '';
}

// The revisions, when the server keeps them (an older one answers 404: the section stays
// out): each replaced one with what the next changed, and the files it had.
async function revisionsSection(ctx: Ctx, c: Contribution): Promise<HTMLElement | ''> {
  let items: Revision[];
  try {
    items = (await ctx.api.get<{ items: Revision[] }>(`${API}/${c.id}/revisions`)).items;
  } catch {
    return '';
  }
  if (!Array.isArray(items) || !items.length) return '';
  const rows: Revision[] = items.slice().sort((a, b) => a.revision - b.revision);
  if (typeof c.revision === 'number' && !rows.some((r) => r.revision === c.revision))
    rows.push({ ...(c as unknown as Record<string, unknown>), revision: c.revision } as Revision);
  return h('section', { class: 'revisions' }, h('h2', {}, t('lib.revisions')),
    h('table', { class: 'contacts' },
      h('thead', {}, h('tr', {}, ...(['lib.col.revision', 'lib.col.at', 'lib.col.workflow', 'lib.col.changed', 'lib.col.files'] as const).map((k) => h('th', {}, t(k))))),
      h('tbody', {}, rows.map((r, i) => {
        const changed = changedFields(rows[i - 1], r);
        const current = r.revision === c.revision;
        const files = current ? [] : (r.versions ?? []).map((v) =>
          [h('a', { href: `/api/v1${API}/${c.id}/revisions/${r.revision}/versions/${encodeURIComponent(v.lang)}/file`, download: v.filename }, `${v.lang}: ${v.filename}`), ' ']);
        return h('tr', { 'data-revision': r.revision },
          h('td', {}, String(r.revision), current ? h('div', { class: 'small muted' }, t('lib.currentRevision')) : ''),
          h('td', {}, r.at ? formatDateTime(String(r.at)) : r.replaced_at ? t('lib.replacedAt', { when: formatDateTime(String(r.replaced_at)) }) : '',
            who(r.by) ? h('div', { class: 'small muted' }, who(r.by)) : ''),
          h('td', {}, r.workflow ? tKnown('lib.workflow', String(r.workflow)) : ''),
          h('td', { class: 'small' }, i === 0 ? t('lib.firstRevision') : changed.length ? changed.map((f) => tKnown('lib.field', f)).join(', ') : t('common.none')),
          h('td', { class: 'small' }, files.length ? files : t('common.none')));
      }).reverse())));
}

// Publish, or return with a note: the forum's secretariat, while the contribution waits.
function reviewPanel(ctx: Ctx, c: Contribution, onChange: (c: Contribution) => void): HTMLElement | '' {
  if (!c.can_review || c.workflow !== 'submitted') return '';
  const out = h('div', { 'aria-live': 'assertive' });
  const publish = h('button', { type: 'button', class: 'primary' }, t('lib.publish'));
  const note = field(t('lib.returnNote'), h('textarea', { rows: 3, maxlength: 2000 }), 'note');
  const send = h('button', { type: 'submit' }, t('lib.return'));
  const returnForm = h('form', { class: 'return-form', novalidate: true }, note.wrapper, send);
  publish.addEventListener('click', async () => {
    publish.disabled = true;
    out.replaceChildren();
    try {
      const next = await ctx.api.post<Contribution>(`${API}/${c.id}/publish`);
      ctx.announce(t('lib.published'));
      onChange(next);
    } catch (err) {
      out.append(problemBox(err));
      publish.disabled = false;
    }
  });
  returnForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    if (!note.control.value.trim()) return note.setError(t('lib.needNote'));
    note.setError(undefined);
    send.disabled = true;
    try {
      const next = await ctx.api.post<Contribution>(`${API}/${c.id}/return`, { note: note.control.value.trim() });
      ctx.announce(t('lib.returned'));
      onChange(next);
    } catch (err) {
      if (!showFieldErrors({ note }, err)) out.append(problemBox(err));
      send.disabled = false;
    }
  });
  return h('section', { class: 'card review' }, h('h2', {}, t('lib.review')), h('p', {}, publish), returnForm, out);
}

// Adds a language version: the file as the request's body, its progress shown as it goes.
export function versionForm(ctx: Ctx, c: Contribution, onDone: (c: Contribution) => void): HTMLElement {
  const taken = new Set(c.versions.map((v) => v.lang));
  const fields: Record<string, Field> = {
    lang: field(t('lib.versionLang'), input('text', '', { placeholder: 'en, ru, zh-Hans', maxlength: '35', autocomplete: 'off' }), 'lang'),
    translation: field(t('lib.translationLabel'), select(TRANSLATIONS.map((x): [string, string] => [x, tKnown('lib.translation', x)]),
      c.versions.some((v) => v.translation === 'original') ? 'official' : 'original'), 'translation'),
    file: field(t('lib.fileField'), input('file', '', { accept: '.pdf,.docx,.odt,.html,.htm,.txt,application/pdf,text/html,text/plain' }), 'file'),
  };
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': t('lib.uploadProgress') });
  const status = h('p', { class: 'upload-status', role: 'status' });
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('lib.upload'));
  const form = h('form', { class: 'contact-form version-form', novalidate: true },
    h('h2', {}, t('lib.addVersion')), h('p', { class: 'small muted' }, t('lib.addVersionHint')),
    Object.values(fields).map((f) => f.wrapper), submit, progress, status, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const lang = fields.lang.control.value.trim();
    const file = (fields.file.control as HTMLInputElement).files?.[0];
    let bad = false;
    if (!isLanguageTag(lang)) (fields.lang.setError(t('lib.badLang')), (bad = true));
    else if (taken.has(lang)) fields.lang.setError(t('lib.replacesVersion'));   // a warning: the server replaces it
    if (!file) (fields.file.setError(t('lib.needFile')), (bad = true));
    else if (file.size > MAX_FILE_BYTES) (fields.file.setError(t('lib.fileTooLarge', { size: fileSize(MAX_FILE_BYTES) })), (bad = true));
    else if (file.size === 0) (fields.file.setError(t('lib.fileEmpty')), (bad = true));
    if (bad || !file) return;
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    form.dataset.upload = 'sending';
    status.textContent = t('lib.uploading', { name: file.name, percent: 0 });
    try {
      const path = `${API}/${c.id}/versions/${encodeURIComponent(lang)}${queryString({ translation: fields.translation.control.value, filename: file.name })}`;
      const next = await ctx.api.upload<Contribution>('PUT', path, file, (loaded, total) => {
        const p = percent(loaded, total);
        progress.value = p;
        status.textContent = t('lib.uploading', { name: file.name, percent: p });
      });
      progress.value = 100;
      form.dataset.upload = 'done';
      status.textContent = t('lib.uploaded', { name: file.name, size: fileSize(file.size) });
      ctx.announce(status.textContent);
      (fields.file.control as HTMLInputElement).value = '';
      fields.lang.control.value = '';
      taken.add(lang);
      onDone(next);
    } catch (err) {
      form.dataset.upload = 'failed';
      progress.hidden = true;
      status.textContent = t('lib.uploadFailed', { name: file.name });
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function contributionView(ctx: Ctx, id: number): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  let names: Names = { state: (a) => a, forum: (f) => f };
  const versionsBox = h('div', { class: 'versions' });
  let polls = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showVersions = (c: Contribution) => {
    replace(versionsBox, c.versions.length ? c.versions.map((v) => versionCard(ctx, c, v)) : h('p', { class: 'empty' }, t('lib.noVersions')));
    // Texts are read in the background: look again for a while until each is read.
    clearTimeout(timer);
    if (c.versions.some((v) => v.text?.status !== 'done') && polls < 40)
      timer = setTimeout(async () => {
        if (!main.isConnected) return;
        polls++;
        try {
          showVersions(await ctx.api.get<Contribution>(`${API}/${id}`));
        } catch {
          /* shown again on the next visit */
        }
      }, 3000);
  };

  const render = async (c: Contribution) => {
    document.title = `${c.title} — Parley`;
    showVersions(c);
    const canEdit = mayEdit(c, ctx.user);
    replace(main,
      h('p', {}, h('a', { href: href({ name: 'library', query: {} }) }, t('lib.back'))),
      h('h1', {}, c.title),
      h('p', { class: 'meta' }, names.state(c.state), ' · ', names.forum(c.forum), ' · ', tKnown('lib.kind', c.kind), ' ',
        tlpBadge(c.tlp), ' ', workflowBadge(c.workflow),
        canEdit && typeof c.can_edit === 'boolean' ? [' ', h('a', { class: 'button small', href: href({ name: 'contribution-edit', id: c.id }) }, t('common.edit'))] : ''),
      c.workflow === 'returned' && c.return_note ? h('div', { class: 'card returned', role: 'note' }, h('strong', {}, t('lib.returnedNote')), h('p', { class: 'pre' }, c.return_note)) : '',
      c.status === 'superseded' && c.superseded_by
        ? h('p', { class: 'card superseded' }, t('lib.supersededNotice'), ' ', h('a', { href: href({ name: 'contribution', id: c.superseded_by }) }, t('lib.supersededBy', { id: c.superseded_by })))
        : '',
      reviewPanel(ctx, c, (next) => void render(next)),
      c.summary ? h('p', { class: 'summary pre' }, c.summary) : '',
      factsList(c, names),
      h('h2', {}, t('lib.versions')),
      h('p', { class: 'small muted' }, t('lib.textNotShown')),
      versionsBox,
      canEdit ? versionForm(ctx, c, (next) => {
        polls = 0;
        showVersions(next);
      }) : '',
      await revisionsSection(ctx, c),
      ledgerDetails(ctx.api, `contribution:${c.id}`));
  };

  const load = async () => {
    try {
      const [c, n] = await Promise.all([ctx.api.get<Contribution>(`${API}/${id}`), localNames(ctx.api)]);
      names = n;
      await render(c);
    } catch (err) {
      replace(main, h('p', {}, h('a', { href: href({ name: 'library', query: {} }) }, t('lib.back'))), problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  };
  void load();
  const view = main as HTMLElement & { refresh?: () => void };
  // A stream event about this contribution: its facts again, unless an upload is under
  // way or its outcome is on screen.
  view.refresh = () => {
    if (!main.querySelector('form.version-form[data-upload]')) void load();
  };
  return view;
}
