// How close a task is to its Mutu Baku: on time, near the deadline (past its expected time or 75% of the
// time allowed, when the service reminds), or overdue. The server's clock decides (see serverClock).

import { api } from './api.js';
import { syncServerClock } from './page.js';

export const DEADLINE_LABELS = {
  overdue: 'Terlambat',
  near: 'Mendekati tenggat',
  ontime: 'Tepat waktu',
  none: 'Tanpa tenggat',
  done: 'Selesai',
};

export function deadlineState(task, now) {
  if (task.status === 'completed' || task.status === 'cancelled') return 'done';
  if (!task.dueAt) return 'none';
  const due = Date.parse(task.dueAt);
  if (task.overdue || due < now) return 'overdue';
  const created = Date.parse(task.createdAt);
  if (task.expectedAt && Date.parse(task.expectedAt) <= now) return 'near';
  if (due > created && (now - created) / (due - created) >= 0.75) return 'near';
  return 'ontime';
}

/**
 * Office working time left until each active task's deadline, counted by the service in the office's calendar:
 * minutes (negative when late) and the words people use ("2 hari kerja 3 jam", "terlambat 1 jam"); also brings
 * the page's clock in line with the server's.
 */
export async function workingTimeRemaining(tasks) {
  const due = tasks.filter((t) => t.dueAt && t.status !== 'completed' && t.status !== 'cancelled');
  if (due.length === 0) return new Map();
  const answer = await api('/api/waktu/remaining', { method: 'POST', json: { until: due.map((t) => t.dueAt) } });
  syncServerClock(answer.now);
  return new Map(due.map((t, i) => [t.id, { minutes: answer.workingMinutes[i], text: answer.workingTimeLeft[i] }]));
}

/** "sementara" next to a deadline counted across a year whose holidays the calendar does not know yet. */
export const PROVISIONAL_LABEL = 'sementara: kalender libur tahun itu belum ada';
