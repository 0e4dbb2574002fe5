// Accounts in the caller's scope (admin: all; a secretariat: its forum's and member
// states'; a focal point: its state's): role, state or forum, second factor, last
// sign-in; disable or enable, reset a second factor, change a role among those the
// caller may grant. The server checks every action again.
import type { Forum, User } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import type { Ctx } from '../ui';
import { loading, problemBox, select } from '../ui';
import { grantableRoles } from './invitations';
import { withRecentSignIn } from './profile';
import { formatDateTime } from '../format';

interface Account extends User {
  state_name: string | null;
  forum_name: string | null;
  contact_name: string | null;
  disabled: boolean;
  second_factor_required: boolean;
  must_enrol_totp: boolean;
  last_sign_in_at: string | null;
}

function secondFactor(a: Account): string {
  if (a.totp_enabled) return t('acc.totpOn');
  return a.must_enrol_totp ? t('acc.totpDue') : t('acc.totpOff');
}

export function accountsView(ctx: Ctx): HTMLElement {
  const list = h('section', { 'aria-live': 'polite' }, loading());
  const mine = grantableRoles(ctx.user);
  const load = async () => {
    try {
      const res = await ctx.api.get<{ items: Account[] }>('/accounts');
      replace(list, h('table', { class: 'contacts accounts' },
        h('thead', {}, h('tr', {}, h('th', {}, t('acc.name')), h('th', {}, t('acc.role')), h('th', {}, t('acc.scope')),
          h('th', {}, t('acc.secondFactor')), h('th', {}, t('acc.lastSignIn')), h('th', {}, t('acc.actions')))),
        h('tbody', {}, res.items.map((a) => row(a)))));
    } catch (err) {
      replace(list, problemBox(err));
    }
  };
  const row = (a: Account) => {
    const out = h('div', { 'aria-live': 'polite' });
    const act = async (fn: () => Promise<unknown>, done: string) => {
      try {
        await withRecentSignIn(ctx, out, async () => {
          await fn();
          ctx.announce(done);
          await load();
        });
      } catch (err) {
        out.replaceChildren(problemBox(err));
      }
    };
    // Roles this account could have in its own scope, among those the caller grants.
    const scoped = (a.state ? ['focal_point', 'poc'] : a.forum ? ['secretariat'] : ['admin', 'observer'])
      .filter((r) => mine.includes(r as Account['role']));
    const manageable = a.id !== ctx.user.id && mine.includes(a.role);
    const actions: HTMLElement[] = [];
    if (manageable) {
      const toggle = h('button', { type: 'button', class: a.disabled ? '' : 'danger' }, a.disabled ? t('acc.enable') : t('acc.disable'));
      toggle.addEventListener('click', () =>
        void act(() => ctx.api.patch(`/accounts/${a.id}`, { disabled: !a.disabled }),
          t(a.disabled ? 'acc.enabled' : 'acc.disabled', { name: a.display_name })));
      actions.push(toggle);
      if (a.totp_enabled) {
        const reset = h('button', { type: 'button' }, t('acc.resetTotp'));
        reset.addEventListener('click', () =>
          void act(() => ctx.api.delete(`/accounts/${a.id}/totp`), t('acc.totpReset', { name: a.display_name })));
        actions.push(reset);
      }
      if (scoped.length > 1) {
        const roleSelect = select(scoped.map((r) => [r, tKnown('role', r)]), a.role);
        roleSelect.setAttribute('aria-label', t('acc.roleOf', { name: a.display_name }));
        const change = h('button', { type: 'button' }, t('acc.changeRole'));
        change.addEventListener('click', () =>
          void act(() => ctx.api.patch(`/accounts/${a.id}`, { role: roleSelect.value }), t('acc.roleChanged', { name: a.display_name })));
        actions.push(h('span', { class: 'role-change' }, roleSelect, ' ', change));
      }
    }
    return h('tr', { 'data-account': a.username },
      h('th', {}, a.display_name, h('div', { class: 'small muted' }, a.username, a.contact_name ? ` · ${a.contact_name}` : ''),
        a.disabled ? h('span', { class: 'badge badge-rejected' }, t('acc.isDisabled')) : ''),
      h('td', {}, tKnown('role', a.role)),
      h('td', {}, a.forum_name ?? a.state_name ?? t('common.none')),
      h('td', {}, secondFactor(a)),
      h('td', {}, a.last_sign_in_at ? formatDateTime(a.last_sign_in_at) : t('acc.never')),
      h('td', {}, ...actions.flatMap((x) => [x, ' ']), out));
  };
  void load();
  return h('main', { id: 'main' }, h('h1', {}, t('acc.title')),
    ctx.user.role === 'secretariat' || ctx.user.role === 'admin' ? policyCard(ctx) : '', list);
}

// A forum's account policy: whether every account of its secretariat and member states
// must use a second factor (the admin chooses the forum by name; a secretariat has its own).
function policyCard(ctx: Ctx): HTMLElement {
  const forum = select([], '');
  forum.setAttribute('aria-label', t('acc.policyForum'));
  const everyone = h('input', { type: 'checkbox', id: 'policy-totp' });
  const out = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'button' }, t('common.save'));
  const card = h('section', { class: 'card', 'aria-labelledby': 'policy-title' },
    h('h2', { id: 'policy-title' }, t('acc.policy')), forum,
    h('p', {}, everyone, ' ', h('label', { for: 'policy-totp' }, t('acc.policyTotp'))), save, out);
  // Nothing can be changed until the forum's policy is shown: a box ticked before the
  // answer arrives would be overwritten by it, and Save would send the old value.
  const ready = (yes: boolean) => { everyone.disabled = !yes; save.disabled = !yes; };
  ready(false);
  // Only the answer for the forum chosen last counts: switching forums quickly must not
  // show one forum's policy (and offer to save it) under another's name.
  let asked = 0;
  const show = async () => {
    const mine = ++asked;
    ready(false);
    try {
      const p = await ctx.api.get<{ totp_for_everyone: boolean }>(`/forums/${encodeURIComponent(forum.value)}/account-policy`);
      if (mine !== asked) return;
      everyone.checked = p.totp_for_everyone;
      ready(true);
    } catch (err) {
      if (mine === asked) out.replaceChildren(problemBox(err));
    }
  };
  forum.addEventListener('change', () => void show());
  save.addEventListener('click', async () => {
    try {
      await ctx.api.request('PUT', `/forums/${encodeURIComponent(forum.value)}/account-policy`, { totp_for_everyone: everyone.checked });
      ctx.announce(t('common.saved'));
      // The policy may concern the caller too: the console asks the server again.
      if (everyone.checked && ctx.user.role === 'secretariat' && !ctx.user.totp_enabled) location.reload();
      else out.replaceChildren(h('p', { class: 'note' }, t('common.saved')));
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  });
  void (async () => {
    try {
      const forums = ctx.user.role === 'admin'
        ? (await ctx.api.get<{ items: Forum[] }>('/forums')).items
        : [await ctx.api.get<Forum>(`/forums/${encodeURIComponent(ctx.user.forum ?? '')}`)];
      forum.replaceChildren(...forums.map((f) => h('option', { value: f.code }, f.name)));
      forum.hidden = forums.length < 2;
      await show();
    } catch (err) {
      out.replaceChildren(problemBox(err));
    }
  })();
  return card;
}
