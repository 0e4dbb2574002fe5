// The page an invitation link opens (#/invitation/SECRET), without signing in: who
// invites whom for what, then the invitee chooses a username, a display name and a
// password. The account is made and signed in; enrolment of a second factor follows
// when it is required (views/enrol.ts).
import type { Api, User } from '../api';
import { h, replace } from '../dom';
import { t, tKnown } from '../i18n';
import { field, input, loading, problemBox, showFieldErrors } from '../ui';
import { formatDateTime } from '../format';

interface InvitationInfo {
  email: string;
  role: string;
  state: string | null;
  state_name: string | null;
  forum: string | null;
  forum_name: string | null;
  contact_name: string | null;
  invited_by: string | null;   // null: the platform's operator, from the command line
  expires_at: string;
  second_factor_required: boolean;
}

export function invitationView(api: Api, secret: string, onSignedIn: (user: User) => void): HTMLElement {
  const box = h('section', { class: 'card signin', 'aria-labelledby': 'invitation-title', 'aria-live': 'polite' }, loading());
  const show = (info: InvitationInfo) => {
    const scope = info.forum_name ?? info.state_name ?? '';
    const username = field(t('invitation.username'),
      input('text', '', { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }), 'username');
    const display = field(t('invitation.displayName'), input('text', info.contact_name ?? '', { autocomplete: 'name' }), 'display_name');
    const password = field(t('invitation.password'), input('password', '', { autocomplete: 'new-password' }), 'password');
    const out = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('invitation.accept'));
    const form = h('form', { novalidate: true }, username.wrapper, display.wrapper, password.wrapper, out, submit);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      try {
        const res = await api.post<{ csrf_token: string; user: User }>('/invitations/accept', {
          secret, username: username.control.value, display_name: display.control.value, password: password.control.value,
        });
        api.csrf = res.csrf_token;
        onSignedIn(res.user);
      } catch (err) {
        if (!showFieldErrors({ username, display_name: display, password }, err)) out.replaceChildren(problemBox(err));
      } finally {
        submit.disabled = false;
      }
    });
    replace(box,
      h('h1', { id: 'invitation-title' }, t('invitation.title')),
      h('p', {}, t('invitation.who', { inviter: info.invited_by ?? t('invitation.operator'), role: tKnown('role', info.role) }),
        scope ? ` ${t('invitation.scope', { scope })}` : ''),
      info.contact_name ? h('p', {}, t('invitation.contact', { name: info.contact_name })) : '',
      h('p', { class: 'muted' }, t('invitation.forAddress', { email: info.email, until: formatDateTime(info.expires_at) })),
      info.second_factor_required ? h('p', { class: 'note' }, t('invitation.secondFactor')) : '',
      form);
    queueMicrotask(() => username.control.focus());
  };
  api.post<InvitationInfo>('/invitations/lookup', { secret }).then(show, (err) =>
    replace(box, h('h1', { id: 'invitation-title' }, t('invitation.title')), problemBox(err)));
  return h('main', { id: 'main', class: 'center' }, box);
}
