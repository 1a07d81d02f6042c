// The sign-in page: with the server's external OpenID Connect provider when it has one (a link
// that starts the authorization code flow on the server), otherwise with one-time links printed by
// the server.
import { h, show, status } from './dom.js';

const notes = {
  'signed-out': 'You have signed out. The session has ended on the server.',
  expired: 'Your session has ended or is no longer valid. Sign in again.',
};

export async function signInPage() {
  const reason = location.search.slice(1);
  const note = notes[reason] ? status(notes[reason]) : null;
  let options = { links: true };
  try {
    const r = await fetch('/console/sign-in', { credentials: 'same-origin', cache: 'no-store' });
    if (r.ok) options = await r.json();
  } catch (e) {
    // the link instructions still apply
  }
  if (!options.links && options.issuer) {
    show(h('h1', {}, 'Sign in'), note,
      h('p', {}, 'This console signs you in with your organisation\'s identity provider.'),
      h('p', {}, h('a', { id: 'oidc-signin', class: 'button', href: options.start }, 'Sign in with ' + options.issuer)));
    return;
  }
  show(h('h1', {}, 'Sign in'), note,
    h('p', {}, 'This console signs you in with a one-time link. Each link works once, for a short time.'),
    h('ul', {},
      h('li', {}, 'The server prints one when it starts, in its ', h('code', {}, 'ready: console'), ' line.'),
      h('li', {}, 'An operator prints a new one with ', h('code', {}, 'atna-bridge login-link --scope "user/AuditEvent.rs"'), '.')),
    h('p', {}, 'Open the link in this browser to start a session.'));
}
