// The histogram of a search over time, from $stats (the store's date histogram). Each bar is a
// button: choosing one narrows the search to that interval (keyboard and pointer alike), and
// dragging across bars with the pointer narrows it to the span they cover (drag-to-zoom).
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
    const end = (b) => {
      const start = new Date(b.start);
      return new Date(interval === 'month' ? Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) : start.getTime() + MS[interval]);
    };
    // the search's range is inclusive at both ends, to the second
    const zoom = (first, last) => narrow(new Date(first.start).toISOString(), new Date(end(last).getTime() - 1000).toISOString());
    const bars = h('div', { class: 'bars', role: 'group', 'aria-label': 'Events per ' + interval + '; choose a bar, or drag across bars, to narrow the search' },
      buckets.map((b, i) => {
        const label = b.start.replace('T', ' ').replace(/:00(\.000)?Z$/, ' UTC') + ': ' + b.count + ' event' + (b.count === 1 ? '' : 's');
        const bar = h('button', { type: 'button', class: 'bar', title: label, 'aria-label': label, 'data-start': b.start, 'data-index': String(i) });
        bar.append(h('span', { class: 'fill' }));
        bar.firstChild.style.height = Math.max(4, Math.round((b.count / max) * 100)) + '%';
        bar.addEventListener('click', () => zoom(b, b));
        return bar;
      }));
    dragToZoom(bars, (lo, hi) => zoom(buckets[lo], buckets[hi]));
    fill(section, section.firstChild, bars,
      h('p', { class: 'hint' }, P.one(r, 'total') + ' events, per ' + interval + ' (UTC). Choose a bar, or drag across bars, to narrow the time range.'));
  }).catch((e) => {
    fill(section, section.firstChild, h('p', { class: 'error', role: 'alert' }, 'No histogram: ' + e.message));
  });
  return section;
}

// Pointer drag across the bars: pressed on one, released on another, selects the bars between
// (either direction), shown while dragging. A press and release on the same bar stays a click, and
// a drag over several bars produces no click (the browser sends it to the bars' common parent).
function dragToZoom(bars, zoom) {
  let anchor = -1;
  let current = -1;
  const indexAt = (e) => {
    const bar = e.target instanceof Element ? e.target.closest('.bar') : null;
    return bar && bars.contains(bar) ? Number(bar.dataset.index) : -1;
  };
  const mark = () => {
    const lo = Math.min(anchor, current);
    const hi = Math.max(anchor, current);
    for (const bar of bars.children) {
      const i = Number(bar.dataset.index);
      bar.classList.toggle('selected', anchor >= 0 && i >= lo && i <= hi);
    }
  };
  bars.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    anchor = current = indexAt(e);
    mark();
  });
  bars.addEventListener('pointerover', (e) => {
    const i = indexAt(e);
    if (anchor < 0 || i < 0) return;
    current = i;
    mark();
  });
  const done = (e) => {
    if (anchor < 0) return;
    const i = e.type === 'pointerup' ? indexAt(e) : -1;
    if (i >= 0) current = i;
    const lo = Math.min(anchor, current);
    const hi = Math.max(anchor, current);
    const dragged = e.type === 'pointerup' && lo !== hi;
    anchor = current = -1;
    mark();
    if (dragged) zoom(lo, hi);
  };
  window.addEventListener('pointerup', done);
  bars.addEventListener('pointercancel', done);
}
