// User activity from $user-activity-report: everything one user did in a period, counted by
// action, category and event type, the distinct patients (each linked to its access report) and
// the events. The URL holds the state: /user-activity?identifier=...&start=...&end=...
import { fhir } from './api.js';
import { fill, h, show, status } from './dom.js';
import { time } from './events.js';
import * as P from './params.js';

const ACTIONS = { C: 'Create', R: 'Read', U: 'Update', D: 'Delete', E: 'Execute' };
const OUTCOMES = { 0: 'Success', 4: 'Minor failure', 8: 'Serious failure', 12: 'Major failure' };
const TOP_PATIENTS = 10;
const EVENTS_SHOWN = 200;

export async function userActivityPage(navigate) {
  const params = new URLSearchParams(location.search);
  const identifier = params.get('identifier') || '';
  const now = new Date();
  const start = params.get('start') || new Date(now.getTime() - 30 * 86400e3).toISOString().slice(0, 10);
  const end = params.get('end') || new Date(now.getTime() + 86400e3).toISOString().slice(0, 10);
  const form = h('form', { id: 'activity-form', class: 'search noprint' });
  const idIn = h('input', { id: 'a-identifier', name: 'identifier', type: 'text', value: identifier, required: true, autocomplete: 'off', 'aria-describedby': 'a-identifier-hint' });
  const startIn = h('input', { id: 'a-start', name: 'start', type: 'date', value: start.slice(0, 10), required: true });
  const endIn = h('input', { id: 'a-end', name: 'end', type: 'date', value: end.slice(0, 10), required: true });
  form.append(h('div', { class: 'fields' },
    h('div', { class: 'field' }, h('label', { for: 'a-identifier' }, 'User identifier'), idIn,
      h('span', { class: 'hint', id: 'a-identifier-hint' }, 'system|value, or a user id for any system, e.g. dr.house')),
    h('div', { class: 'field' }, h('label', { for: 'a-start' }, 'From (inclusive)'), startIn),
    h('div', { class: 'field' }, h('label', { for: 'a-end' }, 'To (exclusive)'), endIn)),
  h('div', { class: 'row actions' }, h('button', { type: 'submit', class: 'primary', id: 'activity-button' }, 'Show activity')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('/user-activity?' + new URLSearchParams({ identifier: idIn.value.trim(), start: startIn.value, end: endIn.value }).toString());
  });
  const out = h('section', { id: 'activity', 'aria-labelledby': 'activity-title' });
  show(h('h1', { id: 'activity-title' }, 'User activity'), form, out);
  if (!identifier) {
    out.append(status('Enter a user identifier and a period.'));
    return;
  }
  const q = new URLSearchParams({ identifier, start: startIn.value, end: endIn.value });
  const query = '$user-activity-report?' + q.toString();
  out.append(status('Building the report…'));
  let r;
  try {
    r = await fhir(query);
  } catch (e) {
    fill(out, status(e.message, 'error'));
    return;
  }
  const window = { start: startIn.value, end: endIn.value };
  const patients = P.all(r, 'patient').map(P.parts);
  const events = P.all(r, 'event').map(P.parts);
  const patientCount = Number(P.one(r, 'patientCount') || 0);
  const matching = Number(P.one(r, 'eventsMatching') || 0);
  const complete = P.one(r, 'complete') !== false;
  const csv = h('a', { href: '/fhir/' + query + '&_format=text/csv', download: 'user-activity.csv', id: 'activity-csv', class: 'button' }, 'Export CSV (all events)');
  fill(out,
    h('p', { id: 'activity-summary' }, 'User ', h('strong', {}, identifier), ', ', window.start, ' to ', window.end, ': ',
      matching + ' event' + (matching === 1 ? '' : 's') + ' about ' + patientCount + ' patient' + (patientCount === 1 ? '' : 's') + '.'),
    complete ? null : status('The counts below cover the newest ' + P.one(r, 'eventsCounted') + ' events only: more matched than one report reads. Narrow the period; the CSV export has every event.', 'error'),
    h('div', { class: 'row noprint' }, csv),
    h('div', { class: 'counts' },
      counts('activity-actions', 'By action', 'Action', P.all(r, 'action').map(P.parts).map((a) => [ACTIONS[a.code] || a.code, a.count])),
      counts('activity-categories', 'By category', 'Category', P.all(r, 'category').map(P.parts).map((c) => [c.coding?.display || c.coding?.code || '', c.count])),
      counts('activity-codes', 'By event type', 'Event type', P.all(r, 'code').map(P.parts).map((c) => [c.coding?.display || c.coding?.code || '', c.count]))),
    h('h2', { id: 'activity-patients-title' }, 'Patients touched most'),
    patients.length === 0 ? status('These events name no patient.') : h('div', { class: 'table-wrap' },
      h('table', { id: 'activity-patients', 'aria-labelledby': 'activity-patients-title' },
        h('thead', {}, h('tr', {}, ['Patient', 'Identifier', 'Events', 'Access report'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, patients.slice(0, TOP_PATIENTS).map((p) => patientRow(p.who || {}, p.count, window))))),
    patients.length > TOP_PATIENTS ? h('p', { class: 'hint' }, 'The ' + TOP_PATIENTS + ' patients with most events of ' + patients.length + ' named.') : null,
    h('h2', { id: 'activity-events-title' }, 'Events'),
    events.length === 0 ? status('This user did nothing recorded in this period.') : h('div', { class: 'table-wrap' },
      h('table', { id: 'activity-events', 'aria-labelledby': 'activity-events-title' },
        h('thead', {}, h('tr', {}, ['Time', 'Action', 'Category', 'Event type', 'Outcome', 'Patients'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, events.slice(0, EVENTS_SHOWN).map((e) => h('tr', {},
          h('td', {}, h('a', { href: '/event/' + encodeURIComponent(idOf(e.event)), class: 'event-link' }, time(e.recorded))),
          h('td', {}, ACTIONS[e.action] || e.action || ''),
          h('td', {}, P.list(e.category).map((c) => c.display || c.code).join(', ')),
          h('td', {}, P.list(e.code).map((c) => c.display || c.code).join(', ')),
          h('td', {}, e.outcome ? OUTCOMES[e.outcome.code] || e.outcome.display || e.outcome.code : ''),
          h('td', {}, P.list(e.patient).map(label).join(', '))))))),
    events.length > EVENTS_SHOWN ? h('p', { class: 'hint', id: 'activity-events-more' },
      'The newest ' + EVENTS_SHOWN + ' of ' + events.length + ' events are shown; the CSV export has every event.') : null);
}

function counts(id, title, column, rows) {
  return h('div', {},
    h('h2', { id: id + '-title' }, title),
    rows.length === 0 ? h('p', { class: 'hint' }, 'None.') : h('table', { id, 'aria-labelledby': id + '-title' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, column), h('th', { scope: 'col' }, 'Events'))),
      h('tbody', {}, rows.map(([name, n]) => h('tr', {}, h('td', {}, name), h('td', {}, String(n)))))));
}

/** A patient line: the name, the identifier and a link to the patient's access report. */
function patientRow(who, count, window) {
  const id = who.identifier?.value ? (who.identifier.system ? who.identifier.system + '|' : '') + who.identifier.value : '';
  const report = id ? h('a', {
    href: '/access-report?' + new URLSearchParams({ identifier: id, start: window.start, end: window.end }).toString(),
    class: 'patient-report',
  }, 'Access report', h('span', { class: 'sr-only' }, ' for ' + (who.display || id))) : h('span', { class: 'hint' }, 'no identifier');
  return h('tr', {}, h('td', {}, who.display || who.reference || id), h('td', {}, id || who.reference || ''),
    h('td', {}, String(count)), h('td', {}, report));
}

function label(ref) {
  return ref?.display || ref?.identifier?.value || ref?.reference || '';
}

function idOf(ref) {
  return (ref?.reference || '').replace(/^AuditEvent\//, '');
}
