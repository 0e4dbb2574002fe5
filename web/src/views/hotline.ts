// The hotline: the inbox (unread and unacknowledged counts, one-click acknowledge),
// composing a communication from the template, and a thread with its lifecycle,
// recipients' progress and escalation status.
import type { Addressee, AddressBook, Communication, CommunicationPage, Forum, LifecycleEvent, StateSummary } from '../api';
import { ProblemError, queryString } from '../api';
import { h, replace } from '../dom';
import { locale, t, tKnown } from '../i18n';
import { formatDateTime, formatNumber, formatOfficeHours, formatRelative } from '../format';
import { localNames } from '../names';
import { languageName } from './forums';
import { href } from '../routes';
import { checkRecords, ledgerBadge } from '../ledger/badge';
import type { Checked } from '../ledger/badge';
import type { Ctx, Field } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors } from '../ui';

export const TLP_LABELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'];
const TYPES = ['notification', 'request_for_information', 'request_for_assistance', 'request_for_consultation', 'note_verbale', 'check'];
export const CONTACT_KINDS = ['all', 'policy', 'technical', 'law_enforcement'];
export const SECTORS = ['', 'energy', 'transport', 'banking', 'financial_market_infrastructure', 'health', 'drinking_water',
  'waste_water', 'digital_infrastructure', 'telecommunications', 'ict_service_management', 'public_administration',
  'elections', 'space', 'postal', 'waste_management', 'chemicals', 'food', 'manufacturing', 'digital_providers',
  'research', 'defence', 'emergency_services', 'other'];

function when(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  return formatDateTime(iso);
}

export function tlpBadge(tlp: string): HTMLElement {
  return h('span', { class: `tlp tlp-${tlp.slice(4).toLowerCase().replace('+', '-')}` }, tlp);
}

// A note verbale is not an incident: it has no severity, and shows none.
export function severityBadge(c: { severity: number | null; type?: string }): HTMLElement {
  if (c.severity === null || c.type === 'note_verbale')
    return h('span', { class: 'sev sev-none' }, t('hotline.noSeverity'));
  return h('span', { class: `sev sev-${c.severity}` }, t('hotline.severityShort', { n: c.severity }),
    ' ', tKnown('severity', String(c.severity)));
}

// "24/7", or "Mon-Fri 09:00-17:00 (Asia/Almaty) — open now / opens …" (days in the console's language).
export function availabilityText(a: Addressee): string {
  if (a.availability !== 'office_hours' || !a.office_hours) return tKnown('availability', a.availability);
  const hours = t('hotline.officeHours', { hours: formatOfficeHours(a.office_hours), zone: a.timezone ?? 'UTC' });
  return `${hours} — ${a.available_now ? t('hotline.openNow') : t('hotline.opensAt', { when: when(a.next_opening_at) })}`;
}

function stageBadge(status: string): HTMLElement {
  return h('span', { class: `badge stage-${status}` }, tKnown('stage', status));
}

function counterparty(c: Communication, ctx: Ctx): string {
  const mine = ctx.user.state && c.sender.state === ctx.user.state;
  if (mine || (!c.sender.state && ctx.user.role === 'secretariat'))
    return t('hotline.to', { who: c.recipients.map((r) => r.state).join(', ') || c.forum });
  return t('hotline.from', { who: c.sender.state ?? t('hotline.secretariatOf', { forum: c.forum }) });
}

export function inboxView(ctx: Ctx, query: Record<string, string>): HTMLElement {
  const box = query.box ?? 'inbox';
  const counts = h('p', { class: 'counts', role: 'status' });
  const list = h('section', { 'aria-live': 'polite' }, loading());
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('hotline.boxes') },
    ['inbox', 'sent', 'all'].map((b) => h('a', { href: href({ name: 'hotline', query: { box: b } }),
      'aria-current': b === box ? 'page' : null }, tKnown('box', b))));
  const load = async () => {
    try {
      const page = await ctx.api.get<CommunicationPage>(`/communications${queryString({ box, limit: 100 })}`);
      replace(counts, t('hotline.counts', { unread: page.unread, unacknowledged: page.unacknowledged }));
      if (!page.items.length) {
        replace(list, h('p', {}, t('hotline.empty')));
        return;
      }
      replace(list, h('table', { class: 'contacts inbox' },
        h('thead', {}, h('tr', {}, h('th', {}, t('hotline.subject')), h('th', {}, t('hotline.party')),
          h('th', {}, t('hotline.severity')), h('th', {}, t('hotline.tlp')), h('th', {}, t('hotline.status')),
          h('th', {}, t('hotline.sentAt')), h('th', {}, ''))),
        h('tbody', {}, page.items.map((c) => {
          const ack = c.you.can_acknowledge && h('button', { type: 'button', class: 'primary', 'data-ack': c.id }, t('hotline.acknowledge'));
          if (ack) ack.addEventListener('click', async () => {
            ack.disabled = true;
            try {
              await ctx.api.post(`/communications/${c.id}/ack`, {});
              ctx.announce(t('hotline.acknowledged', { id: c.id }));
              void load();
            } catch (err) {
              ack.replaceWith(problemBox(err));
            }
          });
          return h('tr', { class: c.you.unread ? 'unread' : '', 'data-communication-id': c.id },
            h('th', {}, h('a', { href: href({ name: 'communication', id: c.id }) }, c.subject),
              h('div', { class: 'small muted' }, tKnown('ctype', c.type))),
            h('td', {}, counterparty(c, ctx)),
            h('td', {}, severityBadge(c)),
            h('td', {}, tlpBadge(c.tlp)),
            h('td', {}, stageBadge(c.status)),
            h('td', { class: 'small' }, when(c.created_at)),
            h('td', {}, ack || (c.you.acknowledged_at ? h('span', { class: 'small muted' }, t('hotline.youAcked')) : '')));
        }))));
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  void load();
  const canSend = ['poc', 'focal_point', 'secretariat'].includes(ctx.user.role);
  const view = h('main', { id: 'main', 'data-view': 'hotline' },
    h('div', { class: 'section-head' }, h('h1', {}, t('hotline.title')),
      canSend && h('a', { class: 'button primary', href: href({ name: 'compose', query: {} }) }, t('hotline.compose'))),
    tabs, counts, list);
  (view as HTMLElement & { refresh?: () => void }).refresh = () => void load();
  return view;
}

// The compose form: the sender picks from the directory, by name — a forum, its states,
// a kind of contact, and (optionally; required for TLP:RED) named people shown with their
// agency and availability. No code or username is typed.
export function composeView(ctx: Ctx, query: Record<string, string> = {}): HTMLElement {
  const fields: Record<string, Field> = {
    type: field(t('hotline.type'), select(TYPES.map((x) => [x, tKnown('ctype', x)]), 'notification'), 'type'),
    forum: field(t('hotline.forum'), select([], ''), 'forum'),
    contact_kind: field(t('hotline.contactKind'), select(CONTACT_KINDS.map((k) => [k, tKnown('kind', k)]), 'all'), 'contact_kind'),
    subject: field(t('hotline.subject'), input('text', '', { maxlength: '300' }), 'subject'),
    description: field(t('hotline.description'), h('textarea', { rows: 7 }), 'description'),
    severity: field(t('hotline.severity'), select([0, 1, 2, 3, 4, 5].map((n) => [String(n), `${n} — ${tKnown('severity', String(n))}`]), '2'), 'severity'),
    tlp: field(t('hotline.tlp'), select(TLP_LABELS.map((x) => [x, x]), 'TLP:AMBER'), 'tlp'),
    sector: field(t('hotline.sector'), select(SECTORS.map((x) => [x, x ? tKnown('sector', x) : t('common.none')]), ''), 'sector'),
    incident_started_at: field(t('hotline.incidentStarted'), input('datetime-local', ''), 'incident_started_at'),
    incident_detected_at: field(t('hotline.incidentDetected'), input('datetime-local', ''), 'incident_detected_at'),
    requested_action: field(t('hotline.requestedAction'), h('textarea', { rows: 2 }), 'requested_action'),
    respond_by: field(t('hotline.respondBy'), input('datetime-local', ''), 'respond_by'),
    // The message's language, chosen by name among the forum's working languages and the console's.
    language: field(t('hotline.language'), select([[locale(), languageName(locale())]], locale()), 'language'),
    stix_refs: field(t('hotline.stixRefs'), input('text', query.stix_ref ?? '', { placeholder: 'incident--…', autocomplete: 'off' }), 'stix_refs'),
  };
  // Recipients: the whole forum, or states chosen by name.
  const wholeForum = h('input', { type: 'radio', name: 'scope', value: 'forum', id: 'scope-forum' }) as HTMLInputElement;
  const someStates = h('input', { type: 'radio', name: 'scope', value: 'states', id: 'scope-states', checked: true }) as HTMLInputElement;
  const stateBoxes = h('div', { class: 'choices states-choice' }, loading());
  const stateError = h('p', { class: 'field-error', hidden: true });
  const recipients = h('fieldset', { class: 'recipients-choice', 'data-field': 'recipients' },
    h('legend', {}, t('hotline.sendTo')),
    h('label', {}, wholeForum, ' ', t('hotline.wholeForum')), ' ',
    h('label', {}, someStates, ' ', t('hotline.chosenStates')),
    stateBoxes, stateError);
  const peopleBoxes = h('div', { class: 'choices people-choice' });
  const peopleError = h('p', { class: 'field-error', hidden: true });
  const reachNote = h('div', { class: 'reach small', 'aria-live': 'polite' });
  const people = h('fieldset', { class: 'people-choice', 'data-field': 'recipient_contacts' },
    h('legend', {}, t('hotline.namedPeople')), peopleBoxes, peopleError);
  let states: StateSummary[] = [];
  let book: AddressBook | null = null;
  const chosenStates = (): string[] => wholeForum.checked
    ? states.map((s) => s.alpha3)
    : [...stateBoxes.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((b) => b.value);
  const nameOf = (a3: string) => states.find((s) => s.alpha3 === a3)?.name ?? a3;
  // The named-people list and, per chosen state, whether the kind addressed reaches anyone.
  const renderPeople = () => {
    const chosen = new Set(chosenStates());
    const kind = fields.contact_kind.control.value;
    const ticked = new Set([...peopleBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value));
    const rows: HTMLElement[] = [];
    const unreachable: string[] = [];
    for (const s of book?.states ?? []) {
      if (!chosen.has(s.state)) continue;
      const valid = s.contacts.filter((c) => c.valid);
      if (!valid.some((c) => kind === 'all' || c.kind === kind)) unreachable.push(nameOf(s.state));
      for (const c of valid) {
        const box = h('input', { type: 'checkbox', value: String(c.contact_id), checked: ticked.has(String(c.contact_id)) }) as HTMLInputElement;
        rows.push(h('label', { class: 'person', 'data-contact-id': c.contact_id }, box, ' ',
          h('strong', {}, c.name), ` — ${[nameOf(s.state), c.agency, tKnown('type', c.kind), availabilityText(c)].filter(Boolean).join(' · ')}`));
      }
    }
    replace(peopleBoxes, rows.length ? rows : h('p', { class: 'small muted' }, t('hotline.noPeople')));
    replace(reachNote, unreachable.length
      ? h('p', { class: 'warning' }, t('hotline.noValidContact', { kind: tKnown('kind', kind), states: unreachable.join(', ') }))
      : '');
  };
  const renderStates = () => {
    const forum = fields.forum.control.value;
    const mine = states.filter((s) => s.forums.includes(forum) && s.alpha3 !== ctx.user.state);
    replace(stateBoxes, mine.map((s) => h('label', { class: 'state' },
      h('input', { type: 'checkbox', value: s.alpha3 }), ' ', s.name)));
    stateBoxes.style.display = wholeForum.checked ? 'none' : '';
    renderPeople();
  };
  const forumLanguages = new Map<string, string[]>();
  const syncLanguages = () => {
    const control = fields.language.control as HTMLSelectElement;
    const keep = control.value;
    const tags = [...new Set([locale(), ...(forumLanguages.get(fields.forum.control.value) ?? [])])];
    replace(control, tags.map((tag) => h('option', { value: tag }, languageName(tag))));
    control.value = tags.includes(keep) ? keep : locale();
  };
  const loadForum = async () => {
    const forum = fields.forum.control.value;
    syncLanguages();
    book = null;
    renderStates();
    if (!forum) return;
    try {
      book = await ctx.api.get<AddressBook>(`/hotline/addressees${queryString({ forum })}`);
      renderPeople();
    } catch (err) {
      replace(peopleBoxes, problemBox(err));
    }
  };
  void (async () => {
    try {
      const all = await ctx.api.get<{ items: StateSummary[] }>('/states');
      states = all.items;
      const forums = ctx.user.role === 'secretariat' && ctx.user.forum ? [ctx.user.forum]
        : all.items.find((s) => s.alpha3 === ctx.user.state)?.forums ?? [];
      // Each forum by its name in the console's language (the list comes localized).
      const named = await ctx.api.get<{ items: (Forum & { abbreviation?: string | null })[] }>('/forums')
        .then((r) => {
          for (const f of r.items) forumLanguages.set(f.code, f.languages ?? []);
          return new Map(r.items.map((f) => [f.code, f.abbreviation ? `${f.abbreviation} — ${f.name}` : f.name]));
        })
        .catch(() => new Map<string, string>());
      replace(fields.forum.control, forums.map((f) => h('option', { value: f }, named.get(f) ?? f)));
      await loadForum();
    } catch (err) {
      replace(stateBoxes, problemBox(err));
    }
  })();
  fields.forum.control.addEventListener('change', () => void loadForum());
  fields.contact_kind.control.addEventListener('change', renderPeople);
  stateBoxes.addEventListener('change', renderPeople);
  for (const r of [wholeForum, someStates]) r.addEventListener('change', () => { stateBoxes.style.display = wholeForum.checked ? 'none' : ''; renderPeople(); });
  // A note verbale has no severity.
  const syncType = () => {
    const none = fields.type.control.value === 'note_verbale';
    fields.severity.wrapper.hidden = none;
    fields.severity.wrapper.style.display = none ? 'none' : '';   // a field's CSS display would show it anyway
  };
  fields.type.control.addEventListener('change', syncType);
  const out = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('hotline.send'));
  const { type, forum, contact_kind: kindField, ...rest } = fields;
  const form = h('form', { class: 'contact-form', novalidate: true }, type.wrapper, forum.wrapper, recipients,
    kindField.wrapper, reachNote, people, Object.values(rest).map((f) => f.wrapper), submit, out);
  const iso = (v: string) => (v ? new Date(`${v}Z`).toISOString() : undefined);
  const showError = (el: HTMLElement, reason: string | undefined) => {
    el.hidden = !reason;
    el.textContent = reason ?? '';
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    const v = (k: string) => fields[k].control.value.trim();
    const list = (k: string) => v(k).split(/[\s,;]+/).filter(Boolean);
    const body: Record<string, unknown> = {
      type: v('type'), recipients: wholeForum.checked ? [v('forum')] : chosenStates(), forum: v('forum'),
      contact_kind: v('contact_kind'), subject: v('subject'), description: v('description'),
      tlp: v('tlp'), language: v('language') || locale(),
    };
    if (v('type') !== 'note_verbale') body.severity = Number(v('severity'));
    const named = [...peopleBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => Number(b.value));
    if (named.length) body.recipient_contacts = named;
    if (list('stix_refs').length) body.stix_refs = list('stix_refs');
    for (const k of ['sector', 'requested_action']) if (v(k)) body[k] = v(k);
    for (const k of ['incident_started_at', 'incident_detected_at', 'respond_by']) if (v(k)) body[k] = iso(v(k));
    try {
      const c = await ctx.api.post<Communication>('/communications', body);
      ctx.announce(t('hotline.sent', { id: c.id }));
      ctx.go({ name: 'communication', id: c.id });
    } catch (err) {
      out.replaceChildren();
      const p = err instanceof ProblemError ? err : null;
      showError(stateError, p?.fieldError('recipients'));
      showError(peopleError, p?.fieldError('recipient_contacts'));
      if (!showFieldErrors(fields, err) && !p?.fieldError('recipients') && !p?.fieldError('recipient_contacts'))
        out.append(problemBox(err));
      else out.append(h('p', { class: 'field-error' }, t('common.fixFields')));
    } finally {
      submit.disabled = false;
    }
  });
  return h('main', { id: 'main' }, h('h1', {}, t('hotline.composeTitle')), form);
}

// Who did it: a user by username (the server says "user:NAME"), or the system.
function actorText(actor: string): string {
  return actor === 'system' ? t('hotline.bySystem') : actor.replace(/^user:/, '');
}

// The server's note on an event, in the console's words for the events whose notes it
// writes itself; a note a person wrote (closing) as written; any other server note as
// it comes, marked as the English it is.
function eventDetail(e: LifecycleEvent, c: Communication): HTMLElement | string {
  if (!e.detail) return '';
  const own = (text: string) => h('div', { class: 'small' }, text);
  const sent = e.kind === 'sent' && /^to ([A-Z0-9, -]+?)(?:, (\w+) contacts)?$/.exec(e.detail);
  if (sent) {
    const names = sent[1].split(', ').map((a3) => c.recipients.find((r) => r.state === a3)?.name ?? a3).join(', ');
    return own(sent[2] ? t('hotline.life.sentToKind', { states: names, kind: tKnown('kind', sent[2]) })
      : t('hotline.to', { who: names }));
  }
  if (e.kind === 'delivered' && e.detail === 'on the stream') return own(t('hotline.life.onStream'));
  if (e.kind === 'delivered' && e.detail === 'read through the API') return own(t('hotline.life.readApi'));
  const reply = e.kind === 'answered' && /^reply (\d+)$/.exec(e.detail);
  if (reply) return own(t('hotline.life.reply', { id: reply[1] }));
  if (e.kind === 'closed') return own(e.detail);
  return h('div', { class: 'small', lang: 'en' }, e.detail);
}

function lifecycleList(c: Communication): HTMLElement {
  return h('ol', { class: 'lifecycle' }, (c.lifecycle ?? []).map((e) =>
    h('li', { class: `life-${e.kind}` }, h('strong', {}, tKnown('stage', e.kind)), ' ',
      e.state ? `${e.state} ` : '', h('span', { class: 'small muted' }, when(e.at)),
      e.actor ? h('span', { class: 'small' }, ` — ${actorText(e.actor)}`) : '', eventDetail(e, c))));
}

// The ledger line of a state's acknowledgement, under its cell.
const ackedBy = (state: string) => (k: Checked) =>
  k.row.action === 'communication.acknowledge' && (k.leaf?.change as Record<string, unknown> | undefined)?.state === state;

function recipientsTable(c: Communication, ledger?: Promise<Checked[]>): HTMLElement {
  return h('table', { class: 'contacts recipients' },
    h('thead', {}, h('tr', {}, h('th', {}, t('hotline.state')), h('th', {}, tKnown('stage', 'delivered')),
      h('th', {}, tKnown('stage', 'acknowledged')), h('th', {}, tKnown('stage', 'answered')), h('th', {}, t('hotline.escalation')))),
    h('tbody', {}, c.recipients.map((r) => h('tr', { 'data-state': r.state },
      h('th', {}, r.name, r.no_valid_contact ? h('div', { class: 'small warning' }, t('hotline.stateNoContact')) : '',
        r.ack_deadline_at ? h('div', { class: 'small muted' }, t('hotline.deadline', { when: when(r.ack_deadline_at) })) : ''),
      h('td', {}, when(r.delivered_at)),
      h('td', { class: 'ack-cell' }, r.acknowledged_at ? `${when(r.acknowledged_at)} — ${r.acknowledged_by ?? ''}` : t('hotline.notYet'),
        r.acknowledged_at && ledger ? ledgerBadge(ledger, `communication:${c.id}`, { pick: ackedBy(r.state) }) : ''),
      h('td', {}, when(r.answered_at)),
      h('td', {}, r.escalation_level ? t('hotline.escalated', { level: r.escalation_level, who: tKnown('level', String(r.escalation_level)) })
        : r.next_escalation_at ? t('hotline.escalatesAt', { when: when(r.next_escalation_at), relative: formatRelative(r.next_escalation_at) }) : t('common.none'))))));
}

export function communicationView(ctx: Ctx, id: number): HTMLElement {
  const body = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const [c, names] = await Promise.all([ctx.api.get<Communication>(`/communications/${id}`), localNames(ctx.api)]);
      // The server names recipient states in its default language; the console's instead.
      for (const r of c.recipients) r.name = names.state(r.state, r.name);
      const thread = await ctx.api.get<CommunicationPage>(`/communications${queryString({ thread_id: c.thread_id, limit: 200 })}`);
      // Its entries in the ledger, each receipt verified here; shown under the message
      // (sent) with the rest on demand, and under each state's acknowledgement.
      const ledger = checkRecords(ctx.api, `communication:${c.id}`);
      const out = h('div', { 'aria-live': 'assertive' });
      const ack = c.you.can_acknowledge && h('button', { type: 'button', class: 'primary big', id: 'acknowledge' }, t('hotline.acknowledge'));
      if (ack) ack.addEventListener('click', async () => {
        ack.disabled = true;
        try {
          await ctx.api.post(`/communications/${id}/ack`, {});
          ctx.announce(t('hotline.acknowledged', { id }));
          void load();
        } catch (err) {
          out.replaceChildren(problemBox(err));
        }
      });
      const close = c.you.can_close && h('button', { type: 'button' }, t('hotline.close'));
      if (close) close.addEventListener('click', async () => {
        try {
          await ctx.api.post(`/communications/${id}/close`, {});
          void load();
        } catch (err) {
          out.replaceChildren(problemBox(err));
        }
      });
      const reply = field(t('hotline.replyText'), h('textarea', { rows: 4 }), 'description');
      // A live refresh keeps a reply being written.
      reply.control.value = body.querySelector<HTMLTextAreaElement>('form.reply textarea')?.value ?? '';
      const send = h('button', { type: 'submit', class: 'primary' }, t('hotline.reply'));
      const replyForm = c.you.can_reply && h('form', { class: 'reply', novalidate: true }, reply.wrapper, send);
      if (replyForm) replyForm.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          const r = await ctx.api.post<Communication>(`/communications/${id}/reply`, { description: reply.control.value });
          ctx.go({ name: 'communication', id: r.id });
        } catch (err) {
          if (!showFieldErrors({ description: reply }, err)) out.replaceChildren(problemBox(err));
        }
      });
      replace(body,
        h('div', { class: 'section-head' }, h('h1', {}, c.subject), h('span', {}, severityBadge(c), ' ', tlpBadge(c.tlp), ' ', stageBadge(c.status))),
        h('p', { class: 'muted' }, `${tKnown('ctype', c.type)} · ${counterparty(c, ctx)} · ${c.forum} · ${when(c.created_at)}`,
          c.contact_kind && c.contact_kind !== 'all' ? ` · ${t('hotline.toKind', { kind: tKnown('kind', c.contact_kind) })}` : ''),
        ack && h('div', { class: 'ack-box' }, h('p', {}, t('hotline.ackPrompt', {
          deadline: when(c.recipients.find((r) => r.state === ctx.user.state)?.ack_deadline_at ?? c.ack_deadline_at) })), ack),
        out,
        h('div', { class: 'card message' }, h('p', { class: 'pre' }, c.description ?? ''),
          c.requested_action && h('p', {}, h('strong', {}, t('hotline.requestedAction')), ' ', c.requested_action),
          c.respond_by && h('p', {}, h('strong', {}, t('hotline.respondBy')), ' ', when(c.respond_by)),
          c.sector && h('p', {}, h('strong', {}, t('hotline.sector')), ' ', tKnown('sector', c.sector)),
          (c.attachments ?? []).length > 0 && h('ul', { class: 'attachments' }, (c.attachments ?? []).map((a) =>
            h('li', {}, h('a', { href: `/api/v1/communications/${c.id}/attachments/${a.sha256}` }, a.filename),
              h('span', { class: 'small muted' }, ` ${t('hotline.bytes', { n: formatNumber(a.size) })} · SHA-256 ${a.sha256.slice(0, 16)}…`)))),
          (c.stix_refs ?? []).length > 0 && h('div', { class: 'stix-refs' }, h('strong', {}, t('hotline.stixRefs')),
            h('ul', {}, (c.stix_refs ?? []).map((id) =>
              h('li', {}, h('a', { href: href({ name: 'threats', query: { forum: c.forum, q: id } }) }, id)))))),
        ledgerBadge(ledger, `communication:${c.id}`, { pick: (k) => k.row.action === 'communication.send', more: true }),
        h('h2', {}, t('hotline.progress')),
        c.ack_deadline_at && h('p', { class: 'small' }, t('hotline.deadline', { when: when(c.ack_deadline_at) })),
        recipientsTable(c, ledger),
        h('h2', {}, t('hotline.lifecycle')), lifecycleList(c),
        thread.items.length > 1 && h('h2', {}, t('hotline.thread')),
        thread.items.length > 1 && h('ul', { class: 'plain thread' }, thread.items.slice().reverse().map((m) =>
          h('li', {}, m.id === c.id ? h('strong', {}, m.subject) : h('a', { href: href({ name: 'communication', id: m.id }) }, m.subject),
            h('span', { class: 'small muted' }, ` — ${m.sender.state ?? m.forum} · ${when(m.created_at)} · `), stageBadge(m.status)))),
        replyForm,
        close && h('p', {}, close));
    } catch (err) {
      replace(body, problemBox(err));
    }
  };
  void load();
  const view = h('main', { id: 'main', 'data-view': 'communication', 'data-id': id },
    h('p', {}, h('a', { href: href({ name: 'hotline', query: {} }) }, t('hotline.back'))), body);
  (view as HTMLElement & { refresh?: () => void }).refresh = () => void load();
  return view;
}
