// The library's submission form: a state's focal point (or the forum's secretariat on a
// member state's behalf) submits a contribution with every field of POST
// /library/contributions, or edits one (PATCH, sending only what changed). The checks here
// are light (what a person would otherwise learn only after a round trip); the server's
// problems are shown next to the fields they name. Language versions are added on the
// contribution's page once it exists.
import { ProblemError } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { defaultForum, field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import type { Contribution } from './library';
import { KINDS, LIBRARY_TLP, STATUSES, VISIBILITIES } from './library';
import { parseStates, parseTags } from './library_text';

export interface ContributionBody {
  forum?: string;
  state?: string;
  kind?: string;
  title?: string;
  summary?: string;
  issuing_body?: string;
  adopted_on?: string;
  in_force_on?: string;
  status?: string;
  superseded_by?: number | null;
  visibility?: string;
  states?: string[];
  tlp?: string;
  tags?: string[];
}

// What the form's values say is wrong before anything is sent: field -> message key.
export function checkContribution(b: ContributionBody): Record<string, 'lib.needTitle' | 'lib.needKind' | 'lib.needStates' | 'lib.badStates' | 'lib.publicTlp' | 'lib.needForum' | 'lib.badSupersededBy' | 'lib.datesOrder'> {
  const errors: ReturnType<typeof checkContribution> = {};
  if (!b.forum) errors.forum = 'lib.needForum';
  if (!b.kind) errors.kind = 'lib.needKind';
  if (!b.title?.trim()) errors.title = 'lib.needTitle';
  if (b.visibility === 'states') {
    if (!b.states?.length) errors.states = 'lib.needStates';
    else if (b.states.some((s) => !/^[A-Z]{3}$/.test(s))) errors.states = 'lib.badStates';
  }
  if (b.visibility === 'public' && (b.tlp === 'TLP:AMBER' || b.tlp === 'TLP:AMBER+STRICT')) errors.tlp = 'lib.publicTlp';
  if (b.superseded_by !== undefined && b.superseded_by !== null && !(Number.isInteger(b.superseded_by) && b.superseded_by > 0))
    errors.superseded_by = 'lib.badSupersededBy';
  if (b.adopted_on && b.in_force_on && b.in_force_on < b.adopted_on) errors.in_force_on = 'lib.datesOrder';
  return errors;
}

// The fields an edit changes, to send as PATCH's body.
export function changedBody(before: ContributionBody, after: ContributionBody): ContributionBody {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) {
    const was = (before as Record<string, unknown>)[k];
    const norm = (x: unknown) => JSON.stringify(x ?? (Array.isArray(v) ? [] : v === null || typeof v === 'number' ? null : ''));
    if (norm(v) !== norm(was)) out[k] = v;
  }
  return out as ContributionBody;
}

function bodyOf(c: Contribution): ContributionBody {
  return {
    forum: c.forum, kind: c.kind, title: c.title, summary: c.summary, issuing_body: c.issuing_body,
    adopted_on: c.adopted_on ?? '', in_force_on: c.in_force_on ?? '', status: c.status,
    superseded_by: c.superseded_by ?? null, visibility: c.visibility, states: c.states, tlp: c.tlp, tags: c.tags,
  };
}

export function contributionFormView(ctx: Ctx, id?: number): HTMLElement {
  const main = h('main', { id: 'main' }, loading());
  void (async () => {
    let existing: Contribution | undefined;
    try {
      if (id !== undefined) existing = await ctx.api.get<Contribution>(`/library/contributions/${id}`);
    } catch (err) {
      replace(main, problemBox(err));
      return;
    }
    const forum = existing?.forum ?? (await defaultForum(ctx));
    replace(main, ...buildForm(ctx, forum, existing));
  })();
  return main;
}

function buildForm(ctx: Ctx, forum: string, existing?: Contribution): HTMLElement[] {
  const c = existing;
  const secretariat = ctx.user.role === 'secretariat';
  const fields: Record<string, Field> = {
    forum: field(t('lib.forum'), input('text', forum, { maxlength: '16', placeholder: 'CICA', ...(c ? { readonly: true } : {}) }), 'forum'),
    state: field(t('lib.onBehalfOf'), input('text', c?.state ?? '', { maxlength: '3', placeholder: 'KAZ' }), 'state'),
    kind: field(t('lib.kindLabel'), select([['', t('lib.chooseKind')], ...KINDS.map((k): [string, string] => [k, tKnown('lib.kind', k)])], c?.kind ?? ''), 'kind'),
    title: field(t('lib.titleField'), input('text', c?.title ?? '', { maxlength: '500' }), 'title'),
    summary: field(t('lib.summary'), h('textarea', { rows: 4, maxlength: 5000 }), 'summary'),
    issuing_body: field(t('lib.issuingBody'), input('text', c?.issuing_body ?? '', { maxlength: '300' }), 'issuing_body'),
    adopted_on: field(t('lib.adoptedOn'), input('date', c?.adopted_on ?? ''), 'adopted_on'),
    in_force_on: field(t('lib.inForceOn'), input('date', c?.in_force_on ?? ''), 'in_force_on'),
    status: field(t('lib.statusLabel'), select(STATUSES.map((s): [string, string] => [s, tKnown('lib.status', s)]), c?.status ?? 'in_force'), 'status'),
    superseded_by: field(t('lib.supersededByField'), input('number', c?.superseded_by ? String(c.superseded_by) : '', { min: '1', step: '1' }), 'superseded_by'),
    visibility: field(t('lib.visibilityLabel'), select(VISIBILITIES.map((v): [string, string] => [v, tKnown('lib.visibility', v)]), c?.visibility ?? 'forum'), 'visibility'),
    states: field(t('lib.listedStates'), input('text', (c?.states ?? []).join(' '), { placeholder: 'KAZ UZB' }), 'states'),
    tlp: field(t('lib.tlp'), select(LIBRARY_TLP.map((x): [string, string] => [x, x]), c?.tlp ?? 'TLP:GREEN'), 'tlp'),
    tags: field(t('lib.tagsField'), input('text', (c?.tags ?? []).join(' '), { placeholder: 'norm-13 cbm-3' }), 'tags'),
  };
  fields.summary.control.value = c?.summary ?? '';
  // The secretariat submits on a member state's behalf; a state's own people never choose.
  fields.state.wrapper.hidden = !secretariat || !!c;
  const sync = () => {
    fields.superseded_by.wrapper.hidden = fields.status.control.value !== 'superseded';
    fields.states.wrapper.hidden = fields.visibility.control.value !== 'states';
  };
  fields.status.control.addEventListener('change', sync);
  fields.visibility.control.addEventListener('change', sync);
  sync();

  const values = (): ContributionBody => {
    const v = (k: string) => fields[k].control.value.trim();
    const b: ContributionBody = {
      forum: v('forum').toUpperCase(), kind: v('kind'), title: v('title'), summary: v('summary'), issuing_body: v('issuing_body'),
      adopted_on: v('adopted_on'), in_force_on: v('in_force_on'), status: v('status'), visibility: v('visibility'),
      states: v('visibility') === 'states' ? parseStates(v('states')) : [], tlp: v('tlp'), tags: parseTags(v('tags')),
    };
    if (v('status') === 'superseded' && v('superseded_by')) b.superseded_by = Number(v('superseded_by'));
    else if (c?.superseded_by) b.superseded_by = null;
    if (secretariat && !c && v('state')) b.state = v('state').toUpperCase();
    return b;
  };

  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, c ? t('lib.saveChanges') : t('lib.submitButton'));
  const form = h('form', { class: 'contact-form contribution-form', novalidate: true }, Object.values(fields).map((f) => f.wrapper), submit, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    for (const f of Object.values(fields)) f.setError(undefined);
    const body = values();
    const problems = checkContribution(body);
    for (const [name, key] of Object.entries(problems)) fields[name]?.setError(t(key));
    if (Object.keys(problems).length) {
      fields[Object.keys(problems)[0]]?.control.focus();
      out.append(h('p', { class: 'field-error' }, t('common.fixFields')));
      return;
    }
    submit.disabled = true;
    try {
      let saved: Contribution;
      if (c) {
        // Only what changed; dates and the summary may be cleared (sent empty).
        const patch = changedBody(bodyOf(c), body);
        delete patch.forum;
        if (!Object.keys(patch).length) return ctx.go({ name: 'contribution', id: c.id });
        saved = await ctx.api.patch<Contribution>(`/library/contributions/${c.id}`, patch);
      } else {
        // Empty optional fields are left out rather than sent empty.
        const post: Record<string, unknown> = { ...body };
        for (const k of ['summary', 'issuing_body', 'adopted_on', 'in_force_on']) if (!post[k]) delete post[k];
        saved = await ctx.api.post<Contribution>('/library/contributions', post);
      }
      ctx.announce(c ? t('lib.saved') : t('lib.submittedNote'));
      ctx.go({ name: 'contribution', id: saved.id });
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.append(problemBox(err));
      else out.append(h('p', { class: 'field-error' }, err instanceof ProblemError && err.detail ? err.detail : t('common.fixFields')));
    } finally {
      submit.disabled = false;
    }
  });
  return [
    h('p', {}, h('a', { href: c ? href({ name: 'contribution', id: c.id }) : href({ name: 'library', query: {} }) }, c ? t('lib.backToContribution') : t('lib.back'))),
    h('h1', {}, c ? t('lib.editTitle', { title: c.title }) : t('lib.newTitle')),
    h('p', { class: 'small muted' }, c ? t('lib.editHint') : t('lib.newHint')),
    form,
  ];
}
