import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import '../styles/base.css';
import '../styles/diagram.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import sopModdle from '../designer/sop-moddle.json';
import { api } from '../lib/api.js';
import { h, replace, table } from '../lib/dom.js';
import { DEADLINE_LABELS } from '../lib/deadline.js';
import { definitionNames } from '../lib/definitions.js';
import { dateTime } from '../lib/format.js';
import { timeline } from '../lib/history.js';
import { sopDiagramModule, textRenderer, zoomControls } from '../lib/diagram.js';
import { app, errorBox, initLayout, latestOnly, office, onLive, page, serverNow, syncServerClock, user } from '../lib/page.js';

initLayout();

const root = app();
const instanceId = page.params.instanceId;
const STATUS_LABELS = { active: 'Berjalan', completed: 'Selesai', cancelled: 'Dibatalkan', terminated: 'Dihentikan' };

const canvasHost = h('div', { class: 'diagram', id: 'diagram', role: 'figure', 'aria-label': 'Diagram proses SOP dengan langkah yang sudah selesai, aktif dan terlambat' });
const viewer = new NavigatedViewer({ container: canvasHost, moddleExtensions: { sop: sopModdle }, additionalModules: [sopDiagramModule], textRenderer });
const diagramHost = h('div', { class: 'diagram-host' }, canvasHost, zoomControls(viewer));
const diagramMissing = h('p', { class: 'muted', id: 'diagram-missing', style: 'display:none' });
let shownXml = null;
let diagramShown = false;
let stepNames = new Map();

const fetchInstance = latestOnly(async () => {
  const [instance, history, currentOffice, names] = await Promise.all([
    api(`/api/instances/${instanceId}`),
    api(`/api/instances/${instanceId}/history`),
    api('/api/offices/current'),
    definitionNames(),
  ]);
  syncServerClock(currentOffice.now);
  const xml = await api(`/api/definitions/${encodeURIComponent(instance.definitionKey)}/bpmn?version=${instance.definitionVersion}`, { headers: { Accept: 'application/xml' } });
  return { instance, history, names, xml };
});

let rendering = Promise.resolve();

async function load() {
  try {
    const answer = await fetchInstance();
    if (!answer) return;
    // The diagram import is asynchronous: one render at a time.
    rendering = rendering.catch(() => {}).then(() => render(answer.instance, answer.history, answer.names, answer.xml));
    await rendering;
  } catch (error) {
    replace(root, h('p', { class: 'breadcrumb' }, h('a', { href: '/instans' }, '‹ Proses berjalan')), errorBox(error));
  }
}

async function render(instance, history, names, xml) {
  const now = serverNow();
  const name = names.get(instance.definitionKey) ?? instance.definitionKey;
  document.title = `${name}${instance.businessKey ? ` — ${instance.businessKey}` : ''} · KinerjaWorkflow`;
  const active = instance.activeSteps ?? [];
  const overdue = (step) => step.dueAt && Date.parse(step.dueAt) < now;

  if (!root.contains(diagramHost)) {
    replace(root,
      h('p', { class: 'breadcrumb' }, h('a', { href: '/instans' }, '‹ Proses berjalan')),
      h('div', { class: 'page-head', id: 'instance-head' }),
      h('section', { class: 'card diagram-card', 'aria-labelledby': 'diagram-heading' },
        h('div', { class: 'card-head' },
          h('h2', { id: 'diagram-heading' }, 'Alur SOP'),
          legend()),
        diagramHost,
        diagramMissing),
      h('div', { class: 'grid-2' },
        h('section', { class: 'card', 'aria-labelledby': 'active-heading', id: 'active-steps' }),
        h('section', { class: 'card', 'aria-labelledby': 'history-heading', id: 'history' })));
  }

  replace(document.getElementById('instance-head'),
    h('div', null,
      h('h1', null, name, instance.businessKey ? h('span', { class: 'muted' }, ` — ${instance.businessKey}`) : null),
      h('p', null, `Versi ${instance.definitionVersion} · dimulai ${dateTime(instance.startedAt, office.timeZone)}${instance.startedBy ? ` oleh ${instance.startedByName}` : ''}`,
        instance.endedAt ? ` · berakhir ${dateTime(instance.endedAt, office.timeZone)}` : '',
        ' · ',
        h('a', { href: `/sop/${encodeURIComponent(instance.definitionKey)}/versi/${instance.definitionVersion}?instance=${instance.id}`, id: 'sheet-link' }, 'Lembar SOP'))),
    h('div', { class: 'button-row' },
      h('span', { class: `chip no-dot instance-${instance.status}`, id: 'instance-status' }, STATUS_LABELS[instance.status] ?? instance.status),
      instance.canCancel ? cancelButton() : null));

  replace(document.getElementById('active-steps'),
    h('h2', { id: 'active-heading' }, 'Langkah aktif'),
    h('div', { id: 'incidents' }),
    table('Langkah aktif, pemegang dan tenggatnya', [
      { label: 'Langkah', cell: (s) => h('a', { href: `/tugas/${s.taskId}` }, `${s.stepNumber ? `${s.stepNumber}. ` : ''}${s.stepName}`, s.item !== null && s.item !== undefined ? ` (${typeof s.item === 'string' ? s.item : JSON.stringify(s.item)})` : '') },
      { label: 'Peran', cell: (s) => (s.roles ?? []).join(', ') },
      { label: 'Pemegang', cell: (s) => s.assigneeName ?? h('span', { class: 'muted' }, 'Belum diambil') },
      { label: 'Tenggat', cell: (s) => h('div', { class: 'due-cell' },
        s.dueAt ? h('span', { class: `chip state-${overdue(s) ? 'overdue' : 'ontime'}` }, overdue(s) ? DEADLINE_LABELS.overdue : DEADLINE_LABELS.ontime) : null,
        h('span', { class: 'small muted' }, s.dueAt ? dateTime(s.dueAt, office.timeZone) : 'Tanpa tenggat')) },
    ], active, { empty: instance.status === 'active' ? 'Tidak ada tugas manusia yang aktif; proses menunggu pengatur waktu atau layanan.' : 'Proses ini sudah berakhir.' }),
    (instance.waiting ?? []).length > 0
      ? h('p', { class: 'muted small' }, 'Juga menunggu: ', instance.waiting.map((w) => w.name || w.nodeId).join(', '))
      : null);

  replace(document.getElementById('history'),
    h('h2', { id: 'history-heading' }, 'Riwayat'),
    timeline(history, office.timeZone));

  if (shownXml !== xml) {
    stepNames = namesIn(xml);
    try {
      await viewer.importXML(xml);
      viewer.get('canvas').zoom('fit-viewport', 'auto');
      diagramShown = true;
    } catch (error) {
      // A definition deployed through the API may have no diagram layout; the steps and history still tell it all.
      diagramShown = false;
      diagramMissing.textContent = `Diagram tidak dapat ditampilkan (${error.message}); langkah aktif dan riwayat di bawah tetap lengkap.`;
    }
    diagramHost.style.display = diagramShown ? '' : 'none';
    diagramMissing.style.display = diagramShown ? 'none' : '';
    shownXml = xml;
  }
  if (diagramShown) mark(history, active, instance, now);
  showIncidents(instance);
}

/** "Batalkan proses…": a dialog asking for the reason, which the history keeps (docs/cancel-an-instance.md). */
function cancelButton() {
  const reason = h('textarea', { id: 'cancel-reason', name: 'reason', maxlength: '500', 'aria-required': 'true', rows: '3' });
  const errors = h('div', { id: 'cancel-errors' });
  const dialog = h('dialog', { class: 'cancel-dialog', id: 'cancel-dialog', 'aria-labelledby': 'cancel-heading' },
    h('form', {
      method: 'dialog',
      onsubmit: async (event) => {
        event.preventDefault();
        if (reason.value.trim() === '') {
          replace(errors, h('div', { class: 'alert alert-error', role: 'alert' }, 'Tuliskan alasan pembatalan; alasan itu tercatat di riwayat proses.'));
          reason.focus();
          return;
        }
        try {
          await api(`/api/instances/${instanceId}/cancel`, { method: 'POST', json: { reason: reason.value.trim() } });
          dialog.close();
          dialog.remove();
          await load();
        } catch (error) {
          replace(errors, errorBox(error));
        }
      },
    },
    h('h2', { id: 'cancel-heading' }, 'Batalkan proses ini?'),
    h('p', null, 'Semua langkah yang masih terbuka ditutup, pengingat dan eskalasinya dihentikan. Pembatalan tidak dapat diurungkan.'),
    errors,
    h('div', { class: 'field' }, h('label', { for: 'cancel-reason' }, 'Alasan pembatalan (wajib)'), reason),
    h('div', { class: 'button-row' },
      h('button', { type: 'submit', class: 'button-danger', id: 'cancel-confirm' }, 'Batalkan proses'),
      h('button', { type: 'button', class: 'button-quiet', onclick: () => dialog.close() }, 'Kembali'))));
  return h('button', {
    type: 'button',
    class: 'button-secondary',
    id: 'cancel-instance',
    onclick: () => {
      if (!dialog.isConnected) document.body.append(dialog);
      dialog.showModal();
      reason.focus();
    },
  }, 'Batalkan proses…');
}

/** What stopped the instance, by step name; an admin retries once the cause is fixed. */
function showIncidents(instance) {
  const incidents = instance.incidents ?? [];
  const host = document.getElementById('incidents');
  if (incidents.length === 0) {
    replace(host);
    return;
  }

  const stepName = (stepId) => stepNames.get(stepId) || stepId || 'instans';
  const outcome = h('div', { role: 'status' });
  replace(host,
    h('div', { class: 'alert alert-error', role: 'alert' },
      h('h3', null, incidents.length === 1 ? 'Insiden: proses berhenti menunggu' : `${incidents.length} insiden: proses berhenti menunggu`),
      h('ul', { class: 'incident-list' }, incidents.map((incident) => h('li', { 'data-incident-id': incident.id },
        h('p', null, h('strong', null, stepName(incident.stepId)), ` · ${dateTime(incident.at, office.timeZone)}`),
        h('p', null, incident.error),
        user.isAdmin
          ? h('button', { type: 'button', class: 'button small', onclick: (event) => retry(incident, event.currentTarget, outcome) }, 'Coba lagi')
          : h('p', { class: 'muted small' }, 'Admin kantor dapat mencoba lagi setelah penyebabnya diperbaiki.')))),
      outcome));
}

async function retry(incident, button, outcome) {
  button.disabled = true;
  try {
    await api(`/api/instances/${instanceId}/incidents/${incident.id}/retry`, { method: 'POST' });
    replace(outcome, h('p', null, 'Dicoba lagi; proses berjalan kembali.'));
    await load();
  } catch (error) {
    button.disabled = false;
    replace(outcome, errorBox(error));
  }
}

/** Every named element of the definition by id, read from the XML itself so that it works without a diagram. */
function namesIn(xml) {
  const names = new Map();
  for (const element of new DOMParser().parseFromString(xml, 'application/xml').querySelectorAll('[id][name]')) {
    names.set(element.getAttribute('id'), element.getAttribute('name'));
  }
  return names;
}

function legend() {
  return h('ul', { class: 'diagram-legend', 'aria-label': 'Arti warna diagram' },
    h('li', null, h('span', { class: 'swatch swatch-completed' }), 'Selesai'),
    h('li', null, h('span', { class: 'swatch swatch-active' }), 'Aktif'),
    h('li', null, h('span', { class: 'swatch swatch-overdue' }), 'Terlambat'),
    h('li', null, h('span', { class: 'swatch swatch-pending' }), 'Belum dijalankan'));
}

function mark(history, active, instance, now) {
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  overlays.clear();
  for (const element of registry.getAll()) {
    for (const marker of ['marker-completed', 'marker-active', 'marker-overdue']) canvas.removeMarker(element.id, marker);
  }

  const completed = new Set(history.filter((e) => e.action === 'task-completed' && e.fromStepId).map((e) => e.fromStepId));
  if (instance.status === 'completed') {
    for (const e of history) for (const to of e.toSteps ?? []) completed.add(to.id);
  }
  for (const id of completed) if (registry.get(id)) canvas.addMarker(id, 'marker-completed');

  const byStep = new Map();
  for (const step of active) byStep.set(step.stepId, [...(byStep.get(step.stepId) ?? []), step]);
  for (const [stepId, steps] of byStep) {
    if (!registry.get(stepId)) continue;
    const late = steps.some((s) => s.dueAt && Date.parse(s.dueAt) < now);
    canvas.removeMarker(stepId, 'marker-completed');
    canvas.addMarker(stepId, late ? 'marker-overdue' : 'marker-active');
    const holders = steps.length === 1
      ? (steps[0].assigneeName ?? (steps[0].roles ?? []).join(', '))
      : `${steps.length} tugas: ${steps.filter((s) => s.assignee).length} diambil`;
    const due = steps.map((s) => s.dueAt).filter(Boolean).sort()[0];
    overlays.add(stepId, 'holder', {
      position: { bottom: -4, left: -10 },
      html: h('div', { class: `holder-badge ${late ? 'late' : ''}` },
        h('strong', null, holders),
        due ? h('span', null, `${late ? 'lewat ' : 's.d. '}${dateTime(due, office.timeZone)}`) : null),
    });
  }
  for (const waiting of instance.waiting ?? []) {
    if (registry.get(waiting.nodeId)) canvas.addMarker(waiting.nodeId, 'marker-active');
  }
}

onLive('task', load);
onLive('notification', load);
onLive('refresh', load);
load();
