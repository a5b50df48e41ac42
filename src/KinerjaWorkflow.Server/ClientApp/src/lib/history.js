// The instance's audit trail as a timeline.

import { h } from './dom.js';
import { dateTime } from './format.js';

const ACTIONS = {
  'instance-started': 'Proses dimulai',
  'instance-completed': 'Proses selesai',
  'instance-terminated-by-end-event': 'Proses dihentikan',
  'instance-cancelled': 'Proses dibatalkan',
  'task-created': 'Tugas dibuat',
  'task-claimed': 'Tugas diambil',
  'task-unclaimed': 'Tugas dilepas',
  'task-assigned': 'Tugas dialihkan',
  'task-completed': 'Tugas diselesaikan',
  'task-cancelled': 'Tugas dibatalkan',
  'timer-fired': 'Timer berjalan',
  'job-requested': 'Tugas layanan diminta',
  'job-completed': 'Tugas layanan selesai',
  'incident-raised': 'Insiden',
  'incident-resolved': 'Insiden diselesaikan',
  'called-instance-requested': 'Sub-proses dimulai',
  'called-instance-completed': 'Sub-proses selesai',
  'called-instance-cancelled': 'Sub-proses dibatalkan',
};

export function actionLabel(action) {
  return ACTIONS[action] ?? action.replaceAll('-', ' ');
}

// Who acted, when the actor is not a person (docs/audit-trail.md).
const ACTORS = {
  engine: 'Mesin alur kerja',
  scheduler: 'Penjadwal',
  'job-worker': 'Pekerja tugas layanan',
};

export function actorLabel(actor) {
  if (!actor) return '';
  if (actor.kind !== 'person') return ACTORS[actor.kind] ?? actor.kind;
  const who = actor.name ?? actor.userName;
  const roles = (actor.roles ?? []).join(', ');
  return roles ? `${who} (${roles})` : who;
}

// A value as people read it: text as it is, a list of texts separated by commas, anything else as JSON.
function json(value) {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

function kilobytes(bytes) {
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// The entries in sequence order, each with its number, time, who acted, what happened and where the work went,
// the team or unit, the comment, the variables changed and the documents kept.
export function timeline(entries, timeZone) {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'Belum ada riwayat.');
  return h('ol', { class: 'timeline' }, entries.map((entry) => {
    const from = entry.fromStepName ?? entry.fromStepId;
    const to = (entry.toSteps ?? []).map((s) => s.name).join(', ');
    const step = from && to && from !== to ? `${from} → ${to}` : (from || to);
    const item = entry.item !== null && entry.item !== undefined ? json(entry.item) : null;
    const variables = entry.variables ?? [];
    const documents = entry.documents ?? [];
    return h('li', { class: `action-${entry.action} actor-${entry.actor?.kind ?? 'person'}`, dataset: { sequence: entry.sequence } },
      h('div', { class: 'when' },
        h('span', { class: 'sequence', title: 'Nomor urut dalam riwayat proses ini' }, `#${entry.sequence}`),
        ` ${dateTime(entry.at, timeZone)} · `,
        h('span', { class: 'actor' }, actorLabel(entry.actor))),
      h('div', { class: 'what' },
        actionLabel(entry.action),
        step ? h('span', { class: 'step' }, ` — ${step}`) : null,
        item ? h('span', { class: 'item' }, ` (untuk ${item})`) : null),
      entry.detail ? h('div', { class: 'detail' }, entry.detail) : null,
      entry.comment ? h('blockquote', { class: 'comment' }, entry.comment) : null,
      variables.length > 0
        ? h('dl', { class: 'variables', 'aria-label': 'Variabel yang diubah' }, variables.map((v) => [
          h('dt', null, v.name),
          h('dd', null, v.before === null || v.before === undefined ? json(v.after) : `${json(v.before)} → ${json(v.after)}`)]))
        : null,
      documents.length > 0
        ? h('ul', { class: 'documents', 'aria-label': 'Dokumen terlampir' }, documents.map((d) => h('li', null,
          h('a', { href: `/api/attachments/${d.id}`, download: d.fileName }, d.fileName),
          h('span', { class: 'muted small', title: `SHA-256 ${d.sha256}` }, ` · ${kilobytes(d.sizeBytes)} · SHA-256 ${d.sha256.slice(0, 12)}…`))))
        : null);
  }));
}
