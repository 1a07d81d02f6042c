// The search page. Its URL is the whole state: /search?<the AuditEvent search parameters of the
// FHIR API>, so the query string below /search and below /fhir/AuditEvent are the same thing.
import { fhir } from './api.js';
import { fill, h, show, status } from './dom.js';
import * as ev from './events.js';
import { histogram } from './histogram.js';
import { integrityBadge } from './integrity.js';
import { saveSearchForm } from './saved.js';
import { anyOf, findPatients } from './patients.js';

/** Form fields and the search parameter each one becomes. */
const FIELDS = [
  { name: 'patient:identifier', label: 'Patient identifier', hint: 'system|value or value, e.g. urn:oid:1.2.3|MRN-1' },
  { name: 'agent', label: 'User', hint: 'user id or reference' },
  { name: 'action', label: 'Action', options: [['', 'Any'], ['C', 'Create'], ['R', 'Read'], ['U', 'Update'], ['D', 'Delete'], ['E', 'Execute']] },
  { name: 'outcome', label: 'Outcome', options: [['', 'Any'], ['0', 'Success'], ['4', 'Minor failure'], ['8', 'Serious failure'], ['12', 'Major failure']] },
  { name: 'category', label: 'Category', hint: 'system|code, e.g. http://dicom.nema.org/resources/ontology/DCM|110110' },
  { name: 'code', label: 'Event code', hint: 'system|code' },
  { name: 'source', label: 'Source', hint: 'audit source id' },
  { name: 'purpose', label: 'Purpose of use', hint: 'e.g. TREAT, ETREAT' },
  { name: '_content', label: 'Free text', hint: 'words anywhere in the event' },
];

const PICKS = [['15 min', 15 * 60e3], ['24 h', 24 * 3600e3], ['7 days', 7 * 24 * 3600e3], ['30 days', 30 * 24 * 3600e3]];
const DEFAULTS = { _sort: '-date', _count: '25' };

export async function searchPage(navigate) {
  const params = new URLSearchParams(location.search);
  const form = buildForm(params, navigate);
  const query = fhirQuery(params);
  const queryBox = h('code', { id: 'fhir-query' }, '/fhir/' + query);
  const copy = h('button', { type: 'button', id: 'copy-query' }, 'Copy');
  const copied = h('span', { class: 'hint', role: 'status' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.origin + '/fhir/' + query);
      copied.textContent = 'Copied.';
    } catch (e) {
      copied.textContent = 'Copy failed: select the query and copy it.';
    }
  });
  const results = h('section', { id: 'results', 'aria-labelledby': 'results-title' },
    h('h2', { id: 'results-title' }, 'Results'), status('Searching…'));
  const dates = params.getAll('date');
  const from = dates.find((d) => d.startsWith('ge'))?.slice(2);
  const to = dates.find((d) => d.startsWith('le'))?.slice(2);
  const narrow = (start, end) => {
    const p = new URLSearchParams(params);
    p.delete('date');
    p.delete('_cursor');
    p.append('date', 'ge' + start.replace(/\.\d+Z$/, 'Z'));
    p.append('date', 'le' + end.replace(/\.\d+Z$/, 'Z'));
    navigate('/search?' + p.toString());
  };
  const patient = params.get('patient:identifier');
  const report = patient && !/(^|[^\\]),/.test(patient) ? h('p', {}, h('a', {
    href: '/access-report?' + new URLSearchParams({ identifier: patient }).toString(), id: 'patient-report',
  }, 'Access report for patient ' + patient)) : null;
  show(h('h1', {}, 'Search audit events'), form, matchedPatients(params),
    h('p', { class: 'query' }, 'FHIR query: ', queryBox, ' ', copy, ' ', copied), saveSearchForm(params),
    integrityBadge(from, to), report, histogram(params, narrow), results);
  await runSearch(query, results, params, navigate);
}

/** The FHIR search of a console URL: its parameters, plus the default sort and page size. */
export function fhirQuery(params) {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(DEFAULTS)) if (!p.has(k)) p.set(k, v);
  return 'AuditEvent?' + p.toString();
}

function buildForm(params, navigate) {
  const dates = params.getAll('date');
  const from = dates.find((d) => d.startsWith('ge'))?.slice(2) || '';
  const to = dates.find((d) => d.startsWith('le'))?.slice(2) || '';
  const form = h('form', { id: 'search-form', role: 'search', class: 'search' });
  const fromIn = h('input', { id: 'f-from', name: 'from', type: 'datetime-local', step: '1', value: local(from) });
  const toIn = h('input', { id: 'f-to', name: 'to', type: 'datetime-local', step: '1', value: local(to) });
  const picks = h('div', { class: 'picks', role: 'group', 'aria-label': 'Quick time ranges' },
    PICKS.map(([label, ms]) => {
      const b = h('button', { type: 'button', class: 'pick', 'data-ms': ms }, 'Last ' + label);
      b.addEventListener('click', () => {
        fromIn.value = local(new Date(Date.now() - ms).toISOString());
        toIn.value = '';
        form.requestSubmit();
      });
      return b;
    }));
  const time = h('fieldset', { class: 'time' }, h('legend', {}, 'Time (UTC)'), picks,
    h('div', { class: 'row' },
      h('label', { for: 'f-from' }, 'From'), fromIn,
      h('label', { for: 'f-to' }, 'To'), toIn));
  const fields = h('div', { class: 'fields' }, FIELDS.map((f) => {
    const id = 'f-' + f.name.replace(/[^a-z]/gi, '');
    const value = params.get(f.name) || '';
    let input;
    if (f.options) {
      input = h('select', { id, name: f.name }, f.options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
    } else {
      input = h('input', { id, name: f.name, type: 'text', value, 'aria-describedby': id + '-hint', autocomplete: 'off' });
    }
    return h('div', { class: 'field' }, h('label', { for: id }, f.label), input,
      f.hint ? h('span', { id: id + '-hint', class: 'hint' }, f.hint) : null);
  }));
  const name = patientNameField(params);
  fields.firstElementChild.after(name.field);
  const sort = params.get('_sort') || DEFAULTS._sort;
  const sortSel = h('select', { id: 'f-sort', name: '_sort' },
    h('option', { value: '-date', selected: sort === '-date' }, 'Newest first'),
    h('option', { value: 'date', selected: sort === 'date' }, 'Oldest first'));
  const count = params.get('_count') || DEFAULTS._count;
  const countSel = h('select', { id: 'f-count', name: '_count' },
    ['25', '50', '100', '200'].map((c) => h('option', { value: c, selected: c === count }, c + ' per page')));
  form.append(time, fields, h('div', { class: 'row actions' },
    h('label', { for: 'f-sort' }, 'Order'), sortSel, h('label', { for: 'f-count' }, 'Page size'), countSel,
    h('button', { type: 'submit', class: 'primary', id: 'search-button' }, 'Search')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const state = await name.resolve(form);
    if (state === false) return;
    const p = new URLSearchParams();
    if (fromIn.value) p.append('date', 'ge' + utc(fromIn.value));
    if (toIn.value) p.append('date', 'le' + utc(toIn.value));
    for (const f of FIELDS) {
      const v = form.elements[f.name].value.trim();
      if (v) p.append(f.name, v);
    }
    p.set('_sort', sortSel.value);
    p.set('_count', countSel.value);
    navigate('/search?' + p.toString(), state);
  });
  return form;
}

/**
 * The patient name field: not a search parameter of its own. On search the name is resolved to the
 * identifiers of the patients of that name ({@link findPatients}), which go into the patient
 * identifier field, so the URL stays the FHIR query; the names matched travel in the history entry.
 */
function patientNameField(params) {
  const state = history.state?.patientName !== undefined && history.state.query === params.get('patient:identifier') ? history.state : null;
  const input = h('input', { id: 'f-patientname', name: 'patient-name', type: 'text', value: state?.patientName || '', autocomplete: 'off', 'aria-describedby': 'f-patientname-hint' });
  const hint = h('span', { id: 'f-patientname-hint', class: 'hint' }, 'a name from reference data, e.g. Dana Dawson: searched as the patients of that name');
  const message = h('span', { class: 'hint', role: 'status', id: 'f-patientname-status' });
  const field = h('div', { class: 'field' }, h('label', { for: 'f-patientname' }, 'Patient name'), input, hint, message);
  async function resolve(form) {
    const name = input.value.trim();
    if (!name) return null;
    message.className = 'hint';
    message.textContent = 'Finding patients named ' + name + '…';
    let found;
    try {
      found = await findPatients(name);
    } catch (e) {
      message.textContent = e.message;
      message.className = 'error';
      return false;
    }
    if (found.matches.length === 0) {
      message.textContent = 'No patient named ' + name + ' in the events you may see.';
      message.className = 'error';
      return false;
    }
    const query = anyOf(found.matches.map((m) => m.identifier));
    form.elements['patient:identifier'].value = query;
    return { patientName: name, query, matches: found.matches, partial: found.partial };
  }
  return { field, resolve };
}

/** Which patients a name search matched (kept in the history entry), or nothing. */
function matchedPatients(params) {
  const state = history.state;
  if (!state?.matches || state.query !== params.get('patient:identifier')) return null;
  return h('div', { id: 'patient-matches', class: 'badge', role: 'status' },
    'Patient name ', h('strong', {}, state.patientName), ' matched ' + state.matches.length + ' patient' + (state.matches.length === 1 ? '' : 's') + ': ',
    state.matches.flatMap((m, i) => [i ? '; ' : '', h('a', { href: '/access-report?' + new URLSearchParams({ identifier: m.identifier }).toString(), class: 'matched-patient' }, m.display),
      ' (', h('code', {}, m.identifier), ')']),
    state.partial ? ' (from the newest events naming them; more may exist)' : '');
}

async function runSearch(query, results, params, navigate) {
  let bundle;
  try {
    bundle = await fhir(query);
  } catch (e) {
    fill(results, h('h2', { id: 'results-title' }, 'Results'), status(e.message, 'error'));
    return;
  }
  const events = (bundle.entry || []).map((x) => x.resource).filter((r) => r?.resourceType === 'AuditEvent');
  const total = typeof bundle.total === 'number' ? bundle.total : null;
  const summary = status(events.length === 0
    ? 'No audit events match this search.'
    : 'Showing ' + events.length + ' event' + (events.length === 1 ? '' : 's') + (total !== null ? ' of ' + total : '') + '.');
  const sortedBy = (params.get('_sort') || DEFAULTS._sort) === 'date' ? 'ascending' : 'descending';
  const table = events.length === 0 ? null : h('table', { id: 'results-table' },
    h('caption', { class: 'sr-only' }, 'Audit events, by time'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', 'aria-sort': sortedBy }, 'Time'),
      ['User', 'Action', 'Patient', 'What', 'Outcome', 'Source'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, events.map((e) => h('tr', { 'data-id': e.id },
      h('td', {}, h('a', { href: '/event/' + encodeURIComponent(e.id), class: 'event-link' }, ev.time(e.recorded))),
      h('td', {}, ev.user(e)),
      h('td', {}, ev.action(e)),
      h('td', {}, ev.patient(e)),
      h('td', {}, ev.what(e)),
      h('td', { class: ev.outcomeOk(e) ? '' : 'bad' }, ev.outcome(e)),
      h('td', {}, ev.source(e))))));
  const nav = h('nav', { class: 'pager', 'aria-label': 'Result pages' });
  for (const [rel, label] of [['previous', 'Previous page'], ['next', 'Next page']]) {
    const link = (bundle.link || []).find((l) => l.relation === rel);
    if (!link) continue;
    const target = '/search' + link.url.slice(link.url.indexOf('?'));
    const a = h('a', { href: target, rel: rel === 'next' ? 'next' : 'prev', id: rel + '-page' }, label);
    a.addEventListener('click', (event) => {
      event.preventDefault();
      navigate(target);
    });
    nav.append(a);
  }
  fill(results, h('h2', { id: 'results-title' }, 'Results'), summary,
    table ? h('div', { class: 'table-wrap' }, table) : null, nav.childElementCount ? nav : null);
}

/** An ISO instant as the value of a datetime-local input (shown and read as UTC). */
function local(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toISOString().slice(0, 19);
}

function utc(localValue) {
  const v = localValue.length === 16 ? localValue + ':00' : localValue;
  return v + 'Z';
}
