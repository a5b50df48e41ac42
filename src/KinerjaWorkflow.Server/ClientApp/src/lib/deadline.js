// How close a task is to its Mutu Baku: on time, near the deadline (past its expected time or 75% of the
// time allowed, when the service reminds), or overdue. The server's clock decides (see serverClock).

import { timeSpanMinutes } from './format.js';

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
 * Office working time left until the deadline, in minutes (negative when late), as the task API reports it;
 * null when the answer does not carry it.
 */
export function workingMinutesRemaining(task) {
  for (const name of ['workingTimeRemaining', 'workingTimeLeft', 'timeRemaining']) {
    if (task[name] !== undefined && task[name] !== null) return timeSpanMinutes(task[name]);
  }
  if (typeof task.workingMinutesRemaining === 'number') return task.workingMinutesRemaining;
  return null;
}
