// The sign-in page: the console signs in with one-time links, printed by the server.
import { h, show, status } from './dom.js';

export function signInPage() {
  const reason = location.search.slice(1);
  const notes = {
    'signed-out': 'You have signed out. The session has ended on the server.',
    expired: 'Your session has ended or is no longer valid. Sign in again.',
  };
  show(h('h1', {}, 'Sign in'),
    notes[reason] ? status(notes[reason]) : null,
    h('p', {}, 'This console signs you in with a one-time link. Each link works once, for a short time.'),
    h('ul', {},
      h('li', {}, 'The server prints one when it starts, in its ', h('code', {}, 'ready: console'), ' line.'),
      h('li', {}, 'An operator prints a new one with ', h('code', {}, 'atna-bridge login-link --scope "user/AuditEvent.rs"'), '.')),
    h('p', {}, 'Open the link in this browser to start a session.'));
}
