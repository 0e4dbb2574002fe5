// The console's entry point: restores the session, renders the layout and the view for
// the current hash route, and keeps a live connection to the event stream.
import './styles.css';
import { Api, ProblemError } from './api';
import type { User } from './api';
import { h, replace } from './dom';
import { hasLocale, locale, onLocaleChange, pickLocale, t, tKnown, setLocale } from './i18n';
import { languageSwitch } from './language';
import { href, parseRoute } from './routes';
import type { Route } from './routes';
import { connectStream } from './stream';
import type { StreamEvent } from './stream';
import type { Ctx } from './ui';
import { contactFormView, contactView } from './views/contact';
import { directoryView } from './views/directory';
import { forumsView, forumView } from './views/forums';
import { nominationsView } from './views/nominations';
import { witnessesView } from './views/witnesses';
import { profileView } from './views/profile';
import { accountsView } from './views/accounts';
import { enrolView } from './views/enrol';
import { invitationView } from './views/invitation';
import { invitationsView } from './views/invitations';
import { signInView } from './views/signin';
import { stateView } from './views/state';
import { checksView, checkView } from './views/checks';
import { communicationView, composeView, inboxView } from './views/hotline';
import { incidentView, threatsView } from './views/exchange';
import { compareView, negotiationsView, negotiationView } from './views/negotiation';
import { reconfirmationsView, reconfirmationView } from './views/reconfirm';
import { importView } from './views/import';
import { ledgerView } from './views/ledger';
import { contributionView, libraryView } from './views/library';
import { contributionFormView } from './views/library_form';
import { glossaryView, termCompareView, termView } from './views/glossary';
import { implementationView, workplanView } from './views/workplan';
import { meetingView, meetingsView } from './views/meetings';
import { activitiesView, activityView, capacityView } from './views/activities';
import { weekView } from './views/week';
import { planView, plansView } from './views/plans';
import { reviewView } from './views/review';
import type { CommunicationPage } from './api';

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
const alerts = h('div', { class: 'alerts', role: 'region', 'aria-label': t('nav.alerts') });
const liveState = h('span', { class: 'live-state', role: 'status' });
const unackedBadge = h('span', { class: 'count', 'data-unacknowledged': '0' });
let currentView: (HTMLElement & { refresh?: () => void }) | null = null;

async function refreshCounts() {
  if (!user) return;
  try {
    const p = await api.get<CommunicationPage>('/communications?box=inbox&limit=1');
    unackedBadge.dataset.unacknowledged = String(p.unacknowledged);
    unackedBadge.textContent = p.unacknowledged ? t('nav.unacked', { n: p.unacknowledged }) : '';
    document.title = p.unacknowledged ? `(${p.unacknowledged}) ${t('app.name')}` : t('app.name');
  } catch {
    /* the badge waits for the next event */
  }
}

// A new communication for the user's state: an alert that stays until dismissed,
// with the way to it, and the count in the tab title.
function hotlineAlert(e: StreamEvent) {
  const d = e.data as { id: number; type: string; from: string | null; forum: string; severity: number; tlp: string };
  const open = h('a', { class: 'button primary', href: href({ name: 'communication', id: d.id }) }, t('hotline.open'));
  const dismiss = h('button', { type: 'button' }, t('live.dismiss'));
  const box = h('div', { class: `alert alert-hotline sev-${d.severity}`, role: 'alert', 'data-alert-communication': d.id },
    h('strong', {}, d.type === 'note_verbale'   // a note verbale has no severity
      ? t('hotline.alertNote', { from: d.from ?? t('hotline.secretariatOf', { forum: d.forum }), tlp: d.tlp })
      : t('hotline.alertNew', { type: tKnown('ctype', d.type), from: d.from ?? t('hotline.secretariatOf', { forum: d.forum }),
        severity: d.severity, tlp: d.tlp })), ' ', open, ' ', dismiss);
  dismiss.addEventListener('click', () => box.remove());
  open.addEventListener('click', () => box.remove());
  alerts.prepend(box);
}

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

function onHotlineEvent(e: StreamEvent) {
  const d = e.data as { id: number; from?: string | null; stage?: string; state?: string; states?: string[] };
  if (e.type === 'hotline.communication.sent' && user?.state && d.from !== user.state) hotlineAlert(e);
  else if (e.type === 'hotline.communication.updated')
    announce(t('hotline.alertUpdate', { id: d.id, stage: tKnown('stage', d.stage ?? ''), state: d.state ?? (d.states ?? []).join(', ') }));
  void refreshCounts();
  const r = parseRoute(location.hash);
  if (r.name === 'hotline' || r.name === 'communication' || r.name === 'check' || r.name === 'checks') currentView?.refresh?.();
}

function onEvent(e: StreamEvent) {
  if (e.type.startsWith('hotline.')) return onHotlineEvent(e);
  if (e.type.startsWith('negotiation.')) {
    const r = parseRoute(location.hash);
    if (r.name === 'negotiations' || (r.name === 'negotiation' && r.id === e.data.document)) currentView?.refresh?.();
    return;
  }
  if (e.type.startsWith('library.contribution.')) {
    const r = parseRoute(location.hash);
    if (r.name === 'library' || (r.name === 'contribution' && r.id === e.data.id)) currentView?.refresh?.();
    return;
  }
  if (e.type === 'exchange.objects.added') {
    if (parseRoute(location.hash).name === 'threats') currentView?.refresh?.();
    return;
  }
  if (!e.type.startsWith('directory.contact.')) return;
  const what = e.type.split('.').pop() ?? '';
  alertBox(t('live.update', { what: tKnown('live.action', what), state: String(e.data.state ?? '') }));
  // Refresh read-only views that may show the changed entry; never a form being edited.
  const r = parseRoute(location.hash);
  if (r.name === 'directory' || (r.name === 'home' && user?.role !== 'secretariat') || r.name === 'nominations' || (r.name === 'state' && r.alpha3 === e.data.state) ||
      (r.name === 'contact' && r.id === e.data.id))
    render();
}

// The console's language: the user's choice (users.language) once signed in; before
// that, one chosen on the sign-in page (kept in this browser), else the browser's.
const LANGUAGE_KEY = 'parley.language';
let chosenBeforeSignIn = false;

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

function applyUserLanguage(u: User) {
  if (chosenBeforeSignIn) {
    // Chosen on the sign-in page just now: that choice becomes the account's.
    chosenBeforeSignIn = false;
    if (u.language !== locale()) void saveLanguage(locale());
  } else if (u.language && hasLocale(u.language)) {
    setLocale(u.language);
  }
}

async function saveLanguage(tag: string) {
  try {
    const u = await api.request<User>('PUT', '/me/language', { language: tag });
    if (user) user.language = u.language;
  } catch (err) {
    alertBox(t('lang.saveFailed', { reason: err instanceof Error ? err.message : String(err) }));
  }
}

function chooseLanguage(tag: string) {
  setLocale(tag);
  if (user) {
    void saveLanguage(tag);
  } else {
    chosenBeforeSignIn = true;
    try {
      localStorage.setItem(LANGUAGE_KEY, tag);
    } catch {
      /* private browsing: the choice lasts until the page is left */
    }
  }
  render();
}

// Text kept outside the views follows the language too.
onLocaleChange(() => {
  alerts.setAttribute('aria-label', t('nav.alerts'));
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
  if (liveState.classList.contains('on')) liveState.textContent = t('live.connected');
  else if (liveState.classList.contains('off')) liveState.textContent = t('live.disconnected');
  void refreshCounts();
});

async function signOutNow() {
  try {
    await api.delete('/session');
  } finally {
    user = null;
    api.csrf = null;
    stopStream?.();
    stopStream = null;
    go({ name: 'signin' });
  }
}

// The stream is refused to a session that must enrol a second factor first.
function startStreamIfAllowed() {
  if (user && !user.must_enrol_totp) startStream();
}

function layout(view: HTMLElement): HTMLElement[] {
  const u = user as User;
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    u.role === 'secretariat' && h('a', { href: href({ name: 'week', query: {} }) }, t('nav.week')),
    h('a', { href: href({ name: 'hotline', query: {} }) }, t('nav.hotline'), ' ', unackedBadge),
    h('a', { href: href({ name: 'directory', query: {} }) }, t('nav.directory')),
    h('a', { href: href({ name: 'forums' }) }, t('nav.forums')),
    h('a', { href: href({ name: 'threats', query: {} }) }, t('nav.threats')),
    h('a', { href: href({ name: 'negotiations', query: {} }) }, t('nav.negotiation')),
    h('a', { href: href({ name: 'library', query: {} }) }, t('nav.library')),
    h('a', { href: href({ name: 'glossary', query: {} }) }, t('nav.glossary')),
    u.role !== 'admin' && h('a', { href: href({ name: 'workplan', query: {} }) }, t('nav.workplan')),
    h('a', { href: href({ name: 'ledger' }) }, t('nav.ledger')),
    (u.role === 'secretariat' || u.role === 'admin') && h('a', { href: href({ name: 'checks' }) }, t('nav.checks')),
    u.role !== 'poc' && u.role !== 'observer' && h('a', { href: href({ name: 'nominations' }) }, t('nav.nominations')),
    u.role !== 'poc' && u.role !== 'observer' && h('a', { href: href({ name: 'accounts' }) }, t('nav.accounts')),
    u.role !== 'poc' && u.role !== 'observer' && h('a', { href: href({ name: 'invitations' }) }, t('nav.invitations')),
    u.role !== 'poc' && u.role !== 'observer' && h('a', { href: href({ name: 'reconfirmations' }) }, t('nav.reconfirmation')),
    (u.role === 'secretariat' || u.role === 'admin') && h('a', { href: href({ name: 'witnesses' }) }, t('nav.witnesses')),
    u.state && h('a', { href: href({ name: 'state', alpha3: u.state }) }, u.state),
    h('a', { href: href({ name: 'profile' }) }, t('nav.profile')),
  );
  const signOut = h('button', { type: 'button', class: 'link' }, t('nav.signout'));
  signOut.addEventListener('click', () => void signOutNow());
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/' }, t('app.name')),
    nav,
    h('span', { class: 'who' }, t('nav.signedInAs', { name: u.display_name, role: tKnown('role', u.role) }), ' ', liveState, ' ',
      languageSwitch(chooseLanguage), ' ', signOut),
  );
  return [header, alerts, view, polite];
}

function render() {
  const route = parseRoute(location.hash);
  if (route.name === 'invitation') {
    // An invitation link opens without a session; accepting it signs the invitee in.
    replace(root, invitationView(api, route.secret, (u) => {
      stopStream?.();
      user = u;
      applyUserLanguage(u);
      startStreamIfAllowed();
      go({ name: 'directory', query: {} });
    }));
    return;
  }
  if (!user) {
    const notice = signInNotice;
    signInNotice = undefined;
    replace(root, signInView(api, (u) => {
      user = u;
      applyUserLanguage(u);
      startStreamIfAllowed();
      render();   // back to where the user was (the hash is unchanged)
    }, notice, chooseLanguage));
    return;
  }
  if (user.must_enrol_totp) {
    // Nothing else until a second factor is enrolled (the server enforces it too).
    replace(root, enrolView(api, user, () => {
      startStreamIfAllowed();
      go({ name: 'directory', query: {} });
    }, () => void signOutNow()));
    return;
  }
  if (route.name === 'signin') return go({ name: 'directory', query: {} });
  const ctx: Ctx = { api, user, go, announce };
  let view: HTMLElement;
  switch (route.name) {
    case 'home':
      // A secretariat starts the day with what needs it this week; others with the directory.
      view = user.role === 'secretariat' ? weekView(ctx, {}) : directoryView(ctx, {});
      break;
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
    case 'forums':
      view = forumsView(ctx);
      break;
    case 'forum':
      view = forumView(ctx, route.code);
      break;
    case 'witnesses':
      view = witnessesView(ctx, route.forum);
      break;
    case 'profile':
      view = profileView(ctx);
      break;
    case 'accounts':
      view = accountsView(ctx);
      break;
    case 'invitations':
      view = invitationsView(ctx);
      break;
    case 'hotline':
      view = inboxView(ctx, route.query);
      break;
    case 'communication':
      view = communicationView(ctx, route.id);
      break;
    case 'compose':
      view = composeView(ctx, route.query);
      break;
    case 'checks':
      view = checksView(ctx);
      break;
    case 'check':
      view = checkView(ctx, route.id);
      break;
    case 'threats':
      view = threatsView(ctx, route.query);
      break;
    case 'incident-new':
      view = incidentView(ctx);
      break;
    case 'negotiations':
      view = negotiationsView(ctx, route.query);
      break;
    case 'negotiation':
      view = negotiationView(ctx, route.id, route.rev);
      break;
    case 'negotiation-compare':
      view = compareView(ctx, route.id, route.from, route.to);
      break;
    case 'reconfirmations':
      view = reconfirmationsView(ctx);
      break;
    case 'reconfirmation':
      view = reconfirmationView(ctx, route.forum, route.id);
      break;
    case 'directory-import':
      view = importView(ctx);
      break;
    case 'ledger':
      view = ledgerView(ctx);
      break;
    case 'library':
      view = libraryView(ctx, route.query);
      break;
    case 'contribution':
      view = contributionView(ctx, route.id);
      break;
    case 'contribution-new':
      view = contributionFormView(ctx);
      break;
    case 'contribution-edit':
      view = contributionFormView(ctx, route.id);
      break;
    case 'glossary':
      view = glossaryView(ctx, route.query);
      break;
    case 'term':
      view = termView(ctx, route.id);
      break;
    case 'term-compare':
      view = termCompareView(ctx, route.id, route.lang);
      break;
    case 'workplan':
      view = workplanView(ctx, route.query);
      break;
    case 'implementation':
      view = implementationView(ctx, route.alpha3, route.query);
      break;
    case 'meetings':
      view = meetingsView(ctx, route.query);
      break;
    case 'meeting':
      view = meetingView(ctx, route.id);
      break;
    case 'activities':
      view = activitiesView(ctx, route.query);
      break;
    case 'activity':
      view = activityView(ctx, route.id);
      break;
    case 'capacity':
      view = capacityView(ctx, route.query);
      break;
    case 'week':
      view = weekView(ctx, route.query);
      break;
    case 'plans':
      view = plansView(ctx, route.query);
      break;
    case 'plan':
      view = planView(ctx, route.id);
      break;
    case 'review':
      view = reviewView(ctx, route.query);
      break;
    default:
      view = h('main', { id: 'main' }, h('p', {}, t('common.notFound')));
  }
  currentView = view;
  replace(root, ...layout(view));
  void refreshCounts();
}

function startStream() {
  stopStream?.();
  stopStream = connectStream(onEvent, (up) => {
    liveState.textContent = up ? t('live.connected') : t('live.disconnected');
    liveState.className = up ? 'live-state on' : 'live-state off';
  });
}

async function boot() {
  const stored = storedLanguage();
  setLocale(pickLocale([...(stored ? [stored] : []), ...(navigator.languages ?? []), navigator.language ?? 'en']));
  try {
    const s = await api.get<{ csrf_token: string; user: User }>('/session');
    api.csrf = s.csrf_token;
    user = s.user;
    applyUserLanguage(s.user);
    startStreamIfAllowed();
  } catch (err) {
    if (!(err instanceof ProblemError && err.status === 401)) console.error(err);
  }
  window.addEventListener('hashchange', render);
  render();
}

void boot();
