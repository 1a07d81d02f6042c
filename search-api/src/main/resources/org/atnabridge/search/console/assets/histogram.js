// The histogram of a search over time, from $stats (the store's date histogram). Each bar is a
// button: choosing one narrows the search to that interval (keyboard and pointer alike).
import { fhir } from './api.js';
import { fill, h } from './dom.js';
import * as P from './params.js';

const MS = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3 };

export function histogram(params, narrow) {
  const section = h('section', { class: 'histogram', id: 'histogram', 'aria-labelledby': 'histogram-title' },
    h('h2', { id: 'histogram-title' }, 'Events over time'), h('p', { class: 'status', role: 'status' }, 'Counting…'));
  const dates = params.getAll('date');
  const from = Date.parse(dates.find((d) => d.startsWith('ge'))?.slice(2) || '');
  const to = Date.parse(dates.find((d) => d.startsWith('le'))?.slice(2) || '') || Date.now();
  const span = isNaN(from) ? Infinity : to - from;
  const interval = span <= 2 * 86400e3 ? 'hour' : span <= 90 * 86400e3 ? 'day' : span <= 700 * 86400e3 ? 'week' : 'month';
  const q = new URLSearchParams(params);
  for (const k of ['_sort', '_count', '_cursor', '_total']) q.delete(k);
  q.set('interval', interval);
  fhir('AuditEvent/$stats?' + q.toString()).then((r) => {
    const buckets = P.all(r, 'bucket').map(P.parts).map((b) => ({ start: b.start, count: Number(b.count) }));
    if (buckets.length === 0) {
      fill(section, section.firstChild, h('p', { class: 'status' }, 'No events in this range.'));
      return;
    }
    const max = Math.max(...buckets.map((b) => b.count));
    const bars = h('div', { class: 'bars', role: 'group', 'aria-label': 'Events per ' + interval + '; choose a bar to narrow the search to it' },
      buckets.map((b) => {
        const label = b.start.replace('T', ' ').replace(/:00(\.000)?Z$/, ' UTC') + ': ' + b.count + ' event' + (b.count === 1 ? '' : 's');
        const bar = h('button', { type: 'button', class: 'bar', title: label, 'aria-label': label, 'data-start': b.start });
        bar.append(h('span', { class: 'fill' }));
        bar.firstChild.style.height = Math.max(4, Math.round((b.count / max) * 100)) + '%';
        bar.addEventListener('click', () => {
          const start = new Date(b.start);
          const end = new Date(interval === 'month' ? Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) : start.getTime() + MS[interval]);
          narrow(start.toISOString(), new Date(end.getTime() - 1000).toISOString());
        });
        return bar;
      }));
    fill(section, section.firstChild, bars,
      h('p', { class: 'hint' }, P.one(r, 'total') + ' events, per ' + interval + ' (UTC). Choose a bar to narrow the time range.'));
  }).catch((e) => {
    fill(section, section.firstChild, h('p', { class: 'error', role: 'alert' }, 'No histogram: ' + e.message));
  });
  return section;
}
