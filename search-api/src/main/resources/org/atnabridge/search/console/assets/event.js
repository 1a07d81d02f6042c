// The event detail page: a card an officer can read, and on request the raw FHIR JSON and the
// original record, always as text (textContent), never as markup.
import { fhir } from './api.js';
import { h, show, status } from './dom.js';
import * as ev from './events.js';

export async function eventPage(id) {
  show(h('h1', {}, 'Audit event'), status('Loading the event…'));
  let e;
  try {
    e = await fhir('AuditEvent/' + encodeURIComponent(id));
  } catch (err) {
    show(h('h1', {}, 'Audit event'), status(err.message, 'error'), back());
    return;
  }
  const rows = [
    ['When', ev.time(e.recorded) + (e.occurredDateTime ? ' (occurred ' + ev.time(e.occurredDateTime) + ')' : '')],
    ['Who', (e.agent || []).map((a) => ev.who(a.who) + (a.type ? ' – ' + ev.coding(a.type) : '') + (a.requestor ? ' (requestor)' : '')).join('; ')],
    ['What', ev.what(e)],
    ['Category', (e.category || []).map(ev.coding).join(', ')],
    ['Action', ev.action(e)],
    ['Patient', ev.patient(e)],
    ['Objects', (e.entity || []).map((x) => ev.who(x.what) + (x.role ? ' (' + ev.coding(x.role) + ')' : '')).join('; ')],
    ['Where from', ev.whereFrom(e)],
    ['Source', ev.source(e)],
    ['Outcome', ev.outcome(e) + (e.outcome?.detail ? ': ' + e.outcome.detail.map(ev.coding).join(', ') : '')],
    ['Purpose of use', ev.purpose(e)],
    ['Labels', ev.labels(e).join(', ')],
    ['Chain position', chain(e)],
  ];
  const card = h('dl', { class: 'card', id: 'event-card' },
    rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  const rawJson = h('pre', { id: 'raw-json', class: 'raw', tabindex: '0', hidden: true }, JSON.stringify(e, null, 2));
  const jsonButton = toggle('show-json', 'Show raw FHIR JSON', 'Hide raw FHIR JSON', rawJson);
  const originalBlock = h('pre', { id: 'raw-original', class: 'raw', tabindex: '0', hidden: true });
  const originalNote = h('p', { class: 'hint', id: 'original-note', role: 'status' });
  const originalButton = toggle('show-original', 'Show original record', 'Hide original record', originalBlock,
    () => loadOriginal(e, originalBlock, originalNote));
  show(h('h1', {}, 'Audit event'), h('p', { class: 'hint' }, 'Id ', h('code', {}, e.id)), card,
    h('div', { class: 'row' }, jsonButton, originalButton), rawJson, originalNote, originalBlock, back());
}

function toggle(id, showLabel, hideLabel, target, onFirstOpen) {
  const b = h('button', { type: 'button', id, 'aria-expanded': 'false', 'aria-controls': target.id }, showLabel);
  let loaded = false;
  b.addEventListener('click', () => {
    const open = target.hidden;
    if (open && onFirstOpen && !loaded) {
      loaded = true;
      onFirstOpen();
    }
    target.hidden = !open;
    b.setAttribute('aria-expanded', String(open));
    b.textContent = open ? hideLabel : showLabel;
  });
  return b;
}

function chain(e) {
  const c = ev.extension(e, 'chain');
  if (!c) return '';
  return 'partition ' + ev.sub(c, 'partition') + ', sequence ' + ev.sub(c, 'seq') + ', hash ' + String(ev.sub(c, 'hash') || '').slice(0, 16) + '…';
}

/** The original record: read from the raw topic ($raw), else the access log line the event carries. */
async function loadOriginal(e, block, note) {
  const raw = ev.extension(e, 'raw-record');
  if (raw) {
    note.textContent = 'Loading the original record…';
    try {
      const binary = await fhir('AuditEvent/' + encodeURIComponent(e.id) + '/$raw');
      const bytes = Uint8Array.from(atob(binary.data || ''), (c) => c.charCodeAt(0));
      block.textContent = new TextDecoder('utf-8').decode(bytes);
      note.textContent = 'The original record as received (' + ev.sub(raw, 'topic') + ', partition ' +
        ev.sub(raw, 'partition') + ', offset ' + ev.sub(raw, 'offset') + '), shown as text.';
    } catch (err) {
      note.textContent = 'The original record could not be shown: ' + err.message;
    }
    return;
  }
  const line = ev.extension(e, 'access-log-line');
  if (line?.valueString) {
    block.textContent = line.valueString;
    note.textContent = 'The access log line as received (secrets masked).';
    return;
  }
  note.textContent = 'This event has no original record: it was posted as FHIR.';
}

function back() {
  return h('p', {}, h('a', { href: '/search', id: 'back-to-search' }, 'Back to search'));
}
