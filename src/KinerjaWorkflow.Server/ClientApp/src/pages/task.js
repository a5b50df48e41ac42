import '../styles/base.css';
import '../styles/task.css';
import { ApiError, api } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { DEADLINE_LABELS, deadlineState, workingMinutesRemaining } from '../lib/deadline.js';
import { definitionNames, isNegativeOutcome, outcomeLabel } from '../lib/definitions.js';
import { dateTime, workingDuration } from '../lib/format.js';
import { timeline } from '../lib/history.js';
import { app, errorBox, flash, initLayout, office, page, serverNow, user } from '../lib/page.js';

initLayout();

const root = app();
const taskId = page.params.taskId;
const STATUS_LABELS = { open: 'Belum diambil', claimed: 'Sedang dikerjakan', completed: 'Selesai', cancelled: 'Dibatalkan' };

async function load(message) {
  try {
    const task = await api(`/api/tasks/${taskId}`);
    const [history, names, remaining] = await Promise.all([
      api(`/api/instances/${task.instanceId}/history`).catch(() => []),
      definitionNames(),
      workingMinutesRemaining([task]),
    ]);
    render(task, history, names, remaining.get(task.id), message);
  } catch (error) {
    replace(root, h('p', { class: 'breadcrumb' }, h('a', { href: '/tugas' }, '‹ Kotak Tugas')), errorBox(error));
  }
}

function render(task, history, names, remaining, message) {
  const now = serverNow();
  const state = deadlineState(task, now);
  document.title = `${task.stepNumber ? `${task.stepNumber}. ` : ''}${task.stepName} · KinerjaWorkflow`;
  replace(root,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/tugas' }, '‹ Kotak Tugas')),
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', { id: 'task-title' }, `${task.stepNumber ? `Langkah ${task.stepNumber}: ` : ''}${task.stepName}`),
        h('p', null,
          names.get(task.definitionKey) ?? task.definitionKey,
          task.businessKey ? ` · ${task.businessKey}` : '',
          ' · ',
          h('a', { href: `/instans/${task.instanceId}` }, 'Lihat diagram instans'))),
      h('div', { class: 'button-row' },
        h('span', { class: `chip state-${state}`, id: 'deadline-state' }, DEADLINE_LABELS[state]),
        h('span', { class: `chip no-dot status-${task.status}`, id: 'task-status' }, STATUS_LABELS[task.status] ?? task.status))),
    message ? h('div', { class: 'alert alert-success', role: 'status', id: 'task-message', tabindex: '-1' }, message) : null,
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' },
        context(task, remaining),
        previousStep(task),
        task.status === 'completed' || task.status === 'cancelled' ? outcome(task) : actions(task)),
      h('section', { class: 'card', 'aria-labelledby': 'history-heading' },
        h('h2', { id: 'history-heading' }, 'Riwayat instans'),
        timeline(history, office.timeZone))));
}

function context(task, remaining) {
  const fact = (label, value) => [h('dt', null, label), h('dd', null, value || h('span', { class: 'muted' }, '–'))];
  return h('section', { class: 'card', 'aria-labelledby': 'context-heading' },
    h('h2', { id: 'context-heading' }, 'Konteks SOP'),
    h('dl', { class: 'facts' },
      fact('Kelengkapan', task.kelengkapan),
      fact('Output', task.output),
      fact('Mutu Baku – Waktu', task.waktu),
      fact('Keterangan', task.keterangan),
      task.item !== null && task.item !== undefined ? fact('Untuk', typeof task.item === 'string' ? task.item : JSON.stringify(task.item)) : null,
      fact('Peran', (task.roles ?? []).join(', ')),
      fact('Pemegang', task.assignee ?? 'Belum diambil'),
      fact('Diberikan', dateTime(task.createdAt, office.timeZone)),
      task.expectedAt ? fact('Waktu harapan', dateTime(task.expectedAt, office.timeZone)) : null,
      fact('Tenggat', task.dueAt ? dateTime(task.dueAt, office.timeZone) : 'Tanpa tenggat'),
      remaining !== undefined
        ? fact('Sisa waktu kerja', remaining < 0 || task.overdue
          ? h('span', { class: 'late', id: 'working-time-left' }, `terlambat ${workingDuration(remaining)}`)
          : h('span', { id: 'working-time-left' }, workingDuration(remaining)))
        : null),
    (task.attachments ?? []).length > 0 ? attachmentList('Lampiran tugas ini', task.attachments) : null);
}

/** What the step before handed over: its comment and documents. */
function previousStep(task) {
  const previous = task.previous;
  if (!previous) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'previous-heading' },
    h('h2', { id: 'previous-heading' }, `Dari langkah sebelumnya: ${previous.stepNumber ? `${previous.stepNumber}. ` : ''}${previous.stepName}`),
    h('p', { class: 'muted small' }, previous.completedBy ? `Diselesaikan oleh ${previous.completedBy}` : '', previous.completedAt ? `, ${dateTime(previous.completedAt, office.timeZone)}` : '', previous.outcome ? ` · hasil: ${outcomeLabel(previous.outcome)}` : ''),
    previous.comment ? h('blockquote', { class: 'previous-comment' }, previous.comment) : h('p', { class: 'muted' }, 'Tanpa komentar.'),
    (previous.attachments ?? []).length > 0 ? attachmentList('Lampiran', previous.attachments) : null);
}

function attachmentList(title, attachments) {
  return h('div', { class: 'attachments' },
    h('h3', null, title),
    h('ul', null, attachments.map((a) => h('li', null,
      h('a', { href: a.downloadUrl, download: a.fileName }, a.fileName),
      h('span', { class: 'muted small' }, ` · ${Math.max(1, Math.round(a.sizeBytes / 1024))} KB`)))));
}

function outcome(task) {
  return h('section', { class: 'card', 'aria-labelledby': 'done-heading' },
    h('h2', { id: 'done-heading' }, task.status === 'completed' ? 'Tugas selesai' : 'Tugas dibatalkan'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Hasil'), h('dd', null, task.outcome ? outcomeLabel(task.outcome) : '–'),
      h('dt', null, 'Oleh'), h('dd', null, task.completedBy ?? '–'),
      h('dt', null, 'Waktu'), h('dd', null, dateTime(task.completedAt, office.timeZone)),
      h('dt', null, 'Komentar'), h('dd', null, task.comment || '–')),
    h('p', { class: 'button-row' }, h('a', { class: 'button-secondary', href: '/tugas' }, 'Kembali ke Kotak Tugas')));
}

function actions(task) {
  const mayAct = !task.assignee || task.assignee === user.username;
  const errors = h('div', { id: 'action-errors' });
  const comment = h('textarea', { id: 'comment', name: 'comment', maxlength: '4000', 'aria-describedby': 'comment-hint' });
  const outcomes = task.outcomes?.length ? task.outcomes : [null];
  // One key per attempt of this form: a double click or a retry after a lost answer completes once.
  const idempotencyKey = crypto.randomUUID();

  async function run(work, doneMessage) {
    replace(errors);
    for (const button of section.querySelectorAll('button')) button.disabled = true;
    try {
      await work();
      await load(doneMessage);
      document.getElementById('task-message')?.focus();
    } catch (error) {
      replace(errors, errorBox(error));
      for (const button of section.querySelectorAll('button')) button.disabled = false;
    }
  }

  const complete = (value) => run(async () => {
    // The documents belong to the completion: upload them first, so a refused file leaves the task open.
    await uploadAll(task.id, files);
    files.value = '';
    await api(`/api/tasks/${task.id}/complete`, {
      method: 'POST',
      json: { outcome: value, comment: comment.value.trim() || null },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    flash('Tugas diselesaikan.', 'success');
  }, 'Tugas diselesaikan. Langkah berikutnya sudah diteruskan ke pelaksananya.');

  const files = h('input', { type: 'file', id: 'attachment', name: 'attachment', multiple: true, accept: '.pdf,.docx,.xlsx,.png,.jpg,.jpeg', 'aria-describedby': 'attachment-hint' });

  const section = h('section', { class: 'card', 'aria-labelledby': 'act-heading' },
    h('h2', { id: 'act-heading' }, 'Kerjakan tugas'),
    errors,
    !mayAct ? h('div', { class: 'alert alert-info' }, `Tugas ini sedang dikerjakan oleh ${task.assignee}.`) : null,
    task.status === 'open' && mayAct
      ? h('div', { class: 'claim-row' },
        h('p', { class: 'muted' }, 'Ambil tugas agar rekan satu peran tahu Anda yang mengerjakannya.'),
        h('button', { type: 'button', class: 'button-secondary', id: 'claim', onclick: () => run(() => api(`/api/tasks/${task.id}/claim`, { method: 'POST' }), 'Tugas diambil; sekarang tercatat atas nama Anda.') }, 'Ambil tugas'))
      : null,
    task.status === 'claimed' && task.assignee === user.username
      ? h('div', { class: 'claim-row' },
        h('p', { class: 'muted' }, 'Tugas ini atas nama Anda.'),
        h('button', { type: 'button', class: 'button-quiet', onclick: () => run(() => api(`/api/tasks/${task.id}/unclaim`, { method: 'POST' }), 'Tugas dilepas; rekan satu peran dapat mengambilnya.') }, 'Lepas tugas'))
      : null,
    mayAct ? [
      h('div', { class: 'field' },
        h('label', { for: 'comment' }, 'Komentar'),
        comment,
        h('span', { class: 'hint', id: 'comment-hint' }, 'Catatan untuk langkah berikutnya (opsional, paling banyak 4.000 karakter).')),
      h('div', { class: 'field' },
        h('label', { for: 'attachment' }, 'Lampiran output'),
        files,
        h('span', { class: 'hint', id: 'attachment-hint' }, 'PDF, DOCX, XLSX, PNG atau JPG; diunggah saat Anda memilih hasil di bawah.')),
      h('div', { class: 'outcomes' },
        h('p', { class: 'label', id: 'outcome-label' }, outcomes[0] === null ? 'Selesaikan langkah ini' : 'Pilih hasil langkah ini'),
        h('div', { class: 'button-row', role: 'group', 'aria-labelledby': 'outcome-label' },
          outcomes.map((value) => h('button', {
            type: 'button',
            class: `button-outcome ${isNegativeOutcome(value) ? 'negative' : ''}`,
            'data-outcome': value ?? '',
            onclick: () => complete(value),
          }, outcomeLabel(value))))),
    ] : null);
  return section;
}

async function uploadAll(id, input) {
  for (const file of input.files) {
    const form = new FormData();
    form.append('file', file);
    try {
      await api(`/api/tasks/${id}/attachments`, { method: 'POST', body: form });
    } catch (error) {
      throw new ApiError(error.status ?? 0, { detail: `Lampiran ${file.name} tidak terunggah, tugas belum diselesaikan: ${error.message}` });
    }
  }
}

load();
