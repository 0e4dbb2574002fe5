// Invitations: the form to invite someone (role, then the state or forum chosen by name
// from lists, and for a point of contact the directory contact the account will be, or
// a new one), and the invitations in the caller's scope with revoke and resend.
import type { Contact, Forum, Page, StateSummary, User } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import type { Ctx } from '../ui';
import { field, input, loading, problemBox, select, showFieldErrors } from '../ui';
import { formatDateTime } from '../format';
import { localNames } from '../names';

export type Role = User['role'];

// The roles `user` may give (the server decides; this only shapes the form): the
// admin any; a secretariat its own forum's and its member states'; a focal point its
// state's points of contact.
export function grantableRoles(user: User): Role[] {
  switch (user.role) {
    case 'admin':
      return ['admin', 'secretariat', 'focal_point', 'poc', 'observer'];
    case 'secretariat':
      return ['secretariat', 'focal_point', 'poc'];
    case 'focal_point':
      return ['poc'];
    default:
      return [];
  }
}

interface Invitation {
  id: number;
  email: string;
  role: Role;
  state: string | null;
  state_name: string | null;
  forum: string | null;
  forum_name: string | null;
  contact_name: string | null;
  invited_by: string;
  status: 'pending' | 'expired' | 'revoked' | 'accepted';
  expires_at: string;
  username: string | null;
}

interface Invited {
  invitation: Invitation | null;
  nomination: Contact | null;
  mailed: boolean;
  link: string | null;
}

export function invitationsView(ctx: Ctx): HTMLElement {
  const list = h('section', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      // The invitations carry the server's default names; the console's language's instead.
      const [res, names] = await Promise.all([ctx.api.get<{ items: Invitation[] }>('/invitations?status=open'), localNames(ctx.api)]);
      const forumName = (i: Invitation) => i.forum && names.forum(i.forum, i.forum_name);
      const stateName = (i: Invitation) => i.state && names.state(i.state, i.state_name);
      if (!res.items.length) return replace(list, h('p', {}, t('inv.none')));
      replace(list, h('table', { class: 'contacts' },
        h('thead', {}, h('tr', {}, h('th', {}, t('inv.email')), h('th', {}, t('inv.role')), h('th', {}, t('inv.scope')),
          h('th', {}, t('inv.status')), h('th', {}, t('inv.expires')), h('th', {}, t('inv.actions')))),
        h('tbody', {}, res.items.map((i) => {
          const out = h('span', { 'aria-live': 'polite' });
          const revoke = h('button', { type: 'button', class: 'danger' }, t('inv.revoke'));
          const resend = h('button', { type: 'button' }, t('inv.resend'));
          revoke.addEventListener('click', async () => {
            try {
              await ctx.api.delete(`/invitations/${i.id}`);
              ctx.announce(t('inv.revoked', { email: i.email }));
              void load();
            } catch (err) {
              out.replaceChildren(problemBox(err));
            }
          });
          resend.addEventListener('click', async () => {
            try {
              const r = await ctx.api.post<Invited>(`/invitations/${i.id}/resend`);
              ctx.announce(t('inv.resent', { email: i.email }));
              await load();
              if (r.link) list.prepend(linkNote(r.link));
            } catch (err) {
              out.replaceChildren(problemBox(err));
            }
          });
          return h('tr', { 'data-invitation-id': i.id },
            h('th', {}, i.email), h('td', {}, tKnown('role', i.role)),
            h('td', {}, [forumName(i), stateName(i), i.contact_name].filter(Boolean).join(' · ') || t('common.none')),
            h('td', {}, tKnown('inv.status', i.status)), h('td', {}, formatDateTime(i.expires_at)),
            h('td', {}, revoke, ' ', resend, out));
        }))));
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  void load();
  return h('main', { id: 'main' }, h('h1', {}, t('inv.title')), inviteForm(ctx, () => void load()),
    h('h2', {}, t('inv.open')), list);
}

function linkNote(link: string): HTMLElement {
  return h('p', { class: 'note' }, t('inv.byHand'), ' ', h('code', { class: 'secret' }, link));
}

function inviteForm(ctx: Ctx, changed: () => void): HTMLElement {
  const roles = grantableRoles(ctx.user);
  const email = field(t('inv.email'), input('email', '', { autocomplete: 'off' }), 'email');
  const role = field(t('inv.role'), select(roles.map((r) => [r, tKnown('role', r)]), roles.includes('poc') ? 'poc' : roles[0]), 'role');
  const state = field(t('inv.state'), select([], ''), 'state');
  const forum = field(t('inv.forum'), select([], ''), 'forum');
  const contact = field(t('inv.contact'), select([], ''), 'contact_id');
  const name = field(t('contact.name'), input('text', ''), 'contact.name');
  const type = field(t('contact.type'), select(['policy', 'technical', 'law_enforcement'].map((v) => [v, tKnown('type', v)]), 'technical'), 'contact.type');
  const availability = field(t('contact.availability'), select(['24/7', 'office_hours'].map((v) => [v, tKnown('availability', v)]), '24/7'), 'contact.availability');
  const newContact = h('fieldset', {}, h('legend', {}, t('inv.newContact')), name.wrapper, type.wrapper, availability.wrapper);
  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inv.send'));
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('inv.new')), email.wrapper, role.wrapper,
    state.wrapper, forum.wrapper, contact.wrapper, newContact, out, submit);

  let states: StateSummary[] = [];
  const setOptions = (el: HTMLSelectElement, options: [string, string][]) => {
    const keep = el.value;
    el.replaceChildren(...options.map(([v, label]) => h('option', { value: v }, label)));
    if (options.some(([v]) => v === keep)) el.value = keep;
  };
  const loadContacts = async () => {
    const a3 = state.control.value;
    const options: [string, string][] = [['', t('inv.contactNew')]];
    if (a3) {
      try {
        const page = await ctx.api.get<Page<Contact>>(`/contacts?state=${encodeURIComponent(a3)}&status=active&limit=200`);
        // Entries that are someone's account already, or have an open invitation, are not offered.
        const [accounts, open] = await Promise.all([
          ctx.api.get<{ items: { contact_id: number | null }[] }>('/accounts'),
          ctx.api.get<{ items: { contact_id: number | null; status: string }[] }>('/invitations?status=open'),
        ]);
        const taken = new Set([...accounts.items.map((a) => a.contact_id),
          ...open.items.filter((i) => i.status === 'pending').map((i) => i.contact_id)]);
        for (const k of page.items)
          if (!taken.has(k.id)) options.push([String(k.id), `${k.name} — ${tKnown('type', k.type)}`]);
      } catch {
        /* the new-contact choice remains */
      }
    }
    setOptions(contact.control as HTMLSelectElement, options);
    sync();
  };
  const sync = () => {
    const r = role.control.value;
    const perState = r === 'focal_point' || r === 'poc';
    state.wrapper.hidden = !perState;
    forum.wrapper.hidden = r !== 'secretariat';
    contact.wrapper.hidden = r !== 'poc';
    newContact.hidden = r !== 'poc' || contact.control.value !== '';
  };
  role.control.addEventListener('change', sync);
  state.control.addEventListener('change', () => void loadContacts());
  contact.control.addEventListener('change', sync);

  void (async () => {
    try {
      if (ctx.user.role === 'focal_point' && ctx.user.state) {
        const s = await ctx.api.get<{ alpha3: string; name: string }>(`/states/${ctx.user.state}`);
        states = [{ alpha3: s.alpha3, name: s.name, kind: 'state', contacts: 0, forums: [] }];
      } else {
        states = (await ctx.api.get<{ items: StateSummary[] }>('/states')).items;
        if (ctx.user.role === 'secretariat') states = states.filter((s) => s.forums.includes(ctx.user.forum ?? ''));
      }
      setOptions(state.control as HTMLSelectElement, states.map((s) => [s.alpha3, s.name]));
      if (ctx.user.role === 'admin') {
        const forums = (await ctx.api.get<{ items: Forum[] }>('/forums')).items;
        setOptions(forum.control as HTMLSelectElement, forums.map((f) => [f.code, f.name]));
      } else if (ctx.user.forum) {
        const f = await ctx.api.get<Forum>(`/forums/${ctx.user.forum}`);
        setOptions(forum.control as HTMLSelectElement, [[f.code, f.name]]);
      }
      await loadContacts();
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  })();
  sync();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = role.control.value;
    const body: Record<string, unknown> = { email: email.control.value, role: r };
    if (r === 'focal_point' || r === 'poc') body.state = state.control.value;
    if (r === 'secretariat') body.forum = forum.control.value;
    if (r === 'poc') {
      if (contact.control.value) body.contact_id = Number(contact.control.value);
      else body.contact = { name: name.control.value, type: type.control.value, availability: availability.control.value };
    }
    const fields = { email, role, state, forum, contact_id: contact, 'contact.name': name, 'contact.type': type,
      'contact.availability': availability };
    submit.disabled = true;
    try {
      const res = await ctx.api.post<Invited>('/invitations', body);
      showFieldErrors(fields, null);
      out.replaceChildren(
        res.invitation === null
          ? h('p', { class: 'note' }, t('inv.nominated', { name: res.nomination?.name ?? '' }))
          : res.mailed
            ? h('p', { class: 'note' }, t('inv.sent', { email: res.invitation.email }))
            : linkNote(res.link ?? ''));
      email.control.value = name.control.value = '';
      ctx.announce(t('inv.done'));
      changed();
      void loadContacts();
    } catch (err) {
      if (!showFieldErrors(fields, err)) out.replaceChildren(problemBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}


