// The console's entry point: restores the session, renders the layout and the view for
// the current hash route, and keeps a live connection to the event stream.
import './styles.css';
import { Api, ProblemError } from './api';
import type { User } from './api';
import { h, replace } from './dom';
import { t, tKnown, setLocale } from './i18n';
import { href, parseRoute } from './routes';
import type { Route } from './routes';
import { connectStream } from './stream';
import type { StreamEvent } from './stream';
import type { Ctx } from './ui';
import { contactFormView, contactView } from './views/contact';
import { directoryView } from './views/directory';
import { nominationsView } from './views/nominations';
import { profileView } from './views/profile';
import { signInView } from './views/signin';
import { stateView } from './views/state';

const api = new Api();
const root = document.getElementById('app') as HTMLElement;
let user: User | null = null;
let stopStream: (() => void) | null = null;
let signInNotice: string | undefined;

api.onSessionEnded = () => {
  if (!user) return;
  user = null;
  stopStream?.();
  stopStream = null;
  signInNotice = t('signin.expired');
  render();
};

// Screen-reader announcements and visible alerts.
const polite = h('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status' });
const alerts = h('div', { class: 'alerts', role: 'region', 'aria-label': 'Alerts' });
const liveState = h('span', { class: 'live-state', role: 'status' });

function announce(message: string) {
  polite.textContent = '';
  setTimeout(() => (polite.textContent = message), 50);
}

function alertBox(message: string) {
  const dismiss = h('button', { type: 'button', class: 'link' }, t('live.dismiss'));
  const box = h('div', { class: 'alert', role: 'alert' }, h('span', {}, message), ' ', dismiss);
  dismiss.addEventListener('click', () => box.remove());
  alerts.prepend(box);
  while (alerts.children.length > 5) alerts.lastElementChild?.remove();
}

function go(route: Route) {
  const target = href(route);
  if (location.hash === target) render();
  else location.hash = target;
}

function onEvent(e: StreamEvent) {
  if (!e.type.startsWith('directory.contact.')) return;
  const what = e.type.split('.').pop() ?? '';
  alertBox(t('live.update', { what: tKnown('live.action', what), state: String(e.data.state ?? '') }));
  // Refresh read-only views that may show the changed entry; never a form being edited.
  const r = parseRoute(location.hash);
  if (r.name === 'directory' || r.name === 'nominations' || (r.name === 'state' && r.alpha3 === e.data.state) ||
      (r.name === 'contact' && r.id === e.data.id))
    render();
}

function layout(view: HTMLElement): HTMLElement[] {
  const u = user as User;
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    h('a', { href: href({ name: 'directory', query: {} }) }, t('nav.directory')),
    u.role !== 'poc' && u.role !== 'observer' && h('a', { href: href({ name: 'nominations' }) }, t('nav.nominations')),
    u.state && h('a', { href: href({ name: 'state', alpha3: u.state }) }, u.state),
    h('a', { href: href({ name: 'profile' }) }, t('nav.profile')),
  );
  const signOut = h('button', { type: 'button', class: 'link' }, t('nav.signout'));
  signOut.addEventListener('click', async () => {
    try {
      await api.delete('/session');
    } finally {
      user = null;
      api.csrf = null;
      stopStream?.();
      stopStream = null;
      go({ name: 'signin' });
    }
  });
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/' }, t('app.name')),
    nav,
    h('span', { class: 'who' }, t('nav.signedInAs', { name: u.display_name, role: tKnown('role', u.role) }), ' ', liveState, ' ', signOut),
  );
  return [header, alerts, view, polite];
}

function render() {
  const route = parseRoute(location.hash);
  if (!user) {
    const notice = signInNotice;
    signInNotice = undefined;
    replace(root, signInView(api, (u) => {
      user = u;
      startStream();
      render();   // back to where the user was (the hash is unchanged)
    }, notice));
    return;
  }
  if (route.name === 'signin') return go({ name: 'directory', query: {} });
  const ctx: Ctx = { api, user, go, announce };
  let view: HTMLElement;
  switch (route.name) {
    case 'directory':
      view = directoryView(ctx, route.query);
      break;
    case 'state':
      view = stateView(ctx, route.alpha3);
      break;
    case 'contact':
      view = contactView(ctx, route.id);
      break;
    case 'contact-edit':
      view = contactFormView(ctx, { id: route.id });
      break;
    case 'contact-new':
      view = contactFormView(ctx, { state: route.state || (user.state ?? '') });
      break;
    case 'nominations':
      view = nominationsView(ctx);
      break;
    case 'profile':
      view = profileView(ctx);
      break;
    default:
      view = h('main', { id: 'main' }, h('p', {}, t('common.notFound')));
  }
  document.title = t('app.name');
  replace(root, ...layout(view));
}

function startStream() {
  stopStream?.();
  stopStream = connectStream(onEvent, (up) => {
    liveState.textContent = up ? t('live.connected') : t('live.disconnected');
    liveState.className = up ? 'live-state on' : 'live-state off';
  });
}

async function boot() {
  setLocale(navigator.language?.split('-')[0] ?? 'en');
  try {
    const s = await api.get<{ csrf_token: string; user: User }>('/session');
    api.csrf = s.csrf_token;
    user = s.user;
    startStream();
  } catch (err) {
    if (!(err instanceof ProblemError && err.status === 401)) console.error(err);
  }
  window.addEventListener('hashchange', render);
  render();
}

void boot();
