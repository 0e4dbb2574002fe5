// One point of contact: the read view, and the form that creates or edits it.
import type { Agency, Channel, Contact, StateDetail } from '../api';
import { ProblemError } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { formatDate, formatDateTime, formatOfficeHours } from '../format';
import { href } from '../routes';
import type { Ctx, Field } from '../ui';
import { badge, field, input, loading, problemBox, select, showFieldErrors } from '../ui';

function canManage(ctx: Ctx, state: string, stateForums: string[]): boolean {
  const u = ctx.user;
  return (
    u.role === 'admin' ||
    (u.role === 'focal_point' && u.state === state) ||
    (u.role === 'secretariat' && !!u.forum && stateForums.includes(u.forum))
  );
}

function dl(rows: [string, Node | string | null | undefined][]): HTMLElement {
  return h(
    'dl',
    { class: 'details' },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v as Node | string)]),
  );
}

export function contactView(ctx: Ctx, id: number): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  void (async () => {
    try {
      const c = await ctx.api.get<Contact>(`/contacts/${id}`);
      const state = await ctx.api.get<StateDetail>(`/states/${c.state}`);
      const manage = canManage(ctx, c.state, state.forums);
      const remove = h('button', { type: 'button', class: 'danger' }, t('common.delete'));
      remove.addEventListener('click', async () => {
        if (!confirm(t('contact.confirmDelete', { name: c.name }))) return;
        try {
          await ctx.api.delete(`/contacts/${c.id}`);
          ctx.announce(t('contact.deleted'));
          ctx.go({ name: 'state', alpha3: c.state });
        } catch (err) {
          main.append(problemBox(err));
        }
      });
      replace(
        main,
        h('p', {}, h('a', { href: href({ name: 'state', alpha3: c.state }) }, `← ${c.state_name}`)),
        h('h1', {}, c.name, ' ', c.status !== 'active' && badge(c.status),
          c.expired && [' ', h('span', { class: 'badge badge-expired', 'data-expired': 'true' }, t('contact.expired'))]),
        dl([
          [t('contact.type'), tKnown('type', c.type)],
          [t('contact.agency'), c.agency],
          [t('contact.position'), c.position],
          [t('col.languages'), c.languages.join(', ')],
          [t('view.timezone'), c.timezone],
          [t('contact.availability'), tKnown('availability', c.availability) + (c.office_hours ? ` — ${formatOfficeHours(c.office_hours)}` : '')],
          [
            t('contact.channels'),
            h(
              'ul',
              { class: 'plain' },
              c.channels.map((ch) =>
                h(
                  'li',
                  {},
                  `${tKnown('channel', ch.kind)}: `,
                  ch.kind === 'email' ? h('a', { href: `mailto:${ch.value}` }, ch.value) : h('a', { href: `tel:${ch.value.replace(/[^+\d]/g, '')}` }, ch.value),
                  ch.use ? ` (${ch.use})` : '',
                ),
              ),
            ),
          ],
          [t('contact.fingerprint'), c.key_fingerprint ? h('code', {}, c.key_fingerprint) : null],
          [t('view.nominationRef'), c.nomination_ref],
          [t('contact.validFrom'), c.valid_from && formatDate(c.valid_from)],
          [t('contact.validUntil'), c.valid_until ? formatDate(c.valid_until) + (c.expired ? ` — ${t('contact.expiredSince', { date: formatDate(c.valid_until) })}` : '') : null],
          [t('contact.confirmedAt'), c.confirmed_at && formatDateTime(c.confirmed_at)],
          [t('col.status'), [tKnown('status', c.status), c.status_note ? ` — ${c.status_note}` : ''].join('')],
          ['', c.nominated_by ? t('contact.nominatedBy', { who: c.nominated_by }) : null],
          ['', c.decided_by ? t('contact.decidedBy', { who: c.decided_by, when: formatDateTime(c.decided_at) }) : null],
        ]),
        manage &&
          h(
            'p',
            { class: 'actions' },
            h('a', { class: 'button primary', href: href({ name: 'contact-edit', id: c.id }) }, t('common.edit')),
            ' ',
            remove,
          ),
      );
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}

// Channel rows: kind, value, use; add and remove.
function channelEditor(initial: Channel[]): { element: HTMLElement; value(): Channel[]; fields(): Record<string, Field> } {
  const list = h('div', { class: 'channels' });
  const rows: { kind: Field; value: Field; use: Field; row: HTMLElement }[] = [];
  const renumber = () => {
    rows.forEach((r, i) => {
      r.kind.control.name = `channels.${i}.kind`;
      r.value.control.name = `channels.${i}.value`;
      r.use.control.name = `channels.${i}.use`;
    });
  };
  const add = (ch: Channel) => {
    const kinds = (['email', 'phone', 'fax', 'other'] as const).map((k): [string, string] => [k, tKnown('channel', k)]);
    const r = {
      kind: field(t('contact.channelKind'), select(kinds, ch.kind), 'kind'),
      value: field(t('contact.channelValue'), input('text', ch.value), 'value'),
      use: field(t('contact.channelUse'), input('text', ch.use ?? ''), 'use'),
      row: h('fieldset', { class: 'channel-row' }),
    };
    const remove = h('button', { type: 'button', class: 'link' }, t('contact.removeChannel', { n: rows.length + 1 }));
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(r), 1);
      r.row.remove();
      renumber();
    });
    r.row.append(r.kind.wrapper, r.value.wrapper, r.use.wrapper, remove);
    rows.push(r);
    list.append(r.row);
    renumber();
  };
  initial.forEach(add);
  const addButton = h('button', { type: 'button' }, t('contact.addChannel'));
  addButton.addEventListener('click', () => {
    add({ kind: 'email', value: '', use: null });
    rows[rows.length - 1].value.control.focus();
  });
  return {
    element: h('fieldset', {}, h('legend', {}, t('contact.channels')), list, addButton),
    value: () =>
      rows
        .filter((r) => r.value.control.value.trim())
        .map((r) => ({ kind: r.kind.control.value, value: r.value.control.value.trim(), use: r.use.control.value.trim() || null })),
    fields: () => {
      const out: Record<string, Field> = {};
      rows.forEach((r, i) => {
        out[`channels.${i}.kind`] = r.kind;
        out[`channels.${i}.value`] = r.value;
        out[`channels.${i}.use`] = r.use;
      });
      return out;
    },
  };
}

export function contactFormView(ctx: Ctx, mode: { id: number } | { state: string }): HTMLElement {
  const main = h('main', { id: 'main', 'aria-busy': 'true' }, loading());
  void (async () => {
    try {
      const existing = 'id' in mode ? await ctx.api.get<Contact>(`/contacts/${mode.id}`) : null;
      const alpha3 = existing ? existing.state : (mode as { state: string }).state;
      const state = await ctx.api.get<StateDetail>(`/states/${alpha3}`);
      renderForm(ctx, main, state, existing);
    } catch (err) {
      replace(main, problemBox(err));
    } finally {
      main.setAttribute('aria-busy', 'false');
    }
  })();
  return main;
}

function renderForm(ctx: Ctx, main: HTMLElement, state: StateDetail, c: Contact | null): void {
  const agencies: [string, string][] = [['', t('common.none')], ...state.agencies.map((a: Agency): [string, string] => [String(a.id), a.name])];
  const f = {
    name: field(t('contact.name'), input('text', c?.name, { required: true, autocomplete: 'off' }), 'name'),
    type: field(t('contact.type'), select([['technical', t('type.technical')], ['policy', t('type.policy')], ['law_enforcement', t('type.law_enforcement')]], c?.type), 'type'),
    agency_id: field(t('contact.agency'), select(agencies, c?.agency_id ? String(c.agency_id) : ''), 'agency_id'),
    position: field(t('contact.position'), input('text', c?.position), 'position'),
    languages: field(t('contact.languages'), input('text', c?.languages.join(', ') ?? 'en'), 'languages'),
    timezone: field(t('contact.timezone'), input('text', c?.timezone), 'timezone'),
    availability: field(
      t('contact.availability'),
      select([['24/7', t('availability.24/7')], ['office_hours', t('availability.office_hours')]], c?.availability),
      'availability',
    ),
    office_hours: field(t('contact.officeHours'), input('text', c?.office_hours), 'office_hours'),
    key_fingerprint: field(t('contact.fingerprint'), input('text', c?.key_fingerprint, { class: 'mono' }), 'key_fingerprint'),
    nomination_ref: field(t('contact.nominationRef'), input('text', c?.nomination_ref), 'nomination_ref'),
    valid_from: field(t('contact.validFrom'), input('date', c?.valid_from), 'valid_from'),
    valid_until: field(t('contact.validUntil'), input('date', c?.valid_until), 'valid_until'),
  };
  const channels = channelEditor(c?.channels ?? [{ kind: 'email', value: '', use: 'primary' }]);
  const message = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit', class: 'primary' }, t('common.save'));
  const form = h(
    'form',
    { class: 'card contact-form', novalidate: true, 'aria-labelledby': 'form-title' },
    h('h1', { id: 'form-title' }, c ? t('contact.editTitle', { name: c.name }) : t('contact.newTitle', { state: state.name })),
    Object.values(f).slice(0, 8).map((x) => x.wrapper),
    channels.element,
    Object.values(f).slice(8).map((x) => x.wrapper),
    message,
    h('p', { class: 'actions' }, save, ' ', h('a', { href: c ? href({ name: 'contact', id: c.id }) : href({ name: 'state', alpha3: state.alpha3 }) }, t('common.cancel'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    message.replaceChildren();
    const text = (x: Field) => x.control.value.trim() || null;
    const body: Record<string, unknown> = {
      name: f.name.control.value.trim(),
      type: f.type.control.value,
      agency_id: f.agency_id.control.value ? Number(f.agency_id.control.value) : null,
      position: text(f.position),
      languages: f.languages.control.value.split(',').map((s) => s.trim()).filter(Boolean),
      timezone: text(f.timezone),
      availability: f.availability.control.value,
      office_hours: text(f.office_hours),
      channels: channels.value(),
      key_fingerprint: text(f.key_fingerprint),
      nomination_ref: text(f.nomination_ref),
      valid_from: text(f.valid_from),
      valid_until: text(f.valid_until),
    };
    try {
      let saved: Contact;
      if (c) {
        saved = await ctx.api.patch<Contact>(`/contacts/${c.id}`, body, { 'If-Match': `"${c.version}"` });
        ctx.announce(t('common.saved'));
      } else {
        saved = await ctx.api.post<Contact>('/contacts', { ...body, state: state.alpha3 });
        ctx.announce(saved.status === 'pending' ? t('contact.created') : t('contact.createdActive'));
      }
      ctx.go({ name: 'contact', id: saved.id });
    } catch (err) {
      const all = { ...f, ...channels.fields() };
      if (err instanceof ProblemError && err.status === 412) {
        message.replaceChildren(h('div', { class: 'problem', role: 'alert' }, t('contact.conflict')));
      } else if (showFieldErrors(all, err)) {
        message.replaceChildren(h('p', { class: 'problem', role: 'alert' }, t('common.fixFields')));
      } else {
        message.replaceChildren(problemBox(err));
      }
    } finally {
      save.disabled = false;
    }
  });
  replace(main, form);
  f.name.control.focus();
}
