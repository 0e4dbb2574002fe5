// Sign-in: username and password, then the TOTP code when the account has one.
import type { Api, User } from '../api';
import { ProblemError } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { languageSwitch } from '../language';
import { field, input, problemBox } from '../ui';

export function signInView(api: Api, onSignedIn: (user: User) => void, notice?: string,
                           onLanguage?: (tag: string) => void): HTMLElement {
  const username = field(t('signin.username'), input('text', '', { autocomplete: 'username', required: true }), 'username');
  const password = field(
    t('signin.password'),
    input('password', '', { autocomplete: 'current-password', required: true }),
    'password',
  );
  const totp = field(
    t('signin.totp'),
    input('text', '', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' }),
    'totp',
  );
  totp.wrapper.hidden = true;
  const message = h('div', { 'aria-live': 'assertive' }, notice && h('p', { class: 'note', role: 'status' }, notice));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title', novalidate: true },
    h('h1', { id: 'signin-title' }, t('signin.title')),
    h('p', { class: 'muted' }, t('app.tagline')),
    onLanguage && h('p', {}, languageSwitch(onLanguage)),
    username.wrapper,
    password.wrapper,
    totp.wrapper,
    message,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    message.replaceChildren();
    try {
      const body: Record<string, string> = { username: username.control.value, password: password.control.value };
      if (!totp.wrapper.hidden && totp.control.value) body.totp = totp.control.value;
      const res = await api.post<{ csrf_token: string; user: User }>('/session', body);
      api.csrf = res.csrf_token;
      onSignedIn(res.user);
    } catch (err) {
      if (err instanceof ProblemError && err.type.endsWith(':totp-required')) {
        totp.wrapper.hidden = false;
        message.replaceChildren(h('p', { class: 'note' }, t('signin.totpNeeded')));
        totp.control.focus();
      } else {
        // The usual refusal in the console's words; any other as the server puts it.
        const wrong = err instanceof ProblemError && err.status === 401 && err.type.endsWith(':unauthenticated');
        message.replaceChildren(problemBox(err, wrong ? t('signin.wrong') : undefined));
        (password.control as HTMLInputElement).select();
      }
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => username.control.focus());
  return h('main', { id: 'main', class: 'center' }, form);
}
