// The integrity badge: the $verify verdict for the window a page shows. $verify windows go by
// receipt time, so the badge says which window it checked.
import { fhir } from './api.js';
import { h } from './dom.js';
import * as P from './params.js';

/** Findings listed in the badge; the rest are counted. */
const MAX_LISTED = 20;

/**
 * The check of the badge shown last. A new badge cancels it: a check can take seconds, and checks
 * left running by earlier pages would hold the browser's few connections to this server (six per
 * host), so the next search's own requests would queue behind them.
 */
let running = null;

/** A badge element, filled in when $verify answers. */
export function integrityBadge(start, end) {
  if (running) running.abort();
  running = null;
  const badge = h('div', { class: 'badge', id: 'integrity', role: 'status' }, 'Integrity: checking…');
  if (!start) {
    badge.textContent = 'Integrity: choose a time range to check the hash chain for it.';
    return badge;
  }
  const q = new URLSearchParams({ start });
  if (end) q.set('end', end);
  const check = new AbortController();
  running = check;
  fhir('AuditEvent/$verify?' + q.toString(), check.signal).then((r) => {
    const intact = P.one(r, 'intact') === true;
    const pending = Number(P.one(r, 'pending') || 0);
    const findings = P.all(r, 'finding').map(P.parts);
    const checked = Number(P.one(r, 'eventsChecked') || 0);
    const window = 'events received ' + start + (end ? ' to ' + end : ' until now');
    badge.replaceChildren();
    badge.classList.add(intact ? 'ok' : 'broken');
    if (intact) {
      badge.append(pending > 0
        ? 'Integrity: intact, ' + pending + ' event' + (pending === 1 ? '' : 's') + ' still being indexed'
        : 'Integrity: intact', h('span', { class: 'hint' }, ' (' + checked + ' ' + window + ' verified)'));
      badge.dataset.verdict = pending > 0 ? 'intact-pending' : 'intact';
    } else {
      badge.dataset.verdict = 'broken';
      // the first findings by sequence number; a window of thousands would bury the page
      const shown = findings.slice(0, MAX_LISTED);
      const items = shown.map((f) => h('li', {}, f.text || (f.kind + ' partition ' + f.partition + ' seq ' + f.fromSeq + '–' + f.toSeq)));
      if (findings.length > shown.length) {
        items.push(h('li', { class: 'hint' }, '… and ' + (findings.length - shown.length) +
          ' more: AuditEvent/$verify?' + q.toString() + ' lists them all'));
      }
      badge.append('Integrity: broken – ' + findings.length + ' finding' + (findings.length === 1 ? '' : 's'),
        h('ul', {}, items));
    }
  }).catch((e) => {
    if (e.name === 'AbortError') return; // a newer badge replaced this one
    // 422 too-costly: the window holds more events than one check may read; not an error
    const many = e.status === 422 ? /window holds (\d+) events/.exec(e.message || '') : null;
    if (many) {
      badge.textContent = 'Integrity: too many events to check at once (' + many[1] + '); narrow the time range';
      badge.dataset.verdict = 'too-many';
      return;
    }
    badge.textContent = 'Integrity: not checked. ' + e.message;
  }).finally(() => {
    if (running === check) running = null;
  });
  return badge;
}
