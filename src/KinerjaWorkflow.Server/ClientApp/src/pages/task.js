import '../styles/base.css';
import '../styles/task.css';
import { ApiError, api } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { DEADLINE_LABELS, PROVISIONAL_LABEL, deadlineState, workingTimeRemaining } from '../lib/deadline.js';
import { definitionNames, isNegativeOutcome, outcomeLabel } from '../lib/definitions.js';
import { fileChooser } from '../lib/files.js';
import { dateTime } from '../lib/format.js';
import { timeline } from '../lib/history.js';
import { app, errorBox, flash, initLayout, office, page, serverNow, user } from '../lib/page.js';

initLayout();

const root = app();
const taskId = page.params.taskId;
const STATUS_LABELS = { open: 'Belum diambil', claimed: 'Sedang dikerjakan', completed: 'Selesai', cancelled: 'Dibatalkan' };

async function load(message) {
  try {
    const [task, currentOffice] = await Promise.all([api(`/api/tasks/${taskId}`), api('/api/offices/current')]);
    const [history, names, remaining, sheet] = await Promise.all([
      api(`/api/instances/${task.instanceId}/history`),
      definitionNames(),
      workingTimeRemaining([task]),
      // The step as the SOP writes it; without the sheet the task's own fields still tell the Mutu Baku.
      api(`/api/definitions/${encodeURIComponent(task.definitionKey)}/versions/${task.definitionVersion}/sheet`).catch(() => null),
    ]);
    render(task, history, names, remaining.get(task.id), currentOffice.members, message, sheet);
  } catch (error) {
    replace(root, h('p', { class: 'breadcrumb' }, h('a', { href: '/tugas' }, '‹ Kotak Tugas')), errorBox(error));
  }
}

function render(task, history, names, remaining, members, message, sheet) {
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
          h('a', { href: `/instans/${task.instanceId}` }, 'Lihat diagram proses'),
          ' · ',
          h('a', { href: `/sop/${encodeURIComponent(task.definitionKey)}/versi/${task.definitionVersion}?instance=${task.instanceId}`, id: 'sheet-link' }, 'Lembar SOP'))),
      h('div', { class: 'button-row' },
        h('span', { class: `chip state-${state}`, id: 'deadline-state' }, DEADLINE_LABELS[state]),
        h('span', { class: `chip no-dot status-${task.status}`, id: 'task-status' }, STATUS_LABELS[task.status] ?? task.status))),
    message ? h('div', { class: 'alert alert-success', role: 'status', id: 'task-message', tabindex: '-1' }, message) : null,
    sentBackNotice(task),
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' },
        sopStep(task, sheet),
        context(task, remaining),
        previousStep(task),
        task.status === 'completed' || task.status === 'cancelled' ? outcome(task) : actions(task, members)),
      h('section', { class: 'card', 'aria-labelledby': 'history-heading' },
        h('h2', { id: 'history-heading' }, 'Riwayat proses'),
        timeline(history, office.timeZone))));
}

function context(task, remaining) {
  const fact = (label, value) => [h('dt', null, label), h('dd', null, value || h('span', { class: 'muted' }, '–'))];
  return h('section', { class: 'card', 'aria-labelledby': 'context-heading' },
    h('h2', { id: 'context-heading' }, 'Tugas ini'),
    h('dl', { class: 'facts' },
      task.item !== null && task.item !== undefined ? fact('Untuk', typeof task.item === 'string' ? task.item : JSON.stringify(task.item)) : null,
      fact('Peran', (task.roles ?? []).join(', ')),
      fact('Pemegang', task.assigneeName ?? 'Belum diambil'),
      fact('Diberikan', dateTime(task.createdAt, office.timeZone)),
      task.expectedAt ? fact('Waktu harapan', dateTime(task.expectedAt, office.timeZone)) : null,
      fact('Tenggat', task.dueAt
        ? h('span', null, dateTime(task.dueAt, office.timeZone), task.dueProvisional ? h('span', { class: 'provisional', id: 'due-provisional' }, ` (${PROVISIONAL_LABEL})`) : null)
        : 'Tanpa tenggat'),
      remaining !== undefined
        ? fact('Sisa waktu kerja', remaining.minutes < 0 || task.overdue
          ? h('span', { class: 'late', id: 'working-time-left' }, remaining.text)
          : h('span', { id: 'working-time-left' }, remaining.text))
        : null),
    (task.attachments ?? []).length > 0 ? attachmentList('Lampiran tugas ini', task.attachments) : null);
}

/**
 * The step as the SOP writes it: its number, the full Uraian Kegiatan, its Mutu Baku (Kelengkapan, Waktu and
 * Output together), Keterangan, and where each outcome leads, read from the SOP-AP sheet of the task's version.
 */
function sopStep(task, sheet) {
  const row = sheet?.rows.find((r) => r.stepId === task.stepId);
  const fact = (label, value, id) => [h('dt', null, label), h('dd', { id }, value || h('span', { class: 'muted' }, '–'))];
  const roleOf = (target) => target.columns.map((c) => sheet.pelaksana[c]).join(', ');
  const meaning = (way) => {
    if (way.toEnd) return 'SOP selesai';
    const target = sheet.rows[way.toRow];
    return `${way.back ? 'kembali ke' : 'lanjut ke'} langkah ${way.toNo} (${roleOf(target)})`;
  };
  const ways = row
    ? (task.outcomes?.length
      ? task.outcomes.map((outcome) => [outcomeLabel(outcome), row.next.filter((n) => n.outcome === outcome)])
      : [[row.next.length > 1 ? null : 'Selesaikan', row.next]])
      .filter(([, next]) => next.length > 0)
    : [];
  return h('section', { class: 'card sop-step', 'aria-labelledby': 'sop-step-heading', id: 'sop-step' },
    h('h2', { id: 'sop-step-heading' }, task.stepNumber ? `Langkah ${task.stepNumber} menurut SOP` : 'Langkah menurut SOP'),
    h('p', { class: 'uraian', id: 'sop-uraian' }, row?.kegiatan ?? task.stepName),
    h('dl', { class: 'facts' }, fact('Pelaksana', row ? roleOf(row) : (task.roles ?? []).join(', '), 'sop-pelaksana')),
    h('h3', { class: 'mutu-baku' }, 'Mutu Baku'),
    h('dl', { class: 'facts' },
      fact('Kelengkapan', task.kelengkapan, 'sop-kelengkapan'),
      fact('Waktu', task.waktu, 'sop-waktu'),
      fact('Output', task.output, 'sop-output')),
    h('dl', { class: 'facts sop-keterangan' }, fact('Keterangan', task.keterangan, 'sop-keterangan')),
    ways.length > 0
      ? h('div', { class: 'outcome-meanings' },
        h('h3', null, 'Arti setiap hasil'),
        h('ul', { id: 'sop-outcomes' }, ways.map(([label, next]) => h('li', null,
          label ? h('strong', null, `${label}: `) : null,
          next.map((way) => `${way.label && !label ? `${way.label}: ` : ''}${meaning(way)}`).join('; ')))))
      : null);
}

/** What the step before handed over: its comment and documents. */
function previousStep(task) {
  const previous = task.previous;
  if (!previous) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'previous-heading' },
    h('h2', { id: 'previous-heading' }, `Dari langkah sebelumnya: ${previous.stepNumber ? `${previous.stepNumber}. ` : ''}${previous.stepName}`),
    h('p', { class: 'muted small' }, previous.completedBy ? `Diselesaikan oleh ${previous.completedByName}` : '', previous.completedAt ? `, ${dateTime(previous.completedAt, office.timeZone)}` : '', previous.outcome ? ` · hasil: ${outcomeLabel(previous.outcome)}` : ''),
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
      h('dt', null, 'Oleh'), h('dd', null, task.completedByName ?? '–'),
      h('dt', null, 'Waktu'), h('dd', null, dateTime(task.completedAt, office.timeZone)),
      h('dt', null, 'Komentar'), h('dd', null, task.comment || '–')),
    h('p', { class: 'button-row' }, h('a', { class: 'button-secondary', href: '/tugas' }, 'Kembali ke Kotak Tugas')));
}

function actions(task, members) {
  const allowed = new Set(task.allowedActions ?? []);
  const errors = h('div', { id: 'action-errors' });
  const comment = h('textarea', { id: 'comment', name: 'comment', maxlength: '4000', 'aria-describedby': 'comment-hint' });
  const files = h('input', { type: 'file', id: 'attachment', name: 'attachment', multiple: true, accept: '.pdf,.docx,.xlsx,.png,.jpg,.jpeg', 'aria-describedby': 'attachment-hint attachment-names', class: 'visually-hidden' });
  const outcomes = task.outcomes?.length ? task.outcomes : [null];
  // One key per attempt of this form: a double click or a retry after a lost answer completes once.
  const idempotencyKey = crypto.randomUUID();
  // Colleagues who hold one of the task's roles: whom it can be delegated or reassigned to.
  const colleagues = members.filter((m) => m.username !== user.username && m.username !== task.assignee && m.roles.some((r) => task.roles.includes(r)));

  // doneMessage: the text to show once the work is done, or a function of the work's answer that gives it.
  async function run(work, doneMessage) {
    replace(errors);
    for (const control of section.querySelectorAll('button, select, input, textarea')) control.disabled = true;
    try {
      const answer = await work();
      await load(typeof doneMessage === 'function' ? doneMessage(answer) : doneMessage);
      document.getElementById('task-message')?.focus();
    } catch (error) {
      replace(errors, errorBox(error));
      for (const control of section.querySelectorAll('button, select, input, textarea')) control.disabled = false;
    }
  }

  const complete = (value) => (missingReason(task, value, comment, errors) ? null : run(async () => {
    // The documents belong to the completion: upload them first, so a refused file leaves the task open.
    if (allowed.has('attach')) await uploadAll(task.id, files);
    const answer = await api(`/api/tasks/${task.id}/complete`, {
      method: 'POST',
      json: { outcome: value, comment: comment.value.trim() || null },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    flash('Tugas diselesaikan.', 'success');
    return answer;
  }, (answer) => completedMessage(answer?.opened ?? [])));

  const handOver = (action, label, verb, withReason) => {
    if (!allowed.has(action) || colleagues.length === 0) return null;
    const id = `${action}-to`;
    const choice = h('select', { id, name: 'username' }, colleagues.map((m) => h('option', { value: m.username }, `${m.name} (${m.roles.join(', ')})`)));
    const reason = withReason ? h('input', { id: `${action}-reason`, name: 'reason', maxlength: '500', placeholder: 'Alasan (dicatat)' }) : null;
    return h('form', {
      class: 'toolbar hand-over',
      onsubmit: (event) => {
        event.preventDefault();
        const chosen = colleagues.find((m) => m.username === choice.value);
        run(() => api(`/api/tasks/${task.id}/${action}`, { method: 'POST', json: { username: choice.value, reason: reason?.value.trim() || null } }),
          `Tugas ${verb} ${chosen?.name ?? choice.value}.`);
      },
    },
    h('label', { for: id }, label), choice,
    reason ? [h('label', { for: reason.id, class: 'visually-hidden' }, 'Alasan pengalihan'), reason] : null,
    h('button', { type: 'submit', class: 'button-secondary' }, label));
  };

  const section = h('section', { class: 'card', 'aria-labelledby': 'act-heading' },
    h('h2', { id: 'act-heading' }, 'Kerjakan tugas'),
    errors,
    task.assignee && task.assignee !== user.username ? h('div', { class: 'alert alert-info' }, `Tugas ini sedang dikerjakan oleh ${task.assigneeName}.`) : null,
    allowed.size === 0 ? h('p', { class: 'muted' }, 'Anda dapat melihat tugas ini, tetapi bukan pelaksananya.') : null,
    allowed.has('claim')
      ? h('div', { class: 'claim-row' },
        h('p', { class: 'muted' }, 'Ambil tugas agar rekan satu peran tahu Anda yang mengerjakannya.'),
        h('button', { type: 'button', class: 'button-secondary', id: 'claim', onclick: () => run(() => api(`/api/tasks/${task.id}/claim`, { method: 'POST' }), 'Tugas diambil; sekarang tercatat atas nama Anda.') }, 'Ambil tugas'))
      : null,
    allowed.has('unclaim')
      ? h('div', { class: 'claim-row' },
        h('p', { class: 'muted' }, task.assignee === user.username ? 'Tugas ini atas nama Anda.' : `Tugas ini atas nama ${task.assigneeName}.`),
        h('button', { type: 'button', class: 'button-quiet', onclick: () => run(() => api(`/api/tasks/${task.id}/unclaim`, { method: 'POST' }), 'Tugas dilepas; rekan satu peran dapat mengambilnya.') }, 'Lepas tugas'))
      : null,
    allowed.has('complete') ? [
      h('div', { class: 'field' },
        h('label', { for: 'comment' }, 'Komentar'),
        comment,
        h('span', { class: 'hint', id: 'comment-hint' }, commentHint(task))),
      allowed.has('attach')
        ? h('div', { class: 'field' },
          h('span', { class: 'label', id: 'attachment-label' }, 'Lampiran output'),
          fileChooser(files, 'Lampiran output'),
          h('span', { class: 'hint', id: 'attachment-hint' }, 'PDF, DOCX, XLSX, PNG atau JPG; diunggah saat Anda memilih hasil di bawah.'))
        : null,
      h('div', { class: 'outcomes' },
        h('p', { class: 'label', id: 'outcome-label' }, outcomes[0] === null ? 'Selesaikan langkah ini' : 'Pilih hasil langkah ini'),
        h('div', { class: 'button-row', role: 'group', 'aria-labelledby': 'outcome-label' },
          outcomes.map((value) => h('button', {
            type: 'button',
            class: `button-outcome ${isNegativeOutcome(value) ? 'negative' : ''}`,
            'data-outcome': value ?? '',
            onclick: () => complete(value),
          }, outcomeLabel(value))))),
    ] : null,
    allowed.has('delegate') || allowed.has('reassign')
      ? h('div', { class: 'hand-overs' },
        handOver('delegate', 'Delegasikan', 'didelegasikan kepada', false),
        handOver('reassign', 'Alihkan', 'dialihkan kepada', true))
      : null);
  return section;
}

/** The work came back to this step: who sent it back, from which step, and why. */
function sentBackNotice(task) {
  const back = task.sentBack;
  if (!back || (task.status !== 'open' && task.status !== 'claimed')) return null;
  return h('div', { class: 'alert alert-warning sent-back', id: 'sent-back', role: 'note' },
    h('strong', null, `Dikembalikan oleh ${back.byName ?? back.by ?? 'langkah berikutnya'}`),
    ` dari langkah ${back.fromStepNumber ? `${back.fromStepNumber}. ` : ''}${back.fromStepName}, ${dateTime(back.at, office.timeZone)} (hasil: ${outcomeLabel(back.outcome)}).`,
    h('p', { class: 'sent-back-reason' }, 'Alasan: ', h('span', { id: 'sent-back-reason' }, back.reason ?? '–')));
}

function commentHint(task) {
  const back = task.sendBackOutcomes ?? [];
  return back.length === 0
    ? 'Catatan untuk langkah berikutnya (opsional, paling banyak 4.000 karakter).'
    : `Catatan untuk langkah berikutnya (paling banyak 4.000 karakter). Wajib diisi bila memilih ${back.map(outcomeLabel).join(' atau ')}: tuliskan alasannya, penerima membacanya.`;
}

/** A send-back outcome needs a reason: say so here instead of sending a request the service would refuse. */
function missingReason(task, value, comment, errors) {
  if (!(task.sendBackOutcomes ?? []).includes(value) || comment.value.trim() !== '') return false;
  replace(errors, h('div', { class: 'alert alert-error', role: 'alert', id: 'reason-missing' },
    `Hasil "${outcomeLabel(value)}" mengembalikan pekerjaan ke langkah sebelumnya; tuliskan alasannya di kolom Komentar.`));
  comment.setAttribute('aria-invalid', 'true');
  comment.focus();
  return true;
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

/**
 * Where the completion sent the work, from the tasks its answer says it opened: each step once (a step done once
 * per unit opens several), with its roles. None opened means other branches are still at work, or the SOP ended.
 */
function completedMessage(opened) {
  if (opened.length === 0) return 'Tugas diselesaikan.';
  const steps = [...new Map(opened.map((t) => [t.stepId, t])).values()]
    .map((t) => `${t.stepNumber ? `langkah ${t.stepNumber}. ` : ''}${t.stepName} (${t.roles.join(', ')})`);
  return `Tugas diselesaikan dan diteruskan ke ${steps.join('; ')}.`;
}
