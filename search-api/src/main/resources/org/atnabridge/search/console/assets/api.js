// The console's only way to data: the public FHIR API of this server, called with the session
// cookie (same origin). A 401 sends the officer back to sign-in; a 403 says which scope is missing.

let session = null;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The signed-in session ({subject, scope, patient, clearance, csrf}); null when signed out. */
export async function currentSession() {
  if (session) return session;
  const r = await fetch('/console/session', { credentials: 'same-origin', cache: 'no-store' });
  if (r.status === 401) return null;
  if (!r.ok) throw new ApiError(r.status, 'The server could not tell who is signed in (HTTP ' + r.status + ').');
  session = await r.json();
  return session;
}

export function toSignIn(reason) {
  location.assign('/signin' + (reason ? '?' + reason : ''));
}

/**
 * GET a FHIR URL below /fhir ("AuditEvent?..." or an absolute link of this server); `signal` (an
 * AbortSignal) cancels it, rejecting with the AbortError itself.
 */
export async function fhir(pathOrLink, signal) {
  const url = localPath(pathOrLink);
  let r;
  try {
    r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/fhir+json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server did not answer (' + e.message + '). Check that it is running and try again.');
  }
  if (r.status === 401) {
    toSignIn('expired');
    throw new ApiError(401, 'Your session has ended. Sign in again.');
  }
  if (!r.ok) throw new ApiError(r.status, await explain(r));
  return r.json();
}

/** Sign-out: ends the session on the server (CSRF token in its header), then the sign-in page. */
export async function signOut() {
  const s = await currentSession();
  await fetch('/console/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: s ? { 'X-CSRF-Token': s.csrf } : {},
  });
  session = null;
  toSignIn('signed-out');
}

/** A link of the API (absolute, built from its public base) as a path of this origin. */
export function localPath(link) {
  if (!/^[a-z]+:/i.test(link)) return '/fhir/' + link.replace(/^\/?(fhir\/)?/, '');
  const u = new URL(link);
  const i = u.pathname.indexOf('/fhir/');
  return (i >= 0 ? u.pathname.slice(i) : u.pathname) + u.search;
}

async function explain(r) {
  let detail = '';
  try {
    const body = await r.json();
    detail = (body.issue || []).map((i) => i.diagnostics || i.details?.text || i.code).filter(Boolean).join('; ');
  } catch (e) {
    detail = '';
  }
  if (r.status === 403) {
    const challenge = r.headers.get('WWW-Authenticate') || '';
    const scope = /scope="([^"]*)"/.exec(challenge);
    return 'Not allowed: your sign-in does not grant this. ' +
      (scope ? 'It needs one of these scopes: ' + scope[1] + '. ' : '') +
      'Ask for a sign-in link with that scope (atna-bridge login-link --scope ...).' +
      (detail ? ' Server: ' + detail : '');
  }
  if (r.status === 400) return 'The server refused this search: ' + (detail || 'bad request') + '.';
  if (r.status === 404) return 'Not found: ' + (detail || 'no such record, or you may not see it') + '.';
  if (r.status === 503) return 'The audit store is not available right now: ' + (detail || 'try again shortly') + '.';
  return 'The server answered HTTP ' + r.status + (detail ? ': ' + detail : '') + '.';
}

/**
 * A state-changing request of the console (POST, PUT, DELETE) with a JSON body: the session's CSRF
 * token in its header; errors as for {@link fhir}. Returns the JSON answer, or null when empty.
 */
export async function send(method, path, body, contentType = 'application/fhir+json') {
  const s = await currentSession();
  const headers = { Accept: contentType.startsWith('application/fhir') ? 'application/fhir+json' : 'application/json' };
  if (s) headers['X-CSRF-Token'] = s.csrf;
  if (body !== undefined) headers['Content-Type'] = contentType;
  let r;
  try {
    r = await fetch(path.startsWith('/') ? path : localPath(path), {
      method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The server did not answer (' + e.message + '). Check that it is running and try again.');
  }
  if (r.status === 401) {
    toSignIn('expired');
    throw new ApiError(401, 'Your session has ended. Sign in again.');
  }
  if (!r.ok) {
    if (!path.startsWith('/console/')) throw new ApiError(r.status, await explain(r));
    let detail = '';
    try {
      detail = (await r.json()).error || '';
    } catch (e) {
      detail = '';
    }
    throw new ApiError(r.status, 'The server refused this (HTTP ' + r.status + (detail ? ': ' + detail : '') + ').');
  }
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}
