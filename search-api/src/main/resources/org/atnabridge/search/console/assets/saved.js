// Saved searches: kept per officer by the product (/console/saved-searches), not in the browser.
// Each is a /search? link, and can be turned into a `kind: match` alert rule for the rules file.
import { ApiError, send } from './api.js';
import { fill, h, show, status } from './dom.js';

const ENDPOINT = '/console/saved-searches';

/** Parameters that shape a search's answer or window, not which events it means. */
const NOT_CONDITIONS = ['date', '_sort', '_count', '_cursor', '_total', '_summary', '_elements', '_format'];

export async function savedSearchesPage() {
  const result = h('p', { id: 'saved-status', class: 'status', role: 'status' }, 'Loading your saved searches…');
  const list = h('div', { id: 'saved-list' });
  show(h('h1', {}, 'Saved searches'),
    h('p', { class: 'hint' }, 'Kept for you by the server: they follow you to any browser, and no one else sees them.'),
    result, list);
  await refresh(list, result);
}

async function refresh(list, result) {
  let body;
  try {
    body = await send('GET', ENDPOINT);
  } catch (e) {
    result.className = 'error';
    fill(result, e.message);
    return;
  }
  const searches = body?.searches || [];
  fill(result, searches.length === 0
    ? 'No saved searches yet: use “Save this search” on the search page.'
    : searches.length + ' saved search' + (searches.length === 1 ? '' : 'es') + '.');
  if (searches.length === 0) {
    list.replaceChildren();
    return;
  }
  const rows = searches.map((s) => {
    const href = '/search' + (s.query ? '?' + s.query : '');
    const yaml = h('pre', { class: 'raw rule-yaml', id: 'rule-' + s.id, tabindex: '0', hidden: true }, ruleYaml(s));
    const ruleButton = h('button', { type: 'button', class: 'rule-button', 'aria-expanded': 'false', 'aria-controls': yaml.id }, 'Turn into an alert rule');
    const download = h('a', { class: 'button rule-download', download: 'rule-' + slug(s.name) + '.yaml', href: '#', hidden: true }, 'Download YAML');
    ruleButton.addEventListener('click', () => {
      const open = yaml.hidden;
      yaml.hidden = !open;
      download.hidden = !open;
      ruleButton.setAttribute('aria-expanded', String(open));
      if (open && download.getAttribute('href') === '#') {
        download.href = URL.createObjectURL(new Blob([yaml.textContent], { type: 'application/yaml' }));
      }
    });
    const del = h('button', { type: 'button', class: 'delete-button' }, 'Delete');
    del.addEventListener('click', async () => {
      del.disabled = true;
      try {
        await send('DELETE', ENDPOINT + '/' + encodeURIComponent(s.id));
        await refresh(list, result);
        fill(result, result.textContent + ' Deleted “' + s.name + '”.');
      } catch (e) {
        del.disabled = false;
        fill(result, e instanceof ApiError ? e.message : String(e));
      }
    });
    return h('tr', { 'data-id': s.id },
      h('td', {}, h('a', { href, class: 'saved-link' }, s.name)),
      h('td', {}, h('code', {}, href)),
      h('td', {}, h('div', { class: 'row' }, ruleButton, download, del), yaml));
  });
  fill(list, h('div', { class: 'table-wrap' }, h('table', { id: 'saved-table' },
    h('caption', { class: 'sr-only' }, 'Your saved searches'),
    h('thead', {}, h('tr', {}, ['Name', 'Link', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows))));
}

/**
 * The rules-file entry of a search: a `kind: match` rule whose `where` is the search's conditions
 * (its time window, order and paging left out: a rule looks at every event as it arrives).
 */
export function ruleYaml(s) {
  const p = new URLSearchParams(s.query);
  for (const k of NOT_CONDITIONS) p.delete(k);
  // the rules read `where` as a query string (URL-decoded), so it stays encoded; only the characters
  // that cannot be misread are shown plainly
  const where = p.toString().replace(/%7C/gi, '|').replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%2C/gi, ',');
  if (!where) return '# "' + s.name + '" has no condition besides its time window:\n# a match rule on it would fire on every event.\n';
  return [
    '# From the saved search "' + s.name.replace(/[\r\n]/g, ' ') + '" (' + location.origin + '/search?' + s.query + ')',
    '# Add it under rules: in the --alert-rules file; check it with: atna-bridge rules check FILE',
    'rules:',
    '  - id: ' + ('saved-' + slug(s.name)).slice(0, 64),
    '    title: ' + JSON.stringify(s.name),
    '    kind: match',
    '    where: ' + JSON.stringify(where),
    '    severity: medium',
    '',
  ].join('\n');
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'search';
}

/** "Save this search" for the search page: a name and a button, saved by the server. */
export function saveSearchForm(params) {
  const name = h('input', { id: 'save-name', name: 'save-name', type: 'text', maxlength: '100', autocomplete: 'off' });
  const note = h('span', { class: 'hint', role: 'status', id: 'save-status' });
  const form = h('form', { id: 'save-search', class: 'row' },
    h('label', { for: 'save-name' }, 'Save as'), name,
    h('button', { type: 'submit', id: 'save-search-button' }, 'Save this search'), note);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      note.textContent = 'Give the search a name first.';
      name.focus();
      return;
    }
    try {
      await send('POST', ENDPOINT, { name: name.value.trim(), query: params.toString() }, 'application/json');
      note.replaceChildren('Saved. ', h('a', { href: '/saved-searches' }, 'Your saved searches'));
      name.value = '';
    } catch (e) {
      note.textContent = e.message;
    }
  });
  return form;
}
