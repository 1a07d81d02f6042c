// The patient access report (accounting of disclosures) from $access-report: for one patient and
// period, who accessed the record, when, how and why. CSV from the same operation; printable.
import { fhir } from './api.js';
import { fill, h, show, status } from './dom.js';
import { time } from './events.js';
import * as P from './params.js';

const ACTIONS = { C: 'create', R: 'read', U: 'update', D: 'delete', E: 'execute' };
const OUTCOMES = { 0: 'success', 4: 'minor failure', 8: 'serious failure', 12: 'major failure' };

export async function reportPage(navigate) {
  const params = new URLSearchParams(location.search);
  const identifier = params.get('identifier') || '';
  const now = new Date();
  const start = params.get('start') || new Date(now.getTime() - 365 * 86400e3).toISOString().slice(0, 10);
  const end = params.get('end') || new Date(now.getTime() + 86400e3).toISOString().slice(0, 10);
  const form = h('form', { id: 'report-form', class: 'search noprint' });
  const idIn = h('input', { id: 'r-identifier', name: 'identifier', type: 'text', value: identifier, required: true, 'aria-describedby': 'r-identifier-hint' });
  const startIn = h('input', { id: 'r-start', name: 'start', type: 'date', value: start.slice(0, 10), required: true });
  const endIn = h('input', { id: 'r-end', name: 'end', type: 'date', value: end.slice(0, 10), required: true });
  form.append(h('div', { class: 'fields' },
    h('div', { class: 'field' }, h('label', { for: 'r-identifier' }, 'Patient identifier'), idIn,
      h('span', { class: 'hint', id: 'r-identifier-hint' }, 'system|value, e.g. urn:oid:1.2.3|MRN-1')),
    h('div', { class: 'field' }, h('label', { for: 'r-start' }, 'From (inclusive)'), startIn),
    h('div', { class: 'field' }, h('label', { for: 'r-end' }, 'To (exclusive)'), endIn)),
  h('div', { class: 'row actions' }, h('button', { type: 'submit', class: 'primary', id: 'report-button' }, 'Show report')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('/access-report?' + new URLSearchParams({ identifier: idIn.value.trim(), start: startIn.value, end: endIn.value }).toString());
  });
  const out = h('section', { id: 'report', 'aria-labelledby': 'report-title' });
  show(h('h1', { id: 'report-title' }, 'Patient access report'), form, out);
  if (!identifier) {
    out.append(status('Enter a patient identifier and a period.'));
    return;
  }
  const q = new URLSearchParams({ identifier, start: startIn.value, end: endIn.value });
  const query = 'Patient/$access-report?' + q.toString();
  out.append(status('Building the report…'));
  let r;
  try {
    r = await fhir(query);
  } catch (e) {
    fill(out, status(e.message, 'error'));
    return;
  }
  const users = P.all(r, 'user').map(P.parts);
  const complete = P.one(r, 'complete') !== false;
  const csv = h('a', { href: '/fhir/' + query + '&_format=text/csv', download: 'access-report.csv', id: 'report-csv', class: 'button' }, 'Export CSV');
  const print = h('button', { type: 'button', id: 'report-print' }, 'Print');
  print.addEventListener('click', () => window.print());
  fill(out, 
    h('p', {}, 'Patient ', h('strong', {}, identifier), ', ', startIn.value, ' to ', endIn.value, ': ',
      P.one(r, 'eventsMatching') + ' accesses by ' + users.length + ' user' + (users.length === 1 ? '' : 's') + '.'),
    complete ? null : status('The report is incomplete: more events matched than one report reads. Narrow the period; the CSV export counts every event.', 'error'),
    h('div', { class: 'row noprint' }, csv, print),
    users.length === 0 ? status('Nobody accessed this record in this period.') : h('div', { class: 'table-wrap' },
      h('table', { id: 'report-table' },
        h('caption', { class: 'sr-only' }, 'Accesses by user, most first'),
        h('thead', {}, h('tr', {}, ['User', 'Accesses', 'First', 'Last', 'Purpose of use', 'Actions', 'Outcomes'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, users.map((u) => h('tr', {},
          h('td', {}, u.display || u.who?.display || u.who?.identifier?.value || u.who?.reference || ''),
          h('td', {}, String(u.count)),
          h('td', {}, time(u.firstAccess)),
          h('td', {}, time(u.lastAccess)),
          h('td', {}, P.list(u.purposeOfUse).map((c) => c.display || c.code).join(', ')),
          h('td', {}, P.list(u.action).map((a) => ACTIONS[a] || a).join(', ')),
          h('td', {}, P.list(u.outcome).map((c) => c.display || OUTCOMES[c.code] || c.code).join(', '))))))));
}
