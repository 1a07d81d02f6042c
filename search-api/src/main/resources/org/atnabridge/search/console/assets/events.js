// Reads the parts of a FHIR R5 AuditEvent (IHE BALP) an officer asks about, as plain strings.

const ACTIONS = { C: 'Create', R: 'Read', U: 'Update', D: 'Delete', E: 'Execute' };
const OUTCOMES = { 0: 'Success', 4: 'Minor failure', 8: 'Serious failure', 12: 'Major failure' };
const EXT = 'http://atna-bridge.org/fhir/StructureDefinition/';

export function coding(cc) {
  const c = cc?.coding?.[0] || cc;
  if (!c) return '';
  return c.display || cc?.text || c.code || '';
}

export function who(ref) {
  if (!ref) return '';
  return ref.display || ref.identifier?.value || ref.reference || '';
}

/** The person or system that acted: the requestor, else the first agent. */
export function user(e) {
  const agents = e.agent || [];
  const a = agents.find((x) => x.requestor) || agents[0];
  return a ? who(a.who) : '';
}

export function action(e) {
  return ACTIONS[e.action] || e.action || '';
}

export function outcome(e) {
  const c = e.outcome?.code;
  if (!c) return '';
  return OUTCOMES[c.code] || c.display || c.code || '';
}

export function outcomeOk(e) {
  const c = e.outcome?.code?.code;
  return c === undefined || c === '0';
}

/** The patient: AuditEvent.patient, else an entity in the patient role. */
export function patient(e) {
  if (e.patient) return who(e.patient);
  const ent = (e.entity || []).find((x) => (x.role?.coding || []).some((c) => c.code === '1' || c.code === 'patient'));
  return ent ? who(ent.what) : '';
}

export function what(e) {
  const code = (e.code?.coding || []).map((c) => c.display || c.code).filter(Boolean);
  if (code.length) return code.join(', ');
  return (e.category || []).map(coding).filter(Boolean).join(', ');
}

export function source(e) {
  return who(e.source?.observer) || coding(e.source?.site) || '';
}

export function purpose(e) {
  return (e.authorization || []).concat((e.agent || []).flatMap((a) => a.authorization || []))
    .map(coding).filter(Boolean).join(', ');
}

export function whereFrom(e) {
  return (e.agent || []).map((a) => a.networkString || a.networkUri || a.networkReference?.display)
    .filter(Boolean).join(', ');
}

export function labels(e) {
  return (e.meta?.security || []).map((c) => (c.display || c.code) + (c.system ? ' (' + c.system + ')' : ''));
}

export function extension(e, name) {
  return (e.extension || []).find((x) => x.url === EXT + name);
}

export function sub(ext, name) {
  const x = (ext?.extension || []).find((s) => s.url === name);
  if (!x) return undefined;
  const key = Object.keys(x).find((k) => k.startsWith('value'));
  return key ? x[key] : undefined;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}
