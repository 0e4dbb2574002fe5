// Second-factor enrolment that comes before anything else: an invited admin, secretariat
// or focal point (or anyone under a forum's policy) sees only this screen until an
// authenticator app is set up; the server refuses every other request meanwhile.
import type { Api, User } from '../api';
import { ProblemError } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import { field, input, problemBox, showFieldErrors } from '../ui';

export function enrolView(api: Api, user: User, done: () => void, signOut: () => void): HTMLElement {
  const box = h('section', { class: 'card', 'aria-labelledby': 'enrol-title' });
  const out = h('div', { 'aria-live': 'polite' });
  const leave = h('button', { type: 'button', class: 'link' }, t('nav.signout'));
  leave.addEventListener('click', signOut);

  // The session proved the password when it was made; after a while the server asks
  // for it again (recent-sign-in-required) before it shows a secret.
  const reauth = (then: () => void) => {
    const pw = field(t('profile.reauthPassword'), input('password', '', { autocomplete: 'current-password' }), 'password');
    const go = h('button', { type: 'submit', class: 'primary' }, t('profile.reauthConfirm'));
    const status = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'reauth', novalidate: true }, h('p', {}, t('profile.reauthText')), pw.wrapper, status, go);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api.post('/session/reauthenticate', { password: pw.control.value });
        then();
      } catch (err) {
        if (!showFieldErrors({ password: pw }, err)) status.replaceChildren(problemBox(err));
      }
    });
    out.replaceChildren(form);
    pw.control.focus();
  };

  const begin = async () => {
    try {
      const res = await api.post<{ secret: string; otpauth_uri: string }>('/me/totp');
      const code = field(t('profile.totpCode'),
        input('text', '', { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6' }), 'code');
      const confirm = h('button', { type: 'submit', class: 'primary' }, t('profile.totpConfirm'));
      const status = h('div', { 'aria-live': 'assertive' });
      const form = h('form', { novalidate: true },
        h('p', {}, t('profile.totpSecret')),
        h('p', {}, h('code', { class: 'secret', 'data-totp-secret': res.secret }, res.secret)),
        h('p', { class: 'muted small' }, t('enrol.uri'), ' ', h('a', { href: res.otpauth_uri }, h('code', {}, res.otpauth_uri))),
        code.wrapper, status, confirm);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        try {
          await api.post('/me/totp/confirm', { code: code.control.value });
          user.totp_enabled = true;
          user.must_enrol_totp = false;
          done();
        } catch (err) {
          if (err instanceof ProblemError && err.type.endsWith(':recent-sign-in-required')) return reauth(() => void begin());
          if (!showFieldErrors({ code }, err)) status.replaceChildren(problemBox(err));
        }
      });
      out.replaceChildren(form);
      code.control.focus();
    } catch (err) {
      if (err instanceof ProblemError && err.type.endsWith(':recent-sign-in-required')) return reauth(() => void begin());
      out.replaceChildren(problemBox(err));
    }
  };

  replace(box, h('h1', { id: 'enrol-title' }, t('enrol.title')),
    h('p', {}, t('enrol.why', { name: user.display_name })), out, h('p', {}, leave));
  void begin();
  return h('main', { id: 'main', class: 'center' }, box);
}
