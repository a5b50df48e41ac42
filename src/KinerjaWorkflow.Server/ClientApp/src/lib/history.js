// The instance's audit trail as a timeline.

import { h } from './dom.js';
import { dateTime } from './format.js';

const ACTIONS = {
  'instance-started': 'Instans dimulai',
  'instance-completed': 'Instans selesai',
  'instance-terminated-by-end-event': 'Instans dihentikan',
  'instance-cancelled': 'Instans dibatalkan',
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

export function timeline(entries, timeZone) {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'Belum ada riwayat.');
  return h('ol', { class: 'timeline' }, entries.map((entry) => {
    // A move names where the token was and where it went; other entries name one step.
    const from = entry.fromStepName ?? entry.fromStepId;
    const to = entry.toStepName ?? entry.toStepId;
    const step = from && to && from !== to ? `${from} → ${to}` : (from ?? to);
    return h('li', { class: `action-${entry.action}` },
      h('div', { class: 'when' }, dateTime(entry.at, timeZone), entry.user ? ` · ${entry.user}` : ''),
      h('div', { class: 'what' }, actionLabel(entry.action), step ? h('span', { class: 'step' }, ` — ${step}`) : null),
      entry.detail ? h('div', { class: 'comment' }, entry.detail) : null);
  }));
}
