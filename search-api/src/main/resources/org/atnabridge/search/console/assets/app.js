// The console's router: one HTML shell, a page per path, the URL as the only state (history API,
// so bookmarks, shared links and the back button work).
import { alertsPage } from './alerts.js';
import { currentSession, signOut, toSignIn } from './api.js';
import { h, show, status } from './dom.js';
import { eventPage } from './event.js';
import { reportPage } from './report.js';
import { savedSearchesPage } from './saved.js';
import { searchPage } from './search.js';
import { signInPage } from './signin.js';
import { userActivityPage } from './useractivity.js';

async function route() {
  const path = location.pathname;
  if (path === '/signin') {
    document.title = 'Sign in · ATNA Bridge';
    await signInPage();
    return;
  }
  let session;
  try {
    session = await currentSession();
  } catch (e) {
    show(status(e.message, 'error'));
    return;
  }
  if (!session) {
    toSignIn();
    return;
  }
  header(session);
  if (path === '/access-report') {
    document.title = 'Patient access report · ATNA Bridge';
    await reportPage(navigate);
  } else if (path === '/alerts') {
    document.title = 'Alerts · ATNA Bridge';
    await alertsPage();
  } else if (path === '/saved-searches') {
    document.title = 'Saved searches · ATNA Bridge';
    await savedSearchesPage();
  } else if (path === '/user-activity') {
    document.title = 'User activity · ATNA Bridge';
    await userActivityPage(navigate);
  } else if (path.startsWith('/event/')) {
    document.title = 'Audit event · ATNA Bridge';
    await eventPage(decodeURIComponent(path.slice('/event/'.length)));
  } else {
    document.title = 'Search · ATNA Bridge';
    await searchPage(navigate);
  }
}

function header(session) {
  const who = document.getElementById('who');
  who.replaceChildren('Signed in as ', h('strong', { id: 'who-name' }, session.subject),
    ' · ', h('span', { class: 'hint' }, session.scope + (session.patient ? ' · patient ' + session.patient : '')));
  const out = document.getElementById('signout');
  out.hidden = false;
  if (!out.dataset.bound) {
    out.dataset.bound = 'yes';
    out.addEventListener('click', () => signOut());
  }
}

export function navigate(url, state = null) {
  history.pushState(state, '', url);
  route().then(() => document.getElementById('main').focus({ preventScroll: false }));
}

// links inside the console stay in the page (no reload); others behave as links do
document.addEventListener('click', (event) => {
  const a = event.target.closest?.('a[href^="/"]');
  if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const href = a.getAttribute('href');
  if (href.startsWith('/search') || href.startsWith('/event/') || href.startsWith('/access-report') ||
      href.startsWith('/user-activity') || href === '/alerts' || href === '/saved-searches') {
    event.preventDefault();
    navigate(href);
  }
});
window.addEventListener('popstate', () => route());
route();
