// My profile: display name and e-mail, password, API tokens, TOTP second factor.
import { ProblemError, type User } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import { formatDateTime } from '../format';
import type { Ctx } from '../ui';
import { field, input, problemBox, showFieldErrors } from '../ui';

interface Token {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export function profileView(ctx: Ctx): HTMLElement {
  return h('main', { id: 'main' }, h('h1', {}, t('profile.title')), details(ctx), password(ctx), tokens(ctx), totp(ctx));
}

// Runs a credential change. The server accepts one only from a session that proved the
// password recently; when it asks for that ("recent-sign-in-required"), the password
// (and the TOTP code) is asked for in `out`, confirmed, and the change made again.
export async function withRecentSignIn(ctx: Ctx, out: HTMLElement, change: () => Promise<void>): Promise<void> {
  try {
    await change();
  } catch (err) {
    if (!(err instanceof ProblemError) || err.type !== 'urn:parley:problem:recent-sign-in-required') throw err;
    const pw = field(t('profile.reauthPassword'), input('password', '', { autocomplete: 'current-password' }), 'password');
    const code = field(t('profile.reauthCode'), input('text', '', { inputmode: 'numeric', maxlength: '6' }), 'totp');
    const status = h('div', { 'aria-live': 'polite' });
    const go = h('button', { type: 'submit', class: 'primary' }, t('profile.reauthConfirm'));
    const form = h('form', { class: 'reauth', novalidate: true }, h('h3', {}, t('profile.reauthTitle')),
      h('p', {}, t('profile.reauthText')), pw.wrapper, ...(ctx.user.totp_enabled ? [code.wrapper] : []), status, go);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await ctx.api.post('/session/reauthenticate',
          ctx.user.totp_enabled ? { password: pw.control.value, totp: code.control.value } : { password: pw.control.value });
        out.replaceChildren();
        await change();
      } catch (again) {
        if (!showFieldErrors({ password: pw, totp: code }, again)) status.replaceChildren(problemBox(again));
      }
    });
    out.replaceChildren(form);
    pw.control.focus();
  }
}

function details(ctx: Ctx): HTMLElement {
  const name = field(t('profile.displayName'), input('text', ctx.user.display_name, { autocomplete: 'name' }), 'display_name');
  const email = field(t('profile.email'), input('email', ctx.user.email, { autocomplete: 'email' }), 'email');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('profile.details')), name.wrapper, email.wrapper, out,
    h('button', { type: 'submit', class: 'primary' }, t('common.save')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await withRecentSignIn(ctx, out, async () => {
        const u = await ctx.api.patch<User>('/me', { display_name: name.control.value, email: email.control.value || null });
        Object.assign(ctx.user, u);
        showFieldErrors({ display_name: name, email }, null);
        out.replaceChildren(h('p', { class: 'note' }, t('common.saved')));
      });
    } catch (err) {
      if (!showFieldErrors({ display_name: name, email }, err)) out.replaceChildren(problemBox(err));
    }
  });
  return form;
}

function password(ctx: Ctx): HTMLElement {
  const current = field(t('profile.current'), input('password', '', { autocomplete: 'current-password' }), 'current_password');
  const next = field(t('profile.new'), input('password', '', { autocomplete: 'new-password' }), 'new_password');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('profile.password')), current.wrapper, next.wrapper, out,
    h('button', { type: 'submit', class: 'primary' }, t('profile.password')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await withRecentSignIn(ctx, out, async () => {
        await ctx.api.post('/me/password', { current_password: current.control.value, new_password: next.control.value });
        current.control.value = next.control.value = '';
        showFieldErrors({ current_password: current, new_password: next }, null);
        out.replaceChildren(h('p', { class: 'note' }, t('profile.passwordChanged')));
      });
    } catch (err) {
      if (!showFieldErrors({ current_password: current, new_password: next }, err)) out.replaceChildren(problemBox(err));
    }
  });
  return form;
}

function tokens(ctx: Ctx): HTMLElement {
  const list = h('div', {});
  const shown = h('div', { 'aria-live': 'polite' });
  const name = field(t('profile.tokenName'), input('text', ''), 'name');
  const load = async () => {
    const res = await ctx.api.get<{ items: Token[] }>('/me/tokens');
    if (!res.items.length) return replace(list, h('p', {}, t('profile.noTokens')));
    replace(list, h('ul', { class: 'plain' }, res.items.map((tok) => {
      const revoke = h('button', { type: 'button', class: 'link' }, t('profile.tokenRevoke'));
      revoke.addEventListener('click', async () => {
        await ctx.api.delete(`/me/tokens/${tok.id}`);
        void load();
      });
      return h('li', {}, h('code', {}, `${tok.prefix}…`), ` ${tok.name} · ${formatDateTime(tok.created_at)} `,
        tok.revoked_at ? h('span', { class: 'muted' }, t('profile.tokenRevoked')) : revoke);
    })));
  };
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('profile.tokens')), list, name.wrapper, shown,
    h('button', { type: 'submit' }, t('profile.tokenCreate')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await withRecentSignIn(ctx, shown, async () => {
        const res = await ctx.api.post<{ token: string }>('/me/tokens', { name: name.control.value });
        name.setError(undefined);
        shown.replaceChildren(h('p', { class: 'note' }, t('profile.tokenShown'), ' ', h('code', { class: 'secret' }, res.token)));
        name.control.value = '';
        void load();
      });
    } catch (err) {
      if (!showFieldErrors({ name }, err)) shown.replaceChildren(problemBox(err));
    }
  });
  void load().catch((err) => replace(list, problemBox(err)));
  return form;
}

function totp(ctx: Ctx): HTMLElement {
  const box = h('section', { class: 'card', 'aria-labelledby': 'totp-title' });
  const render = () => {
    const out = h('div', { 'aria-live': 'polite' });
    if (ctx.user.totp_enabled) {
      const pw = field(t('profile.current'), input('password', '', { autocomplete: 'current-password' }), 'password');
      const off = h('button', { type: 'button' }, t('profile.totpDisable'));
      off.addEventListener('click', async () => {
        try {
          await withRecentSignIn(ctx, out, async () => {
            await ctx.api.delete('/me/totp', { password: pw.control.value });
            ctx.user.totp_enabled = false;
            ctx.announce(t('profile.totpDisabled'));
            render();
          });
        } catch (err) {
          if (!showFieldErrors({ password: pw }, err)) out.replaceChildren(problemBox(err));
        }
      });
      replace(box, h('h2', { id: 'totp-title' }, t('profile.totp')), h('p', {}, t('profile.totpOn')), pw.wrapper, off, out);
      return;
    }
    const start = h('button', { type: 'button' }, t('profile.totpStart'));
    start.addEventListener('click', async () => {
      try {
        await withRecentSignIn(ctx, out, () => enrol());
      } catch (err) {
        out.replaceChildren(problemBox(err));
      }
    });
    const enrol = async () => {
      const res = await ctx.api.post<{ secret: string; otpauth_uri: string }>('/me/totp');
      const code = field(t('profile.totpCode'), input('text', '', { inputmode: 'numeric', maxlength: '6' }), 'code');
      const confirmBtn = h('button', { type: 'button', class: 'primary' }, t('profile.totpConfirm'));
      confirmBtn.addEventListener('click', async () => {
        try {
          await withRecentSignIn(ctx, out, async () => {
            await ctx.api.post('/me/totp/confirm', { code: code.control.value });
            ctx.user.totp_enabled = true;
            ctx.announce(t('profile.totpEnabled'));
            render();
          });
        } catch (err) {
          if (!showFieldErrors({ code }, err)) out.replaceChildren(problemBox(err));
        }
      });
      out.replaceChildren(h('p', {}, t('profile.totpSecret')), h('p', {}, h('code', { class: 'secret' }, res.secret)),
        h('p', { class: 'muted small' }, h('code', {}, res.otpauth_uri)), code.wrapper, confirmBtn);
      code.control.focus();
    };
    replace(box, h('h2', { id: 'totp-title' }, t('profile.totp')), h('p', {}, t('profile.totpOff')), start, out);
  };
  render();
  return box;
}
