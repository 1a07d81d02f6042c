// The alerts page: open Security Alerts (AuditEvents of DCM category 110113), newest first, live over
// the product's own websocket Subscription (topic security-alert), each acknowledged with a comment
// by posting an AuditEvent through the FHIR feed. An alert is open while no acknowledgement
// references it, so the state of an alert is itself audited, chained and searchable.
import { ApiError, currentSession, fhir, send } from './api.js';
import { fill, h, show, status } from './dom.js';
import * as ev from './events.js';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const CHANNEL_TYPE = 'http://terminology.hl7.org/CodeSystem/subscription-channel-type';
const LIMIT = 100;
/** AuditEvent.severity back to the severity the rules file gave the rule. */
const RULE_SEVERITY = { informational: 'informational', notice: 'low', warning: 'medium', error: 'high', critical: 'critical' };

export async function alertsPage() {
  const session = await currentSession();
  const voc = session.vocabulary;
  const live = h('p', { id: 'live-status', class: 'status', role: 'status', 'data-state': 'connecting' },
    'Connecting to live updates…');
  const list = h('ol', { id: 'alerts-list', class: 'alerts', 'aria-label': 'Open alerts, newest first' });
  const summary = status('Loading open alerts…');
  summary.id = 'alerts-summary';
  show(h('h1', {}, 'Open alerts'), live, summary, list);
  const page = { session, voc, list, summary, acknowledged: new Set(), shown: new Set() };
  try {
    await load(page);
  } catch (e) {
    fill(summary, e.message);
    summary.className = 'error';
    summary.setAttribute('role', 'alert');
  }
  connect(page, live).catch((e) => unavailable(live, e.message));
}

async function load(page) {
  const alerts = await fhir('AuditEvent?' + new URLSearchParams({
    category: DCM + '|110113', _sort: '-date', _count: String(LIMIT),
  }).toString());
  const shown = resources(alerts);
  // an acknowledgement comes after its alert: those since the oldest alert shown (less a day, for
  // the clock of the browser that wrote it) are all that can close one, every page of them
  const oldest = shown.map((a) => a.recorded).filter(Boolean).sort()[0];
  let acks = shown.length === 0 ? null : await fhir('AuditEvent?' + new URLSearchParams({
    code: page.voc.alertHandling + '|' + page.voc.acknowledged, _sort: '-date', _count: '1000',
    ...(oldest ? { date: 'ge' + new Date(Date.parse(oldest) - 864e5).toISOString().replace(/\.\d+Z$/, 'Z') } : {}),
  }).toString());
  while (acks) {
    for (const a of resources(acks)) {
      for (const x of a.entity || []) {
        const ref = x.what?.reference || '';
        if (ref.startsWith('AuditEvent/')) page.acknowledged.add(ref.slice('AuditEvent/'.length));
      }
    }
    const next = (acks.link || []).find((l) => l.relation === 'next');
    acks = next ? await fhir(next.url) : null;
  }
  for (const alert of shown) add(page, alert, false);
  count(page);
}

function resources(bundle) {
  return (bundle.entry || []).map((x) => x.resource).filter((r) => r?.resourceType === 'AuditEvent');
}

function count(page) {
  const n = page.list.childElementCount;
  fill(page.summary, n === 0 ? 'No open alerts.' : n + ' open alert' + (n === 1 ? '' : 's') + '.');
}

/** Adds an alert to the list (at its place by time) unless acknowledged or shown already. */
function add(page, alert, isNew) {
  if (!alert.id || page.shown.has(alert.id) || page.acknowledged.has(alert.id)) return;
  if (!(alert.category || []).some((c) => (c.coding || []).some((x) => x.system === DCM && x.code === '110113'))) return;
  page.shown.add(alert.id);
  const item = card(page, alert, isNew);
  const later = [...page.list.children].find((li) => (li.dataset.recorded || '') < (alert.recorded || ''));
  page.list.insertBefore(item, later || null);
}

function card(page, alert, isNew) {
  const rule = (alert.code?.coding || []).find((c) => c.system === page.voc.alertRule) || alert.code?.coding?.[0] || {};
  const title = rule.display || rule.code || 'Security alert';
  const headingId = 'alert-' + alert.id.replace(/[^A-Za-z0-9-]/g, '') + '-title';
  const self = (alert.entity || []).find((x) => x.what?.identifier?.system === page.voc.alertId);
  const detail = (name) => (self?.detail || []).find((d) => d.type?.text === name);
  // the users and systems involved, not the product that reports the alert (its source observer)
  const reporter = ev.who(alert.source?.observer);
  const agents = (alert.agent || []).map((a) => ev.who(a.who)).filter((w) => w && w !== reporter);
  const triggers = (alert.entity || []).map((x) => x.what?.reference || '').filter((r) => r.startsWith('AuditEvent/'));
  const total = detail('event-count')?.valueInteger;
  const rows = [
    ['Rule', rule.code || ''],
    ['Severity', RULE_SEVERITY[alert.severity] || alert.severity || ''],
    ['When', ev.time(alert.recorded)],
    ['Who', agents.join('; ')],
    ['Patient', ev.patient(alert) || (alert.entity || []).filter((x) => x.role?.coding?.some((c) => c.code === '1')).map((x) => ev.who(x.what)).join('; ')],
    ['Summary', detail('summary')?.valueString || ''],
    ['Late', detail('late')?.valueBoolean ? 'yes: a late event caused it' : ''],
  ];
  const comment = h('textarea', { id: 'comment-' + alert.id, name: 'comment', rows: '2', maxlength: '1000' });
  const feedback = h('p', { class: 'hint', role: 'status' });
  const form = h('form', { class: 'ack', 'aria-label': 'Acknowledge ' + title },
    h('label', { for: 'comment-' + alert.id }, 'Comment'), comment,
    h('button', { type: 'submit', class: 'primary ack-button' }, 'Acknowledge'), feedback);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = comment.value.trim();
    if (!text) {
      feedback.textContent = 'Write a comment first: it is kept with the acknowledgement.';
      comment.focus();
      return;
    }
    form.querySelector('button').disabled = true;
    feedback.textContent = 'Acknowledging…';
    try {
      const ack = await send('POST', 'AuditEvent', acknowledgement(page, alert, self, text));
      page.acknowledged.add(alert.id);
      item.remove();
      count(page);
      fill(page.summary, page.summary.textContent + ' Acknowledged “' + title + '” (AuditEvent ' + (ack?.id || 'posted') + ').');
      document.getElementById('main').focus();
    } catch (e) {
      form.querySelector('button').disabled = false;
      feedback.textContent = e instanceof ApiError ? e.message : String(e);
    }
  });
  const item = h('li', { class: 'alert-item' + (isNew ? ' new' : ''), 'data-id': alert.id, 'data-recorded': alert.recorded || '' },
    h('article', { 'aria-labelledby': headingId },
      h('h2', { id: headingId }, title, isNew ? h('span', { class: 'tag' }, ' new') : null),
      h('dl', { class: 'card' }, rows.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('p', {}, 'Triggering events' + (total > triggers.length ? ' (first ' + triggers.length + ' of ' + total + ')' : '') + ': ',
        triggers.length === 0 ? 'none listed' : triggers.flatMap((ref, i) => {
          const id = ref.slice('AuditEvent/'.length);
          return [i ? ', ' : '', h('a', { href: '/event/' + encodeURIComponent(id), class: 'trigger-link' }, id)];
        }),
        ' · ', h('a', { href: '/event/' + encodeURIComponent(alert.id), class: 'alert-link' }, 'the alert event')),
      form));
  return item;
}

/** The AuditEvent of an acknowledgement: the officer (agent) executed it on the alert (entity). */
function acknowledgement(page, alert, self, text) {
  const entity = [{
    what: { reference: 'AuditEvent/' + alert.id },
    detail: [{ type: { text: 'comment' }, valueString: text }],
  }];
  if (self?.what?.identifier) entity.push({ what: { identifier: self.what.identifier } });
  return {
    resourceType: 'AuditEvent',
    category: [{ coding: [{ system: DCM, code: '110100', display: 'Application Activity' }] }],
    code: { coding: [{ system: page.voc.alertHandling, code: page.voc.acknowledged, display: 'Alert acknowledged' }] },
    action: 'E',
    recorded: new Date().toISOString(),
    outcome: { code: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-outcome', code: '0' } },
    agent: [{ who: { identifier: { value: page.session.subject }, display: page.session.subject }, requestor: true }],
    source: { observer: { display: 'officers console at ' + location.host } },
    entity,
  };
}

/** The signed-in officer's websocket Subscription to security alerts: reused, else created. */
async function subscription(page) {
  const mine = await fhir('Subscription?_count=100');
  const found = (mine.entry || []).map((x) => x.resource).find((s) => s?.topic === page.voc.securityAlertTopic &&
    s.channelType?.code === 'websocket' && s.content === 'full-resource' && s.status !== 'off' && s.status !== 'entered-in-error');
  if (found) return found.id;
  const created = await send('POST', 'Subscription', {
    resourceType: 'Subscription',
    name: 'Console alerts of ' + page.session.subject,
    status: 'requested',
    topic: page.voc.securityAlertTopic,
    channelType: { system: CHANNEL_TYPE, code: 'websocket' },
    content: 'full-resource',
    heartbeatPeriod: 60,
  });
  return created.id;
}

async function connect(page, live) {
  const id = await subscription(page);
  const binding = await fhir('Subscription/' + encodeURIComponent(id) + '/$get-ws-binding-token');
  const token = (binding.parameter || []).find((p) => p.name === 'token')?.valueString;
  if (!token) throw new Error('the server gave no binding token');
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/fhir/websocket');
  let bound = false;
  ws.addEventListener('open', () => ws.send('bind-with-token ' + token));
  ws.addEventListener('message', (m) => {
    if (!page.list.isConnected) {
      ws.close(1000, 'page left');
      return;
    }
    let body;
    try {
      body = JSON.parse(m.data);
    } catch (e) {
      return;
    }
    if (body.resourceType === 'OperationOutcome') {
      ws.close(1000, 'refused');
      unavailable(live, (body.issue || []).map((i) => i.diagnostics).join('; ') || 'the server refused the binding');
      return;
    }
    const entries = (body.entry || []).map((x) => x.resource);
    const st = entries.find((r) => r?.resourceType === 'SubscriptionStatus');
    if (st?.type === 'handshake') {
      bound = true;
      live.dataset.state = 'live';
      fill(live, 'Live: new alerts appear here as they are raised.');
      return;
    }
    let added = false;
    for (const r of entries) {
      if (r?.resourceType === 'AuditEvent' && !page.shown.has(r.id)) {
        add(page, r, true);
        added = true;
      }
    }
    if (added) count(page);
  });
  ws.addEventListener('close', () => {
    if (page.list.isConnected && live.dataset.state !== 'unavailable') {
      unavailable(live, bound ? 'the connection closed' : 'the connection could not be opened');
    }
  });
}

function unavailable(live, why) {
  live.dataset.state = 'unavailable';
  live.className = 'error';
  live.setAttribute('role', 'alert');
  fill(live, 'Live updates unavailable (' + why + '). The list is as loaded: reload the page to see newer alerts.');
}
