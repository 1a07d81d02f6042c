// Finds patients by name through the public FHIR API: the names are the displays the events carry
// for their patients (enrichment writes them from the Patient reference data), so the search runs
// as the signed-in user (patient scope and label clearance apply) and finds only patients whose
// events that user may see.
import { fhir } from './api.js';

const PAGE = 200;
const PAGES = 5;

/**
 * The distinct patients (identifier system|value and name) whose name contains every word of
 * {@code name}, from the newest events mentioning those words ({@code _content}), at most
 * PAGE × PAGES events read. Resolves to {matches: [{identifier, display}], partial}.
 */
export async function findPatients(name) {
  const words = name.toLowerCase().split(/\s+/).filter(Boolean);
  const found = new Map();
  let link = 'AuditEvent?' + new URLSearchParams({ _content: name, _count: String(PAGE), _sort: '-date' }).toString();
  let pages = 0;
  while (link && pages < PAGES) {
    const bundle = await fhir(link);
    pages++;
    for (const entry of bundle.entry || []) {
      for (const ref of patientRefs(entry.resource || {})) {
        const display = ref.display || '';
        const id = ref.identifier;
        if (!id?.value || !words.every((w) => display.toLowerCase().includes(w))) continue;
        const token = (id.system ? id.system + '|' : '') + id.value;
        if (!found.has(token)) found.set(token, { identifier: token, display });
      }
    }
    link = (bundle.link || []).find((l) => l.relation === 'next')?.url;
  }
  return { matches: [...found.values()], partial: Boolean(link) };
}

/** AuditEvent.patient and the entities that are patients. */
function patientRefs(e) {
  const refs = e.patient ? [e.patient] : [];
  for (const ent of e.entity || []) {
    const w = ent.what || {};
    if (w.type === 'Patient' || (w.reference || '').startsWith('Patient/')) refs.push(w);
  }
  return refs;
}

/** Identifiers as one token parameter value: comma means "or", so commas in values are escaped. */
export function anyOf(identifiers) {
  return identifiers.map((t) => {
    const bar = t.indexOf('|');
    const esc = (s) => s.replace(/[\\,$]/g, (c) => '\\' + c);
    return bar < 0 ? esc(t) : esc(t.slice(0, bar)) + '|' + esc(t.slice(bar + 1)).replace(/\|/g, '\\|');
  }).join(',');
}
